using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.IntegrationTests.TestKit;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Groups;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace KafkaCatalog.IntegrationTests.TestKit.Groups;

/// <summary>Real librdkafka consumers joining, syncing, committing and rebalancing through the TestKit coordinator.</summary>
public sealed class ConsumerGroupTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private KafkaTestCluster Cluster => fx.Cluster;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Polls a consumer until a condition holds (or fails after a generous guard timeout).</summary>
    private static void PollUntil(Func<bool> condition, params IConsumer<string?, string?>[] consumers)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached while polling the consumers");
            foreach (var c in consumers)
            {
                c.Consume(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private IConsumer<string?, string?> Consumer(string group, List<TopicPartition> assigned, Action<ConsumerConfig>? configure = null) =>
        new ConsumerBuilder<string?, string?>(Config(group, configure))
            .SetPartitionsAssignedHandler((_, parts) => { lock (assigned) { assigned.Clear(); assigned.AddRange(parts); } })
            .SetPartitionsRevokedHandler((_, _) => { lock (assigned) { assigned.Clear(); } })
            .Build();

    private ConsumerConfig Config(string group, Action<ConsumerConfig>? configure)
    {
        var c = new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        };
        configure?.Invoke(c);
        return c;
    }

    private static int Count(List<TopicPartition> l)
    {
        lock (l)
        {
            return l.Count;
        }
    }

    [Fact]
    public async Task Subscribe_Join_Commit_Rebalance_WhenSecondMemberJoinsAndLeaves()
    {
        var topic = Unique("cg");
        Cluster.State.CreateTopic(topic, 4, 1);
        var group = Unique("grp");
        Cluster.State.CommitOffsets(group, topic, new long[] { 0, 0, 0, 0 });
        var a1 = new List<TopicPartition>();
        var a2 = new List<TopicPartition>();
        using var c1 = Consumer(group, a1);
        c1.Subscribe(topic);
        PollUntil(() => Count(a1) == 4, c1);
        Assert.Equal(GroupState.Stable, Cluster.State.Groups.GetState(group));

        c1.Commit(new[] { new TopicPartitionOffset(topic, 0, 42), new TopicPartitionOffset(topic, 3, 7) });
        Assert.Equal(42, Cluster.State.GetCommittedOffset(group, topic, 0));
        var committed = c1.Committed(new[] { new TopicPartition(topic, 0), new TopicPartition(topic, 1) }, TimeSpan.FromSeconds(10));
        Assert.Equal(42, committed[0].Offset.Value);
        Assert.Equal(0, committed[1].Offset.Value);

        using (var c2 = Consumer(group, a2))
        {
            c2.Subscribe(topic);
            PollUntil(() => Count(a1) == 2 && Count(a2) == 2, c1, c2);
            Assert.Equal(2, Cluster.State.Groups.GetMemberIds(group).Count);
            Assert.Equal(GroupState.Stable, Cluster.State.Groups.GetState(group));
            lock (a1)
            {
                lock (a2)
                {
                    Assert.Empty(a1.Select(p => p.Partition.Value).Intersect(a2.Select(p => p.Partition.Value)));
                }
            }

            using var admin = fx.Admin();
            var d = Assert.Single((await admin.DescribeConsumerGroupsAsync(new[] { group })).ConsumerGroupDescriptions);
            Assert.Equal(ConsumerGroupState.Stable, d.State);
            Assert.Equal(2, d.Members.Count);
            Assert.Equal("range", d.PartitionAssignor);
            Assert.Equal(4, d.Members.Sum(m => m.Assignment.TopicPartitions.Count));

            // Deleting a live group or a subscribed topic's offsets is refused.
            var del = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(new[] { group }));
            Assert.Equal(ErrorCode.NonEmptyGroup, Assert.Single(del.Results).Error.Code);
            var odel = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() =>
                admin.DeleteConsumerGroupOffsetsAsync(group, new[] { new TopicPartition(topic, 0) }));
            Assert.Equal(ErrorCode.GroupSubscribedToTopic, Assert.Single(odel.Result.Partitions).Error.Code);
            Assert.Equal(42, Cluster.State.GetCommittedOffset(group, topic, 0));

            c2.Close();
        }
        PollUntil(() => Count(a1) == 4, c1);
        Assert.Single(Cluster.State.Groups.GetMemberIds(group));
        c1.Close();
        Assert.Equal(GroupState.Empty, Cluster.State.Groups.GetState(group));
        Assert.Contains((short)5, Cluster.RequestVersions(ApiKeys.JoinGroup)); // librdkafka 2.15.1 max; MEMBER_ID_REQUIRED round trip
        Assert.True(Cluster.RequestCount(ApiKeys.Heartbeat) > 0);
        Assert.True(Cluster.RequestCount(ApiKeys.LeaveGroup) >= 2);
    }

    [Fact]
    public void Unsubscribe_LeavesGroup_AndTheRemainingMemberTakesAllPartitions()
    {
        var topic = Unique("st");
        Cluster.State.CreateTopic(topic, 2, 1);
        var group = Unique("grp");
        Cluster.State.CommitOffsets(group, topic, new long[] { 0, 0 });
        var a1 = new List<TopicPartition>();
        var a2 = new List<TopicPartition>();
        using var c1 = Consumer(group, a1);
        using var c2 = Consumer(group, a2);
        c1.Subscribe(topic);
        c2.Subscribe(topic);
        PollUntil(() => Count(a1) == 1 && Count(a2) == 1, c1, c2);
        var generation = Cluster.State.Groups.GetGenerationId(group);
        c2.Unsubscribe();
        PollUntil(() => Count(a1) == 2, c1);
        Assert.Single(Cluster.State.Groups.GetMemberIds(group));
        Assert.True(Cluster.State.Groups.GetGenerationId(group) > generation);
    }

    [Fact]
    public void Produce_ConsumeWithGroup_Commit_AndANewMemberResumesFromTheCommittedOffset()
    {
        var topic = Unique("data");
        Cluster.State.CreateTopic(topic, 2, 1);
        var group = Unique("grp");
        using (var producer = fx.Producer())
        {
            for (int i = 0; i < 10; i++)
            {
                producer.Produce(new TopicPartition(topic, i % 2), new Message<string?, string?> { Key = $"k{i}", Value = $"v{i}" });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var seen = new List<string>();
        var assigned = new List<TopicPartition>();
        using (var c1 = Consumer(group, assigned))
        {
            c1.Subscribe(topic);
            var deadline = DateTime.UtcNow + Patience;
            while (seen.Count < 6)
            {
                Assert.True(DateTime.UtcNow < deadline, $"consumed only {seen.Count} records");
                var r = c1.Consume(TimeSpan.FromMilliseconds(200));
                if (r is null || r.IsPartitionEOF)
                {
                    continue;
                }

                seen.Add(r.Message.Value!);
                c1.Commit(r);
            }
            c1.Close();
        }
        Assert.Equal(GroupState.Empty, Cluster.State.Groups.GetState(group));
        long committedTotal = (Cluster.State.GetCommittedOffset(group, topic, 0) ?? 0) + (Cluster.State.GetCommittedOffset(group, topic, 1) ?? 0);
        Assert.Equal(6, committedTotal);

        using var c2 = Consumer(group, assigned);
        c2.Subscribe(topic);
        var rest = new List<string>();
        var until = DateTime.UtcNow + Patience;
        while (rest.Count < 4)
        {
            Assert.True(DateTime.UtcNow < until, $"second member consumed only {rest.Count} records");
            var r = c2.Consume(TimeSpan.FromMilliseconds(200));
            if (r is null || r.IsPartitionEOF)
            {
                continue;
            }

            rest.Add(r.Message.Value!);
        }
        Assert.Empty(seen.Intersect(rest));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}").OrderBy(x => x), seen.Concat(rest).OrderBy(x => x));
        c2.Close();
    }
}

/// <summary>The same group flow against a broker that only serves old group API versions (as in the 2.0.2 advertisement).</summary>
public sealed class OldVersionGroupTests
{
    [Fact]
    public async Task LibrdkafkaGroupFlow_OnOldVersions()
    {
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
        var options = new KafkaTestClusterOptions { Brokers = 3 };
        foreach (var (key, max) in new (short, short)[]
        {
            (ApiKeys.FindCoordinator, 0), (ApiKeys.JoinGroup, 2), (ApiKeys.SyncGroup, 1), (ApiKeys.Heartbeat, 1),
            (ApiKeys.LeaveGroup, 1), (ApiKeys.OffsetCommit, 2), (ApiKeys.OffsetFetch, 2), (ApiKeys.ListGroups, 0), (ApiKeys.DescribeGroups, 0),
        })
        {
            options.ApiVersionLimits[key] = max;
        }
        await using var cluster = await KafkaTestCluster.StartAsync(options);
        cluster.State.CreateTopic("old-orders", 2, 1);
        using (var p = new ProducerBuilder<string?, string?>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (int i = 0; i < 4; i++)
            {
                p.Produce(new TopicPartition("old-orders", i % 2), new Message<string?, string?> { Value = $"m{i}" });
            }

            p.Flush(TimeSpan.FromSeconds(30));
        }
        using (var c = new ConsumerBuilder<string?, string?>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "old-group",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
        }).Build())
        {
            c.Subscribe("old-orders");
            int got = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (got < 4)
            {
                Assert.True(DateTime.UtcNow < deadline, $"consumed {got} of 4");
                var r = c.Consume(TimeSpan.FromMilliseconds(200));
                if (r is null || r.IsPartitionEOF)
                {
                    continue;
                }

                got++;
                c.Commit(r);
            }
            c.Close();
        }
        Assert.Equal(new short[] { 2 }, cluster.RequestVersions(ApiKeys.JoinGroup));
        Assert.Equal(new short[] { 0 }, cluster.RequestVersions(ApiKeys.FindCoordinator));
        Assert.Equal(4, (cluster.State.GetCommittedOffset("old-group", "old-orders", 0) ?? 0) + (cluster.State.GetCommittedOffset("old-group", "old-orders", 1) ?? 0));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var d = Assert.Single((await admin.DescribeConsumerGroupsAsync(new[] { "old-group" })).ConsumerGroupDescriptions);
        Assert.Equal(ConsumerGroupState.Empty, d.State);
        var listed = await admin.ListConsumerGroupsAsync();
        Assert.Contains(listed.Valid, g => g.GroupId == "old-group");
        Assert.Equal(new short[] { 0 }, cluster.RequestVersions(ApiKeys.ListGroups));
    }
}
