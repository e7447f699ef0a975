using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Sandbox;
using ErrorCode = KafkaCatalog.TestKit.Kafka.Protocol.ErrorCode;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>
/// ElectLeaders and DeleteRecords as Kafka 4.0 answers them, through librdkafka (Confluent.Kafka) and the raw
/// wire client; the leadership controls (MoveLeader, MarkOutOfSync, the sandbox's move-leader command).
/// Each test starts its own cluster because they change leadership.
/// </summary>
public sealed class ElectionAndRecordDeletionTests
{
    private static async Task<KafkaTestCluster> Start(KafkaTestClusterOptions? options = null)
    {
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
        return await KafkaTestCluster.StartAsync(options ?? new KafkaTestClusterOptions { Brokers = 3 });
    }

    private static IAdminClient Admin(KafkaTestCluster c) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = c.BootstrapServers }).Build();

    [Fact]
    public async Task MoveLeader_makes_the_leader_non_preferred_and_a_preferred_election_restores_it()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("elect", 3, 3);
        var preferred = t.Partitions[1].Replicas[0];
        var moved = cluster.State.MoveLeader("elect", 1);
        Assert.NotEqual(preferred, moved);
        Assert.Equal(moved, t.Partitions[1].LeaderId);

        using var admin = Admin(cluster);
        var result = await admin.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartition("elect", 1)]);
        Assert.Equal(Confluent.Kafka.ErrorCode.NoError, Assert.Single(result.TopicPartitions).Error.Code);
        Assert.Equal(preferred, t.Partitions[1].LeaderId);

        var again = await Assert.ThrowsAsync<ElectLeadersException>(() => admin.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartition("elect", 1)]));
        Assert.Equal(Confluent.Kafka.ErrorCode.ElectionNotNeeded, Assert.Single(again.Results.TopicPartitions).Error.Code);
    }

    [Fact]
    public async Task MoveLeader_refuses_a_broker_that_is_not_a_live_in_sync_follower()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("one", 1, 1);
        Assert.Throws<ArgumentException>(() => cluster.State.MoveLeader("one", 0));
        Assert.Throws<ArgumentException>(() => cluster.State.MoveLeader("nope", 0));
        var three = cluster.State.CreateTopic("three", 1, 3);
        Assert.Throws<ArgumentException>(() => cluster.State.MoveLeader("three", 0, three.Partitions[0].LeaderId));
        Assert.Equal(t.Partitions[0].Replicas[0], t.Partitions[0].LeaderId);
    }

    [Fact]
    public async Task Preferred_election_is_PREFERRED_LEADER_NOT_AVAILABLE_while_the_preferred_replica_is_down()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("down", 1, 3);
        var preferred = t.Partitions[0].Replicas[0];
        await cluster.StopBrokerAsync(preferred);
        var leader = t.Partitions[0].LeaderId;
        Assert.NotEqual(preferred, leader);

        using var admin = Admin(cluster);
        var ex = await Assert.ThrowsAsync<ElectLeadersException>(() => admin.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartition("down", 0)]));
        var r = Assert.Single(ex.Results.TopicPartitions);
        Assert.Equal(Confluent.Kafka.ErrorCode.PreferredLeaderNotAvailable, r.Error.Code);
        Assert.Equal(leader, t.Partitions[0].LeaderId);
    }

    [Fact]
    public async Task Unclean_election_elects_a_lagging_replica_only_when_no_in_sync_replica_is_left()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("unclean", 1, 2);
        var p = t.Partitions[0];
        var (leader, follower) = (p.Replicas[0], p.Replicas[1]);
        using var admin = Admin(cluster);

        var notNeeded = await Assert.ThrowsAsync<ElectLeadersException>(() => admin.ElectLeadersAsync(ElectionType.Unclean, [new TopicPartition("unclean", 0)]));
        Assert.Equal(Confluent.Kafka.ErrorCode.ElectionNotNeeded, Assert.Single(notNeeded.Results.TopicPartitions).Error.Code);

        cluster.State.MarkOutOfSync("unclean", 0, follower);
        await cluster.StopBrokerAsync(leader);
        Assert.Equal(-1, p.LeaderId);

        var preferred = await Assert.ThrowsAsync<ElectLeadersException>(() => admin.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartition("unclean", 0)]));
        Assert.Equal(Confluent.Kafka.ErrorCode.PreferredLeaderNotAvailable, Assert.Single(preferred.Results.TopicPartitions).Error.Code);

        var result = await admin.ElectLeadersAsync(ElectionType.Unclean, [new TopicPartition("unclean", 0)]);
        Assert.Equal(Confluent.Kafka.ErrorCode.NoError, Assert.Single(result.TopicPartitions).Error.Code);
        Assert.Equal(follower, p.LeaderId);
        Assert.Equal([follower], p.Isr);
    }

    [Fact]
    public async Task Unclean_election_without_any_live_replica_is_ELIGIBLE_LEADERS_NOT_AVAILABLE()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("gone", 1, 1);
        await cluster.StopBrokerAsync(t.Partitions[0].Replicas[0]);
        using var admin = Admin(cluster);
        var ex = await Assert.ThrowsAsync<ElectLeadersException>(() => admin.ElectLeadersAsync(ElectionType.Unclean, [new TopicPartition("gone", 0)]));
        Assert.Equal(Confluent.Kafka.ErrorCode.EligibleLeadersNotAvailable, Assert.Single(ex.Results.TopicPartitions).Error.Code);
    }

    [Fact]
    public async Task Unknown_topic_and_partition_are_UNKNOWN_TOPIC_OR_PARTITION_with_the_controllers_messages()
    {
        await using var cluster = await Start();
        cluster.State.CreateTopic("known", 2, 1);
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var req = KafkaWireClient.NewRequest(43);
        req.Set("ElectionType", (sbyte)0);
        var known = req.AddElement("TopicPartitions");
        known.Set("Topic", "known");
        known.Set("Partitions", new List<int> { 5 });
        var unknown = req.AddElement("TopicPartitions");
        unknown.Set("Topic", "unknown");
        unknown.Set("Partitions", new List<int> { 0 });
        var resp = await c.RequestAsync(43, 2, req);
        Assert.Equal(0, resp.GetInt16("ErrorCode"));
        var results = resp.GetArray("ReplicaElectionResults")!;
        var k = Assert.Single(results[0].GetArray("PartitionResult")!);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, k.GetInt16("ErrorCode"));
        Assert.Equal("No such partition as known-5", k.GetString("ErrorMessage"));
        var u = Assert.Single(results[1].GetArray("PartitionResult")!);
        Assert.Equal("No such topic as unknown", u.GetString("ErrorMessage"));
    }

    [Fact]
    public async Task All_partitions_election_v0_reports_only_what_it_elected_and_keeps_every_topic_entry()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("all-a", 3, 3);
        cluster.State.CreateTopic("all-b", 1, 3);
        cluster.State.MoveLeader("all-a", 2);
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var req = KafkaWireClient.NewRequest(43);
        req.Set("TopicPartitions", null);
        var resp = await c.RequestAsync(43, 0, req);
        var results = resp.GetArray("ReplicaElectionResults")!;
        var a = results.Single(r => r.GetString("Topic") == "all-a").GetArray("PartitionResult")!;
        Assert.Equal(2, Assert.Single(a).GetInt32("PartitionId"));
        Assert.Equal(0, a[0].GetInt16("ErrorCode"));
        Assert.Empty(results.Single(r => r.GetString("Topic") == "all-b").GetArray("PartitionResult")!);
        Assert.Equal(t.Partitions[2].Replicas[0], t.Partitions[2].LeaderId);
    }

    [Fact]
    public async Task Without_cluster_alter_every_named_partition_is_CLUSTER_AUTHORIZATION_FAILED_and_nothing_moves()
    {
        await using var cluster = await Start(new KafkaTestClusterOptions { Brokers = 3, EnableAcls = true });
        var t = cluster.State.CreateTopic("acl", 1, 3);
        var moved = cluster.State.MoveLeader("acl", 0);
        using var admin = Admin(cluster);
        var ex = await Assert.ThrowsAnyAsync<KafkaException>(() => admin.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartition("acl", 0)]));
        var codes = KafkaCatalog.Core.Resilience.KafkaRetry.ErrorCodesOf(ex);
        Assert.Contains(Confluent.Kafka.ErrorCode.ClusterAuthorizationFailed, codes);
        Assert.Equal(moved, t.Partitions[0].LeaderId);

        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var req = KafkaWireClient.NewRequest(43);
        var tp = req.AddElement("TopicPartitions");
        tp.Set("Topic", "acl");
        tp.Set("Partitions", new List<int> { 0 });
        var v0 = await c.RequestAsync(43, 0, req);
        var pr = Assert.Single(Assert.Single(v0.GetArray("ReplicaElectionResults")!).GetArray("PartitionResult")!);
        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, pr.GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task DeleteRecords_refuses_internal_topics_compacted_topics_and_offsets_beyond_the_high_watermark()
    {
        await using var cluster = await Start();
        cluster.State.CreateTopic("compacted", 1, 1, new Dictionary<string, string> { ["cleanup.policy"] = "compact" });
        cluster.State.CreateTopic("both", 1, 1, new Dictionary<string, string> { ["cleanup.policy"] = "compact,delete" });
        cluster.State.CreateTopic("plain", 1, 1);
        foreach (var topic in new[] { "__consumer_offsets", "compacted", "both", "plain" })
        {
            cluster.State.AppendRecords(topic, 0, Enumerable.Range(0, 5).Select(i => new SeedRecord(null, $"v{i}", 1000 + i)).ToList());
        }

        using var admin = Admin(cluster);
        async Task<Confluent.Kafka.ErrorCode> Delete(string topic, long offset)
        {
            try
            {
                await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, offset)], new DeleteRecordsOptions { RequestTimeout = TimeSpan.FromSeconds(20), OperationTimeout = TimeSpan.FromSeconds(20) });
                return Confluent.Kafka.ErrorCode.NoError;
            }
            catch (DeleteRecordsException ex)
            {
                return Assert.Single(ex.Results).Error.Code;
            }
        }

        Assert.Equal(Confluent.Kafka.ErrorCode.TopicException, await Delete("__consumer_offsets", 2));
        Assert.Equal(Confluent.Kafka.ErrorCode.PolicyViolation, await Delete("compacted", 2));
        Assert.Equal(Confluent.Kafka.ErrorCode.OffsetOutOfRange, await Delete("plain", 6));
        Assert.Equal(0, cluster.State.GetPartition("__consumer_offsets", 0)!.LogStartOffset);
        Assert.Equal(0, cluster.State.GetPartition("compacted", 0)!.LogStartOffset);
        Assert.Equal(0, cluster.State.GetPartition("plain", 0)!.LogStartOffset);

        Assert.Equal(Confluent.Kafka.ErrorCode.NoError, await Delete("both", 2));
        Assert.Equal(Confluent.Kafka.ErrorCode.NoError, await Delete("plain", 5));
        Assert.Equal(5, cluster.State.GetPartition("plain", 0)!.LogStartOffset);
        // At or below the log start nothing moves, and the answer is the current low watermark.
        var lower = await admin.DeleteRecordsAsync([new TopicPartitionOffset("plain", 0, 1)]);
        Assert.Equal(5, Assert.Single(lower).Offset.Value);
    }

    [Fact]
    public async Task DeleteRecords_for_an_unknown_topic_or_partition_is_UNKNOWN_TOPIC_OR_PARTITION_on_the_wire()
    {
        await using var cluster = await Start();
        cluster.State.CreateTopic("known", 1, 1);
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var req = KafkaWireClient.NewRequest(ApiKeys.DeleteRecords);
        req.Set("TimeoutMs", 1000);
        foreach (var (topic, partition) in new[] { ("nope", 0), ("known", 7) })
        {
            var t = req.AddElement("Topics");
            t.Set("Name", topic);
            var p = t.AddElement("Partitions");
            p.Set("PartitionIndex", partition);
            p.Set("Offset", 0L);
        }
        var resp = await c.RequestAsync(ApiKeys.DeleteRecords, 2, req);
        Assert.All(resp.GetArray("Topics")!, t =>
        {
            var p = Assert.Single(t.GetArray("Partitions")!);
            Assert.Equal(ErrorCode.UnknownTopicOrPartition, p.GetInt16("ErrorCode"));
            Assert.Equal(-1L, p.GetInt64("LowWatermark"));
        });
    }

    [Fact]
    public async Task Fetch_and_ListOffsets_honour_the_new_low_watermark()
    {
        await using var cluster = await Start();
        cluster.State.CreateTopic("lw", 1, 1);
        cluster.State.AppendRecords("lw", 0, Enumerable.Range(0, 4).Select(i => new SeedRecord(null, $"a{i}", 1000 + i)).ToList());
        cluster.State.AppendRecords("lw", 0, Enumerable.Range(0, 4).Select(i => new SeedRecord(null, $"b{i}", 2000 + i)).ToList());
        using var admin = Admin(cluster);
        Assert.Equal(6, Assert.Single(await admin.DeleteRecordsAsync([new TopicPartitionOffset("lw", 0, 6)])).Offset.Value);

        var earliest = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition("lw", 0), OffsetSpec = OffsetSpec.Earliest() }]);
        Assert.Equal(6, Assert.Single(earliest.ResultInfos).TopicPartitionOffsetError.Offset.Value);
        // A timestamp before the new start resolves to the new start, never to a deleted record.
        var byTime = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition("lw", 0), OffsetSpec = OffsetSpec.ForTimestamp(1500) }]);
        Assert.Equal(6, Assert.Single(byTime.ResultInfos).TopicPartitionOffsetError.Offset.Value);

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "lw-" + Guid.NewGuid().ToString("N")[..6], AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false }).Build();
        consumer.Assign(new TopicPartitionOffset("lw", 0, Offset.Beginning));
        var first = consumer.Consume(TimeSpan.FromSeconds(10));
        Assert.NotNull(first);
        Assert.Equal(6, first!.Offset.Value);
        Assert.Equal("b2", first.Message.Value);

        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers.Single(b => b.Id == cluster.State.GetPartition("lw", 0)!.LeaderId).Port);
        var fetch = KafkaWireClient.NewRequest(ApiKeys.Fetch);
        fetch.Set("MaxWaitMs", 0);
        fetch.Set("MaxBytes", 1 << 20);
        var ft = fetch.AddElement("Topics");
        ft.Set("Topic", "lw");
        var fp = ft.AddElement("Partitions");
        fp.Set("Partition", 0);
        fp.Set("FetchOffset", 3L);
        fp.Set("PartitionMaxBytes", 1 << 20);
        var resp = await c.RequestAsync(ApiKeys.Fetch, 4, fetch);
        var part = resp.GetArray("Responses")![0].GetArray("Partitions")![0];
        Assert.Equal(ErrorCode.OffsetOutOfRange, part.GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task Sandbox_move_leader_command_answers_ok_or_error()
    {
        await using var cluster = await Start();
        var t = cluster.State.CreateTopic("orders", 2, 3);
        var preferred = t.Partitions[0].Replicas[0];
        var ok = SandboxLeaderCommands.TryExecute(cluster, ["move-leader", "orders", "0"]);
        Assert.StartsWith($"ok orders[0] leader {preferred} -> ", ok);
        Assert.NotEqual(preferred, t.Partitions[0].LeaderId);
        Assert.Equal($"error 'x' is not a number (partition)", SandboxLeaderCommands.TryExecute(cluster, ["move-leader", "orders", "x"]));
        Assert.StartsWith("error move-leader takes", SandboxLeaderCommands.TryExecute(cluster, ["move-leader", "orders"]));
        Assert.StartsWith("error No partition orders-9", SandboxLeaderCommands.TryExecute(cluster, ["move-leader", "orders", "9"]));
        Assert.Null(SandboxLeaderCommands.TryExecute(cluster, ["status"]));
    }
}
