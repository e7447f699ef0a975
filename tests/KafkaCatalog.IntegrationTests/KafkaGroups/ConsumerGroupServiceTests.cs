using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.IntegrationTests.RealCluster;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Get/Remove consumer groups and the reset safety checks, through Confluent.Kafka against TestKit, or against a real
/// cluster when KAFKACATALOG_TEST_BOOTSTRAP is set ([TestKitFact]s seed or assert broker state and are skipped there).
/// </summary>
public sealed class ConsumerGroupServiceTests(RealCapableGroupsFixture fx) : IClassFixture<RealCapableGroupsFixture>
{
    [TestKitFact]
    public async Task Wildcard_lists_and_describes_matching_groups_only()
    {
        var topic = fx.Topic();
        var prefix = GroupsFixture.Unique("wild");
        fx.Cluster.State.CommitOffsets(prefix + "-a", topic, 0, 1);
        fx.Cluster.State.CommitOffsets(prefix + "-b", topic, 1, 2);
        fx.Cluster.State.CommitOffsets(GroupsFixture.Unique("other"), topic, 0, 1);
        var service = new ConsumerGroupService(fx.Factory());

        var groups = await service.ListAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-*"] }).ToListAsync();

        Assert.Equal([prefix + "-a", prefix + "-b"], groups.Select(g => g.GroupId));
        Assert.All(groups, g =>
        {
            Assert.Equal("Empty", g.State);
            Assert.Empty(g.Members);
            Assert.Equal(fx.Cluster.State.CoordinatorFor(g.GroupId), g.Coordinator);
            Assert.Equal("it", g.ConnectionName);
            Assert.Null(g.Offsets);
        });
    }

    [TestKitFact]
    public async Task Unknown_plain_group_id_is_a_per_item_error_and_the_rest_continue()
    {
        var topic = fx.Topic();
        var known = GroupsFixture.Unique("known");
        fx.Cluster.State.CommitOffsets(known, topic, 0, 1);
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

    [TestKitFact]
    public async Task Remove_deletes_an_empty_group()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("rm");
        fx.Cluster.State.CommitOffsets(group, topic, 0, 3);

        var removal = await new ConsumerGroupService(fx.Factory()).RemoveAsync(group, null);

        Assert.Equal(group, removal.GroupId);
        Assert.Null(removal.Topic);
        Assert.Null(fx.Cluster.State.Groups.GetState(group));
        Assert.Null(fx.Cluster.State.GetCommittedOffset(group, topic, 0));
    }

    [TestKitFact]
    public async Task Remove_refuses_a_group_with_members_and_changes_nothing()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("busy");
        fx.Cluster.State.CommitOffsets(group, topic, 0, 4);
        using var consumer = fx.JoinedConsumer(group, topic, 1);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).RemoveAsync(group, null));

        Assert.Equal("ConsumerGroupNotEmpty", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidOperation, ex.Kind);
        Assert.StartsWith($"Consumer group '{group}' has 1 active member; stop them first", ex.Message);
        Assert.Equal(4, fx.Cluster.State.GetCommittedOffset(group, topic, 0));
        consumer.Close();
    }

    [Fact]
    public async Task Remove_unknown_group_is_ConsumerGroupNotFound()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).RemoveAsync(GroupsFixture.Unique("ghost"), null));
        Assert.Equal("ConsumerGroupNotFound", ex.ErrorId);
    }

    [TestKitFact]
    public async Task Remove_with_topic_deletes_only_that_topics_offsets()
    {
        var keep = fx.Topic(2);
        var drop = fx.Topic(2);
        var group = GroupsFixture.Unique("rmt");
        fx.Cluster.State.CommitOffsets(group, keep, [5, 6]);
        fx.Cluster.State.CommitOffsets(group, drop, [7, 8]);

        var removal = await new ConsumerGroupService(fx.Factory()).RemoveAsync(group, drop);

        Assert.Equal(drop, removal.Topic);
        Assert.Equal([0, 1], removal.Partitions);
        Assert.Null(fx.Cluster.State.GetCommittedOffset(group, drop, 0));
        Assert.Null(fx.Cluster.State.GetCommittedOffset(group, drop, 1));
        Assert.Equal(5, fx.Cluster.State.GetCommittedOffset(group, keep, 0));
        Assert.Equal(6, fx.Cluster.State.GetCommittedOffset(group, keep, 1));
    }

    [TestKitFact]
    public async Task Remove_with_topic_refuses_while_the_group_consumes_it()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("sub");
        fx.Cluster.State.CommitOffsets(group, topic, 0, 9);
        using var consumer = fx.JoinedConsumer(group, topic, 1);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).RemoveAsync(group, topic));

        Assert.Equal("ConsumerGroupSubscribedToTopic", ex.ErrorId);
        Assert.Equal(9, fx.Cluster.State.GetCommittedOffset(group, topic, 0));
        consumer.Close();
    }

    [TestKitFact]
    public async Task Remove_with_unknown_topic_fails_and_changes_nothing()
    {
        var topic = fx.Topic(1);
        var group = GroupsFixture.Unique("rmu");
        fx.Cluster.State.CommitOffsets(group, topic, 0, 2);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).RemoveAsync(group, "no-such-topic"));

        Assert.Equal("TopicNotFound", ex.ErrorId);
        Assert.Equal(2, fx.Cluster.State.GetCommittedOffset(group, topic, 0));
    }

    [TestKitFact]
    public async Task Reset_refuses_a_group_with_active_members_and_changes_nothing()
    {
        var topic = fx.Topic(2);
        var group = GroupsFixture.Unique("billing");
        fx.Cluster.State.CommitOffsets(group, topic, [3, 4]);
        using var consumer = fx.JoinedConsumer(group, topic, 2);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(fx.Factory()).PlanResetAsync(
            new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToEarliest }));

        Assert.Equal("ConsumerGroupActive", ex.ErrorId);
        Assert.StartsWith($"Consumer group '{group}' has 1 active member; stop them first", ex.Message);
        Assert.Equal(3, fx.Cluster.State.GetCommittedOffset(group, topic, 0));
        Assert.Equal(4, fx.Cluster.State.GetCommittedOffset(group, topic, 1));
        consumer.Close();
    }

    [TestKitFact]
    public async Task Reset_with_unknown_topic_or_partition_fails_and_changes_nothing()
    {
        var topic = fx.Topic(2);
        var group = GroupsFixture.Unique("rst");
        fx.Cluster.State.CommitOffsets(group, topic, [3, 4]);
        var service = new ConsumerGroupService(fx.Factory());

        var unknownTopic = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.PlanResetAsync(
            new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToLatest, Topics = ["nope"] }));
        var unknownPartition = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.PlanResetAsync(
            new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToLatest, Topics = [topic], Partitions = [5] }));
        var noOffsets = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.PlanResetAsync(
            new OffsetResetRequest { GroupId = GroupsFixture.Unique("fresh"), Mode = OffsetResetMode.ToLatest }));

        Assert.Equal("TopicNotFound", unknownTopic.ErrorId);
        Assert.Equal("PartitionNotFound", unknownPartition.ErrorId);
        Assert.Equal("ConsumerGroupHasNoOffsets", noOffsets.ErrorId);
        Assert.Equal(3, fx.Cluster.State.GetCommittedOffset(group, topic, 0));
        Assert.Equal(4, fx.Cluster.State.GetCommittedOffset(group, topic, 1));
    }
}
