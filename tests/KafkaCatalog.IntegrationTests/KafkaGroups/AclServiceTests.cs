using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>A TestKit cluster with an authorizer; the test client is a super user.</summary>
public sealed class AclClusterFixture : GroupsFixture
{
    protected override KafkaTestClusterOptions CreateOptions()
    {
        var options = new KafkaTestClusterOptions { Brokers = 3, EnableAcls = true };
        options.SuperUsers.Add("User:ANONYMOUS");
        return options;
    }
}

public sealed class AclServiceTests(AclClusterFixture fx) : IClassFixture<AclClusterFixture>
{
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

    [Fact]
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
        Assert.Equal(3, fx.Cluster.State.Acls.Count(a => a.Principal == user));

        // Get-KafkaAcl | Remove-KafkaAcl: each emitted record becomes the exact filter.
        var write = mine.Single(a => a.Operation == KafkaAclOperation.Write);
        var removed = await service.RemoveAsync(AclMapping.ToExactFilter(write));
        Assert.Equal(write with { ConnectionName = write.ConnectionName }, Assert.Single(removed));
        Assert.Equal(2, fx.Cluster.State.Acls.Count(a => a.Principal == user));
    }

    [Fact]
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
    }

    [Fact]
    public async Task Remove_by_principal_removes_all_of_them()
    {
        var user = "User:" + GroupsFixture.Unique("carol");
        var service = new AclService(fx.Factory());
        await service.AddAsync(Acl(user, "a"));
        await service.AddAsync(Acl(user, "b"));

        var removed = await service.RemoveAsync(new KafkaAclFilter { Principal = user });

        Assert.Equal(2, removed.Count);
        Assert.DoesNotContain(fx.Cluster.State.Acls, a => a.Principal == user);
    }

    [Fact]
    public async Task Bad_acl_is_rejected_before_the_cluster_and_nothing_is_added()
    {
        var before = fx.Cluster.State.Acls.Count;
        var service = new AclService(fx.Factory());
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.AddAsync(Acl("alice", "orders")));
        Assert.Equal("AclPrincipalInvalid", ex.ErrorId);
        var broad = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.RemoveAsync(new KafkaAclFilter { ResourceType = KafkaAclResourceType.Topic }));
        Assert.Equal("AclFilterTooBroad", broad.ErrorId);
        Assert.Equal(before, fx.Cluster.State.Acls.Count);
    }
}

public sealed class AclWithoutAuthorizerTests(GroupsFixture fx) : IClassFixture<GroupsFixture>
{
    [Fact]
    public async Task Adding_on_a_cluster_without_authorizer_gives_a_specific_error()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new AclService(fx.Factory()).AddAsync(new KafkaAclFilter
        {
            ResourceType = KafkaAclResourceType.Topic,
            ResourceName = "orders",
            Principal = "User:alice",
            Operation = KafkaAclOperation.Read,
            Permission = KafkaAclPermission.Allow,
        }));
        Assert.Equal("AclAuthorizerDisabled", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidOperation, ex.Kind);
        Assert.Empty(fx.Cluster.State.Acls);
    }
}
