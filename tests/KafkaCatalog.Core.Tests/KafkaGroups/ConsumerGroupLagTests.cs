using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

public class ConsumerGroupLagTests
{
    [Theory]
    [InlineData(90L, 0L, 100L, 10L)]        // ordinary
    [InlineData(100L, 0L, 100L, 0L)]        // caught up
    [InlineData(0L, 0L, 100L, 100L)]        // committed at the start
    [InlineData(120L, 0L, 100L, 0L)]        // committed beyond the end: never negative
    [InlineData(10L, 50L, 100L, 50L)]       // retention deleted the committed position: end - start
    [InlineData(49L, 50L, 100L, 50L)]       // one below the start
    [InlineData(50L, 50L, 100L, 50L)]       // exactly at the start
    [InlineData(75L, 50L, 100L, 25L)]
    [InlineData(5L, 7L, 7L, 0L)]            // empty log, committed below start
    public void Lag_follows_the_documented_rules(long committed, long start, long end, long expected)
    {
        Assert.Equal(expected, ConsumerGroupLag.Compute(committed, start, end));
    }

    [Theory]
    [InlineData(0L, 100L, 100L)]
    [InlineData(40L, 100L, 60L)]
    [InlineData(100L, 100L, 0L)]
    public void No_committed_offset_means_everything_still_in_the_log(long start, long end, long expected)
    {
        Assert.Equal(expected, ConsumerGroupLag.Compute(null, start, end));
    }

    [Fact]
    public void Negative_committed_offset_from_the_protocol_counts_as_none()
    {
        Assert.Equal(30, ConsumerGroupLag.Compute(-1, 70, 100));
    }

    [Fact]
    public void Inconsistent_bounds_never_give_negative_lag()
    {
        Assert.Equal(0, ConsumerGroupLag.Compute(null, 100, 90));
        Assert.Equal(0, ConsumerGroupLag.Compute(95, 100, 90));
    }

    [Fact]
    public void Summary_is_one_row_per_group_and_topic_in_arrival_order()
    {
        var rows = new[]
        {
            Row("billing", "orders", 0, 10, 5, "m1"),
            Row("billing", "orders", 1, null, 7, null),
            Row("billing", "payments", 0, 3, 3, "m1"),
            Row("audit", "orders", 0, 1, 0, null),
        };

        var summary = ConsumerGroupLag.Summarize(rows);

        Assert.Collection(
            summary,
            s =>
            {
                Assert.Equal(("billing", "orders"), (s.GroupId, s.Topic));
                Assert.Equal(2, s.PartitionCount);
                Assert.Equal(12, s.TotalLag);
                Assert.Equal(7, s.MaxLag);
                Assert.Equal(1, s.PartitionsWithoutCommittedOffset);
                Assert.Equal(1, s.AssignedPartitionCount);
            },
            s =>
            {
                Assert.Equal(("billing", "payments"), (s.GroupId, s.Topic));
                Assert.Equal(1, s.PartitionCount);
                Assert.Equal(3, s.TotalLag);
            },
            s =>
            {
                Assert.Equal(("audit", "orders"), (s.GroupId, s.Topic));
                Assert.Equal(0, s.TotalLag);
            });
    }

    private static KafkaConsumerGroupOffset Row(string group, string topic, int partition, long? committed, long lag, string? member) => new()
    {
        GroupId = group,
        Topic = topic,
        Partition = partition,
        CommittedOffset = committed,
        Lag = lag,
        MemberId = member,
    };
}
