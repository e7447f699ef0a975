using System.Management.Automation;
using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>
/// Creates a Polaris connection to a Kafka topic (or topic pattern), from piped topics of
/// Get-KafkaTopic, a Kafka connection, or parameters.
/// </summary>
[Cmdlet(VerbsCommon.New, "PolarisKafkaConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PolarisKafkaConnection))]
public sealed class NewPolarisKafkaConnectionCommand : PolarisKafkaConnectionCommandBase
{
    /// <summary>The Polaris connection name (1-64 of A-Z a-z 0-9 . _ -); the topic name when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        using var client = OpenClientOrThrow();
        var approval = Approval();
        RunForItem(async ct =>
        {
            var spec = PolarisKafkaConnectionSpecBuilder.Build(BuildParameters(Name));
            if (!approval.Approve(spec.Describe(client.Connection.ProjectId), "Create"))
            {
                return;
            }

            Emit(await client.CreateKafkaConnectionAsync(spec, ct).ConfigureAwait(false));
        });
    }
}
