using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Acls;
using KafkaCatalog.IntegrationTests.RealCluster;
using KafkaCatalog.TestKit.Kafka;
using Cfk = Confluent.Kafka.Admin;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// A TestKit cluster with an authorizer (the test client is a super user), or the real cluster named by
/// KAFKACATALOG_TEST_BOOTSTRAP; tests that manage ACLs there are [AclFact]s and need KAFKACATALOG_TEST_ACLS=1.
/// </summary>
public sealed class AclClusterFixture : GroupsFixture
{
    protected override bool RealClusterCapable => true;

    protected override KafkaTestClusterOptions CreateOptions()
    {
        var options = new KafkaTestClusterOptions { Brokers = 3, EnableAcls = true };
        options.SuperUsers.Add("User:ANONYMOUS");
        return options;
    }
}

/// <summary>
/// Add/Get/Remove ACLs against TestKit's authorizer, or against a real cluster with KAFKACATALOG_TEST_ACLS=1 (checked
/// with the test's own DescribeAcls; every principal is unique and its ACLs are deleted at the end).
/// </summary>
public sealed class AclServiceTests(AclClusterFixture fx) : IClassFixture<AclClusterFixture>
{
    private async Task<int> CountAsync(string principal) => (await fx.Target.AclsOfAsync(principal)).Count;

    private static KafkaAclFilter Acl(string principal, string name, KafkaAclOperation op = KafkaAclOperation.Read, KafkaAclPatternType pattern = KafkaAclPatternType.Literal) => new()
    {
        ResourceType = KafkaAclResourceType.Topic,
        ResourceName = name,
        PatternType = pattern,
        Principal = principal,
        Host = "*",
        Operation = op,
        Permission = KafkaAclPermission.Allow,
    };

    [AclFact]
    public async Task Add_get_and_remove_round_trip_through_the_pipeline_shape()
    {
        var user = "User:" + GroupsFixture.Unique("alice");
        var service = new AclService(fx.Factory());
        var added = await service.AddAsync(Acl(user, "orders", KafkaAclOperation.Read));
        await service.AddAsync(Acl(user, "orders", KafkaAclOperation.Write));
        await service.AddAsync(Acl(user, "ord", KafkaAclOperation.Describe, KafkaAclPatternType.Prefixed));

        Assert.Equal(KafkaAclResourceType.Topic, added.ResourceType);
        var mine = await service.GetAsync(new KafkaAclFilter { Principal = user });
        Assert.Equal(3, mine.Count);
        Assert.Equal(3, await CountAsync(user));

        // Get-KafkaAcl | Remove-KafkaAcl: each emitted record becomes the exact filter.
        var write = mine.Single(a => a.Operation == KafkaAclOperation.Write);
        var removed = await service.RemoveAsync(AclMapping.ToExactFilter(write));
        Assert.Equal(write with { ConnectionName = write.ConnectionName }, Assert.Single(removed));
        Assert.Equal(2, await CountAsync(user));
        await fx.Target.DeleteAclsOfAsync(user);
    }

    [AclFact]
    public async Task Match_filter_finds_literal_and_prefixed_acls_that_apply_to_a_name()
    {
        var user = "User:" + GroupsFixture.Unique("bob");
        var service = new AclService(fx.Factory());
        await service.AddAsync(Acl(user, "payments", KafkaAclOperation.Read));
        await service.AddAsync(Acl(user, "pay", KafkaAclOperation.Write, KafkaAclPatternType.Prefixed));
        await service.AddAsync(Acl(user, "other", KafkaAclOperation.Read));

        var literalOnly = await service.GetAsync(new KafkaAclFilter { ResourceName = "payments", Principal = user });
        var applying = await service.GetAsync(new KafkaAclFilter { ResourceName = "payments", PatternType = KafkaAclPatternType.Match, Principal = user });

        Assert.Single(literalOnly);
        Assert.Equal(2, applying.Count);
        await fx.Target.DeleteAclsOfAsync(user);
    }

    [AclFact]
    public async Task Remove_by_principal_removes_all_of_them()
    {
        var user = "User:" + GroupsFixture.Unique("carol");
        var service = new AclService(fx.Factory());
        await service.AddAsync(Acl(user, "a"));
        await service.AddAsync(Acl(user, "b"));

        var removed = await service.RemoveAsync(new KafkaAclFilter { Principal = user });

        Assert.Equal(2, removed.Count);
        Assert.Equal(0, await CountAsync(user));
    }

    [AclFact]
    public async Task Bad_acl_is_rejected_before_the_cluster_and_nothing_is_added()
    {
        // An ACL of our own that the too-broad removal would have taken with it.
        var user = "User:" + GroupsFixture.Unique("dave");
        var resource = GroupsFixture.Unique("orders");
        var service = new AclService(fx.Factory());
        await service.AddAsync(Acl(user, resource));
        async Task<string> AclState() => string.Join(";", await fx.Target.AclsOfAsync(user)) + " | " + string.Join(";", await fx.Target.AclsOfAsync(resourceName: resource));
        Assert.Single(await fx.Target.AclsOfAsync(user));
        var before = await AclState();

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.AddAsync(Acl("alice", resource)));
        Assert.Equal("AclPrincipalInvalid", ex.ErrorId);
        var broad = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.RemoveAsync(new KafkaAclFilter { ResourceType = KafkaAclResourceType.Topic }));
        Assert.Equal("AclFilterTooBroad", broad.ErrorId);
        Assert.Equal(before, await AclState());
        await fx.Target.DeleteAclsOfAsync(user);
    }
}

/// <summary>
/// ACLs of types Confluent.Kafka cannot name (a TransactionalId ACL, created here by the test's own client with the wire
/// number 5, which librdkafka accepts) next to a Topic ACL of the same name: reading shows each as it is, and piping one
/// ACL to the removal deletes exactly that one.
/// </summary>
public sealed class AclExactRemovalTests(AclClusterFixture fx) : IClassFixture<AclClusterFixture>
{
    private async Task AddRawAsync(Cfk.ResourceType type, string name, string principal) =>
        await fx.Target.Admin.CreateAclsAsync([new Cfk.AclBinding
        {
            Pattern = new Cfk.ResourcePattern { Type = type, Name = name, ResourcePatternType = Cfk.ResourcePatternType.Literal },
            Entry = new Cfk.AccessControlEntry { Principal = principal, Host = "*", Operation = Cfk.AclOperation.Write, PermissionType = Cfk.AclPermissionType.Allow },
        }]);

    private static readonly Cfk.ResourceType TransactionalId = (Cfk.ResourceType)5;

    [AclFact]
    public async Task A_transactional_id_acl_reads_back_as_TransactionalId_not_Any()
    {
        var user = "User:" + GroupsFixture.Unique("tx");
        var name = GroupsFixture.Unique("orders");
        await AddRawAsync(TransactionalId, name, user);
        await AddRawAsync(Cfk.ResourceType.Topic, name, user);

        var acls = await new AclService(fx.Factory()).GetAsync(new KafkaAclFilter { Principal = user });

        Assert.Equal([KafkaAclResourceType.Topic, KafkaAclResourceType.TransactionalId], acls.Select(a => a.ResourceType).ToArray());
        Assert.DoesNotContain(acls, a => a.ResourceType == KafkaAclResourceType.Any);
        await fx.Target.DeleteAclsOfAsync(user);
    }

    [AclFact]
    public async Task Piping_one_acl_deletes_exactly_that_one()
    {
        var user = "User:" + GroupsFixture.Unique("tx");
        var name = GroupsFixture.Unique("orders");
        await AddRawAsync(TransactionalId, name, user);
        await AddRawAsync(Cfk.ResourceType.Topic, name, user);
        var service = new AclService(fx.Factory());
        var listed = await service.GetAsync(new KafkaAclFilter { Principal = user });
        var before = await fx.Target.AclsOfAsync(user);
        Assert.Equal(2, before.Count);

        // Get-KafkaAcl | Where ResourceType -eq TransactionalId | Remove-KafkaAcl: refused, nothing deleted (today's main
        // saw ResourceType Any here and deleted the Topic ACL with it).
        var tx = listed.Single(a => a.ResourceType == KafkaAclResourceType.TransactionalId);
        var refused = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.RemoveExactAsync(tx));
        Assert.Equal("AclResourceTypeNotSupported", refused.ErrorId);
        Assert.Equal(before, await fx.Target.AclsOfAsync(user));

        // The Topic ACL piped alone: exactly it goes, the TransactionalId ACL of the same name and principal stays.
        var topic = listed.Single(a => a.ResourceType == KafkaAclResourceType.Topic);
        var removed = await service.RemoveExactAsync(topic);
        Assert.Equal(topic, Assert.Single(removed));
        var after = Assert.Single(await fx.Target.AclsOfAsync(user));
        Assert.Contains("\"Type\": \"5\"", after, StringComparison.Ordinal);
        if (fx.Target.TestKit is { } kit)
        {
            Assert.Equal(KafkaCatalog.TestKit.Kafka.AclResourceType.TransactionalId, Assert.Single(kit.State.Acls, a => a.Principal == user).ResourceType);
        }

        await fx.Target.DeleteAclsOfAsync(user);
    }

    [TestKitFact]
    public async Task Delegation_token_and_user_acls_are_Unknown_with_a_warning_and_cannot_be_removed()
    {
        var user = "User:" + GroupsFixture.Unique("dt");
        var state = fx.Target.TestKit!.State;
        state.AddAcl(new KafkaCatalog.TestKit.Kafka.AclBinding(KafkaCatalog.TestKit.Kafka.AclResourceType.DelegationToken, "token-1",
            KafkaCatalog.TestKit.Kafka.AclPatternType.Literal, user, "*", KafkaCatalog.TestKit.Kafka.AclOperation.Describe, KafkaCatalog.TestKit.Kafka.AclPermissionType.Allow));
        state.AddAcl(new KafkaCatalog.TestKit.Kafka.AclBinding(KafkaCatalog.TestKit.Kafka.AclResourceType.User, "User:bob",
            KafkaCatalog.TestKit.Kafka.AclPatternType.Literal, user, "*", KafkaCatalog.TestKit.Kafka.AclOperation.CreateTokens, KafkaCatalog.TestKit.Kafka.AclPermissionType.Allow));
        var sink = new RecordingSink();
        var service = new AclService(fx.Factory(), sink);

        var acls = await service.GetAsync(new KafkaAclFilter { Principal = user });

        Assert.Equal(2, acls.Count);
        Assert.All(acls, a => Assert.Equal(KafkaAclResourceType.Unknown, a.ResourceType));
        Assert.Contains(acls, a => a.Operation == KafkaAclOperation.Unknown);
        Assert.Equal(2, sink.Warnings.Count(w => w.Contains("UNKNOWN", StringComparison.Ordinal)));
        foreach (var acl in acls)
        {
            Assert.Equal("AclResourceTypeNotSupported", (await Assert.ThrowsAsync<KafkaCatalogException>(() => service.RemoveExactAsync(acl))).ErrorId);
        }

        Assert.Equal(2, state.Acls.Count(a => a.Principal == user));
        state.RemoveAcls(new KafkaCatalog.TestKit.Kafka.AclFilter(KafkaCatalog.TestKit.Kafka.AclResourceType.Any, null, KafkaCatalog.TestKit.Kafka.AclPatternType.Any,
            user, null, KafkaCatalog.TestKit.Kafka.AclOperation.Any, KafkaCatalog.TestKit.Kafka.AclPermissionType.Any));
    }

    private sealed class RecordingSink : IOperationSink
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Warnings { get; } = new();

        public void Verbose(string message)
        {
        }

        public void Warning(string message) => Warnings.Enqueue(message);

        public void Progress(OperationProgress progress)
        {
        }
    }
}

/// <summary>A cluster without an authorizer: TestKit's default, or a real one declared with KAFKACATALOG_TEST_ACLS=0.</summary>
public sealed class AclWithoutAuthorizerTests(RealCapableGroupsFixture fx) : IClassFixture<RealCapableGroupsFixture>
{
    [NoAuthorizerFact]
    public async Task Adding_on_a_cluster_without_authorizer_gives_a_specific_error()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new AclService(fx.Factory()).AddAsync(new KafkaAclFilter
        {
            ResourceType = KafkaAclResourceType.Topic,
            ResourceName = "orders",
            Principal = "User:" + GroupsFixture.Unique("alice"),
            Operation = KafkaAclOperation.Read,
            Permission = KafkaAclPermission.Allow,
        }));
        Assert.Equal("AclAuthorizerDisabled", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidOperation, ex.Kind);
        if (fx.Target.TestKit is { } kit)
        {
            Assert.Empty(kit.State.Acls);
        }
    }
}
