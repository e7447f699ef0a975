using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.IntegrationTests.Kafka;

namespace KafkaCatalog.IntegrationTests.Catalog;

/// <summary>End to end: the TestKit Kafka cluster (Confluent.Kafka over TCP) synced into the Atlan emulator (HTTP).</summary>
public sealed class CatalogClusterSyncTests(KafkaCoreFixture fixture) : IClassFixture<KafkaCoreFixture>
{
    [Fact]
    public async Task Sync_follows_a_topic_deleted_and_recreated_in_the_cluster()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var topics = fixture.Topics();
        await topics.CreateAsync(new NewTopicSpec { Name = "cat-keep", Partitions = 2, ReplicationFactor = 1, Config = new Dictionary<string, string> { ["retention.ms"] = "3600000" } }, validateOnly: false);
        await topics.CreateAsync(new NewTopicSpec { Name = "cat-flaky", Partitions = 1, ReplicationFactor = 1 }, validateOnly: false);
        var inventory = new KafkaClusterInventory(topics);
        var scope = new CatalogSyncOptions { Topics = new[] { "cat-*" }, IncludeGroups = false, Archive = CatalogSyncArchive.All };

        var first = await bed.SyncAsync(inventory, scope);
        Assert.Equal(new[] { "cat-flaky", "cat-keep" }, first.Where(r => r.Status == CatalogAssetStatus.Created).Select(r => r.Name).Order());
        var keep = bed.Atlan.Store.Find("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/cat-keep")!;
        Assert.Equal(2, keep.Attributes["kafkaTopicPartitionsCount"]!.GetValue<long>());
        Assert.Equal(3600000, keep.Attributes["kafkaTopicRetentionTimeInMs"]!.GetValue<long>());

        await topics.DeleteAsync(new[] { "cat-flaky" });
        var afterDelete = await bed.SyncAsync(inventory, scope);
        Assert.Equal(CatalogAssetStatus.Archived, afterDelete.Single(r => r.Name == "cat-flaky").Status);
        Assert.Equal(CatalogAssetStatus.Unchanged, afterDelete.Single(r => r.Name == "cat-keep").Status);

        await topics.CreateAsync(new NewTopicSpec { Name = "cat-flaky", Partitions = 3, ReplicationFactor = 1 }, validateOnly: false);
        var afterRecreate = await bed.SyncAsync(inventory, scope);
        Assert.Equal(CatalogAssetStatus.Restored, afterRecreate.Single(r => r.Name == "cat-flaky").Status);
        var flaky = bed.Atlan.Store.Find("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/cat-flaky")!;
        Assert.Equal("ACTIVE", flaky.Status);
        Assert.Equal(3, flaky.Attributes["kafkaTopicPartitionsCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Sync_reads_consumer_groups_with_lag_from_the_cluster()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var topics = fixture.Topics();
        await topics.CreateAsync(new NewTopicSpec { Name = "catg-orders", Partitions = 2, ReplicationFactor = 1 }, validateOnly: false);
        fixture.Cluster.State.CommitOffsets("catg-billing", "catg-orders", 0, 0);
        var inventory = new KafkaClusterInventory(topics, new ConsumerGroupService(fixture.Factory));

        var results = await bed.SyncAsync(inventory, new CatalogSyncOptions { Topics = new[] { "catg-*" }, GroupIds = new[] { "catg-*" }, Archive = CatalogSyncArchive.All });

        Assert.Equal(CatalogAssetStatus.Created, results.Single(r => r.Name == "catg-orders").Status);
        Assert.Equal(CatalogAssetStatus.Created, results.Single(r => r.Name == "catg-billing").Status);
        var group = bed.Atlan.Store.Find("KafkaConsumerGroup", $"{bed.ConnectionQualifiedName}/consumer-group/catg-billing")!;
        Assert.Equal(new[] { $"{bed.ConnectionQualifiedName}/topic/catg-orders" }, group.KafkaTopics);
        Assert.Equal("Empty", group.Attributes["kafkaConsumerGroupState"]!.GetValue<string>());
        Assert.NotNull(group.Attributes["kafkaConsumerGroupTopicConsumptionProperties"]);
    }
}
