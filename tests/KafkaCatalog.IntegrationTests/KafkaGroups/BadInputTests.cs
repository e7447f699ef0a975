using System.Collections;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Acls;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.IntegrationTests.RealCluster;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Bad input through every service of this area against a live cluster: each fails with its own
/// error id, and the cluster (committed offsets, log ends, group state, topics, ACLs) is exactly as before.
/// Runs against a real cluster too (KAFKACATALOG_TEST_BOOTSTRAP): everything is seeded and read back with real client
/// calls and scoped to this case's unique topic and group; the ACL part needs an authorizer (TestKit, or
/// KAFKACATALOG_TEST_ACLS=1), without one no ACL can change and that part of the snapshot says so.
/// </summary>
public sealed class BadInputTests(AclClusterFixture fx) : IClassFixture<AclClusterFixture>
{
    private sealed record Snapshot(string Offsets, string Logs, string Group, string Topics, string Acls);

    private async Task<(string Topic, string Group, string Guard)> Seed()
    {
        var topic = fx.Topic(2);
        await fx.SetLogAsync(topic, 0, 0, 10);
        await fx.SetLogAsync(topic, 1, 0, 10);
        var group = GroupsFixture.Unique("bad");
        await fx.CommitAsync(group, topic, [4, 5]);

        // An ACL on the topic, which a too-broad removal would take with it.
        var guard = "User:" + GroupsFixture.Unique("guard");
        if (KafkaTestTarget.AclsAvailable)
        {
            await fx.Target.Admin.CreateAclsAsync([new AclBinding
            {
                Pattern = new ResourcePattern { Type = ResourceType.Topic, Name = topic, ResourcePatternType = ResourcePatternType.Literal },
                Entry = new AccessControlEntry { Principal = guard, Host = "*", Operation = AclOperation.Read, PermissionType = AclPermissionType.Allow },
            }]);
        }

        return (topic, group, guard);
    }

    private async Task<Snapshot> Take(string topic, string uncommitted, string group, string[] probes)
    {
        var t = fx.Target;
        var names = t.TopicNames();
        return new(
            string.Join(",", (await t.CommittedAsync(group, topic, 2)).Concat(await t.CommittedAsync(group, uncommitted, 1))),
            string.Join(",", new[] { (topic, 0), (topic, 1), (uncommitted, 0) }.Select(p => t.Watermarks(p.Item1, p.Item2))),
            await t.GroupStateAsync(group),
            $"{t.PartitionCount(topic)}/{t.PartitionCount(uncommitted)} {string.Join(",", probes.Where(names.Contains))}",
            KafkaTestTarget.AclsAvailable ? string.Join(";", await t.AclsOfAsync(resourceName: topic)) : "no authorizer (KAFKACATALOG_TEST_ACLS is not 1)");
    }

    public static TheoryData<string, string> Cases() => new()
    {
        { "reset-negative-offset", "NegativeResetOffset" },
        { "reset-partition-without-topic", "PartitionNeedsSingleTopic" },
        { "reset-partition-two-topics", "PartitionNeedsSingleTopic" },
        { "reset-negative-partition", "NegativePartition" },
        { "reset-empty-topic", "EmptyTopicName" },
        { "reset-empty-group", "EmptyGroupId" },
        { "reset-unknown-topic", "TopicNotFound" },
        { "reset-unknown-partition", "PartitionNotFound" },
        { "reset-shift-uncommitted", "NoCommittedOffsetToShift" },
        { "reset-group-without-offsets", "ConsumerGroupHasNoOffsets" },
        { "remove-empty-group", "EmptyGroupId" },
        { "remove-unknown-group", "ConsumerGroupNotFound" },
        { "remove-unknown-topic", "TopicNotFound" },
        { "remove-bad-topic-name", "InvalidTopicName" },
        { "list-bad-state", "InvalidGroupState" },
        { "list-empty-id", "EmptyGroupId" },
        { "acl-add-bad-principal", "AclPrincipalInvalid" },
        { "acl-add-any-operation", "AclOperationRequired" },
        { "acl-add-match-pattern", "AclPatternTypeNotConcrete" },
        { "acl-add-cluster-name", "AclClusterNameInvalid" },
        { "acl-remove-too-broad", "AclFilterTooBroad" },
        { "acl-get-bad-host", "AclHostInvalid" },
        { "publish-unknown-topic", "TopicNotFound" },
        { "publish-unknown-partition", "PartitionNotFound" },
        { "publish-bad-topic-name", "InvalidTopicName" },
        { "publish-mage-bad-time", "MageTimeInvalid" },
        { "publish-mage-bad-metadata", "MageMetadataInvalid" },
        { "publish-bad-headers", "HeadersInvalid" },
        { "receive-unknown-topic", "TopicNotFound" },
        { "receive-unknown-partition", "PartitionNotFound" },
        { "receive-negative-max", "InvalidMaxMessages" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_fails_specifically_and_changes_nothing(string name, string errorId)
    {
        var (topic, group, guard) = await Seed();
        var uncommitted = fx.Topic(1);
        var missing = GroupsFixture.Unique("missing-topic");
        string[] probes = [missing, topic + "x", "bad/topic", "no spaces"];
        var before = await Take(topic, uncommitted, group, probes);
        Assert.Equal("4,5,", before.Offsets);
        var factory = fx.Factory();
        var groups = new ConsumerGroupService(factory);
        var acls = new AclService(factory);
        OffsetResetRequest Reset(OffsetResetMode mode) => new() { GroupId = group, Mode = mode };
        KafkaAclFilter Acl() => new()
        {
            ResourceType = KafkaAclResourceType.Topic,
            ResourceName = topic,
            Principal = "User:bad",
            Operation = KafkaAclOperation.Read,
            Permission = KafkaAclPermission.Allow,
        };

        async Task Publish(PublishInput input)
        {
            using var publisher = new MessagePublisher(factory);
            await await publisher.SendAsync(MessagePublishResolver.Resolve(input));
        }

        async Task Apply(OffsetResetRequest request) => await groups.ApplyResetAsync(request.GroupId, await groups.PlanResetAsync(request));

        Func<Task> act = name switch
        {
            "reset-negative-offset" => () => Apply(Reset(OffsetResetMode.ToOffset) with { Offset = -1 }),
            "reset-partition-without-topic" => () => Apply(Reset(OffsetResetMode.ToEarliest) with { Partitions = [0] }),
            "reset-partition-two-topics" => () => Apply(Reset(OffsetResetMode.ToEarliest) with { Topics = [topic, topic + "x"], Partitions = [0] }),
            "reset-negative-partition" => () => Apply(Reset(OffsetResetMode.ToEarliest) with { Topics = [topic], Partitions = [-1] }),
            "reset-empty-topic" => () => Apply(Reset(OffsetResetMode.ToEarliest) with { Topics = [""] }),
            "reset-empty-group" => () => Apply(Reset(OffsetResetMode.ToEarliest) with { GroupId = " " }),
            "reset-unknown-topic" => () => Apply(Reset(OffsetResetMode.ToLatest) with { Topics = [missing] }),
            "reset-unknown-partition" => () => Apply(Reset(OffsetResetMode.ToLatest) with { Topics = [topic], Partitions = [2] }),
            "reset-shift-uncommitted" => () => Apply(Reset(OffsetResetMode.ShiftBy) with { ShiftBy = 1, Topics = [topic, uncommitted] }),
            "reset-group-without-offsets" => () => Apply(Reset(OffsetResetMode.ToLatest) with { GroupId = GroupsFixture.Unique("nooffsets") }),
            "remove-empty-group" => () => groups.RemoveAsync("", null),
            "remove-unknown-group" => () => groups.RemoveAsync(GroupsFixture.Unique("ghost"), null),
            "remove-unknown-topic" => () => groups.RemoveAsync(group, missing),
            "remove-bad-topic-name" => () => groups.RemoveAsync(group, "bad/topic"),
            "list-bad-state" => () => groups.ListAsync(new ConsumerGroupQuery { States = ["Running"] }).ToListAsync(),
            "list-empty-id" => () => groups.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [""] }).ToListAsync(),
            "acl-add-bad-principal" => () => acls.AddAsync(Acl() with { Principal = "bad" }),
            "acl-add-any-operation" => () => acls.AddAsync(Acl() with { Operation = KafkaAclOperation.Any }),
            "acl-add-match-pattern" => () => acls.AddAsync(Acl() with { PatternType = KafkaAclPatternType.Match }),
            "acl-add-cluster-name" => () => acls.AddAsync(Acl() with { ResourceType = KafkaAclResourceType.Cluster }),
            "acl-remove-too-broad" => () => acls.RemoveAsync(new KafkaAclFilter { ResourceType = KafkaAclResourceType.Topic, Operation = KafkaAclOperation.Read }),
            "acl-get-bad-host" => () => acls.GetAsync(new KafkaAclFilter { Host = "a b" }),
            "publish-unknown-topic" => () => Publish(new PublishInput { Topic = missing, Value = "v", CommandLineParameters = new HashSet<string> { "Topic", "Value" } }),
            "publish-unknown-partition" => () => Publish(new PublishInput { Topic = topic, Value = "v", Partition = 7, CommandLineParameters = new HashSet<string> { "Topic", "Value", "Partition" } }),
            "publish-bad-topic-name" => () => Publish(new PublishInput { Topic = "no spaces", Value = "v", CommandLineParameters = new HashSet<string> { "Topic", "Value" } }),
            "publish-mage-bad-time" => () => Publish(new PublishInput { Topic = topic, InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["time"] = "noon" } } }),
            "publish-mage-bad-metadata" => () => Publish(new PublishInput { Topic = topic, InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new[] { 1 } } }),
            "publish-bad-headers" => () => Publish(new PublishInput { Topic = topic, Value = "v", Headers = 5, CommandLineParameters = new HashSet<string> { "Topic", "Value", "Headers" } }),
            "receive-unknown-topic" => () => new MessageReader(factory).ReceiveAsync(new ReceiveRequest { Topic = missing, Start = MessageStartPosition.Beginning }).ToListAsync(),
            "receive-unknown-partition" => () => new MessageReader(factory).ReceiveAsync(new ReceiveRequest { Topic = topic, Partitions = [5], Start = MessageStartPosition.Beginning }).ToListAsync(),
            "receive-negative-max" => () => new MessageReader(factory).ReceiveAsync(new ReceiveRequest { Topic = topic, MaxMessages = -1 }).ToListAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
        };

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(act);

        Assert.Equal(errorId, ex.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.Equal(before, await Take(topic, uncommitted, group, probes));
        if (KafkaTestTarget.AclsAvailable)
        {
            await fx.Target.DeleteAclsOfAsync(guard);
        }
    }
}
