using System.Management.Automation;
using System.Text;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka.Acls;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Removes ACL bindings. A KafkaAcl piped in (Get-KafkaAcl output) binds to -InputObject and removes exactly that
/// binding: never a filter wider than it, and never an ACL of a type Confluent.Kafka cannot name. Otherwise the
/// filter parameters (also bound by property name, e.g. from Import-Csv) select what to remove.
/// -WhatIf lists every binding that would go.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KafkaAcl", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = FilterSet)]
[OutputType(typeof(KafkaAcl))]
public sealed class RemoveKafkaAclCommand : KafkaAclFilterCmdlet
{
    private const string FilterSet = "Filter";
    private const string InputObjectSet = "InputObject";

    /// <summary>ACLs from Get-KafkaAcl: each one removes exactly its own binding.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public KafkaAcl? InputObject { get; set; }

    /// <summary>Remove without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the ACLs removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        KafkaAclFilter filter;
        var exact = ParameterSetName == InputObjectSet ? InputObject : null;
        try
        {
            filter = exact is not null ? AclMapping.ToExactFilter(exact) : CreateFilter(forDelete: true);
        }
        catch (KafkaCatalogException ex)
        {
            WriteError(ToErrorRecord(ex));
            return;
        }

        var approval = Approval(Force);
        var passThru = PassThru.IsPresent;
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new AclService(factory, sink);
            try
            {
                var matching = await service.GetAsync(filter, token).ConfigureAwait(false);
                if (matching.Count == 0)
                {
                    EmitError(new KafkaCatalogException(ErrorCatalog.AclNotFound,
                        $"No ACL matches {filter}. Use Get-KafkaAcl to see the ACLs; nothing was removed.", filter));
                    return;
                }

                var description = new StringBuilder($"{matching.Count} ACL(s) on {factory.BootstrapServers}:");
                foreach (var acl in matching)
                {
                    description.AppendLine().Append("  ").Append(acl);
                }

                if (!approval.Approve(description.ToString(), "Remove ACL"))
                {
                    return;
                }

                var removedAcls = exact is not null
                    ? await service.RemoveExactAsync(exact, token).ConfigureAwait(false)
                    : await service.RemoveAsync(filter, token).ConfigureAwait(false);
                foreach (var removed in removedAcls)
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
