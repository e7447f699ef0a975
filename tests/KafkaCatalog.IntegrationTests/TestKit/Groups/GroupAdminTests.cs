using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.IntegrationTests.TestKit;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Groups;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace KafkaCatalog.IntegrationTests.TestKit.Groups;

/// <summary>Consumer-group admin calls of the real Confluent.Kafka AdminClient against the TestKit coordinator.</summary>
public sealed class GroupAdminTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private KafkaTestCluster Cluster => fx.Cluster;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private string Topic(int partitions = 3)
    {
        var name = Unique("t");
        Cluster.State.CreateTopic(name, partitions, 1);
        return name;
    }

    [Fact]
    public async Task ListConsumerGroups_ReturnsSeededGroups_WithStateFilter()
    {
        var topic = Topic();
        var g1 = Unique("seeded");
        Cluster.State.CommitOffsets(g1, topic, 0, 5);
        using var admin = fx.Admin();

        var all = await admin.ListConsumerGroupsAsync();
        var listed = Assert.Single(all.Valid, g => g.GroupId == g1);
        Assert.Equal(ConsumerGroupState.Empty, listed.State);
        Assert.True(listed.IsSimpleConsumerGroup);
        Assert.Equal(1, all.Valid.Count(g => g.GroupId == g1)); // listed by its coordinator only

        var stable = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = new[] { ConsumerGroupState.Stable } });
        Assert.DoesNotContain(stable.Valid, g => g.GroupId == g1);
        var empty = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = new[] { ConsumerGroupState.Empty } });
        Assert.Contains(empty.Valid, g => g.GroupId == g1);
        Assert.True(Cluster.RequestVersions(ApiKeys.ListGroups).Max() >= 4);
    }

    [Fact]
    public async Task DescribeConsumerGroups_ReportsEmptyAndUnknownGroups()
    {
        var topic = Topic();
        var g = Unique("desc");
        Cluster.State.CommitOffsets(g, topic, 1, 7);
        using var admin = fx.Admin();
        var missing = Unique("missing");
        var r = await admin.DescribeConsumerGroupsAsync(new[] { g, missing });
        var d = Assert.Single(r.ConsumerGroupDescriptions, x => x.GroupId == g);
        Assert.Equal(ConsumerGroupState.Empty, d.State);
        Assert.Empty(d.Members);
        Assert.Equal(Cluster.State.CoordinatorFor(g), d.Coordinator.Id);
        var m = Assert.Single(r.ConsumerGroupDescriptions, x => x.GroupId == missing);
        Assert.Equal(ConsumerGroupState.Dead, m.State);
    }

    [Fact]
    public async Task ListAlterDeleteConsumerGroupOffsets_RoundTrip()
    {
        var topic = Topic();
        var g = Unique("offs");
        Cluster.State.CommitOffsets(g, topic, new long[] { 10, 20, 30 });
        using var admin = fx.Admin();

        var listed = await admin.ListConsumerGroupOffsetsAsync(new[] { new ConsumerGroupTopicPartitions(g, null) });
        var parts = Assert.Single(listed).Partitions;
        Assert.Equal(new long[] { 10, 20, 30 }, parts.OrderBy(p => p.Partition.Value).Select(p => p.Offset.Value));

        await admin.AlterConsumerGroupOffsetsAsync(new[]
        {
            new ConsumerGroupTopicPartitionOffsets(g, new List<TopicPartitionOffset> { new(topic, 1, 99) }),
        });
        Assert.Equal(99, Cluster.State.GetCommittedOffset(g, topic, 1));

        var specific = await admin.ListConsumerGroupOffsetsAsync(new[]
        {
            new ConsumerGroupTopicPartitions(g, new List<TopicPartition> { new(topic, 1), new(topic, 2) }),
        });
        Assert.Equal(new long[] { 99, 30 }, Assert.Single(specific).Partitions.Select(p => p.Offset.Value));

        var del = await admin.DeleteConsumerGroupOffsetsAsync(g, new[] { new TopicPartition(topic, 0) });
        Assert.Equal(g, del.Group);
        Assert.Null(Cluster.State.GetCommittedOffset(g, topic, 0));
        Assert.Equal(99, Cluster.State.GetCommittedOffset(g, topic, 1));
    }

    [Fact]
    public async Task DeleteGroups_DeletesEmptyGroup_AndReportsUnknownGroup()
    {
        var topic = Topic(1);
        var g = Unique("del");
        Cluster.State.CommitOffsets(g, topic, 0, 1);
        using var admin = fx.Admin();
        await admin.DeleteGroupsAsync(new[] { g });
        Assert.Null(Cluster.State.Groups.GetState(g));

        var missing = Unique("nogroup");
        var ex = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(new[] { missing }));
        Assert.Equal(ErrorCode.GroupIdNotFound, Assert.Single(ex.Results).Error.Code);
    }

    [Fact]
    public async Task AlterConsumerGroupOffsets_UnknownPartition_FailsWithoutSideEffect()
    {
        var topic = Topic(1);
        var g = Unique("bad");
        using var admin = fx.Admin();
        var ex = await Assert.ThrowsAsync<AlterConsumerGroupOffsetsException>(() => admin.AlterConsumerGroupOffsetsAsync(new[]
        {
            new ConsumerGroupTopicPartitionOffsets(g, new List<TopicPartitionOffset> { new(topic, 7, 1) }),
        }));
        var p = Assert.Single(Assert.Single(ex.Results).Partitions);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, p.Error.Code);
        Assert.Null(Cluster.State.GetCommittedOffset(g, topic, 7));
    }

    [Fact]
    public void Coordinator_IsLeaderOfTheGroupsOffsetsPartition()
    {
        foreach (var g in new[] { "orders-app", "polygenelubricants", "x" })
        {
            var p = CoordinatorLocator.PartitionFor(g, 50);
            Assert.Equal(Cluster.State.GetPartition("__consumer_offsets", p)!.LeaderId, Cluster.State.CoordinatorFor(g));
        }
    }

    [Fact]
    public async Task ListConsumerGroupOffsets_LeavesOutDeletedTopics()
    {
        var kept = Topic(1);
        var gone = Topic(1);
        var g = Unique("deltopic");
        Cluster.State.CommitOffsets(g, kept, 0, 4);
        Cluster.State.CommitOffsets(g, gone, 0, 9);
        Assert.True(Cluster.State.DeleteTopic(gone));
        using var admin = fx.Admin();
        var listed = await admin.ListConsumerGroupOffsetsAsync(new[] { new ConsumerGroupTopicPartitions(g, null) });
        var p = Assert.Single(Assert.Single(listed).Partitions);
        Assert.Equal(kept, p.Topic);
        Assert.Equal(4, p.Offset.Value);
    }
}
