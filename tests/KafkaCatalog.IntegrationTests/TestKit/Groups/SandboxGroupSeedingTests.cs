using Confluent.Kafka;
using KafkaCatalog.IntegrationTests.TestKit;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Groups;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.IntegrationTests.TestKit.Groups;

public sealed class SandboxGroupSeedingTests
{
    [Fact]
    public async Task Seed_CreatesEmptyGroupsWithLag_VisibleToTheAdminClient()
    {
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        var result = SandboxSeeder.Seed(cluster);
        Assert.Equal(new[] { "orders-processor", "payments-audit", "clicks-analytics" }, result.Groups);
        Assert.All(result.Groups, g => Assert.Equal(GroupState.Empty, cluster.State.Groups.GetState(g)));

        var orders = cluster.State.GetTopic("orders")!;
        long lag = orders.Partitions.Sum(p => p.HighWatermark - (cluster.State.GetCommittedOffset("orders-processor", "orders", p.Index) ?? 0));
        Assert.True(lag > 0);
        var payments = cluster.State.GetTopic("payments")!;
        Assert.All(payments.Partitions, p => Assert.Equal(p.HighWatermark, cluster.State.GetCommittedOffset("payments-audit", "payments", p.Index) ?? 0));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var listed = await admin.ListConsumerGroupsAsync();
        Assert.Equal(3, listed.Valid.Count(g => result.Groups.Contains(g.GroupId)));
        var offsets = await admin.ListConsumerGroupOffsetsAsync(new[] { new ConsumerGroupTopicPartitions("orders-processor", null) });
        Assert.Equal(orders.Partitions.Count, Assert.Single(offsets).Partitions.Count);
    }
}
