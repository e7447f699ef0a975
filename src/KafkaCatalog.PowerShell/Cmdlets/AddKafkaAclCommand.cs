using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Acls;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Adds ACL bindings: one per -Operation. Every parameter binds by property name, so
/// <c>Import-Csv acls.csv | Add-KafkaAcl</c> adds one per row.
/// </summary>
[Cmdlet(VerbsCommon.Add, "KafkaAcl", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaAcl))]
public sealed class AddKafkaAclCommand : KafkaCmdlet
{
    // Text checked by ValidateSet (not the enum type), so any value outside the set, whether or not the enum has it,
    // is one ParameterArgumentValidationError that lists exactly the values Add-KafkaAcl takes.
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Topic", "Group", "Cluster")]
    public string ResourceType { get; set; } = string.Empty;

    /// <summary>Topic or group name, a prefix with -PatternType Prefixed, or '*'; Cluster ACLs use 'kafka-cluster' (the default).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ResourceName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Literal", "Prefixed")]
    public string PatternType { get; set; } = nameof(KafkaAclPatternType.Literal);

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Principal { get; set; } = string.Empty;

    /// <summary>The client host (IP) the ACL applies to, '*' for any. Bound as -Host and from the Host property of Get-KafkaAcl output (PSCmdlet already has a Host member).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("Host")]
    public string ClientHost { get; set; } = "*";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public KafkaAclOperation[] Operation { get; set; } = [];

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Allow", "Deny")]
    public string Permission { get; set; } = nameof(KafkaAclPermission.Allow);

    /// <summary>Emit the ACLs added.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var acls = Operation.Distinct().Select(op => new KafkaAclFilter
        {
            ResourceType = Enum.Parse<KafkaAclResourceType>(ResourceType, ignoreCase: true),
            ResourceName = ResourceName,
            PatternType = Enum.Parse<KafkaAclPatternType>(PatternType, ignoreCase: true),
            Principal = Principal,
            Host = ClientHost,
            Operation = op,
            Permission = Enum.Parse<KafkaAclPermission>(Permission, ignoreCase: true),
        }).ToArray();

        // Check them all before adding any.
        foreach (var acl in acls)
        {
            try
            {
                AclMapping.ToBinding(acl);
            }
            catch (KafkaCatalogException ex)
            {
                WriteError(ToErrorRecord(ex));
                return;
            }
        }

        var passThru = PassThru.IsPresent;
        var approval = Approval();
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new AclService(factory, sink);
            foreach (var acl in acls)
            {
                if (!approval.Approve($"ACL '{acl}' on {factory.BootstrapServers}", "Add ACL"))
                {
                    continue;
                }

                try
                {
                    var added = await service.AddAsync(acl, token).ConfigureAwait(false);
                    if (passThru)
                    {
                        Emit(added);
                    }
                }
                catch (KafkaCatalogException ex)
                {
                    EmitItemError(ex);
                }
            }
        });
    }
}
