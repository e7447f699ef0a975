using System.Management.Automation;
using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>Gets the Kafka connections of a Polaris project (never their secrets).</summary>
[Cmdlet(VerbsCommon.Get, "PolarisKafkaConnection")]
[OutputType(typeof(PolarisKafkaConnection))]
public sealed class GetPolarisKafkaConnectionCommand : PolarisCmdlet
{
    /// <summary>Names or wildcard patterns; all Kafka connections when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PolarisKafkaConnectionNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        using var client = OpenClientOrThrow();
        var exact = Name?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToList() ?? new List<string>();
        var patterns = Name?.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList() ?? new List<WildcardPattern>();

        foreach (var name in exact)
        {
            RunForItem(async ct => Emit(await client.GetKafkaConnectionAsync(name, ct).ConfigureAwait(false)));
        }

        if (Name is null || patterns.Count > 0)
        {
            RunAsync(async ct =>
            {
                foreach (var connection in await client.ListKafkaConnectionsAsync(ct).ConfigureAwait(false))
                {
                    if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(connection.Name)))
                    {
                        Emit(connection);
                    }
                }
            });
        }
    }
}
