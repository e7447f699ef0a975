using System.Management.Automation;
using KafkaCatalog.Core.Kafka.Acls;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// The ACL filter parameters of Get-KafkaAcl and Remove-KafkaAcl (PowerShell binds the public
/// parameters of a base class). They are the property names of Get-KafkaAcl's output, so
/// <c>Get-KafkaAcl | Remove-KafkaAcl</c> binds every one of them by property name.
/// </summary>
public abstract class KafkaAclFilterCmdlet : KafkaCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public KafkaAclResourceType ResourceType { get; set; } = KafkaAclResourceType.Any;

    /// <summary>The resource name (topic, group, or kafka-cluster); with -PatternType Match also the prefixed and '*' ACLs that apply to it.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ResourceName { get; set; }

    /// <summary>Literal, Prefixed, Match (every ACL that applies to -ResourceName) or Any.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public KafkaAclPatternType? PatternType { get; set; }

    /// <summary>'User:alice' style principal.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Principal { get; set; }

    /// <summary>The client host (IP) the ACL applies to, '*' for any. Bound as -Host and from the Host property of Get-KafkaAcl output (PSCmdlet already has a Host member).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("Host")]
    public string? ClientHost { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public KafkaAclOperation Operation { get; set; } = KafkaAclOperation.Any;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public KafkaAclPermission Permission { get; set; } = KafkaAclPermission.Any;

    /// <summary>
    /// The filter the parameters describe, checked the way the cluster would take it for a
    /// describe (<paramref name="forDelete"/> false) or a delete.
    /// </summary>
    /// <exception cref="Core.KafkaCatalogException">The filter is not valid for that request.</exception>
    protected KafkaAclFilter CreateFilter(bool forDelete)
    {
        var filter = new KafkaAclFilter
        {
            ResourceType = ResourceType,
            ResourceName = ResourceName,
            PatternType = PatternType,
            Principal = Principal,
            Host = ClientHost,
            Operation = Operation,
            Permission = Permission,
        };
        AclMapping.ToBindingFilter(filter, forDelete);
        return filter;
    }
}
