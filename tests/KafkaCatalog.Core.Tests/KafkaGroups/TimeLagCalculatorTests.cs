using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

public sealed class TimeLagCalculatorTests
{
    private static KafkaConsumerGroupOffset Row(long? committed, long start, long end, int partition = 0, string group = "g", string topic = "t") => new()
    {
        GroupId = group,
        Topic = topic,
        Partition = partition,
        CommittedOffset = committed,
        LogStartOffset = start,
        LogEndOffset = end,
        Lag = ConsumerGroupLag.Compute(committed, start, end),
    };

    [Theory]
    [InlineData(null, 0L, 10L, null, "NoCommittedOffset")]
    [InlineData(10L, 0L, 10L, 0L, null)]
    [InlineData(12L, 0L, 10L, 0L, null)]
    [InlineData(0L, 0L, 0L, 0L, null)]
    [InlineData(2L, 5L, 5L, null, "EmptyPartition")]
    [InlineData(2L, 5L, 10L, null, "OffsetBelowLogStart")]
    public void Rows_that_need_no_read_get_their_answer_at_once(long? committed, long start, long end, long? expectedMs, string? reason)
    {
        var answer = TimeLagCalculator.Immediate(Row(committed, start, end));

        Assert.NotNull(answer);
        Assert.Equal(expectedMs is null ? null : TimeSpan.FromMilliseconds(expectedMs.Value), answer.Value.TimeLag);
        Assert.Equal(reason, answer.Value.Reason);
    }

    [Fact]
    public void A_lagging_row_needs_the_committed_record_and_the_newest_record()
    {
        var row = Row(4, 2, 10, partition: 3);

        Assert.Null(TimeLagCalculator.Immediate(row));
        var (committed, newest) = TimeLagCalculator.ReadsFor(row);
        Assert.Equal(new TimeLagRead(new KafkaTopicPartition("t", 3), 4), committed);
        Assert.Equal(new TimeLagRead(new KafkaTopicPartition("t", 3), 9), newest);
    }

    [Theory]
    [InlineData(1000L, 6000L, 5000L)]
    [InlineData(6000L, 1000L, 0L)]
    public void Time_lag_is_newest_minus_committed_and_never_negative(long committed, long newest, long expectedMs)
    {
        Assert.Equal((TimeSpan.FromMilliseconds(expectedMs), (string?)null), TimeLagCalculator.FromTimestamps(committed, newest));
    }

    [Theory]
    [InlineData(null, 5L)]
    [InlineData(5L, null)]
    public void A_record_that_was_not_read_is_fetch_failed(long? committed, long? newest)
    {
        Assert.Equal(((TimeSpan?)null, TimeLagReasons.FetchFailed), TimeLagCalculator.FromTimestamps(committed, newest));
    }

    [Fact]
    public void Apply_uses_the_read_timestamps_and_summary_takes_the_worst_partition()
    {
        var rows = new[] { Row(4, 0, 10, 0), Row(1, 0, 10, 1), Row(10, 0, 10, 2), Row(null, 0, 10, 3) };
        var timestamps = new Dictionary<TimeLagRead, long?>
        {
            [new(new("t", 0), 4)] = 4_000,
            [new(new("t", 0), 9)] = 9_000,
            [new(new("t", 1), 1)] = 1_000,
            [new(new("t", 1), 9)] = 30_000,
        };

        var applied = rows.Select(r => TimeLagCalculator.Apply(r, timestamps)).ToArray();
        var summary = Assert.Single(TimeLagCalculator.Summarize(applied));

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(29), TimeSpan.Zero, null], applied.Select(r => r.TimeLag));
        Assert.Equal(TimeLagReasons.NoCommittedOffset, applied[3].TimeLagUnavailableReason);
        Assert.Equal(TimeSpan.FromSeconds(29), summary.MaxTimeLag);
        Assert.Equal(1, summary.MaxTimeLagPartition);
        Assert.Equal(1, summary.PartitionsWithoutTimeLag);
        Assert.Equal(4, summary.PartitionCount);
    }

    [Fact]
    public void A_summary_without_any_time_lag_has_none()
    {
        var summary = Assert.Single(TimeLagCalculator.Summarize([TimeLagCalculator.Apply(Row(null, 0, 3), new Dictionary<TimeLagRead, long?>())]));

        Assert.Null(summary.MaxTimeLag);
        Assert.Null(summary.MaxTimeLagPartition);
        Assert.Equal(1, summary.PartitionsWithoutTimeLag);
    }

    [Fact]
    public void The_reader_asks_for_small_fetches_short_back_offs_and_an_error_instead_of_an_offset_reset()
    {
        var settings = TimeLagRecordReader.ConsumerSettings;

        Assert.Equal("65536", settings["max.partition.fetch.bytes"]);
        Assert.Equal("1048576", settings["fetch.max.bytes"]);
        Assert.Equal("1", settings["queued.min.messages"]);
        Assert.Equal("10", settings["fetch.queue.backoff.ms"]);
        Assert.Equal("error", settings["auto.offset.reset"]);
        Assert.Equal("true", settings["enable.partition.eof"]);
        Assert.Equal(64, TimeLagRecordReader.PartitionsPerRead);
    }
}
