using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Protocol;
using ErrorCode = KafkaCatalog.TestKit.Kafka.Protocol.ErrorCode;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>Faults on demand. Each test starts its own cluster because faults change broker state.</summary>
public sealed class FaultTests
{
    private static async Task<KafkaTestCluster> Start(int brokers = 3)
    {
        TestKitNativeLibrdkafka.EnsureLoaded();
        return await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = brokers });
    }

    private static IAdminClient Admin(KafkaTestCluster c) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = c.BootstrapServers }).Build();

    [Fact]
    public async Task StopBroker_moves_leadership_shrinks_isr_and_StartBroker_restores_it()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("replicated", 6, 3);
        var single = cluster.State.CreateTopic("single", 3, 1);
        var led = t.Partitions.Where(p => p.LeaderId == 2).Select(p => p.Index).ToList();
        Assert.NotEmpty(led);
        var singleOn2 = single.Partitions.Where(p => p.LeaderId == 2).Select(p => p.Index).ToList();

        await cluster.StopBrokerAsync(2);

        Assert.False(cluster.Brokers.Single(b => b.Id == 2).IsAlive);
        Assert.All(t.Partitions, p => Assert.DoesNotContain(2, p.Isr));
        Assert.All(t.Partitions, p => Assert.NotEqual(2, p.LeaderId));
        Assert.All(t.Partitions, p => Assert.NotEqual(-1, p.LeaderId));
        Assert.All(singleOn2, i => Assert.Equal(-1, single.Partitions[i].LeaderId));

        using (var admin = Admin(cluster))
        {
            var md = admin.GetMetadata("replicated", TimeSpan.FromSeconds(10));
            Assert.Equal(new[] { 1, 3 }, md.Brokers.Select(b => b.BrokerId).OrderBy(x => x));
            Assert.All(md.Topics[0].Partitions, p => Assert.DoesNotContain(2, p.InSyncReplicas));
            var mdSingle = admin.GetMetadata("single", TimeSpan.FromSeconds(10));
            Assert.All(singleOn2, i => Assert.Equal(-1, mdSingle.Topics[0].Partitions.Single(p => p.PartitionId == i).Leader));
        }
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() =>
            KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers.Single(b => b.Id == 2).Port));

        await cluster.StartBrokerAsync(2);
        Assert.All(t.Partitions, p => Assert.Contains(2, p.Isr));
        Assert.All(singleOn2, i => Assert.Equal(2, single.Partitions[i].LeaderId));
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers.Single(b => b.Id == 2).Port);
        var resp = await c.RequestAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        Assert.Equal(0, resp.GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task Stopping_the_controller_moves_the_controller()
    {
        await using var cluster = await Start();
        Assert.Equal(1, cluster.ControllerId);
        await cluster.Faults.StopBrokerAsync(1);
        Assert.Equal(2, cluster.ControllerId);
        using var admin = Admin(cluster);
        var d = await admin.DescribeClusterAsync();
        Assert.Equal(2, d.Controller.Id);
    }

    [Fact]
    public async Task FailNext_answers_with_the_error_without_changing_state_then_recovers()
    {
        await using var cluster = await Start(1);
        cluster.Faults.FailNext(ApiKeys.CreateTopics, ErrorCode.NotController, count: 1);
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var req = KafkaWireClient.NewRequest(ApiKeys.CreateTopics);
        req.AddElement("Topics").Set("Name", "faulty").Set("NumPartitions", 1).Set("ReplicationFactor", (short)1);
        var resp = await c.RequestAsync(ApiKeys.CreateTopics, 4, req);
        Assert.Equal(ErrorCode.NotController, resp.GetArray("Topics")![0].GetInt16("ErrorCode"));
        Assert.Equal("faulty", resp.GetArray("Topics")![0].GetString("Name"));
        Assert.Null(cluster.State.GetTopic("faulty"));
        Assert.Equal(0, cluster.Faults.PendingErrors(ApiKeys.CreateTopics));

        resp = await c.RequestAsync(ApiKeys.CreateTopics, 4, req);
        Assert.Equal(0, resp.GetArray("Topics")![0].GetInt16("ErrorCode"));
        Assert.NotNull(cluster.State.GetTopic("faulty"));
    }

    [Fact]
    public async Task Injected_error_reaches_the_admin_client_once_then_calls_succeed()
    {
        await using var cluster = await Start(1);
        cluster.Faults.FailNext(ApiKeys.DescribeConfigs, ErrorCode.RequestTimedOut);
        cluster.State.CreateTopic("cfg", 1, 1);
        using var admin = Admin(cluster);
        var ex = await Assert.ThrowsAsync<DescribeConfigsException>(() =>
            admin.DescribeConfigsAsync(new[] { new ConfigResource { Type = ResourceType.Topic, Name = "cfg" } }));
        Assert.Equal(Confluent.Kafka.ErrorCode.RequestTimedOut, Assert.Single(ex.Results).Error.Code);
        var ok = await admin.DescribeConfigsAsync(new[] { new ConfigResource { Type = ResourceType.Topic, Name = "cfg" } });
        Assert.Equal("delete", Assert.Single(ok).Entries["cleanup.policy"].Value);
    }

    [Fact]
    public async Task DropConnections_closes_client_sockets_and_clients_reconnect()
    {
        await using var cluster = await Start(1);
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        await c.RequestAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        Assert.True(cluster.Faults.DropConnections() >= 1);
        Assert.Null(await c.ReadFrameAsync());

        using var admin = Admin(cluster);
        Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
    }

    [Fact]
    public async Task Latency_delays_only_the_matching_api()
    {
        await using var cluster = await Start(1);
        cluster.Faults.AddLatency(TimeSpan.FromMinutes(10), brokerId: 1, apiKey: ApiKeys.Metadata);
        await using var slow = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var md = KafkaWireClient.NewRequest(ApiKeys.Metadata);
        md.Set("Topics", null);
        await slow.SendAsync(ApiKeys.Metadata, 1, md);
        var pending = slow.ReadFrameAsync();

        await using var fast = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var resp = await fast.RequestAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        Assert.Equal(0, resp.GetInt16("ErrorCode"));
        Assert.False(pending.IsCompleted);
        cluster.Faults.Reset();
    }
}
