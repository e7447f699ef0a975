using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

public class OffsetResetPlannerTests
{
    private static readonly KafkaTopicPartition Orders0 = new("orders", 0);

    private static OffsetResetRequest Request(OffsetResetMode mode, long offset = 0, long shift = 0) =>
        new() { GroupId = "billing", Mode = mode, Offset = offset, ShiftBy = shift };

    private static KafkaConsumerGroupOffsetReset PlanOne(OffsetResetRequest request, long? committed, long start, long end, long? forTime = null) =>
        Assert.Single(ConsumerGroupOffsetResetPlanner.Plan(request, [new PartitionResetState(Orders0, committed, start, end) { OffsetForTime = forTime }]));

    [Fact]
    public void ToEarliest_goes_to_the_log_start()
    {
        var row = PlanOne(Request(OffsetResetMode.ToEarliest), 80, 20, 100);
        Assert.Equal(80, row.CurrentOffset);
        Assert.Equal(20, row.NewOffset);
        Assert.False(row.Clamped);
    }

    [Fact]
    public void ToLatest_goes_to_the_log_end()
    {
        Assert.Equal(100, PlanOne(Request(OffsetResetMode.ToLatest), 80, 20, 100).NewOffset);
    }

    [Theory]
    [InlineData(50L, 50L, false)]
    [InlineData(5L, 20L, true)]
    [InlineData(500L, 100L, true)]
    [InlineData(20L, 20L, false)]
    [InlineData(100L, 100L, false)]
    public void ToOffset_is_clamped_to_the_log(long wanted, long expected, bool clamped)
    {
        var row = PlanOne(Request(OffsetResetMode.ToOffset, offset: wanted), 80, 20, 100);
        Assert.Equal(expected, row.NewOffset);
        Assert.Equal(clamped, row.Clamped);
    }

    [Theory]
    [InlineData(-10L, 70L, false)]
    [InlineData(10L, 90L, false)]
    [InlineData(-1000L, 20L, true)]
    [InlineData(1000L, 100L, true)]
    [InlineData(long.MaxValue, 100L, true)]
    [InlineData(long.MinValue, 20L, true)]
    public void ShiftBy_moves_from_the_committed_offset_and_is_clamped(long shift, long expected, bool clamped)
    {
        var row = PlanOne(Request(OffsetResetMode.ShiftBy, shift: shift), 80, 20, 100);
        Assert.Equal(expected, row.NewOffset);
        Assert.Equal(clamped, row.Clamped);
    }

    [Fact]
    public void ShiftBy_without_a_committed_offset_is_refused()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => PlanOne(Request(OffsetResetMode.ShiftBy, shift: -5), null, 0, 10));
        Assert.Equal("NoCommittedOffsetToShift", ex.ErrorId);
        Assert.Contains("orders[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDateTime_uses_the_offset_for_the_time_or_the_end_when_none()
    {
        Assert.Equal(42, PlanOne(Request(OffsetResetMode.ToDateTime), 80, 20, 100, forTime: 42).NewOffset);
        Assert.Equal(100, PlanOne(Request(OffsetResetMode.ToDateTime), 80, 20, 100, forTime: null).NewOffset);
        Assert.Equal(100, PlanOne(Request(OffsetResetMode.ToDateTime), 80, 20, 100, forTime: -1).NewOffset);
    }

    [Fact]
    public void Plan_only_rows_say_Planned()
    {
        var row = PlanOne(Request(OffsetResetMode.ToLatest) with { PlanOnly = true }, null, 0, 3);
        Assert.Equal("Planned", row.Status);
        Assert.Null(row.CurrentOffset);
        Assert.Equal("billing orders[0]: none -> 3", row.ToString());
    }

    [Theory]
    [InlineData("Stable", 2, "2 active members")]
    [InlineData("PreparingRebalance", 1, "1 active member")]
    [InlineData("CompletingRebalance", 3, "3 active members")]
    public void Active_groups_are_refused_with_the_member_count(string state, int members, string expected)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.EnsureGroupInactive("billing", state, members));
        Assert.Equal("ConsumerGroupActive", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidOperation, ex.Kind);
        Assert.StartsWith($"Consumer group 'billing' has {expected}; stop them first", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Empty")]
    [InlineData("Dead")]
    public void Empty_and_dead_groups_may_be_reset(string state)
    {
        ConsumerGroupOffsetResetPlanner.EnsureGroupInactive("billing", state, 0);
    }

    [Fact]
    public void Scope_without_topics_is_the_committed_partitions_of_existing_topics()
    {
        var counts = new Dictionary<string, int> { ["orders"] = 2, ["payments"] = 1 };
        var committed = new[] { new KafkaTopicPartition("payments", 0), new KafkaTopicPartition("orders", 1), new KafkaTopicPartition("gone", 0) };

        var scope = ConsumerGroupOffsetResetPlanner.ResolveScope(Request(OffsetResetMode.ToEarliest), counts, committed);

        Assert.Equal([new KafkaTopicPartition("orders", 1), new KafkaTopicPartition("payments", 0)], scope);
    }

    [Fact]
    public void Scope_with_a_topic_is_every_partition_of_it()
    {
        var counts = new Dictionary<string, int> { ["orders"] = 3 };
        var scope = ConsumerGroupOffsetResetPlanner.ResolveScope(Request(OffsetResetMode.ToEarliest) with { Topics = ["orders"] }, counts, []);
        Assert.Equal(3, scope.Count);
        Assert.Equal([0, 1, 2], scope.Select(s => s.Partition));
    }

    [Fact]
    public void Scope_with_partitions_is_just_those_deduplicated()
    {
        var counts = new Dictionary<string, int> { ["orders"] = 3 };
        var scope = ConsumerGroupOffsetResetPlanner.ResolveScope(Request(OffsetResetMode.ToEarliest) with { Topics = ["orders"], Partitions = [2, 0, 2] }, counts, []);
        Assert.Equal([new KafkaTopicPartition("orders", 0), new KafkaTopicPartition("orders", 2)], scope);
    }

    [Fact]
    public void Scope_with_an_unknown_topic_fails()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.ResolveScope(
            Request(OffsetResetMode.ToEarliest) with { Topics = ["nope"] }, new Dictionary<string, int>(), []));
        Assert.Equal("TopicNotFound", ex.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
    }

    [Fact]
    public void Scope_with_a_partition_beyond_the_topic_fails()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.ResolveScope(
            Request(OffsetResetMode.ToEarliest) with { Topics = ["orders"], Partitions = [3] }, new Dictionary<string, int> { ["orders"] = 3 }, []));
        Assert.Equal("PartitionNotFound", ex.ErrorId);
        Assert.Contains("has 3 partitions (0-2)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_for_a_group_without_offsets_and_no_topic_fails()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.ResolveScope(
            Request(OffsetResetMode.ToEarliest), new Dictionary<string, int> { ["orders"] = 3 }, []));
        Assert.Equal("ConsumerGroupHasNoOffsets", ex.ErrorId);
    }

    [Fact]
    public void Scope_for_a_group_whose_topics_are_all_gone_fails()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.ResolveScope(
            Request(OffsetResetMode.ToEarliest), new Dictionary<string, int> { ["orders"] = 3 }, [new KafkaTopicPartition("gone", 0)]));
        Assert.Equal("ConsumerGroupTopicsGone", ex.ErrorId);
    }

    [Fact]
    public void Validate_rejects_a_negative_ToOffset()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.Validate(Request(OffsetResetMode.ToOffset, offset: -1)));
        Assert.Equal("NegativeResetOffset", ex.ErrorId);
    }

    [Fact]
    public void Validate_rejects_partitions_without_exactly_one_topic()
    {
        var none = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.Validate(Request(OffsetResetMode.ToEarliest) with { Partitions = [0] }));
        var two = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.Validate(Request(OffsetResetMode.ToEarliest) with { Topics = ["a", "b"], Partitions = [0] }));
        Assert.Equal("PartitionNeedsSingleTopic", none.ErrorId);
        Assert.Equal("PartitionNeedsSingleTopic", two.ErrorId);
    }

    [Fact]
    public void Validate_rejects_negative_partitions_and_empty_topics_and_group()
    {
        Assert.Equal("NegativePartition", Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.Validate(
            Request(OffsetResetMode.ToEarliest) with { Topics = ["a"], Partitions = [-1] })).ErrorId);
        Assert.Equal("EmptyTopicName", Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.Validate(
            Request(OffsetResetMode.ToEarliest) with { Topics = [" "] })).ErrorId);
        Assert.Equal("EmptyGroupId", Assert.Throws<KafkaCatalogException>(() => ConsumerGroupOffsetResetPlanner.Validate(
            Request(OffsetResetMode.ToEarliest) with { GroupId = "" })).ErrorId);
    }
}
