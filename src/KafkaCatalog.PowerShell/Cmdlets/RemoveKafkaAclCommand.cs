using System.Management.Automation;
using System.Text;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Removes the ACL bindings matching the filter. The parameters are the property names of
/// Get-KafkaAcl's output, so <c>Get-KafkaAcl -Principal User:bob | Remove-KafkaAcl</c> removes
/// exactly the listed bindings. -WhatIf lists every binding that would go.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KafkaAcl", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KafkaAcl))]
public sealed class RemoveKafkaAclCommand : KafkaCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public KafkaAclResourceType ResourceType { get; set; } = KafkaAclResourceType.Any;

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ResourceName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public KafkaAclPatternType? PatternType { get; set; }

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

    /// <summary>Remove without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the ACLs removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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
            AclMapping.ToBindingFilter(filter, forDelete: true);
        }
        catch (KafkaCatalogException ex)
        {
            WriteError(ToErrorRecord(ex));
            return;
        }

        var whatIf = IsWhatIf();
        var force = Force.IsPresent;
        var passThru = PassThru.IsPresent;
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new AclService(factory, sink);
            try
            {
                var matching = await service.GetAsync(filter, token).ConfigureAwait(false);
                if (matching.Count == 0)
                {
                    EmitError(new KafkaCatalogException("AclNotFound", FailureKind.ObjectNotFound,
                        $"No ACL matches {filter}. Use Get-KafkaAcl to see the ACLs; nothing was removed.", filter));
                    return;
                }

                var description = new StringBuilder($"{matching.Count} ACL(s) on {factory.BootstrapServers}:");
                foreach (var acl in matching)
                {
                    description.AppendLine().Append("  ").Append(acl);
                }

                if (whatIf)
                {
                    AskShouldProcess(description.ToString(), "Remove ACL");
                    return;
                }

                if (!force && !AskShouldProcess(description.ToString(), "Remove ACL"))
                {
                    return;
                }

                foreach (var removed in await service.RemoveAsync(filter, token).ConfigureAwait(false))
                {
                    if (passThru)
                    {
                        Emit(removed);
                    }
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }
}
