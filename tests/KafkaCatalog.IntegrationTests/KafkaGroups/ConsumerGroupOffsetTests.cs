using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>Offsets, lag and summaries through Confluent.Kafka against a 3-broker TestKit.</summary>
public sealed class ConsumerGroupOffsetTests(GroupsFixture fx) : IClassFixture<GroupsFixture>
{
    [Fact]
    public async Task Lag_rows_follow_the_rules_for_committed_below_start_and_missing()
    {
        var topic = fx.Topic(3);
        fx.SetLog(topic, 0, 0, 100);
        fx.SetLog(topic, 1, 50, 100);
        fx.SetLog(topic, 2, 10, 40);
        var group = GroupsFixture.Unique("lag");
        fx.Cluster.State.CommitOffsets(group, topic, 0, 90);
        fx.Cluster.State.CommitOffsets(group, topic, 1, 20);   // retention deleted it

        var rows = await new ConsumerGroupService(fx.Factory()).GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [group] }).ToListAsync();

        Assert.Equal(2, rows.Count);
        var p0 = rows.Single(r => r.Partition == 0);
        Assert.Equal((90L, 0L, 100L, 10L), (p0.CommittedOffset!.Value, p0.LogStartOffset, p0.LogEndOffset, p0.Lag));
        var p1 = rows.Single(r => r.Partition == 1);
        Assert.Equal((20L, 50L, 100L, 50L), (p1.CommittedOffset!.Value, p1.LogStartOffset, p1.LogEndOffset, p1.Lag));
        Assert.All(rows, r =>
        {
            Assert.Equal(group, r.GroupId);
            Assert.Equal(topic, r.Topic);
            Assert.Null(r.MemberId);
            Assert.Equal("it", r.ConnectionName);
        });
    }

    [Fact]
    public async Task Assigned_partitions_without_commits_show_null_and_the_owner()
    {
        var topic = fx.Topic(2);
        fx.SetLog(topic, 0, 5, 25);
        fx.SetLog(topic, 1, 0, 8);
        var group = GroupsFixture.Unique("own");
        fx.Cluster.State.CommitOffsets(group, topic, 0, 20);
        using var consumer = fx.JoinedConsumer(group, topic, 2, clientId: "owner-client");

        var rows = await new ConsumerGroupService(fx.Factory()).GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [group] }).ToListAsync();

        Assert.Equal([0, 1], rows.Select(r => r.Partition));
        Assert.Equal(5, rows[0].Lag);
        Assert.Null(rows[1].CommittedOffset);
        Assert.Equal(8, rows[1].Lag);
        Assert.All(rows, r =>
        {
            Assert.Equal("owner-client", r.ClientId);
            Assert.False(string.IsNullOrEmpty(r.MemberId));
            Assert.False(string.IsNullOrEmpty(r.Host));
        });
        consumer.Close();
    }

    [Fact]
    public async Task Topic_filter_and_summary_per_group_and_topic()
    {
        var a = fx.Topic(2);
        var b = fx.Topic(1);
        fx.SetLog(a, 0, 0, 10);
        fx.SetLog(a, 1, 0, 20);
        fx.SetLog(b, 0, 0, 7);
        var group = GroupsFixture.Unique("sum");
        fx.Cluster.State.CommitOffsets(group, a, [4, 5]);
        fx.Cluster.State.CommitOffsets(group, b, 0, 7);
        var service = new ConsumerGroupService(fx.Factory());

        var onlyB = await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [group], Topics = [b] }).ToListAsync();
        var summary = await service.GetLagSummaryAsync(new ConsumerGroupQuery { GroupIds = [group] }).ToListAsync();

        Assert.Equal(b, Assert.Single(onlyB).Topic);
        var sa = summary.Single(s => s.Topic == a);
        var sb = summary.Single(s => s.Topic == b);
        Assert.Equal((2, 21L, 15L), (sa.PartitionCount, sa.TotalLag, sa.MaxLag));
        Assert.Equal((1, 0L), (sb.PartitionCount, sb.TotalLag));
    }

    [Fact]
    public async Task Include_offsets_fills_the_group_record()
    {
        var topic = fx.Topic(1);
        fx.SetLog(topic, 0, 0, 9);
        var group = GroupsFixture.Unique("inc");
        fx.Cluster.State.CommitOffsets(group, topic, 0, 3);

        var described = Assert.Single(await new ConsumerGroupService(fx.Factory()).ListAsync(new ConsumerGroupQuery { GroupIds = [group], IncludeOffsets = true }).ToListAsync());

        var row = Assert.Single(described.Offsets!);
        Assert.Equal(6, row.Lag);
        Assert.Equal([topic], described.Topics);
    }

    [Fact]
    public async Task Many_groups_are_batched_one_ListOffsets_per_leader_per_batch_and_stream_in_order()
    {
        var topic = fx.Topic(12);
        for (var p = 0; p < 12; p++)
        {
            fx.SetLog(topic, p, 0, 1000);
        }

        var prefix = GroupsFixture.Unique("many");
        var ids = Enumerable.Range(0, 150).Select(i => $"{prefix}-{i:D3}").ToArray();
        foreach (var id in ids)
        {
            fx.Cluster.State.CommitOffsets(id, topic, Enumerable.Repeat(900L, 12).ToArray());
        }

        var service = new ConsumerGroupService(fx.Factory());
        var before = fx.Cluster.RequestCount(ApiKeys.ListOffsets);
        var fetchesBefore = fx.Cluster.RequestCount(ApiKeys.OffsetFetch);

        var rows = await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-*"], BatchSize = 64 }).ToListAsync();

        Assert.Equal(150 * 12, rows.Count);
        Assert.All(rows, r => Assert.Equal(100, r.Lag));
        Assert.Equal(ids, rows.Select(r => r.GroupId).Distinct());
        var listOffsets = fx.Cluster.RequestCount(ApiKeys.ListOffsets) - before;
        var batches = 3;
        Assert.InRange(listOffsets, 1, batches * 2 * fx.Cluster.Brokers.Count);
        Assert.Equal(150, fx.Cluster.RequestCount(ApiKeys.OffsetFetch) - fetchesBefore);
    }

    [Fact]
    public async Task Offsets_of_an_unknown_group_are_a_per_item_error()
    {
        var recorder = new Recorder();
        var rows = await new ConsumerGroupService(fx.Factory()).GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [GroupsFixture.Unique("none")] }, recorder.OnError).ToListAsync();
        Assert.Empty(rows);
        Assert.Equal("ConsumerGroupNotFound", Assert.Single(recorder.Errors).ErrorId);
    }

    [Fact]
    public async Task Empty_topic_filter_entry_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).GetOffsetsAsync(new ConsumerGroupQuery { Topics = [""] }).ToListAsync());
        Assert.Equal("EmptyTopicName", ex.ErrorId);
    }
}
