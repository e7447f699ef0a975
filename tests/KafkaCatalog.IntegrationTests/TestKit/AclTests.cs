using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaTestClusterOptions = KafkaCatalog.TestKit.Kafka.KafkaTestClusterOptions;
using TK = KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>Cluster with ACLs on, where the plaintext principal (User:ANONYMOUS) is a super user.</summary>
public sealed class AclAdminFixture : ClusterFixture
{
    protected override KafkaTestClusterOptions CreateOptions()
    {
        var o = new KafkaTestClusterOptions { Brokers = 3, EnableAcls = true };
        o.SuperUsers.Add("User:ANONYMOUS");
        return o;
    }
}

/// <summary>Cluster with ACLs on and no super user: every request of User:ANONYMOUS is checked.</summary>
public sealed class AclEnforcedFixture : ClusterFixture
{
    protected override KafkaTestClusterOptions CreateOptions() => new() { Brokers = 1, EnableAcls = true };
}

public sealed class AclApiTests(AclAdminFixture fx) : IClassFixture<AclAdminFixture>
{
    private static AclBinding Binding(string topic, ResourcePatternType pattern, AclOperation op, string principal = "User:alice") => new()
    {
        Pattern = new ResourcePattern { Type = ResourceType.Topic, Name = topic, ResourcePatternType = pattern },
        Entry = new AccessControlEntry { Principal = principal, Host = "*", Operation = op, PermissionType = AclPermissionType.Allow },
    };

    [Fact]
    public async Task Create_describe_with_MATCH_and_delete_acls()
    {
        using var admin = fx.Admin();
        var prefix = "acl-" + Guid.NewGuid().ToString("N")[..8];
        await admin.CreateAclsAsync(new[]
        {
            Binding(prefix + "-orders", ResourcePatternType.Literal, AclOperation.Read),
            Binding(prefix, ResourcePatternType.Prefixed, AclOperation.Write),
            Binding(prefix + "-other", ResourcePatternType.Literal, AclOperation.Read, "User:bob"),
        });
        Assert.Equal(3, fx.Cluster.State.Acls.Count(a => a.ResourceName.StartsWith(prefix, StringComparison.Ordinal)));

        var match = await admin.DescribeAclsAsync(new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Topic, Name = prefix + "-orders", ResourcePatternType = ResourcePatternType.Match },
            EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
        });
        Assert.Equal(2, match.AclBindings.Count);
        Assert.Contains(match.AclBindings, b => b.Pattern.ResourcePatternType == ResourcePatternType.Prefixed && b.Entry.Operation == AclOperation.Write);

        var byPrincipal = await admin.DescribeAclsAsync(new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Any, ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Principal = "User:bob", Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
        });
        Assert.Single(byPrincipal.AclBindings, b => b.Pattern.Name.StartsWith(prefix, StringComparison.Ordinal));

        var deleted = await admin.DeleteAclsAsync(new[]
        {
            new AclBindingFilter
            {
                PatternFilter = new ResourcePatternFilter { Type = ResourceType.Topic, Name = prefix, ResourcePatternType = ResourcePatternType.Prefixed },
                EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
            },
        });
        Assert.Single(Assert.Single(deleted).AclBindings);
        Assert.Equal(2, fx.Cluster.State.Acls.Count(a => a.ResourceName.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateAcls_with_a_bad_cluster_name_fails_with_InvalidRequest_and_adds_nothing()
    {
        using var admin = fx.Admin();
        var before = fx.Cluster.State.Acls.Count;
        var ex = await Assert.ThrowsAsync<CreateAclsException>(() => admin.CreateAclsAsync(new[]
        {
            new AclBinding
            {
                Pattern = new ResourcePattern { Type = ResourceType.Broker, Name = "not-kafka-cluster", ResourcePatternType = ResourcePatternType.Literal },
                Entry = new AccessControlEntry { Principal = "User:alice", Host = "*", Operation = AclOperation.Alter, PermissionType = AclPermissionType.Allow },
            },
        }));
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Single(ex.Results).Error.Code);
        Assert.Equal(before, fx.Cluster.State.Acls.Count);
    }
}

public sealed class AclEnforcementTests(AclEnforcedFixture fx) : IClassFixture<AclEnforcedFixture>
{
    private const string Anonymous = "User:ANONYMOUS";

    private void Allow(TK.AclResourceType type, string name, TK.AclOperation op, TK.AclPatternType pattern = TK.AclPatternType.Literal) =>
        fx.Cluster.State.AddAcl(new TK.AclBinding(type, name, pattern, Anonymous, "*", op, TK.AclPermissionType.Allow));

    [Fact]
    public async Task Without_acls_topics_are_hidden_and_creation_is_denied()
    {
        var hidden = "hidden-" + Guid.NewGuid().ToString("N")[..8];
        fx.Cluster.State.CreateTopic(hidden, 1, 1);
        Allow(TK.AclResourceType.Cluster, "kafka-cluster", TK.AclOperation.Describe);
        using var admin = fx.Admin();
        var md = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(md.Topics, t => t.Topic == hidden);

        var ex = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = "denied-" + hidden, NumPartitions = 1, ReplicationFactor = 1 } }));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, Assert.Single(ex.Results).Error.Code);
        Assert.Null(fx.Cluster.State.GetTopic("denied-" + hidden));
    }

    [Fact]
    public async Task Prefixed_create_acl_allows_matching_topics_only()
    {
        var prefix = "team-" + Guid.NewGuid().ToString("N")[..6];
        Allow(TK.AclResourceType.Topic, prefix, TK.AclOperation.Create, TK.AclPatternType.Prefixed);
        using var admin = fx.Admin();
        await admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = prefix + ".events", NumPartitions = 1, ReplicationFactor = 1 } });
        Assert.NotNull(fx.Cluster.State.GetTopic(prefix + ".events"));
    }

    [Fact]
    public async Task Broker_configs_need_cluster_DescribeConfigs()
    {
        using var admin = fx.Admin();
        var ex = await Assert.ThrowsAsync<DescribeConfigsException>(() =>
            admin.DescribeConfigsAsync(new[] { new ConfigResource { Type = ResourceType.Broker, Name = "1" } }));
        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, Assert.Single(ex.Results).Error.Code);
    }

    [Fact]
    public async Task Produce_needs_Write_on_the_topic()
    {
        var topic = "ro-" + Guid.NewGuid().ToString("N")[..8];
        fx.Cluster.State.CreateTopic(topic, 1, 1);
        Allow(TK.AclResourceType.Topic, topic, TK.AclOperation.Read);
        using var p = fx.Producer(c => { c.MessageTimeoutMs = 5000; c.MessageSendMaxRetries = 0; });
        var ex = await Assert.ThrowsAsync<ProduceException<string?, string?>>(() => p.ProduceAsync(topic, new Message<string?, string?> { Value = "x" }));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, ex.Error.Code);
        Assert.Equal(0, fx.Cluster.State.GetPartition(topic, 0)!.HighWatermark);
    }

    [Fact]
    public void Deny_wins_over_allow()
    {
        var state = fx.Cluster.State;
        var topic = "deny-" + Guid.NewGuid().ToString("N")[..8];
        Allow(TK.AclResourceType.Topic, topic, TK.AclOperation.All);
        Assert.True(state.IsAuthorized(Anonymous, TK.AclOperation.Read, TK.AclResourceType.Topic, topic));
        state.AddAcl(new TK.AclBinding(TK.AclResourceType.Topic, "*", TK.AclPatternType.Literal, "User:*", "*", TK.AclOperation.Read, TK.AclPermissionType.Deny));
        try
        {
            Assert.False(state.IsAuthorized(Anonymous, TK.AclOperation.Read, TK.AclResourceType.Topic, topic));
            Assert.True(state.IsAuthorized(Anonymous, TK.AclOperation.Describe, TK.AclResourceType.Topic, topic));
        }
        finally
        {
            state.RemoveAcls(new TK.AclFilter(TK.AclResourceType.Topic, "*", TK.AclPatternType.Literal, "User:*", null, TK.AclOperation.Read, TK.AclPermissionType.Deny));
        }
    }
}
