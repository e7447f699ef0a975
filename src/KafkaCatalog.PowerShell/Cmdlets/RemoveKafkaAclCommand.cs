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
public sealed class RemoveKafkaAclCommand : KafkaAclFilterCmdlet
{
    /// <summary>Remove without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the ACLs removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        KafkaAclFilter filter;
        try
        {
            filter = CreateFilter(forDelete: true);
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
