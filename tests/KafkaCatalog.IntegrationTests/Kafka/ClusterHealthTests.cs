using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Health;
using KafkaCatalog.IntegrationTests.KafkaGroups;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>
/// Test-KafkaCluster's Core service through Confluent.Kafka over TCP against its own 3-broker TestKit per test, put
/// into each unhealthy state with the TestKit health controls.
/// </summary>
public sealed class ClusterHealthTests
{
    private static async Task<(KafkaTestCluster Cluster, KafkaClientFactory Factory)> StartAsync()
    {
        NativeLibraryLoader.EnsureLoaded();
        var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, DefaultReplicationFactor = 3, OffsetsTopicPartitions = 3 });
        cluster.State.CreateTopic("orders", 3, 3, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        var factory = new KafkaClientFactory(new KafkaConnection("health", new KafkaConnectionOptions { BootstrapServers = cluster.BootstrapServers, ClientId = "health-it", RequestTimeout = TimeSpan.FromSeconds(10) }));
        return (cluster, factory);
    }

    private static async Task<Dictionary<string, KafkaHealthCheck>> RunAsync(KafkaClientFactory factory) =>
        (await new ClusterHealthService(factory).TestAsync(new ClusterHealthOptions()).ToListAsync()).ToDictionary(c => c.Check);

    [Fact]
    public async Task A_healthy_cluster_passes_every_check_in_order()
    {
        var (cluster, factory) = await StartAsync();
        await using var _ = cluster;
        using var __ = factory;

        var checks = await new ClusterHealthService(factory).TestAsync(new ClusterHealthOptions()).ToListAsync();

        Assert.Equal(KafkaHealthChecks.All, checks.Select(c => c.Check));
        Assert.All(checks, c =>
        {
            Assert.Equal(KafkaHealthStatus.Pass, c.Status);
            Assert.Empty(c.Items);
            Assert.Equal("health", c.ConnectionName);
        });
        Assert.True(await new ClusterHealthService(factory).TestQuietAsync(new ClusterHealthOptions()));
    }

    [Fact]
    public async Task Offline_under_replicated_under_min_isr_and_non_preferred_partitions_are_reported_with_the_partitions()
    {
        var (cluster, factory) = await StartAsync();
        await using var _ = cluster;
        using var __ = factory;
        var p1 = cluster.State.GetPartition("orders", 1)!;
        var p2 = cluster.State.GetPartition("orders", 2)!;
        cluster.State.HealthTakePartitionOffline("orders", 0);
        cluster.State.HealthSetInSyncReplicas("orders", 1, p1.Replicas[0]);
        cluster.State.HealthMoveLeaderOffPreferred("orders", 2);

        var checks = await RunAsync(factory);

        var offline = checks[KafkaHealthChecks.OfflinePartitions];
        Assert.Equal(KafkaHealthStatus.Fail, offline.Status);
        Assert.Equal(("orders", 0), Assert.IsType<KafkaPartition>(Assert.Single(offline.Items)) is var o ? (o.Topic, o.Partition) : default);

        var under = checks[KafkaHealthChecks.UnderReplicatedPartitions];
        Assert.Equal(KafkaHealthStatus.Warning, under.Status);
        Assert.Equal([0, 1], under.Items.Cast<KafkaPartition>().Select(p => p.Partition));

        var minIsr = checks[KafkaHealthChecks.UnderMinIsrPartitions];
        Assert.Equal(KafkaHealthStatus.Fail, minIsr.Status);
        var rows = minIsr.Items.Cast<KafkaPartitionUnderMinIsr>().ToList();
        Assert.Equal([0, 1], rows.Select(r => r.Partition));
        Assert.All(rows, r => Assert.Equal(2, r.MinInSyncReplicas));
        Assert.Equal([0, 1], rows.Select(r => r.InSyncReplicaCount));

        var preferred = checks[KafkaHealthChecks.PreferredLeaderImbalance];
        Assert.Equal(KafkaHealthStatus.Warning, preferred.Status);
        var moved = Assert.IsType<KafkaPartition>(Assert.Single(preferred.Items));
        Assert.Equal(2, moved.Partition);
        Assert.Equal(p2.Replicas[1], moved.Leader);

        Assert.Equal(KafkaHealthStatus.Pass, checks[KafkaHealthChecks.BrokersReachable].Status);
        Assert.Equal(KafkaHealthStatus.Pass, checks[KafkaHealthChecks.ControllerPresent].Status);
        Assert.False(await new ClusterHealthService(factory).TestQuietAsync(new ClusterHealthOptions()));
        Assert.True(await new ClusterHealthService(factory).TestQuietAsync(new ClusterHealthOptions { Checks = [KafkaHealthChecks.PreferredLeaderImbalance, KafkaHealthChecks.UnderReplicatedPartitions] }));
    }

    [Fact]
    public async Task A_stopped_broker_hosting_replicas_fails_brokers_reachable()
    {
        var (cluster, factory) = await StartAsync();
        await using var _ = cluster;
        using var __ = factory;
        await cluster.StopBrokerAsync(3);

        var check = (await new ClusterHealthService(factory).TestAsync(new ClusterHealthOptions { Checks = [KafkaHealthChecks.BrokersReachable] }).ToListAsync()).Single();

        Assert.Equal(KafkaHealthStatus.Fail, check.Status);
        Assert.Contains(check.Items.Cast<KafkaBroker>(), b => b.BrokerId == 3);
        Assert.Contains("3", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_with_lag_and_no_members_and_offsets_below_the_log_start_are_reported()
    {
        var (cluster, factory) = await StartAsync();
        await using var _ = cluster;
        using var __ = factory;
        for (var i = 0; i < 10; i++)
        {
            cluster.State.AppendRecords("orders", 0, [new SeedRecord("k", "v", 1_700_000_000_000 + i)]);
        }

        using var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        await admin.AlterConsumerGroupOffsetsAsync([new Confluent.Kafka.ConsumerGroupTopicPartitionOffsets("idle", [new Confluent.Kafka.TopicPartitionOffset("orders", 0, 3)])]);
        await admin.AlterConsumerGroupOffsetsAsync([new Confluent.Kafka.ConsumerGroupTopicPartitionOffsets("caught-up", [new Confluent.Kafka.TopicPartitionOffset("orders", 0, 10)])]);
        var before = await RunAsync(factory);
        Assert.Equal(KafkaHealthStatus.Pass, before[KafkaHealthChecks.CommittedOffsetsBelowLogStart].Status);
        cluster.State.HealthMoveLogStart("orders", 0, 6);

        var checks = await RunAsync(factory);

        var idle = checks[KafkaHealthChecks.GroupsLaggingWithoutMembers];
        Assert.Equal(KafkaHealthStatus.Warning, idle.Status);
        var group = Assert.IsType<KafkaIdleLaggingGroup>(Assert.Single(idle.Items));
        Assert.Equal(("idle", 4L), (group.GroupId, group.TotalLag));
        Assert.Equal(["orders"], group.Topics);

        var lost = checks[KafkaHealthChecks.CommittedOffsetsBelowLogStart];
        Assert.Equal(KafkaHealthStatus.Warning, lost.Status);
        var row = Assert.IsType<KafkaConsumerGroupOffset>(Assert.Single(lost.Items));
        Assert.Equal(("idle", 3L, 6L), (row.GroupId, row.CommittedOffset!.Value, row.LogStartOffset));
    }

    [Fact]
    public async Task Quiet_is_false_for_a_cluster_that_does_not_answer_and_the_stream_is_one_unreachable_error()
    {
        NativeLibraryLoader.EnsureLoaded();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var factory = new KafkaClientFactory(new KafkaConnection("gone", new KafkaConnectionOptions { BootstrapServers = $"127.0.0.1:{port}", RequestTimeout = TimeSpan.FromSeconds(2) }));

        Assert.False(await new ClusterHealthService(factory).TestQuietAsync(new ClusterHealthOptions()));
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(async () => await new ClusterHealthService(factory).TestAsync(new ClusterHealthOptions()).ToListAsync());
        Assert.Equal("KafkaClusterUnreachable", ex.ErrorId);
    }

    [Fact]
    public async Task An_unknown_check_name_is_refused_before_any_request()
    {
        var (cluster, factory) = await StartAsync();
        await using var _ = cluster;
        using var __ = factory;
        var before = cluster.RequestCount(global::KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.Metadata);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ClusterHealthService(factory).TestQuietAsync(new ClusterHealthOptions { Checks = ["Nope"] }));

        Assert.Equal("InvalidHealthCheck", ex.ErrorId);
        Assert.Equal(before, cluster.RequestCount(global::KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.Metadata));
    }
}
