using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Kafka.Acls;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

/// <summary>
/// ACLs of types Confluent.Kafka cannot name are shown honestly and never acted on; a piped ACL becomes a filter that
/// matches only itself.
/// </summary>
public class AclExactnessTests
{
    /// <summary>A binding as Confluent.Kafka hands it over: the wire numbers cast to its enums.</summary>
    private static AclBinding Wire(int resourceType, string name, int operation = 4, int pattern = 3) => new()
    {
        Pattern = new ResourcePattern { Type = (ResourceType)resourceType, Name = name, ResourcePatternType = (ResourcePatternType)pattern },
        Entry = new AccessControlEntry { Principal = "User:tx-app", Host = "*", Operation = (AclOperation)operation, PermissionType = AclPermissionType.Allow },
    };

    [Fact]
    public void A_transactional_id_acl_reads_back_by_its_wire_type_not_as_Any()
    {
        // librdkafka 2.15.1 passes resource type 5 through; Confluent.Kafka 2.15 has no name for it.
        var acl = AclMapping.FromBinding(Wire(5, "orders"));
        Assert.Equal(KafkaAclResourceType.TransactionalId, acl.ResourceType);
        Assert.Equal(KafkaAclOperation.Write, acl.Operation);
        Assert.Null(AclMapping.DescribeUnrepresentable(acl));
        Assert.Contains("TransactionalId:Literal:orders", acl.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6, KafkaAclResourceType.DelegationToken)]
    [InlineData(7, KafkaAclResourceType.User)]
    [InlineData(2, KafkaAclResourceType.Topic)]
    [InlineData(3, KafkaAclResourceType.Group)]
    [InlineData(4, KafkaAclResourceType.Cluster)]
    public void Wire_resource_types_map_to_their_kafka_names(int wire, KafkaAclResourceType expected) =>
        Assert.Equal(expected, AclMapping.FromBinding(Wire(wire, "r")).ResourceType);

    [Fact]
    public void What_librdkafka_could_not_decode_is_Unknown_with_a_warning()
    {
        // DelegationToken and User ACLs (and CreateTokens) arrive from librdkafka 2.15.1 as 0 (UNKNOWN).
        var acl = AclMapping.FromBinding(Wire(0, "alice", operation: 0));
        Assert.Equal(KafkaAclResourceType.Unknown, acl.ResourceType);
        Assert.Equal(KafkaAclOperation.Unknown, acl.Operation);
        var why = AclMapping.DescribeUnrepresentable(acl);
        Assert.NotNull(why);
        Assert.Contains("resource type and operation", why, StringComparison.Ordinal);
        Assert.Contains("kafka-acls.sh", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(13, KafkaAclOperation.CreateTokens)]
    [InlineData(14, KafkaAclOperation.DescribeTokens)]
    [InlineData(99, KafkaAclOperation.Unknown)]
    public void Operations_beyond_IdempotentWrite_keep_their_kafka_names(int wire, KafkaAclOperation expected) =>
        Assert.Equal(expected, AclMapping.FromBinding(Wire(7, "alice", operation: wire)).Operation);

    [Theory]
    [InlineData(KafkaAclResourceType.TransactionalId)]
    [InlineData(KafkaAclResourceType.DelegationToken)]
    [InlineData(KafkaAclResourceType.User)]
    [InlineData(KafkaAclResourceType.Unknown)]
    public void A_piped_acl_of_a_type_confluent_cannot_name_is_refused_not_widened_to_Any(KafkaAclResourceType type)
    {
        var acl = AclMapping.FromBinding(Wire(5, "orders")) with { ResourceType = type };
        var ex = Assert.Throws<KafkaCatalogException>(() => AclMapping.ToExactFilter(acl));
        Assert.Equal("AclResourceTypeNotSupported", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains("kafka-acls.sh", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_piped_acl_that_is_not_one_binding_is_refused()
    {
        var topic = AclMapping.FromBinding(Wire(2, "orders"));
        Assert.Equal("AclResourceTypeNotSupported", Assert.Throws<KafkaCatalogException>(() => AclMapping.ToExactFilter(topic with { ResourceType = KafkaAclResourceType.Any })).ErrorId);
        foreach (var wide in new[]
        {
            topic with { PatternType = KafkaAclPatternType.Match },
            topic with { PatternType = KafkaAclPatternType.Any },
            topic with { Operation = KafkaAclOperation.Any },
            topic with { Permission = KafkaAclPermission.Any },
            topic with { Host = string.Empty },
        })
        {
            Assert.Equal("AclBindingNotExact", Assert.Throws<KafkaCatalogException>(() => AclMapping.ToExactFilter(wide)).ErrorId);
        }
    }

    [Fact]
    public void The_exact_filter_of_a_topic_acl_names_every_field()
    {
        var filter = AclMapping.ToBindingFilter(AclMapping.ToExactFilter(AclMapping.FromBinding(Wire(2, "orders"))), forDelete: true);
        Assert.Equal(ResourceType.Topic, filter.PatternFilter.Type);
        Assert.Equal("orders", filter.PatternFilter.Name);
        Assert.Equal(ResourcePatternType.Literal, filter.PatternFilter.ResourcePatternType);
        Assert.Equal(("User:tx-app", "*", AclOperation.Write, AclPermissionType.Allow),
            (filter.EntryFilter.Principal, filter.EntryFilter.Host, filter.EntryFilter.Operation, filter.EntryFilter.PermissionType));
    }

    [Theory]
    [InlineData(KafkaAclResourceType.TransactionalId, "AclResourceTypeNotSupported")]
    [InlineData(KafkaAclResourceType.Unknown, "AclResourceTypeNotSupported")]
    public void Filters_and_new_acls_of_unnameable_types_are_refused(KafkaAclResourceType type, string errorId)
    {
        var filter = new KafkaAclFilter { ResourceType = type, ResourceName = "orders", Principal = "User:a", Operation = KafkaAclOperation.Write, Permission = KafkaAclPermission.Allow };
        Assert.Equal(errorId, Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBindingFilter(filter, forDelete: false)).ErrorId);
        Assert.Equal(errorId, Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBindingFilter(filter, forDelete: true)).ErrorId);
        Assert.Equal(errorId, Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBinding(filter)).ErrorId);
    }

    [Fact]
    public void Operations_and_patterns_confluent_cannot_name_are_refused_in_filters()
    {
        Assert.Equal("AclOperationNotSupported", Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBindingFilter(new KafkaAclFilter { Principal = "User:a", Operation = KafkaAclOperation.CreateTokens }, false)).ErrorId);
        Assert.Equal("AclPatternTypeNotSupported", Assert.Throws<KafkaCatalogException>(() => AclMapping.ToBindingFilter(new KafkaAclFilter { Principal = "User:a", PatternType = KafkaAclPatternType.Unknown }, false)).ErrorId);
    }
}
