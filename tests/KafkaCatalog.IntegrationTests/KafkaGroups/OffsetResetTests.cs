using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.IntegrationTests.RealCluster;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;
using TestKitErrors = KafkaCatalog.TestKit.Kafka.Protocol.ErrorCode;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Reset-KafkaConsumerGroupOffset's core: plan (changes nothing) and apply. Runs against a real cluster too
/// (KAFKACATALOG_TEST_BOOTSTRAP): logs and commits are seeded and read back with real client calls; the fault
/// tests ([TestKitFact]) need TestKit's fault injection.
/// </summary>
public sealed class OffsetResetTests(RealCapableGroupsFixture fx) : IClassFixture<RealCapableGroupsFixture>
{
    private async Task<(string Topic, string Group)> Seed(long[] committed, long start = 10, long end = 100)
    {
        var topic = fx.Topic(committed.Length);
        for (var p = 0; p < committed.Length; p++)
        {
            await fx.SetLogAsync(topic, p, start, end);
        }

        var group = GroupsFixture.Unique("reset");
        await fx.CommitAsync(group, topic, committed);
        return (topic, group);
    }

    private Task<long?[]> Committed(string group, string topic, int partitions) => fx.Target.CommittedAsync(group, topic, partitions);

    private async Task<IReadOnlyList<KafkaConsumerGroupOffsetReset>> ResetAsync(OffsetResetRequest request, TimeSpan? timeout = null)
    {
        var service = new ConsumerGroupService(fx.Factory(timeout));
        var plan = await service.PlanResetAsync(request);
        return await service.ApplyResetAsync(request.GroupId, plan);
    }

    [Fact]
    public async Task Plan_only_changes_nothing_and_shows_current_and_new()
    {
        var (topic, group) = await Seed([50, 60]);

        var plan = await new ConsumerGroupService(fx.Factory()).PlanResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToEarliest, PlanOnly = true });

        Assert.Equal([(50L, 10L), (60L, 10L)], plan.Select(p => (p.CurrentOffset!.Value, p.NewOffset)));
        Assert.All(plan, p => Assert.Equal("Planned", p.Status));
        Assert.Equal([50L, 60L], (await Committed(group, topic, 2)).Select(c => c!.Value));
    }

    [Fact]
    public async Task ToEarliest_and_ToLatest_apply()
    {
        var (topic, group) = await Seed([50, 60]);
        var applied = await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToLatest });
        Assert.All(applied, a => Assert.Equal("Applied", a.Status));
        Assert.Equal([100L, 100L], (await Committed(group, topic, 2)).Select(c => c!.Value));

        await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToEarliest });
        Assert.Equal([10L, 10L], (await Committed(group, topic, 2)).Select(c => c!.Value));
    }

    [Fact]
    public async Task ToOffset_and_ShiftBy_are_clamped_to_the_log()
    {
        var (topic, group) = await Seed([50, 95]);
        var toOffset = await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToOffset, Offset = 5 });
        Assert.All(toOffset, r => Assert.True(r.Clamped));
        Assert.Equal([10L, 10L], (await Committed(group, topic, 2)).Select(c => c!.Value));

        await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToOffset, Offset = 70 });
        var shifted = await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ShiftBy, ShiftBy = 40 });
        Assert.Equal([100L, 100L], (await Committed(group, topic, 2)).Select(c => c!.Value));
        Assert.All(shifted, r => Assert.Equal(70, r.CurrentOffset));

        await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ShiftBy, ShiftBy = -15 });
        Assert.Equal([85L, 85L], (await Committed(group, topic, 2)).Select(c => c!.Value));
    }

    [Fact]
    public async Task Topic_and_partition_scope_touch_only_those_partitions()
    {
        var (topic, group) = await Seed([50, 60, 70]);
        var other = fx.Topic(1);
        await fx.SetLogAsync(other, 0, 0, 30);
        await fx.CommitAsync(group, other, 0, 20);

        var applied = await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToLatest, Topics = [topic], Partitions = [1] });

        Assert.Equal(new KafkaTopicPartition(topic, 1), new KafkaTopicPartition(Assert.Single(applied).Topic, applied[0].Partition));
        Assert.Equal([50L, 100L, 70L], (await Committed(group, topic, 3)).Select(c => c!.Value));
        Assert.Equal(20, (await fx.Target.CommittedAsync(group, other, 1))[0]);
    }

    [Fact]
    public async Task A_new_group_gets_offsets_when_the_topic_is_named()
    {
        var topic = fx.Topic(2);
        await fx.SetLogAsync(topic, 0, 3, 9);
        await fx.SetLogAsync(topic, 1, 4, 9);
        var group = GroupsFixture.Unique("newgrp");

        await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToEarliest, Topics = [topic] });

        Assert.Equal([3L, 4L], (await Committed(group, topic, 2)).Select(c => c!.Value));
    }

    [Fact]
    public async Task ShiftBy_on_a_partition_without_commit_fails_and_changes_nothing()
    {
        var (topic, group) = await Seed([50]);
        var other = fx.Topic(1);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => ResetAsync(
            new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ShiftBy, ShiftBy = 1, Topics = [topic, other] }));
        Assert.Equal("NoCommittedOffsetToShift", ex.ErrorId);
        Assert.Equal(50, (await fx.Target.CommittedAsync(group, topic, 1))[0]);
        Assert.Null((await fx.Target.CommittedAsync(group, other, 1))[0]);
    }

    [TestKitFact]
    public async Task Coordinator_moved_during_the_reset_is_retried_and_applied()
    {
        var (topic, group) = await Seed([50, 60]);
        fx.Cluster.Faults.FailNext(ApiKeys.OffsetCommit, TestKitErrors.NotCoordinator, count: 1);

        await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToLatest });

        Assert.Equal([100L, 100L], (await Committed(group, topic, 2)).Select(c => c!.Value));
        Assert.Equal(0, fx.Cluster.Faults.PendingErrors(ApiKeys.OffsetCommit));
    }

    [TestKitFact]
    public async Task Leader_change_while_planning_is_retried()
    {
        var (topic, group) = await Seed([50, 60]);
        fx.Cluster.Faults.FailNext(ApiKeys.ListOffsets, TestKitErrors.NotLeaderOrFollower, count: 2);

        await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToEarliest });

        Assert.Equal([10L, 10L], (await Committed(group, topic, 2)).Select(c => c!.Value));
        Assert.Equal(0, fx.Cluster.Faults.PendingErrors(ApiKeys.ListOffsets));
    }

    [Fact]
    public async Task ToDateTime_goes_to_the_first_message_at_or_after_the_time()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("time");
        // Recent timestamps: a real broker's time-based retention would delete records stamped long ago.
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds() * 1000);
        using (var publisher = new MessagePublisher(fx.Factory()))
        {
            for (var i = 0; i < 5; i++)
            {
                var delivery = await publisher.SendAsync(new OutgoingKafkaMessage { Topic = topic, Partition = 0, Value = [(byte)i], Timestamp = t0.AddMinutes(i) });
                await delivery;
            }
        }

        await fx.CommitAsync(group, topic, 0, 5);

        await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToDateTime, DateTime = t0.AddMinutes(2).AddSeconds(30) });
        Assert.Equal(3, (await fx.Target.CommittedAsync(group, topic, 1))[0]);

        await ResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToDateTime, DateTime = t0.AddYears(1) });
        Assert.Equal(5, (await fx.Target.CommittedAsync(group, topic, 1))[0]);
    }
}
