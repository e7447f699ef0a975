using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Kafka.Acls;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

public class AclMappingTests
{
    private static readonly KafkaAclFilter ValidAcl = new()
    {
        ResourceType = KafkaAclResourceType.Topic,
        ResourceName = "orders",
        PatternType = KafkaAclPatternType.Prefixed,
        Principal = "User:alice",
        Host = "10.0.0.1",
        Operation = KafkaAclOperation.Read,
        Permission = KafkaAclPermission.Allow,
    };

    [Fact]
    public void A_concrete_acl_maps_to_a_binding()
    {
        var binding = AclMapping.ToBinding(ValidAcl);
        Assert.Equal(ResourceType.Topic, binding.Pattern.Type);
        Assert.Equal("orders", binding.Pattern.Name);
        Assert.Equal(ResourcePatternType.Prefixed, binding.Pattern.ResourcePatternType);
        Assert.Equal("User:alice", binding.Entry.Principal);
        Assert.Equal("10.0.0.1", binding.Entry.Host);
        Assert.Equal(AclOperation.Read, binding.Entry.Operation);
        Assert.Equal(AclPermissionType.Allow, binding.Entry.PermissionType);
    }

    [Fact]
    public void Defaults_are_literal_pattern_and_any_host()
    {
        var binding = AclMapping.ToBinding(ValidAcl with { PatternType = null, Host = null });
        Assert.Equal(ResourcePatternType.Literal, binding.Pattern.ResourcePatternType);
        Assert.Equal("*", binding.Entry.Host);
    }

    [Fact]
    public void Cluster_resource_is_kafka_cluster()
    {
        var binding = AclMapping.ToBinding(ValidAcl with { ResourceType = KafkaAclResourceType.Cluster, ResourceName = null, PatternType = null, Operation = KafkaAclOperation.ClusterAction });
        Assert.Equal(ResourceType.Broker, binding.Pattern.Type);
        Assert.Equal("kafka-cluster", binding.Pattern.Name);
    }

    public static TheoryData<string, KafkaAclFilter> BadAcls() => new()
    {
        { "AclResourceTypeRequired", ValidAcl with { ResourceType = KafkaAclResourceType.Any } },
        { "AclPatternTypeNotConcrete", ValidAcl with { PatternType = KafkaAclPatternType.Match } },
        { "AclPatternTypeNotConcrete", ValidAcl with { PatternType = KafkaAclPatternType.Any } },
        { "AclResourceNameRequired", ValidAcl with { ResourceName = null } },
        { "AclResourceNameRequired", ValidAcl with { ResourceName = "  " } },
        { "AclPrefixedWildcard", ValidAcl with { ResourceName = "*" } },
        { "AclClusterNameInvalid", ValidAcl with { ResourceType = KafkaAclResourceType.Cluster, ResourceName = "mycluster", PatternType = null } },
        { "AclClusterNameInvalid", ValidAcl with { ResourceType = KafkaAclResourceType.Cluster, ResourceName = null, PatternType = KafkaAclPatternType.Prefixed } },
        { "AclPrincipalRequired", ValidAcl with { Principal = null } },
        { "AclPrincipalInvalid", ValidAcl with { Principal = "alice" } },
        { "AclPrincipalInvalid", ValidAcl with { Principal = ":alice" } },
        { "AclPrincipalInvalid", ValidAcl with { Principal = "User:" } },
        { "AclPrincipalInvalid", ValidAcl with { Principal = "User:al ice" } },
        { "AclHostInvalid", ValidAcl with { Host = "" } },
        { "AclHostInvalid", ValidAcl with { Host = "10.0.0.1 10.0.0.2" } },
        { "AclOperationRequired", ValidAcl with { Operation = KafkaAclOperation.Any } },
        { "AclPermissionRequired", ValidAcl with { Permission = KafkaAclPermission.Any } },
    };

    [Theory]
    [MemberData(nameof(BadAcls))]
    public void Bad_acls_are_rejected_with_a_specific_error(string errorId, KafkaAclFilter acl)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBinding(acl));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Empty_filter_matches_everything_for_describe()
    {
        var filter = AclMapping.ToBindingFilter(new KafkaAclFilter(), forDelete: false);
        Assert.Equal(ResourceType.Any, filter.PatternFilter.Type);
        Assert.Null(filter.PatternFilter.Name);
        Assert.Equal(ResourcePatternType.Any, filter.PatternFilter.ResourcePatternType);
        Assert.Null(filter.EntryFilter.Principal);
        Assert.Null(filter.EntryFilter.Host);
        Assert.Equal(AclOperation.Any, filter.EntryFilter.Operation);
        Assert.Equal(AclPermissionType.Any, filter.EntryFilter.PermissionType);
    }

    [Fact]
    public void A_named_filter_without_pattern_means_literal()
    {
        var filter = AclMapping.ToBindingFilter(new KafkaAclFilter { ResourceName = "orders" }, forDelete: false);
        Assert.Equal(ResourcePatternType.Literal, filter.PatternFilter.ResourcePatternType);
        var match = AclMapping.ToBindingFilter(new KafkaAclFilter { ResourceName = "orders", PatternType = KafkaAclPatternType.Match }, forDelete: false);
        Assert.Equal(ResourcePatternType.Match, match.PatternFilter.ResourcePatternType);
    }

    [Fact]
    public void Delete_filter_without_name_or_principal_is_too_broad()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBindingFilter(new KafkaAclFilter { ResourceType = KafkaAclResourceType.Topic }, forDelete: true));
        Assert.Equal("AclFilterTooBroad", ex.ErrorId);
        AclMapping.ToBindingFilter(new KafkaAclFilter { Principal = "User:bob" }, forDelete: true);
    }

    [Fact]
    public void Filters_validate_principal_host_and_name()
    {
        Assert.Equal("AclPrincipalInvalid", Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBindingFilter(new KafkaAclFilter { Principal = "bob" }, false)).ErrorId);
        Assert.Equal("AclHostInvalid", Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBindingFilter(new KafkaAclFilter { Host = " " }, false)).ErrorId);
        Assert.Equal("AclResourceNameEmpty", Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBindingFilter(new KafkaAclFilter { ResourceName = "" }, false)).ErrorId);
    }

    [Fact]
    public void A_binding_round_trips_through_the_record_and_its_exact_filter()
    {
        var acl = AclMapping.FromBinding(AclMapping.ToBinding(ValidAcl), "prod");
        Assert.Equal(KafkaAclResourceType.Topic, acl.ResourceType);
        Assert.Equal(KafkaAclPatternType.Prefixed, acl.PatternType);
        Assert.Equal(KafkaAclOperation.Read, acl.Operation);
        Assert.Equal(KafkaAclPermission.Allow, acl.Permission);
        Assert.Equal("prod", acl.ConnectionName);
        var exact = AclMapping.ToExactFilter(acl);
        Assert.Equal(ValidAcl, exact);
    }

    [Fact]
    public void Every_operation_maps_both_ways()
    {
        // CreateTokens, DescribeTokens and Unknown only describe what the cluster returned (AclExactnessTests).
        foreach (var op in Enum.GetValues<KafkaAclOperation>().Where(o => o is not (KafkaAclOperation.Any or KafkaAclOperation.CreateTokens or KafkaAclOperation.DescribeTokens or KafkaAclOperation.Unknown)))
        {
            var acl = AclMapping.FromBinding(AclMapping.ToBinding(ValidAcl with { Operation = op }));
            Assert.Equal(op, acl.Operation);
        }
    }

    [Fact]
    public void Acl_record_property_names_are_remove_parameters()
    {
        var names = typeof(KafkaAcl).GetProperties().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "ResourceType", "ResourceName", "PatternType", "Principal", "Host", "Operation", "Permission" }, names);
    }
}
