using System.Management.Automation;
using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>Reads ingestion jobs: status, health and row totals. Without -JobId, lists the streaming jobs.</summary>
[Cmdlet(VerbsCommon.Get, "PolarisIngestionJob", DefaultParameterSetName = "List")]
[OutputType(typeof(PolarisIngestionJob))]
public sealed class GetPolarisIngestionJobCommand : PolarisCmdlet
{
    /// <summary>The job ids to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "ById")]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] JobId { get; set; } = Array.Empty<string>();

    /// <summary>Only the jobs that feed this table.</summary>
    [Parameter(ParameterSetName = "List")]
    [ValidateNotNullOrEmpty]
    public string? TableName { get; set; }

    protected override void ProcessRecord()
    {
        using var client = OpenClientOrThrow();
        if (ParameterSetName == "List")
        {
            RunAsync(async ct =>
            {
                await foreach (var job in client.ListIngestionJobsAsync(TableName, ct).ConfigureAwait(false))
                {
                    Emit(job);
                }
            });
            return;
        }

        foreach (var id in JobId)
        {
            RunForItem(async ct => Emit(await client.GetIngestionJobAsync(id, ct).ConfigureAwait(false)));
        }
    }
}
