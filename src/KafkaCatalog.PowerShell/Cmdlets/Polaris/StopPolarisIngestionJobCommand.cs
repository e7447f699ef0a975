using System.Management.Automation;
using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>Cancels ingestion jobs (desiredExecutionStatus = canceled) and returns their new state.</summary>
[Cmdlet(VerbsLifecycle.Stop, "PolarisIngestionJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PolarisIngestionJob))]
public sealed class StopPolarisIngestionJobCommand : PolarisCmdlet
{
    /// <summary>The jobs to cancel.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] JobId { get; set; } = Array.Empty<string>();

    /// <summary>Cancel without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        using var client = OpenClientOrThrow();
        var approval = Approval(Force);
        foreach (var id in JobId)
        {
            RunForItem(async ct =>
            {
                if (!approval.Approve($"Polaris ingestion job {id} in project {client.Connection.ProjectId}", "Cancel"))
                {
                    return;
                }

                Emit(await client.StopIngestionJobAsync(id, ct).ConfigureAwait(false));
            });
        }
    }
}
