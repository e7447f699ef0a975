using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Lists ACL bindings matching the filters (every ACL when none is given).</summary>
[Cmdlet(VerbsCommon.Get, "KafkaAcl")]
[OutputType(typeof(KafkaAcl))]
public sealed class GetKafkaAclCommand : KafkaCmdlet
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

    protected override void ProcessRecord()
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
        try
        {
            AclMapping.ToBindingFilter(filter, forDelete: false);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }

        RunWithClient(async (factory, sink, token) =>
        {
            foreach (var acl in await new AclService(factory, sink).GetAsync(filter, token).ConfigureAwait(false))
            {
                Emit(acl);
            }
        });
    }
}
