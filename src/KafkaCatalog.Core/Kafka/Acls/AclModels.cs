namespace KafkaCatalog.Core.Kafka.Acls;

/// <summary>
/// Resource types an ACL can protect. <see cref="Cluster"/> is Kafka's CLUSTER resource (named "kafka-cluster").
/// KafkaCatalog acts (adds, filters, removes) only on Topic, Group and Cluster, the types Confluent.Kafka 2.15/2.16
/// can name (Any only filters). The others only describe what the cluster returned: <see cref="TransactionalId"/>
/// (wire type 5, which librdkafka passes through), <see cref="DelegationToken"/> and <see cref="User"/> (wire types 6
/// and 7, should a later librdkafka pass them through), and <see cref="Unknown"/> for what librdkafka 2.15.1 reports
/// as UNKNOWN (it does so for DelegationToken and User ACLs).
/// </summary>
public enum KafkaAclResourceType
{
    Any,
    Topic,
    Group,
    Cluster,
    TransactionalId,
    DelegationToken,
    User,
    Unknown,
}

/// <summary>How the resource name is matched. Match and Any are only meaningful in filters; Unknown only describes.</summary>
public enum KafkaAclPatternType
{
    Any,
    Match,
    Literal,
    Prefixed,
    Unknown,
}

public enum KafkaAclOperation
{
    Any,
    All,
    Read,
    Write,
    Create,
    Delete,
    Alter,
    Describe,
    ClusterAction,
    DescribeConfigs,
    AlterConfigs,
    IdempotentWrite,
    /// <summary>User resources (KIP-373); only describes what the cluster returned.</summary>
    CreateTokens,
    /// <summary>User resources (KIP-373); only describes what the cluster returned.</summary>
    DescribeTokens,
    /// <summary>What librdkafka 2.15.1 reports for an operation it does not know (it does so for CreateTokens and DescribeTokens).</summary>
    Unknown,
}

public enum KafkaAclPermission
{
    Any,
    Allow,
    Deny,
}

/// <summary>
/// One ACL binding as Get-KafkaAcl emits it. The property names are Remove-KafkaAcl's parameter
/// names, so <c>Get-KafkaAcl ... | Remove-KafkaAcl</c> removes exactly these bindings.
/// </summary>
public sealed record KafkaAcl
{
    /// <summary>
    /// Topic, Group or Cluster for the ACLs KafkaCatalog can act on; TransactionalId (and DelegationToken, User) or
    /// Unknown for an ACL Confluent.Kafka cannot name: shown as the cluster returned it, never removed by KafkaCatalog.
    /// </summary>
    public required KafkaAclResourceType ResourceType { get; init; }
    public required string ResourceName { get; init; }
    public required KafkaAclPatternType PatternType { get; init; }
    /// <summary>"User:alice" style principal.</summary>
    public required string Principal { get; init; }
    /// <summary>The client host, "*" for any.</summary>
    public required string Host { get; init; }
    public required KafkaAclOperation Operation { get; init; }
    public required KafkaAclPermission Permission { get; init; }
    public string? ConnectionName { get; init; }

    public override string ToString() =>
        $"{Permission} {Principal} {Operation} on {ResourceType}:{PatternType}:{ResourceName} from {Host}";
}

/// <summary>
/// An ACL filter (Get-KafkaAcl, Remove-KafkaAcl) or, when every field is concrete, an ACL to
/// create (Add-KafkaAcl). Null fields mean "any".
/// </summary>
public sealed record KafkaAclFilter
{
    public KafkaAclResourceType ResourceType { get; init; } = KafkaAclResourceType.Any;
    public string? ResourceName { get; init; }
    public KafkaAclPatternType? PatternType { get; init; }
    public string? Principal { get; init; }
    public string? Host { get; init; }
    public KafkaAclOperation Operation { get; init; } = KafkaAclOperation.Any;
    public KafkaAclPermission Permission { get; init; } = KafkaAclPermission.Any;

    public override string ToString() =>
        $"{Permission} {Principal ?? "any principal"} {Operation} on {ResourceType}:{PatternType?.ToString() ?? "Literal"}:{ResourceName ?? "*any*"} from {Host ?? "any host"}";
}

/// <summary>What Remove-KafkaAcl removed for one filter.</summary>
public sealed record KafkaAclRemoval
{
    public required KafkaAclFilter Filter { get; init; }
    public required IReadOnlyList<KafkaAcl> Removed { get; init; }
}
