using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>Tab completion of Polaris Kafka connection names through the command's Polaris connection (2 s at most, cached 60 s).</summary>
public sealed class PolarisKafkaConnectionNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        PolarisConnection polaris;
        try
        {
            polaris = PolarisConnectionResolver.Resolve(
                TopicNameCompleter.Unwrap(fakeBoundParameters["PolarisConnection"]) as PolarisConnection,
                ModuleState.Current.Polaris.Default,
                Environment.GetEnvironmentVariable);
        }
        catch (KafkaCatalogException)
        {
            return Array.Empty<CompletionResult>();
        }

        var names = ModuleState.Current.Completions.GetOrFetch("polaris-connections|" + polaris.ProjectUri, async token =>
        {
            using var client = new PolarisClient(polaris);
            var connections = await client.ListKafkaConnectionsAsync(token).ConfigureAwait(false);
            return connections.Select(c => c.Name).ToList();
        }, Timeout);

        return CompletionCache.Filter(names, wordToComplete).Select(TopicNameCompleter.ToResult).ToArray();
    }
}
