using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.IntegrationTests.RealCluster;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Offsets, lag and summaries through Confluent.Kafka against a 3-broker TestKit, or against a real cluster when
/// KAFKACATALOG_TEST_BOOTSTRAP is set (logs and commits are seeded with produce, DeleteRecords and
/// AlterConsumerGroupOffsets; request counts are asserted on TestKit only).
/// </summary>
public sealed class ConsumerGroupOffsetTests(RealCapableGroupsFixture fx) : IClassFixture<RealCapableGroupsFixture>
{
    [Fact]
    public async Task Lag_rows_follow_the_rules_for_committed_below_start_and_missing()
    {
        var topic = fx.Topic(3);
        await fx.SetLogAsync(topic, 0, 0, 100);
        await fx.SetLogAsync(topic, 1, 50, 100);
        await fx.SetLogAsync(topic, 2, 10, 40);
        var group = GroupsFixture.Unique("lag");
        await fx.CommitAsync(group, topic, 0, 90);
        await fx.CommitAsync(group, topic, 1, 20);   // retention deleted it

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
        await fx.SetLogAsync(topic, 0, 5, 25);
        await fx.SetLogAsync(topic, 1, 0, 8);
        var group = GroupsFixture.Unique("own");
        await fx.CommitAsync(group, topic, 0, 20);
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
        await fx.SetLogAsync(a, 0, 0, 10);
        await fx.SetLogAsync(a, 1, 0, 20);
        await fx.SetLogAsync(b, 0, 0, 7);
        var group = GroupsFixture.Unique("sum");
        await fx.CommitAsync(group, a, [4, 5]);
        await fx.CommitAsync(group, b, 0, 7);
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
        await fx.SetLogAsync(topic, 0, 0, 9);
        var group = GroupsFixture.Unique("inc");
        await fx.CommitAsync(group, topic, 0, 3);

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
            await fx.SetLogAsync(topic, p, 0, 10);
        }

        var prefix = GroupsFixture.Unique("many");
        var ids = Enumerable.Range(0, 150).Select(i => $"{prefix}-{i:D3}").ToArray();
        await Task.WhenAll(ids.Select(id => fx.CommitAsync(id, topic, Enumerable.Repeat(5L, 12).ToArray())));

        // A client of its own: its requests are counted apart from every other client's (and from
        // requests of earlier tests that may still land).
        var clientId = GroupsFixture.Unique("many-client");
        using var factory = new KafkaClientFactory(new KafkaConnection("it", fx.Target.ConnectionOptions(clientId)));
        var service = new ConsumerGroupService(factory);
        var kit = fx.Target.TestKit;

        var rows = await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-*"], BatchSize = 64 }).ToListAsync();

        Assert.Equal(150 * 12, rows.Count);
        Assert.All(rows, r => Assert.Equal(5, r.Lag));
        Assert.Equal(ids, rows.Select(r => r.GroupId).Distinct());
        if (kit is not null)
        {
            // Request counts are TestKit's; a real cluster does not expose them.
            var listOffsets = kit.RequestCount(ApiKeys.ListOffsets, clientId);
            var batches = 3;
            Assert.InRange(listOffsets, 1, batches * 2 * kit.Brokers.Count);
            Assert.Equal(150, kit.RequestCount(ApiKeys.OffsetFetch, clientId));
        }
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

/// <summary>A broker stopped while many groups are being read: the others still come out, the lost ones are per-group errors.</summary>
public sealed class BrokerStoppedMidListingTests(GroupsFixture fx) : IClassFixture<GroupsFixture>
{
    [Fact]
    public async Task Groups_on_live_coordinators_still_stream_and_the_rest_are_item_errors()
    {
        var topic = fx.Topic(3);
        for (var p = 0; p < 3; p++)
        {
            await fx.SetLogAsync(topic, p, 0, 50);
        }

        var prefix = GroupsFixture.Unique("stop");
        var ids = Enumerable.Range(0, 30).Select(i => $"{prefix}-{i:D2}").ToArray();
        foreach (var id in ids)
        {
            await fx.CommitAsync(id, topic, [10, 20, 30]);
        }

        // The broker to stop coordinates some of the groups, not all of them.
        var victim = fx.Cluster.Brokers.Select(b => b.Id)
            .First(b => ids.Any(id => fx.Cluster.State.CoordinatorFor(id) == b) && ids.Any(id => fx.Cluster.State.CoordinatorFor(id) != b));
        var recorder = new Recorder();
        var rows = new List<KafkaConsumerGroupOffset>();
        var service = new ConsumerGroupService(fx.Factory(TimeSpan.FromSeconds(3)));
        var stopped = false;
        await foreach (var row in service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-*"], BatchSize = 5, MaxConcurrency = 2 }, recorder.OnError))
        {
            rows.Add(row);
            if (!stopped)
            {
                stopped = true;
                await fx.Cluster.StopBrokerAsync(victim);
            }
        }

        try
        {
            var answered = rows.Select(r => r.GroupId).Distinct().ToHashSet();
            var failed = recorder.Errors.Select(e => e.Target as string).OfType<string>().ToHashSet();
            Assert.NotEmpty(answered);
            Assert.NotEmpty(recorder.Errors);
            Assert.All(ids.Where(id => fx.Cluster.State.CoordinatorFor(id) != victim), id => Assert.Contains(id, answered));
            Assert.All(recorder.Errors, e => Assert.NotEqual(FailureKind.ConnectionError, e.Kind));
            Assert.All(ids, id => Assert.True(answered.Contains(id) || failed.Contains(id), $"{id} neither answered nor reported"));
        }
        finally
        {
            await fx.Cluster.StartBrokerAsync(victim);
        }
    }
}
