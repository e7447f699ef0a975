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
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
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

    [Fact]
    public async Task ElectLeaders_preferred_moves_leadership_back_after_a_restart()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("elect", 3, 3);
        var onTwo = t.Partitions.Where(p => p.Replicas[0] == 2).Select(p => p.Index).ToList();
        Assert.NotEmpty(onTwo);
        await cluster.StopBrokerAsync(2);
        await cluster.StartBrokerAsync(2);
        Assert.All(onTwo, i => Assert.NotEqual(2, t.Partitions[i].LeaderId));

        using var admin = Admin(cluster);
        var result = await admin.ElectLeadersAsync(ElectionType.Preferred, onTwo.Select(i => new TopicPartition("elect", i)).ToList());
        Assert.All(result.TopicPartitions, r => Assert.Equal(Confluent.Kafka.ErrorCode.NoError, r.Error.Code));
        Assert.All(onTwo, i => Assert.Equal(2, t.Partitions[i].LeaderId));

        var again = await Assert.ThrowsAsync<ElectLeadersException>(() =>
            admin.ElectLeadersAsync(ElectionType.Preferred, new List<TopicPartition> { new("elect", onTwo[0]) }));
        Assert.Equal(Confluent.Kafka.ErrorCode.ElectionNotNeeded, Assert.Single(again.Results.TopicPartitions).Error.Code);
    }

    [Fact]
    public async Task Metadata_reports_offline_replicas_of_a_stopped_broker()
    {
        await using var cluster = await Start();
        cluster.State.CreateTopic("offline", 3, 3);
        await cluster.StopBrokerAsync(3);
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var req = KafkaWireClient.NewRequest(ApiKeys.Metadata);
        req.AddElement("Topics").Set("Name", "offline");
        var resp = await c.RequestAsync(ApiKeys.Metadata, 9, req);
        var parts = resp.GetArray("Topics")![0].GetArray("Partitions")!;
        Assert.All(parts, p => Assert.Equal(new List<int> { 3 }, p.GetList<int>("OfflineReplicas")));
        Assert.All(parts, p => Assert.Equal(3, p.GetList<int>("ReplicaNodes")!.Count));
        Assert.All(parts, p => Assert.DoesNotContain(3, p.GetList<int>("IsrNodes")!));
    }

    [Fact]
    public async Task Cluster_default_broker_config_is_reported_as_dynamic_default_and_inherited_by_topics()
    {
        await using var cluster = await Start(1);
        cluster.State.CreateTopic("inherit", 1, 1);
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var alter = KafkaWireClient.NewRequest(ApiKeys.IncrementalAlterConfigs);
        var res = alter.AddElement("Resources").Set("ResourceType", (sbyte)4).Set("ResourceName", "");
        res.AddElement("Configs").Set("Name", "log.retention.ms").Set("ConfigOperation", (sbyte)0).Set("Value", "1234");
        var ar = await c.RequestAsync(ApiKeys.IncrementalAlterConfigs, 1, alter);
        Assert.Equal(0, ar.GetArray("Responses")![0].GetInt16("ErrorCode"));

        var describe = KafkaWireClient.NewRequest(ApiKeys.DescribeConfigs);
        describe.AddElement("Resources").Set("ResourceType", (sbyte)4).Set("ResourceName", "").Set("ConfigurationKeys", null);
        describe.AddElement("Resources").Set("ResourceType", (sbyte)2).Set("ResourceName", "inherit").Set("ConfigurationKeys", new[] { "retention.ms" });
        describe.Set("IncludeSynonyms", true);
        var dr = await c.RequestAsync(ApiKeys.DescribeConfigs, 4, describe);
        var broker = Assert.Single(dr.GetArray("Results")![0].GetArray("Configs")!);
        Assert.Equal(("log.retention.ms", "1234", (sbyte)3), (broker.GetString("Name"), broker.GetString("Value"), broker.GetInt8("ConfigSource")));
        var topic = Assert.Single(dr.GetArray("Results")![1].GetArray("Configs")!);
        Assert.Equal("1234", topic.GetString("Value"));
        Assert.Equal((sbyte)3, topic.GetInt8("ConfigSource"));
        Assert.Equal("log.retention.ms", topic.GetArray("Synonyms")![0].GetString("Name"));
    }

    [Fact]
    public async Task ApiVersionLimits_imitate_an_older_broker()
    {
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
        var options = new KafkaTestClusterOptions { Brokers = 1 };
        options.ApiVersionLimits[ApiKeys.IncrementalAlterConfigs] = -1;
        options.ApiVersionLimits[ApiKeys.Metadata] = 4;
        options.ApiVersionLimits[ApiKeys.ApiVersions] = 2;
        await using var cluster = await KafkaTestCluster.StartAsync(options);
        cluster.State.CreateTopic("old", 1, 1);

        await using (var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port))
        {
            var resp = await c.RequestAsync(ApiKeys.ApiVersions, 2, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
            var keys = resp.GetArray("ApiKeys")!;
            Assert.DoesNotContain(keys, k => k.GetInt16("ApiKey") == ApiKeys.IncrementalAlterConfigs);
            Assert.Equal(4, keys.Single(k => k.GetInt16("ApiKey") == ApiKeys.Metadata).GetInt16("MaxVersion"));
        }

        using var admin = Admin(cluster);
        var ex = await Assert.ThrowsAnyAsync<KafkaException>(() => admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = "old" }] = new() { new ConfigEntry { Name = "retention.ms", Value = "1", IncrementalOperation = AlterConfigOpType.Set } },
        }));
        Assert.Empty(cluster.State.GetTopic("old")!.Configs);
        Assert.Equal(new short[] { 4 }, cluster.RequestVersions(ApiKeys.Metadata));
        Assert.Equal(0, cluster.RequestCount(ApiKeys.IncrementalAlterConfigs));
    }

    [Fact]
    public async Task Producer_and_consumer_fail_over_to_the_new_leader_when_the_leader_stops()
    {
        await using var cluster = await Start();
        cluster.State.CreateTopic("failover", 1, 3);
        var config = new ProducerConfig { BootstrapServers = cluster.BootstrapServers, Acks = Acks.All, MessageTimeoutMs = 30000 };
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        Assert.Equal(0, (await producer.ProduceAsync("failover", new Message<Null, string> { Value = "before" })).Offset.Value);
        var oldLeader = cluster.State.GetPartition("failover", 0)!.LeaderId;

        await cluster.StopBrokerAsync(oldLeader);
        var newLeader = cluster.State.GetPartition("failover", 0)!.LeaderId;
        Assert.NotEqual(oldLeader, newLeader);
        Assert.Equal(1, (await producer.ProduceAsync("failover", new Message<Null, string> { Value = "after" })).Offset.Value);
        Assert.Equal(2, cluster.State.GetPartition("failover", 0)!.HighWatermark);

        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "failover-reader",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset("failover", 0, Offset.Beginning));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var values = new List<string> { consumer.Consume(cts.Token).Message.Value, consumer.Consume(cts.Token).Message.Value };
        Assert.Equal(new[] { "before", "after" }, values);
        Assert.True(cluster.RequestCount(ApiKeys.Fetch, newLeader) >= 1);
        Assert.Equal(0, cluster.RequestCount(ApiKeys.Fetch, oldLeader));
    }
}
