using System.Management.Automation;
using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>
/// Replaces a Polaris Kafka connection as a whole (PUT): every setting, including the secrets,
/// must be given again; what is left out is removed.
/// </summary>
[Cmdlet(VerbsCommon.Set, "PolarisKafkaConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PolarisKafkaConnection))]
public sealed class SetPolarisKafkaConnectionCommand : PolarisKafkaConnectionCommandBase
{
    /// <summary>The existing connection to replace (its name cannot change).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PolarisKafkaConnectionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        using var client = OpenClientOrThrow();
        var approval = Approval();
        RunForItem(async ct =>
        {
            var spec = PolarisKafkaConnectionSpecBuilder.Build(BuildParameters(Name));
            if (!approval.Approve(spec.Describe(client.Connection.ProjectId), "Replace (every setting not given is removed)"))
            {
                return;
            }

            Emit(await client.ReplaceKafkaConnectionAsync(spec, ct).ConfigureAwait(false));
        });
    }
}
