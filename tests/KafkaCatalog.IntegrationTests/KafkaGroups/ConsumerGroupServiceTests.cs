using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.IntegrationTests.RealCluster;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Get/Remove consumer groups and the reset safety checks, through Confluent.Kafka against TestKit, or against a real
/// cluster when KAFKACATALOG_TEST_BOOTSTRAP is set (offsets are seeded with AlterConsumerGroupOffsets and read back with
/// OffsetFetch, so every test runs in both modes).
/// </summary>
public sealed class ConsumerGroupServiceTests(RealCapableGroupsFixture fx) : IClassFixture<RealCapableGroupsFixture>
{
    [Fact]
    public async Task Wildcard_lists_and_describes_matching_groups_only()
    {
        var topic = fx.Topic();
        var prefix = GroupsFixture.Unique("wild");
        await fx.CommitAsync(prefix + "-a", topic, 0, 1);
        await fx.CommitAsync(prefix + "-b", topic, 1, 2);
        await fx.CommitAsync(GroupsFixture.Unique("other"), topic, 0, 1);
        var service = new ConsumerGroupService(fx.Factory());

        var groups = await service.ListAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-*"] }).ToListAsync();
        var coordinators = new Dictionary<string, int?>();
        foreach (var g in groups)
        {
            coordinators[g.GroupId] = await fx.Target.CoordinatorAsync(g.GroupId);
        }

        Assert.Equal([prefix + "-a", prefix + "-b"], groups.Select(g => g.GroupId));
        Assert.All(groups, g =>
        {
            Assert.Equal("Empty", g.State);
            Assert.Empty(g.Members);
            Assert.Equal(coordinators[g.GroupId], g.Coordinator);
            Assert.Equal("it", g.ConnectionName);
            Assert.Null(g.Offsets);
        });
    }

    [Fact]
    public async Task An_empty_group_lists_the_topics_of_its_committed_offsets()
    {
        var orders = fx.Topic();
        var payments = fx.Topic();
        var group = GroupsFixture.Unique("idle");
        await fx.CommitAsync(group, orders, 0, 1);
        await fx.CommitAsync(group, payments, 2, 5);

        var listed = Assert.Single(await new ConsumerGroupService(fx.Factory()).ListAsync(new ConsumerGroupQuery { GroupIds = [group] }).ToListAsync());

        Assert.Equal("Empty", listed.State);
        Assert.Empty(listed.Members);
        Assert.Equal(new[] { orders, payments }.Order(StringComparer.Ordinal), listed.Topics);
        Assert.Null(listed.Offsets);
    }

    [Fact]
    public async Task Unknown_plain_group_id_is_a_per_item_error_and_the_rest_continue()
    {
        var topic = fx.Topic();
        var known = GroupsFixture.Unique("known");
        await fx.CommitAsync(known, topic, 0, 1);
        var missing = GroupsFixture.Unique("missing");
        var recorder = new Recorder();

        var groups = await new ConsumerGroupService(fx.Factory()).ListAsync(new ConsumerGroupQuery { GroupIds = [missing, known] }, recorder.OnError).ToListAsync();

        Assert.Equal(known, Assert.Single(groups).GroupId);
        var error = Assert.Single(recorder.Errors);
        Assert.Equal("ConsumerGroupNotFound", error.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
        Assert.Equal(missing, error.Target);
    }

    [Fact]
    public async Task Wildcard_matching_nothing_is_not_an_error()
    {
        var recorder = new Recorder();
        var groups = await new ConsumerGroupService(fx.Factory()).ListAsync(new ConsumerGroupQuery { GroupIds = ["no-such-prefix-*"] }, recorder.OnError).ToListAsync();
        Assert.Empty(groups);
        Assert.Empty(recorder.Errors);
    }

    [Fact]
    public async Task Live_group_shows_members_with_client_host_and_assignment_and_state_filter_works()
    {
        var topic = fx.Topic(2);
        var group = GroupsFixture.Unique("live");
        using var consumer = fx.JoinedConsumer(group, topic, 2, clientId: "billing-worker");
        var service = new ConsumerGroupService(fx.Factory());

        var described = Assert.Single(await service.ListAsync(new ConsumerGroupQuery { GroupIds = [group] }).ToListAsync());
        Assert.Equal("Stable", described.State);
        Assert.Equal("consumer", described.ProtocolType);
        Assert.Equal("range", described.Protocol);
        var member = Assert.Single(described.Members);
        Assert.Equal("billing-worker", member.ClientId);
        Assert.False(string.IsNullOrEmpty(member.Host));
        Assert.Equal([new KafkaTopicPartition(topic, 0), new KafkaTopicPartition(topic, 1)], member.Assignment);
        Assert.Equal([topic], described.Topics);

        var stable = await service.ListAsync(new ConsumerGroupQuery { States = ["Stable"] }).ToListAsync();
        var empty = await service.ListAsync(new ConsumerGroupQuery { States = ["Empty"] }).ToListAsync();
        Assert.Contains(stable, g => g.GroupId == group);
        Assert.DoesNotContain(empty, g => g.GroupId == group);
        consumer.Close();
    }

    [Fact]
    public async Task Unknown_state_is_rejected_before_any_call()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).ListAsync(new ConsumerGroupQuery { States = ["Sleeping"] }).ToListAsync());
        Assert.Equal("InvalidGroupState", ex.ErrorId);
    }

    [Fact]
    public async Task Remove_deletes_an_empty_group()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("rm");
        await fx.CommitAsync(group, topic, 0, 3);

        var removal = await new ConsumerGroupService(fx.Factory()).RemoveAsync(group, null);

        Assert.Equal(group, removal.GroupId);
        Assert.Null(removal.Topic);
        Assert.Equal("Dead/0", await fx.Target.GroupStateAsync(group));
        Assert.Null((await fx.Target.CommittedAsync(group, topic, 1))[0]);
    }

    [Fact]
    public async Task Remove_refuses_a_group_with_members_and_changes_nothing()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("busy");
        await fx.CommitAsync(group, topic, 0, 4);
        using var consumer = fx.JoinedConsumer(group, topic, 1);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).RemoveAsync(group, null));

        Assert.Equal("ConsumerGroupNotEmpty", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidOperation, ex.Kind);
        Assert.StartsWith($"Consumer group '{group}' has 1 active member; stop them first", ex.Message);
        Assert.Equal(4, (await fx.Target.CommittedAsync(group, topic, 1))[0]);
        consumer.Close();
    }

    [Fact]
    public async Task Remove_unknown_group_is_ConsumerGroupNotFound()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).RemoveAsync(GroupsFixture.Unique("ghost"), null));
        Assert.Equal("ConsumerGroupNotFound", ex.ErrorId);
    }

    [Fact]
    public async Task Remove_with_topic_deletes_only_that_topics_offsets()
    {
        var keep = fx.Topic(2);
        var drop = fx.Topic(2);
        var group = GroupsFixture.Unique("rmt");
        await fx.CommitAsync(group, keep, [5, 6]);
        await fx.CommitAsync(group, drop, [7, 8]);

        var removal = await new ConsumerGroupService(fx.Factory()).RemoveAsync(group, drop);

        Assert.Equal(drop, removal.Topic);
        Assert.Equal([0, 1], removal.Partitions);
        Assert.Null((await fx.Target.CommittedAsync(group, drop, 1))[0]);
        Assert.Null((await fx.Target.CommittedAsync(group, drop, 2))[1]);
        Assert.Equal(5, (await fx.Target.CommittedAsync(group, keep, 1))[0]);
        Assert.Equal(6, (await fx.Target.CommittedAsync(group, keep, 2))[1]);
    }

    [Fact]
    public async Task Remove_with_topic_refuses_while_the_group_consumes_it()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("sub");
        await fx.CommitAsync(group, topic, 0, 9);
        using var consumer = fx.JoinedConsumer(group, topic, 1);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).RemoveAsync(group, topic));

        Assert.Equal("ConsumerGroupSubscribedToTopic", ex.ErrorId);
        Assert.Equal(9, (await fx.Target.CommittedAsync(group, topic, 1))[0]);
        consumer.Close();
    }

    [Fact]
    public async Task Remove_with_unknown_topic_fails_and_changes_nothing()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("rmu");
        await fx.CommitAsync(group, topic, 0, 2);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).RemoveAsync(group, GroupsFixture.Unique("no-such-topic")));

        Assert.Equal("TopicNotFound", ex.ErrorId);
        Assert.Equal(2, (await fx.Target.CommittedAsync(group, topic, 1))[0]);
    }

    [Fact]
    public async Task Reset_refuses_a_group_with_active_members_and_changes_nothing()
    {
        var topic = fx.Topic(2);
        var group = GroupsFixture.Unique("billing");
        await fx.CommitAsync(group, topic, [3, 4]);
        using var consumer = fx.JoinedConsumer(group, topic, 2);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).PlanResetAsync(
            new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToEarliest }));

        Assert.Equal("ConsumerGroupActive", ex.ErrorId);
        Assert.StartsWith($"Consumer group '{group}' has 1 active member; stop them first", ex.Message);
        Assert.Equal(3, (await fx.Target.CommittedAsync(group, topic, 1))[0]);
        Assert.Equal(4, (await fx.Target.CommittedAsync(group, topic, 2))[1]);
        consumer.Close();
    }

    [Fact]
    public async Task Reset_with_unknown_topic_or_partition_fails_and_changes_nothing()
    {
        var topic = fx.Topic(2);
        var group = GroupsFixture.Unique("rst");
        await fx.CommitAsync(group, topic, [3, 4]);
        var service = new ConsumerGroupService(fx.Factory());

        var unknownTopic = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.PlanResetAsync(
            new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToLatest, Topics = [GroupsFixture.Unique("nope")] }));
        var unknownPartition = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.PlanResetAsync(
            new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToLatest, Topics = [topic], Partitions = [5] }));
        var noOffsets = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.PlanResetAsync(
            new OffsetResetRequest { GroupId = GroupsFixture.Unique("fresh"), Mode = OffsetResetMode.ToLatest }));

        Assert.Equal("TopicNotFound", unknownTopic.ErrorId);
        Assert.Equal("PartitionNotFound", unknownPartition.ErrorId);
        Assert.Equal("ConsumerGroupHasNoOffsets", noOffsets.ErrorId);
        Assert.Equal(3, (await fx.Target.CommittedAsync(group, topic, 1))[0]);
        Assert.Equal(4, (await fx.Target.CommittedAsync(group, topic, 2))[1]);
    }
}
