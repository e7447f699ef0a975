using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Get-KafkaConsumerGroupOffset -IncludeTimeLag through Confluent.Kafka over TCP against a 3-broker TestKit: record
/// timestamps are seeded in the TestKit log, commits go through AlterConsumerGroupOffsets, the reads are real fetches.
/// </summary>
public sealed class TimeLagTests(GroupsFixture fx) : IClassFixture<GroupsFixture>
{
    private const long BaseTimestamp = 1_700_000_000_000;

    /// <summary>Records 0..count-1 with timestamps BaseTimestamp + offset seconds.</summary>
    private void Seed(string topic, int partition, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var offset = fx.Cluster.State.GetPartition(topic, partition)!.HighWatermark;
            fx.Cluster.State.AppendRecords(topic, partition, [new SeedRecord("k", "v" + i, BaseTimestamp + (offset * 1000))]);
        }
    }

    [Fact]
    public async Task Time_lag_is_newest_minus_committed_record_timestamp_zero_when_caught_up_and_null_with_a_reason()
    {
        var topic = fx.Topic(4);
        Seed(topic, 0, 10);
        Seed(topic, 1, 10);
        Seed(topic, 2, 10);
        Seed(topic, 3, 3);
        var group = GroupsFixture.Unique("tl");
        await fx.CommitAsync(group, topic, 0, 4);
        await fx.CommitAsync(group, topic, 1, 10);
        await fx.CommitAsync(group, topic, 2, 1);
        await fx.CommitAsync(group, topic, 3, 1);
        fx.Cluster.State.HealthMoveLogStart(topic, 2, 5);
        fx.Cluster.State.HealthMoveLogStart(topic, 3, 3);

        using var service = new ConsumerGroupTimeLagService(fx.Factory());
        var rows = await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [group] }).ToListAsync();

        Assert.Equal([0, 1, 2, 3], rows.Select(r => r.Partition));
        Assert.Equal((TimeSpan?)TimeSpan.FromSeconds(5), rows[0].TimeLag);
        Assert.Null(rows[0].TimeLagUnavailableReason);
        Assert.Equal((TimeSpan?)TimeSpan.Zero, rows[1].TimeLag);
        Assert.Null(rows[2].TimeLag);
        Assert.Equal(TimeLagReasons.OffsetBelowLogStart, rows[2].TimeLagUnavailableReason);
        Assert.Null(rows[3].TimeLag);
        Assert.Equal(TimeLagReasons.EmptyPartition, rows[3].TimeLagUnavailableReason);

        // Only partition 0 lags with readable records: its committed record and its newest record, one wave each.
        Assert.Equal(2, service.FetchWaves);
    }

    [Fact]
    public async Task Summary_gives_the_worst_partition_per_group_and_topic()
    {
        var topic = fx.Topic(3);
        Seed(topic, 0, 20);
        Seed(topic, 1, 20);
        Seed(topic, 2, 20);
        var group = GroupsFixture.Unique("tls");
        await fx.CommitAsync(group, topic, 18, 2, 19);

        using var service = new ConsumerGroupTimeLagService(fx.Factory());
        var summary = Assert.Single(await service.GetLagSummaryAsync(new ConsumerGroupQuery { GroupIds = [group] }).ToListAsync());

        Assert.Equal(TimeSpan.FromSeconds(17), summary.MaxTimeLag);
        Assert.Equal(1, summary.MaxTimeLagPartition);
        Assert.Equal(0, summary.PartitionsWithoutTimeLag);
        Assert.Equal(2 + 18 + 1, summary.TotalLag);
    }

    [Fact]
    public async Task Reads_are_bounded_per_fetch_and_each_record_is_read_once_for_all_groups()
    {
        var topic = fx.Topic(10);
        for (var p = 0; p < 10; p++)
        {
            Seed(topic, p, 5);
        }

        var prefix = GroupsFixture.Unique("tlb");
        var offsets = Enumerable.Repeat(2L, 10).ToArray();
        await fx.CommitAsync(prefix + "-a", topic, offsets);
        await fx.CommitAsync(prefix + "-b", topic, offsets);
        var recorder = new Recorder();

        using var service = new ConsumerGroupTimeLagService(fx.Factory(), recorder);
        var rows = await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-a", prefix + "-b"] }).ToListAsync();

        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Equal((TimeSpan?)TimeSpan.FromSeconds(2), r.TimeLag));

        // 10 partitions x 2 records (offset 2 and offset 4), shared by both groups: one partition is never assigned
        // twice at once, so two waves of 10.
        Assert.Equal(2, service.FetchWaves);
        var waves = recorder.Verbose.Where(v => v.StartsWith("Fetch (time lag) for ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, waves.Count);
        Assert.All(waves, w => Assert.Contains($"at most {TimeLagRecordReader.FetchMaxBytes} bytes", w, StringComparison.Ordinal));
        Assert.Equal([10, 10], waves.Select(w => int.Parse(w["Fetch (time lag) for ".Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_partition_without_leader_is_not_read_within_the_wave_timeout_and_is_fetch_failed()
    {
        var topic = fx.Topic(1);
        Seed(topic, 0, 5);
        fx.Cluster.State.HealthTakePartitionOffline(topic, 0);
        try
        {
            using var reader = new TimeLagRecordReader(fx.Factory(TimeSpan.FromSeconds(2)));
            var read = new TimeLagRead(new KafkaTopicPartition(topic, 0), 1);

            var result = await reader.ReadAsync([read], CancellationToken.None);

            Assert.Null(result[read]);
            Assert.Equal(TimeLagReasons.FetchFailed, TimeLagCalculator.FromTimestamps(result[read], BaseTimestamp).Reason);
        }
        finally
        {
            fx.Cluster.State.HealthRestorePartition(topic, 0);
        }
    }

    [Fact]
    public async Task Cancelling_a_read_returns_at_once()
    {
        var topic = fx.Topic(1);
        Seed(topic, 0, 5);
        fx.Cluster.State.HealthTakePartitionOffline(topic, 0);
        try
        {
            using var reader = new TimeLagRecordReader(fx.Factory(TimeSpan.FromSeconds(30)));
            using var cts = new CancellationTokenSource();
            var reading = reader.ReadAsync([new TimeLagRead(new KafkaTopicPartition(topic, 0), 1)], cts.Token);
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        }
        finally
        {
            fx.Cluster.State.HealthRestorePartition(topic, 0);
        }
    }
}
