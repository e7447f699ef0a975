using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Tab completion of consumer group ids through the command's connection (-Connection,
/// -BootstrapServer, the session default or KAFKA_BOOTSTRAP_SERVERS). Uses the module's shared
/// completion cache: 2 s at most per fetch, ids kept per connection for a while, so completion
/// never hangs the prompt.
/// </summary>
public sealed class ConsumerGroupIdCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        KafkaConnection connection;
        try
        {
            var servers = TopicNameCompleter.Unwrap(fakeBoundParameters["BootstrapServer"]);
            connection = KafkaConnectionSelector.Resolve(
                TopicNameCompleter.Unwrap(fakeBoundParameters["Connection"]) as KafkaConnection,
                servers is string[] many ? many : servers is string one ? [one] : null,
                null,
                ModuleState.Kafka.Get,
                ModuleState.Kafka.Default,
                Environment.GetEnvironmentVariables());
        }
        catch (Core.KafkaCatalogException)
        {
            return Array.Empty<CompletionResult>();
        }

        var ids = ModuleState.Completions.GetOrFetch("groups|" + connection.Name + "|" + connection.BootstrapServers, async token =>
        {
            var registered = ReferenceEquals(ModuleState.Kafka.Get(connection.Name), connection);
            var factory = registered ? ModuleState.KafkaClients.GetOrCreate(connection) : new KafkaClientFactory(connection);
            try
            {
                var service = new ConsumerGroupService(factory, retry: new Core.Resilience.KafkaRetry(new Core.Resilience.KafkaRetryOptions { MaxAttempts = 1 }));
                var listings = await service.ListGroupListingsAsync([], Timeout, token).ConfigureAwait(false);
                return listings.Select(l => l.GroupId).Order(StringComparer.Ordinal).ToArray();
            }
            finally
            {
                if (!registered)
                {
                    factory.Dispose();
                }
            }
        }, Timeout);

        return CompletionCache.Filter(ids, wordToComplete).Select(TopicNameCompleter.ToResult).ToArray();
    }
}
