using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Partitions;
using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>LeaderElectionService and RecordDeletionService over TCP (Confluent.Kafka + librdkafka) against TestKit.</summary>
public sealed class PartitionAdminServiceTests(KafkaCoreFixture fixture) : IClassFixture<KafkaCoreFixture>
{
    private LeaderElectionService Elections => new(fixture.Factory, null, KafkaCoreFixture.FastRetry);

    private RecordDeletionService Deletions => new(fixture.Factory, null, KafkaCoreFixture.FastRetry);

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private string FilledTopic(int partitions, int perPartition, IReadOnlyDictionary<string, string>? configs = null)
    {
        var name = NewName("rec");
        fixture.Cluster.State.CreateTopic(name, partitions, 1, configs);
        for (var p = 0; p < partitions; p++)
        {
            fixture.Cluster.State.AppendRecords(name, p, Enumerable.Range(0, perPartition).Select(i => new SeedRecord(null, $"v{i}", 1_000 + (i * 100))).ToList());
        }

        return name;
    }

    [Fact]
    public async Task Preferred_election_elects_the_non_preferred_partition_and_reports_the_others_as_not_needed()
    {
        var name = NewName("elect");
        var topic = fixture.Cluster.State.CreateTopic(name, 3, 3);
        var moved = fixture.Cluster.State.MoveLeader(name, 1);
        var preferred = topic.Partitions[1].Replicas[0];

        var plan = await Elections.PlanAsync(new LeaderElectionRequest { Topics = [name] }, e => throw e);
        Assert.Equal([false, true, false], plan.Select(r => r.NeedsElection));
        Assert.Equal(moved, plan[1].PreviousLeader);

        var outcomes = await Elections.ElectAsync(plan, KafkaElectionType.Preferred);
        Assert.Equal(["ElectionNotNeeded", "Elected", "ElectionNotNeeded"], outcomes.Select(o => o.Result.Outcome));
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(preferred, outcomes[1].Result.NewLeader);
        Assert.Equal(preferred, topic.Partitions[1].LeaderId);
    }

    [Fact]
    public async Task Plan_reports_an_unknown_topic_and_an_unknown_partition_and_changes_nothing()
    {
        var errors = new List<KafkaCatalogException>();
        Assert.Empty(await Elections.PlanAsync(new LeaderElectionRequest { Topics = ["no-such-topic"] }, errors.Add));
        Assert.Equal("TopicNotFound", Assert.Single(errors).ErrorId);

        var name = NewName("elect");
        var topic = fixture.Cluster.State.CreateTopic(name, 2, 3);
        var moved = fixture.Cluster.State.MoveLeader(name, 0);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => Elections.PlanAsync(new LeaderElectionRequest { Topics = [name], Partitions = [0, 5] }, e => throw e));
        Assert.Equal("PartitionNotFound", ex.ErrorId);
        Assert.Equal(moved, topic.Partitions[0].LeaderId);
    }

    [Fact]
    public async Task Delete_before_offset_moves_the_low_watermark_and_fetch_starts_there()
    {
        var name = FilledTopic(2, 10);
        var request = new RecordDeletionRequest { Topic = name, BeforeOffset = 6 };
        var plan = await Deletions.PlanAsync(request);
        Assert.Equal([6L, 6L], plan.Select(r => r.RecordsRemoved));
        Assert.Equal(0, fixture.Cluster.State.GetPartition(name, 0)!.LogStartOffset);

        var done = await Deletions.DeleteAsync(plan, e => throw e);
        Assert.All(done, r => Assert.Equal(("Deleted", 0L, 6L, 6L), (r.Status, r.PreviousLowWatermark, r.NewLowWatermark, r.RecordsRemoved)));
        Assert.Equal(6, fixture.Cluster.State.GetPartition(name, 1)!.LogStartOffset);

        var offsets = new List<KafkaTopicOffset>();
        var topic = (await fixture.Topics().TryDescribeAsync(name, CancellationToken.None)).Topic!;
        await foreach (var o in new TopicOffsetService(fixture.Factory).GetAsync([topic]))
        {
            offsets.Add(o);
        }

        Assert.All(offsets, o => Assert.Equal((6L, 10L), (o.LowWatermark, o.HighWatermark)));

        // Again: nothing left to delete below 6, nothing sent.
        var again = await Deletions.PlanAsync(request);
        Assert.All(again, r => Assert.Equal("NothingToDelete", r.Status));
    }

    [Fact]
    public async Task Delete_before_timestamp_resolves_through_ListOffsets()
    {
        var name = FilledTopic(1, 10);
        var plan = await Deletions.PlanAsync(new RecordDeletionRequest { Topic = name, BeforeTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_350) });
        // Records have timestamps 1000, 1100, ... 1900: the first at or after 1350 is offset 4.
        Assert.Equal(4, Assert.Single(plan).NewLowWatermark);
        var done = await Deletions.DeleteAsync(plan, e => throw e);
        Assert.Equal(4, Assert.Single(done).NewLowWatermark);

        var all = await Deletions.PlanAsync(new RecordDeletionRequest { Topic = name, BeforeTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(99_999) });
        Assert.Equal((10L, 6L), (Assert.Single(all).NewLowWatermark, all[0].RecordsRemoved));
    }

    [Theory]
    [InlineData(11L, null, "BeforeOffsetBeyondHighWatermark")]
    [InlineData(3L, 5, "PartitionNotFound")]
    public async Task Bad_deletions_are_refused_and_delete_nothing(long offset, int? partition, string errorId)
    {
        var name = FilledTopic(2, 10);
        var request = new RecordDeletionRequest { Topic = name, BeforeOffset = offset, Partitions = partition is { } p ? [p] : null };
        Assert.Equal(errorId, (await Assert.ThrowsAsync<KafkaCatalogException>(() => Deletions.PlanAsync(request))).ErrorId);
        Assert.Equal(0, fixture.Cluster.State.GetPartition(name, 0)!.LogStartOffset);
        Assert.Equal(0, fixture.Cluster.State.GetPartition(name, 1)!.LogStartOffset);
    }

    [Fact]
    public async Task Unknown_internal_and_compacted_topics_are_refused_before_any_deletion()
    {
        Assert.Equal("TopicNotFound", (await Assert.ThrowsAsync<KafkaCatalogException>(() => Deletions.PlanAsync(new RecordDeletionRequest { Topic = "no-such-topic", BeforeOffset = 1 }))).ErrorId);
        Assert.Equal("CannotDeleteInternalTopicRecords", (await Assert.ThrowsAsync<KafkaCatalogException>(() => Deletions.PlanAsync(new RecordDeletionRequest { Topic = "__consumer_offsets", BeforeOffset = 1 }))).ErrorId);
        var compacted = FilledTopic(1, 3, new Dictionary<string, string> { ["cleanup.policy"] = "compact" });
        Assert.Equal("RecordDeletionNotAllowed", (await Assert.ThrowsAsync<KafkaCatalogException>(() => Deletions.PlanAsync(new RecordDeletionRequest { Topic = compacted, BeforeOffset = 1 }))).ErrorId);
        Assert.Equal(0, fixture.Cluster.State.GetPartition(compacted, 0)!.LogStartOffset);
    }
}

/// <summary>A cluster of its own: these tests stop brokers.</summary>
public sealed class ElectionOutageFixture : KafkaCoreFixture
{
}

public sealed class LeaderElectionOutageTests(ElectionOutageFixture fixture) : IClassFixture<ElectionOutageFixture>
{
    [Fact]
    public async Task Preferred_replica_down_is_PreferredLeaderNotAvailable_and_unclean_elects_a_lagging_replica()
    {
        var service = new LeaderElectionService(fixture.Factory, null, KafkaCoreFixture.FastRetry);
        // Fixed assignments: "down" prefers broker 1; "lagging" is led by 2 with 3 out of sync.
        fixture.Cluster.State.CreateTopic("down", [[1, 2, 3]]);
        fixture.Cluster.State.CreateTopic("lagging", [[2, 3]]);
        var follower = 3;
        fixture.Cluster.State.MarkOutOfSync("lagging", 0, follower);
        await fixture.Cluster.StopBrokerAsync(1);
        await fixture.Cluster.StopBrokerAsync(2);

        var plan = await service.PlanAsync(new LeaderElectionRequest { Topics = ["down"] }, e => throw e);
        var failed = Assert.Single(await service.ElectAsync(plan, KafkaElectionType.Preferred));
        Assert.Equal("Failed", failed.Result.Outcome);
        Assert.Equal("PreferredLeaderNotAvailable", failed.Error!.ErrorId);

        var uncleanPlan = await service.PlanAsync(new LeaderElectionRequest { Topics = ["lagging"], ElectionType = KafkaElectionType.Unclean }, e => throw e);
        Assert.True(Assert.Single(uncleanPlan).NeedsElection);
        var elected = Assert.Single(await service.ElectAsync(uncleanPlan, KafkaElectionType.Unclean));
        Assert.Equal("Elected", elected.Result.Outcome);
        Assert.Equal(follower, elected.Result.NewLeader);
        Assert.Equal(-1, elected.Result.PreviousLeader);
    }
}
