using Confluent.Kafka;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Partitions;

namespace KafkaCatalog.Core.Tests.Kafka;

public sealed class LeaderElectionPlannerTests
{
    private static KafkaTopic Topic(string name, params (int Leader, int[] Replicas)[] partitions) => new()
    {
        Name = name,
        Partitions = partitions.Select((p, i) => new KafkaPartition { Topic = name, Partition = i, Leader = p.Leader, Replicas = p.Replicas, InSyncReplicas = p.Replicas }).ToArray(),
    };

    [Fact]
    public void Preferred_plan_marks_the_partitions_led_by_another_replica()
    {
        var plan = LeaderElectionPlanner.Plan(new LeaderElectionRequest { Topics = ["orders"] }, [Topic("orders", (1, [1, 2]), (1, [2, 1]), (-1, [3, 1]))], "c");
        Assert.Equal([false, true, true], plan.Select(r => r.NeedsElection));
        Assert.Equal(["NotNeeded", "Planned", "Planned"], plan.Select(r => r.Outcome));
        Assert.Equal([1, 2, 3], plan.Select(r => r.PreferredLeader));
        Assert.All(plan, r => Assert.Equal("c", r.ConnectionName));
    }

    [Fact]
    public void Unclean_plan_marks_only_leaderless_partitions()
    {
        var plan = LeaderElectionPlanner.Plan(new LeaderElectionRequest { Topics = ["t"], ElectionType = KafkaElectionType.Unclean }, [Topic("t", (2, [1, 2]), (-1, [1, 2]))], null);
        Assert.Equal([false, true], plan.Select(r => r.NeedsElection));
        Assert.All(plan, r => Assert.Equal("Unclean", r.ElectionType));
    }

    [Fact]
    public void Partition_selection_and_unknown_partition()
    {
        var topic = Topic("t", (1, [1]), (2, [1, 2]), (1, [1]));
        var plan = LeaderElectionPlanner.Plan(new LeaderElectionRequest { Topics = ["t"], Partitions = [2, 1, 1] }, [topic], null);
        Assert.Equal([1, 2], plan.Select(r => r.Partition));
        var ex = Assert.Throws<KafkaCatalogException>(() => LeaderElectionPlanner.Plan(new LeaderElectionRequest { Topics = ["t"], Partitions = [1, 7] }, [topic], null));
        Assert.Equal("PartitionNotFound", ex.ErrorId);
        Assert.Contains("no partition 7", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "a", "b" }, new[] { 0 }, "PartitionNeedsSingleTopic")]
    [InlineData(new[] { "a*" }, new[] { 0 }, "PartitionNeedsSingleTopic")]
    [InlineData(new[] { "a" }, new[] { -1 }, "NegativePartition")]
    [InlineData(new[] { " " }, null, "EmptyTopicName")]
    [InlineData(new string[0], null, "EmptyTopicName")]
    public void Bad_requests_are_refused_before_any_call(string[] topics, int[]? partitions, string errorId)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => LeaderElectionPlanner.Validate(new LeaderElectionRequest { Topics = topics, Partitions = partitions }));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Outcomes_from_the_clusters_answers()
    {
        var row = LeaderElectionPlanner.Plan(new LeaderElectionRequest { Topics = ["t"] }, [Topic("t", (2, [1, 2]))], null)[0];
        var elected = LeaderElectionPlanner.Outcome(row, ErrorCode.NoError, null);
        Assert.Equal(("Elected", 1), (elected.Result.Outcome, elected.Result.NewLeader!.Value));
        Assert.Null(elected.Error);

        var notNeeded = LeaderElectionPlanner.Outcome(row, ErrorCode.ElectionNotNeeded, "Leader election not needed for topic partition.");
        Assert.Equal(("ElectionNotNeeded", 2), (notNeeded.Result.Outcome, notNeeded.Result.NewLeader!.Value));
        Assert.Null(notNeeded.Error);

        var failed = LeaderElectionPlanner.Outcome(row, ErrorCode.PreferredLeaderNotAvailable, "The preferred leader was not available.");
        Assert.Equal("Failed", failed.Result.Outcome);
        Assert.Equal("PreferredLeaderNotAvailable", failed.Error!.ErrorId);
        Assert.Equal("PreferredLeaderNotAvailable", failed.Result.ErrorId);
        Assert.Contains("broker 1", failed.Result.Error, StringComparison.Ordinal);
        Assert.Equal(new KafkaTopicPartition("t", 0), failed.Error.Target);

        Assert.Equal("EligibleLeadersNotAvailable", LeaderElectionPlanner.Error(row, ErrorCode.EligibleLeadersNotAvailable, null).ErrorId);
        Assert.Equal("KafkaAuthorizationFailed", LeaderElectionPlanner.Error(row, ErrorCode.ClusterAuthorizationFailed, null).ErrorId);
        Assert.Equal("PartitionNotFound", LeaderElectionPlanner.Error(row, ErrorCode.UnknownTopicOrPart, null).ErrorId);

        var unclean = row with { ElectionType = "Unclean" };
        Assert.Null(LeaderElectionPlanner.Outcome(unclean, ErrorCode.NoError, null).Result.NewLeader);
    }

    [Fact]
    public void WhatIf_text_lists_each_non_preferred_partition()
    {
        var plan = LeaderElectionPlanner.Plan(new LeaderElectionRequest { Topics = ["orders"] }, [Topic("orders", (1, [1, 2]), (1, [2, 1]))], null);
        var text = LeaderElectionPlanner.Describe(plan, KafkaElectionType.Preferred, "b:9092");
        Assert.Contains("orders[1]: leader 1 -> preferred 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("orders[0]:", text, StringComparison.Ordinal);
        Assert.Contains("1 other partition(s) need no election", text, StringComparison.Ordinal);
    }
}

public sealed class RecordDeletionPlannerTests
{
    private static RecordDeletionRequest Before(long offset, params int[] partitions) => new() { Topic = "t", BeforeOffset = offset, Partitions = partitions };

    [Fact]
    public void Plan_moves_the_low_watermark_and_counts_what_goes()
    {
        var plan = RecordDeletionPlanner.Plan(Before(5), [new(0, 0, 10), new(1, 7, 10), new(2, 5, 5)], "c");
        Assert.Equal([5L, 7L, 5L], plan.Select(r => r.NewLowWatermark));
        Assert.Equal([5L, 0L, 0L], plan.Select(r => r.RecordsRemoved));
        Assert.Equal(["Planned", "NothingToDelete", "NothingToDelete"], plan.Select(r => r.Status));
    }

    [Fact]
    public void An_offset_beyond_any_high_watermark_refuses_the_whole_request()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => RecordDeletionPlanner.Plan(Before(8), [new(0, 0, 10), new(1, 0, 6)], null));
        Assert.Equal("BeforeOffsetBeyondHighWatermark", ex.ErrorId);
        Assert.Contains("t[1] ends at 6", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamp_resolves_to_the_offset_for_the_time_or_the_high_watermark()
    {
        var request = new RecordDeletionRequest { Topic = "t", BeforeTimestamp = DateTimeOffset.UnixEpoch };
        var plan = RecordDeletionPlanner.Plan(request, [new(0, 2, 10) { OffsetForTimestamp = 6 }, new(1, 2, 10) { OffsetForTimestamp = null }, new(2, 4, 10) { OffsetForTimestamp = 3 }], null);
        Assert.Equal([6L, 10L, 4L], plan.Select(r => r.NewLowWatermark));
        Assert.Equal([4L, 8L, 0L], plan.Select(r => r.RecordsRemoved));
    }

    [Theory]
    [InlineData("t", -1L, false, "NegativeOffset")]
    [InlineData("t", null, false, "RecordDeletionNeedsOneBound")]
    [InlineData("t", 1L, true, "RecordDeletionNeedsOneBound")]
    [InlineData("bad name", 1L, false, "InvalidTopicName")]
    [InlineData("__consumer_offsets", 1L, false, "CannotDeleteInternalTopicRecords")]
    public void Bad_requests_are_refused_before_any_call(string topic, long? offset, bool withTimestamp, string errorId)
    {
        var request = new RecordDeletionRequest { Topic = topic, BeforeOffset = offset, BeforeTimestamp = withTimestamp ? DateTimeOffset.UnixEpoch : null };
        Assert.Equal(errorId, Assert.Throws<KafkaCatalogException>(() => RecordDeletionPlanner.Validate(request)).ErrorId);
    }

    [Fact]
    public void Partitions_in_scope()
    {
        Assert.Equal([0, 1, 2], RecordDeletionPlanner.ResolvePartitions(new RecordDeletionRequest { Topic = "t", BeforeOffset = 1 }, 3));
        Assert.Equal([0, 2], RecordDeletionPlanner.ResolvePartitions(Before(1, 2, 0, 2), 3));
        Assert.Equal("PartitionNotFound", Assert.Throws<KafkaCatalogException>(() => RecordDeletionPlanner.ResolvePartitions(Before(1, 3), 3)).ErrorId);
        Assert.Equal("NegativePartition", Assert.Throws<KafkaCatalogException>(() => RecordDeletionPlanner.Validate(Before(1, -2))).ErrorId);
    }

    [Fact]
    public void WhatIf_text_gives_per_partition_counts_and_new_low_watermarks()
    {
        var request = Before(5);
        var plan = RecordDeletionPlanner.Plan(request, [new(0, 0, 10), new(1, 7, 10)], null);
        var text = RecordDeletionPlanner.Describe(request, plan, "b:9092");
        Assert.Contains("5 record(s) in 1 partition(s)", text, StringComparison.Ordinal);
        Assert.Contains("t[0]: 5 record(s), low watermark 0 -> 5 (high watermark 10)", text, StringComparison.Ordinal);
        Assert.Contains("t[1]: nothing to delete (low watermark 7, high watermark 10)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_refusals_map_to_specific_errors()
    {
        var row = RecordDeletionPlanner.Plan(Before(5), [new(0, 0, 10)], null)[0];
        Assert.Equal("BeforeOffsetBeyondHighWatermark", RecordDeletionService.Error(row, ErrorCode.OffsetOutOfRange, null).ErrorId);
        Assert.Equal("RecordDeletionNotAllowed", RecordDeletionService.Error(row, ErrorCode.PolicyViolation, null).ErrorId);
        Assert.Equal("CannotDeleteInternalTopicRecords", RecordDeletionService.Error(row, ErrorCode.TopicException, null).ErrorId);
        Assert.Equal("PartitionNotFound", RecordDeletionService.Error(row, ErrorCode.UnknownTopicOrPart, null).ErrorId);
        Assert.Equal("KafkaAuthorizationFailed", RecordDeletionService.Error(row, ErrorCode.TopicAuthorizationFailed, null).ErrorId);
    }
}
