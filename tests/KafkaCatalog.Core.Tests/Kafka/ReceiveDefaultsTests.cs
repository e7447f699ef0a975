using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.Core.Tests.Kafka;

/// <summary>What a profile adds to Receive-KafkaMessage, and where a group's read starts (kafka-python's rules).</summary>
public class ReceiveDefaultsTests
{
    private static KafkaConnectionOptions Options(string? topic = null, string? group = null, KafkaOffsetReset? reset = null) =>
        new() { BootstrapServers = "a:9092", DefaultTopic = topic, ConsumerGroup = group, AutoOffsetReset = reset };

    [Fact]
    public void The_profile_topic_is_used_without_Topic_and_Topic_wins_over_it()
    {
        Assert.Equal("census", ReceiveDefaults.Apply(new ReceiveRequest { Topic = string.Empty }, Options("census"), startGiven: true).Topic);
        Assert.Equal("orders", ReceiveDefaults.Apply(new ReceiveRequest { Topic = "orders" }, Options("census"), startGiven: true).Topic);
    }

    [Fact]
    public void No_topic_anywhere_is_ReceiveTopicMissing()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ReceiveDefaults.Apply(new ReceiveRequest { Topic = string.Empty }, Options(), startGiven: false));
        Assert.Equal("ReceiveTopicMissing", ex.ErrorId);
    }

    [Fact]
    public void Without_a_start_the_profile_group_resumes_where_Mage_would()
    {
        var request = ReceiveDefaults.Apply(new ReceiveRequest { Topic = "t" }, Options(group: "billing", reset: KafkaOffsetReset.Earliest), startGiven: false);
        Assert.Equal((MessageStartPosition.Committed, "billing", KafkaOffsetReset.Earliest), (request.Start, request.GroupId, request.NoOffsetReset));
    }

    [Fact]
    public void Without_a_group_earliest_reads_from_the_beginning_and_latest_waits_for_new_messages()
    {
        Assert.Equal(MessageStartPosition.Beginning, ReceiveDefaults.Apply(new ReceiveRequest { Topic = "t" }, Options(reset: KafkaOffsetReset.Earliest), startGiven: false).Start);
        Assert.Equal(MessageStartPosition.End, ReceiveDefaults.Apply(new ReceiveRequest { Topic = "t" }, Options(reset: KafkaOffsetReset.Latest), startGiven: false).Start);
        Assert.Equal(MessageStartPosition.End, ReceiveDefaults.Apply(new ReceiveRequest { Topic = "t" }, Options(), startGiven: false).Start);
    }

    [Fact]
    public void An_explicit_start_or_reset_wins_over_the_profile()
    {
        var explicitStart = ReceiveDefaults.Apply(new ReceiveRequest { Topic = "t", Start = MessageStartPosition.End }, Options(group: "g"), startGiven: true);
        Assert.Equal(MessageStartPosition.End, explicitStart.Start);
        var reset = ReceiveDefaults.Apply(new ReceiveRequest { Topic = "t", Start = MessageStartPosition.Committed, GroupId = "x" }, Options(reset: KafkaOffsetReset.Earliest), startGiven: true, KafkaOffsetReset.None);
        Assert.Equal(("x", KafkaOffsetReset.None), (reset.GroupId, reset.NoOffsetReset));
        Assert.Equal(KafkaOffsetReset.Latest, ReceiveDefaults.Apply(new ReceiveRequest { Topic = "t" }, Options(), startGiven: true).NoOffsetReset);
    }

    private static readonly Dictionary<int, (long Low, long High)> Logs = new() { [0] = (10, 100), [1] = (0, 50), [2] = (5, 5) };

    [Theory]
    [InlineData(KafkaOffsetReset.Earliest, 10, 0, 5)]
    [InlineData(KafkaOffsetReset.Latest, 100, 50, 5)]
    public void Committed_offsets_in_the_log_are_kept_others_follow_the_reset_policy(KafkaOffsetReset reset, long p0, long p1, long p2)
    {
        // p0: committed 5, before the log start (deleted records): reset applies, as kafka-python's OffsetOutOfRange.
        // p1: no commit. p2: committed at the log end (nothing left to read): kept.
        var request = new ReceiveRequest { Topic = "t", Start = MessageStartPosition.Committed, GroupId = "g", NoOffsetReset = reset };
        var starts = MessageReader.CommittedStarts(request, Logs, new Dictionary<int, long> { [0] = 5, [2] = 5 });
        Assert.Equal(new[] { p0, p1, p2 }, starts.Select(s => s.Offset.Value).ToArray());

        var kept = MessageReader.CommittedStarts(request, Logs, new Dictionary<int, long> { [0] = 42, [1] = 7, [2] = 5 });
        Assert.Equal(new[] { 42L, 7L, 5L }, kept.Select(s => s.Offset.Value).ToArray());
        Assert.All(kept, s => Assert.Equal("t", s.Topic));
    }

    [Fact]
    public void Reset_none_and_a_partition_without_offset_is_GroupOffsetMissing()
    {
        var request = new ReceiveRequest { Topic = "t", Start = MessageStartPosition.Committed, GroupId = "g", NoOffsetReset = KafkaOffsetReset.None };
        var ex = Assert.Throws<KafkaCatalogException>(() => MessageReader.CommittedStarts(request, Logs, new Dictionary<int, long> { [0] = 20, [2] = 5 }));
        Assert.Equal("GroupOffsetMissing", ex.ErrorId);
        Assert.Contains("partition 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_committed_read_needs_a_group_id()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => MessageReader.Validate(new ReceiveRequest { Topic = "t", Start = MessageStartPosition.Committed, GroupId = " " }));
        Assert.Equal("EmptyGroupId", ex.ErrorId);
    }

    [Fact]
    public void Starts_are_ordered_by_partition() =>
        Assert.Equal(new[] { 0, 1, 2 }, MessageReader.CommittedStarts(new ReceiveRequest { Topic = "t", GroupId = "g" }, Logs, new Dictionary<int, long>()).Select(s => s.Partition.Value).ToArray());

}
