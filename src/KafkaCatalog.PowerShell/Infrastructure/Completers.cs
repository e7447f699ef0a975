using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>Tab completion of topic names through the command's connection (2 s at most, cached 60 s per connection).</summary>
public sealed class TopicNameCompleter : IArgumentCompleter
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompleteFromCluster(fakeBoundParameters, wordToComplete, "topics", async (factory, token) =>
        {
            var topics = new List<string>();
            await foreach (var topic in new TopicService(factory).ListAsync(new TopicQuery(), null, token).ConfigureAwait(false))
            {
                topics.Add(topic.Name);
            }

            return topics;
        });

    /// <summary>
    /// Completion of names read from the cluster the command would talk to (-Connection, -BootstrapServer,
    /// the session default or KAFKA_BOOTSTRAP_SERVERS): nothing when no connection resolves; the names come
    /// from the module's completion cache under <paramref name="kind"/> per connection, fetched in
    /// <see cref="Timeout"/> at most so completion never hangs the prompt.
    /// </summary>
    internal static CompletionResult[] CompleteFromCluster(
        IDictionary fakeBoundParameters,
        string wordToComplete,
        string kind,
        Func<KafkaClientFactory, CancellationToken, Task<IReadOnlyList<string>>> fetch)
    {
        // Resolved here, on the completing runspace's thread (the fetch below runs on other threads).
        var session = ModuleState.Current;
        KafkaConnection connection;
        try
        {
            connection = KafkaConnectionSelector.Resolve(
                Unwrap(fakeBoundParameters["Connection"]) as KafkaConnection,
                Servers(Unwrap(fakeBoundParameters["BootstrapServer"])),
                null,
                session.Kafka.Get,
                session.Kafka.Default,
                Environment.GetEnvironmentVariables());
        }
        catch (KafkaCatalog.Core.KafkaCatalogException)
        {
            return Array.Empty<CompletionResult>();
        }

        var names = session.Completions.GetOrFetch(kind + "|" + connection.Name + "|" + connection.BootstrapServers, async token =>
        {
            using var client = session.LeaseKafkaClient(connection);
            return await fetch(client.Factory, token).ConfigureAwait(false);
        }, Timeout);

        return CompletionCache.Filter(names, wordToComplete).Select(ToResult).ToArray();
    }

    internal static CompletionResult ToResult(string name)
    {
        var text = name.Any(c => !(char.IsLetterOrDigit(c) || c is '.' or '_' or '-')) ? "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'" : name;
        return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
    }

    internal static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <summary>
    /// -BootstrapServer as typed: one string, or (a,b,c typed on the line) an object[] of strings, which the
    /// completer must read too or a Tab after a list of servers completes nothing.
    /// </summary>
    internal static string[]? Servers(object? value) => value switch
    {
        string one => [one],
        IEnumerable many => many.Cast<object?>().Select(Unwrap).OfType<string>().ToArray() is { Length: > 0 } servers ? servers : null,
        _ => null,
    };
}

/// <summary>Tab completion of the session's Kafka connection names.</summary>
public sealed class KafkaConnectionNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionCache.Filter(ModuleState.Current.Kafka.Names, wordToComplete).Select(TopicNameCompleter.ToResult).ToArray();
}
