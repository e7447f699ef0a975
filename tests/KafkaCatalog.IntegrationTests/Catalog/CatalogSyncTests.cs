using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.IntegrationTests.Catalog;

public sealed class CatalogSyncTests
{
    private static InMemoryKafkaInventory Cluster(IEnumerable<KafkaTopic> topics, params KafkaConsumerGroup[] groups) => new(topics, groups);

    [Fact]
    public async Task Sync_creates_then_is_idempotent()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var cluster = Cluster(new[] { Kafka.Topic("a"), Kafka.Topic("b") }, Kafka.Group("g", "a"));
        var first = await bed.SyncAsync(cluster);
        Assert.Equal(3, first.Count);
        Assert.All(first, r => Assert.Equal(CatalogAssetStatus.Created, r.Status));

        var upsertsBefore = bed.Atlan.Requests.BulkUpserts;
        var second = await bed.SyncAsync(cluster);
        Assert.Equal(3, second.Count);
        Assert.All(second, r => Assert.Equal(CatalogAssetStatus.Unchanged, r.Status));
        Assert.Equal(upsertsBefore, bed.Atlan.Requests.BulkUpserts);
    }

    [Fact]
    public async Task Sync_archives_a_deleted_topic_and_restores_it_when_it_is_recreated()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.SyncAsync(Cluster(new[] { Kafka.Topic("keep"), Kafka.Topic("gone") }, Kafka.Group("g", "gone")));

        var afterDelete = await bed.SyncAsync(Cluster(new[] { Kafka.Topic("keep") }));
        Assert.Equal(CatalogAssetStatus.Archived, afterDelete.Single(r => r.Name == "gone").Status);
        Assert.Equal(CatalogAssetStatus.Archived, afterDelete.Single(r => r.Name == "g").Status);
        Assert.Equal(CatalogAssetStatus.Unchanged, afterDelete.Single(r => r.Name == "keep").Status);
        var archived = bed.Atlan.Store.Find("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/gone")!;
        Assert.Equal("DELETED", archived.Status);

        var recreated = await bed.SyncAsync(Cluster(new[] { Kafka.Topic("keep"), Kafka.Topic("gone", partitions: 8) }));
        var restored = recreated.Single(r => r.Name == "gone");
        Assert.Equal(CatalogAssetStatus.Restored, restored.Status);
        Assert.Equal(archived.Guid, restored.Guid);
        Assert.Equal("ACTIVE", archived.Status);
        Assert.Equal(8, archived.Attributes["kafkaTopicPartitionsCount"]!.GetValue<long>());
        Assert.Equal(3, bed.Atlan.Store.Count - 1);
    }

    [Fact]
    public async Task Sync_updates_only_what_changed_and_reports_which_attributes()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.SyncAsync(Cluster(new[] { Kafka.Topic("a", config: Kafka.Config(("retention.ms", "1000"))), Kafka.Topic("b") }));
        var plan = await CatalogSynchronizer.PlanAsync(bed.Catalog, bed.ConnectionQualifiedName, Cluster(new[] { Kafka.Topic("a", config: Kafka.Config(("retention.ms", "2000"))), Kafka.Topic("b") }));
        var update = Assert.Single(plan.Actions, a => a.Kind == CatalogSyncActionKind.Update);
        Assert.Equal("a", update.Name);
        Assert.Equal(new[] { "kafkaTopicRetentionTimeInMs" }, update.ChangedAttributes);
        Assert.Equal(CatalogSyncActionKind.Unchanged, plan.Actions.Single(a => a.Name == "b").Kind);
    }

    [Fact]
    public async Task Sync_filters_limit_what_can_be_archived()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.SyncAsync(Cluster(new[] { Kafka.Topic("orders"), Kafka.Topic("payments") }));
        var results = await bed.SyncAsync(Cluster(Array.Empty<KafkaTopic>()), new CatalogSyncOptions { Topics = new[] { "ord*" }, IncludeGroups = false, Archive = CatalogSyncArchive.All });
        var r = Assert.Single(results);
        Assert.Equal("orders", r.Name);
        Assert.Equal(CatalogAssetStatus.Archived, r.Status);
        Assert.Equal("ACTIVE", bed.Atlan.Store.Find("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/payments")!.Status);
    }

    [Fact]
    public async Task Planning_reads_only()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.SyncAsync(Cluster(new[] { Kafka.Topic("old") }));
        var upserts = bed.Atlan.Requests.BulkUpserts;
        var deletes = bed.Atlan.Requests.BulkDeletes;
        var plan = await CatalogSynchronizer.PlanAsync(bed.Catalog, bed.ConnectionQualifiedName, Cluster(new[] { Kafka.Topic("new") }), new CatalogSyncOptions { Archive = CatalogSyncArchive.All });
        Assert.Equal(1, plan.Count(CatalogSyncActionKind.Create));
        Assert.Equal(1, plan.Count(CatalogSyncActionKind.Archive));
        var summary = CatalogSynchronizer.Summarize(plan);
        Assert.True(summary.IsWhatIf);
        Assert.Equal(1, summary.Created);
        Assert.Equal(upserts, bed.Atlan.Requests.BulkUpserts);
        Assert.Equal(deletes, bed.Atlan.Requests.BulkDeletes);
    }

    [Fact]
    public async Task Sync_reports_cluster_names_atlan_would_reject()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var results = await bed.SyncAsync(Cluster(new[] { Kafka.Topic("ok"), Kafka.Topic("not ok") }));
        Assert.Equal("CatalogInvalidTopicName", results.Single(r => r.Name == "not ok").ErrorId);
        Assert.Equal(CatalogAssetStatus.Created, results.Single(r => r.Name == "ok").Status);
        var summary = CatalogSynchronizer.Summarize(bed.ConnectionQualifiedName, results, TimeSpan.Zero);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, summary.Created);
    }

    [Fact]
    public async Task Sync_against_an_unknown_connection_fails_with_no_writes()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogSynchronizer.PlanAsync(bed.Catalog, "default/kafka/42", Cluster(new[] { Kafka.Topic("a") })));
        Assert.Equal("CatalogConnectionNotFound", ex.ErrorId);
        Assert.Empty(bed.Atlan.Store.OfType("KafkaTopic"));
    }
}
