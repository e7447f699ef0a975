using System.Management.Automation;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>
/// Asks Polaris to reach Kafka through a connection. Returns $true or $false; on failure the
/// reason is written as a warning (or as an error when the connection does not exist).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "PolarisConnection")]
[OutputType(typeof(bool))]
public sealed class TestPolarisConnectionCommand : PolarisCmdlet
{
    /// <summary>The Polaris Kafka connection to test.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ConnectionName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PolarisKafkaConnectionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        using var client = OpenClientOrThrow();
        RunForItem(async ct =>
        {
            var result = await client.TestKafkaConnectionAsync(Name, ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                if (ErrorCatalog.Find(result.ErrorId) == ErrorCatalog.PolarisConnectionNotFound)
                {
                    EmitError(WithRecommendedAction(new ErrorRecord(new ItemNotFoundException(result.Reason), result.ErrorId, ErrorCategory.ObjectNotFound, Name), ErrorCatalog.PolarisConnectionNotFound));
                }
                else
                {
                    EmitWarning(result.Reason ?? $"Polaris could not use connection '{Name}'.");
                }
            }

            Emit(result.Succeeded);
        });
    }
}
