using System.Management.Automation;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>Deletes Polaris Kafka connections. Polaris refuses while an ingestion job uses one.</summary>
[Cmdlet(VerbsCommon.Remove, "PolarisKafkaConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemovePolarisKafkaConnectionCommand : PolarisCmdlet
{
    /// <summary>The connections to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PolarisKafkaConnectionNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Delete without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        using var client = OpenClientOrThrow();
        var approval = Approval(Force);
        foreach (var name in Name)
        {
            RunForItem(async ct =>
            {
                if (!approval.Approve($"Polaris Kafka connection '{name}' in project {client.Connection.ProjectId}", "Delete"))
                {
                    return;
                }

                await client.RemoveKafkaConnectionAsync(name, ct).ConfigureAwait(false);
                EmitVerbose($"Deleted Polaris connection '{name}'.");
            });
        }
    }
}
