using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Tab completion of consumer group ids from the session's default connection (or -Connection when
/// already typed). The ids are cached per connection for a short while, and a slow cluster only
/// costs the short timeout: completion must never hang the prompt.
/// </summary>
public sealed class ConsumerGroupIdCompleter : IArgumentCompleter
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Ids)> Cache = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = fakeBoundParameters?["Connection"] as Core.Connections.KafkaConnection
            ?? (fakeBoundParameters?["Connection"] as PSObject)?.BaseObject as Core.Connections.KafkaConnection
            ?? ModuleState.Kafka.Default;
        if (connection is null)
        {
            return [];
        }

        var ids = GetIds(connection);
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return ids
            .Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(id => new CompletionResult(Quote(id), id, CompletionResultType.ParameterValue, id))
            .ToArray();
    }

    private static IReadOnlyList<string> GetIds(Core.Connections.KafkaConnection connection)
    {
        var key = connection.Name + "\n" + connection.BootstrapServers;
        if (Cache.TryGetValue(key, out var cached) && DateTimeOffset.UtcNow - cached.At < CacheLifetime)
        {
            return cached.Ids;
        }

        try
        {
            NativeLibraryLoader.EnsureLoaded();
            var factory = ModuleState.KafkaClients.GetOrCreate(connection);
            using var cts = new CancellationTokenSource(Timeout);
            var service = new ConsumerGroupService(factory, retry: new Core.Resilience.KafkaRetry(new Core.Resilience.KafkaRetryOptions { MaxAttempts = 1 }));
            var listing = service.ListGroupListingsAsync([], Timeout, cts.Token).Wait(Timeout + TimeSpan.FromMilliseconds(500), out var result)
                ? result
                : null;
            if (listing is null)
            {
                return cached.Ids ?? [];
            }

            var ids = listing.Select(l => l.GroupId).Order(StringComparer.Ordinal).ToArray();
            Cache[key] = (DateTimeOffset.UtcNow, ids);
            return ids;
        }
        catch (Exception ex) when (ex is Core.KafkaCatalogException or OperationCanceledException or AggregateException or Confluent.Kafka.KafkaException)
        {
            return cached.Ids ?? [];
        }
    }

    private static string Quote(string id) =>
        id.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '(' or ')' or '{' or '}' or ';' or ',' or '@' or '#' or '&' or '|' or '<' or '>')
            ? "'" + id.Replace("'", "''", StringComparison.Ordinal) + "'"
            : id;
}

internal static class TaskWaitExtensions
{
    /// <summary>Waits at most <paramref name="timeout"/> for the task; false (and no result) if it is late or failed.</summary>
    public static bool Wait<T>(this Task<T> task, TimeSpan timeout, out T? result)
    {
        try
        {
            if (task.Wait(timeout))
            {
                result = task.Result;
                return true;
            }
        }
        catch (AggregateException)
        {
        }

        result = default;
        return false;
    }
}
