using System.Collections.Concurrent;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Names for tab completion (topics, group ids...), cached per connection for a short time. A
/// lookup waits at most its timeout: when the cluster is slow, or the fetch fails (a broker down),
/// it answers with what it has (the names of the last fetch that worked, or none) and lets the fetch
/// finish in the background for the next Tab.
/// </summary>
public sealed class CompletionCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeToLive;
    private readonly TimeProvider _time;

    public CompletionCache(TimeSpan? timeToLive = null, TimeProvider? timeProvider = null)
    {
        _timeToLive = timeToLive ?? TimeSpan.FromSeconds(60);
        _time = timeProvider ?? TimeProvider.System;
    }

    public IReadOnlyList<string> GetOrFetch(string key, Func<CancellationToken, Task<IReadOnlyList<string>>> fetch, TimeSpan timeout)
    {
        var now = _time.GetUtcNow();
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        Task<IReadOnlyList<string>> pending;
        lock (entry)
        {
            if (entry.Names is not null && now - entry.FetchedAt < _timeToLive)
            {
                return entry.Names;
            }

            if (entry.Pending is null || entry.Pending.IsCompleted)
            {
                // On a pool thread: no part of the fetch (building a client, loading librdkafka) runs
                // on the prompt's thread before the bounded wait below.
                entry.Pending = Task.Run(() => FetchAsync(entry, fetch));
            }

            pending = entry.Pending;
        }

        try
        {
            return pending.Wait(timeout) ? pending.Result : entry.Names ?? Array.Empty<string>();
        }
        catch (AggregateException)
        {
            return entry.Names ?? Array.Empty<string>();
        }
    }

    public void Invalidate(string key) => _entries.TryRemove(key, out _);

    private async Task<IReadOnlyList<string>> FetchAsync(Entry entry, Func<CancellationToken, Task<IReadOnlyList<string>>> fetch)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var names = await fetch(cancel.Token).ConfigureAwait(false);
        lock (entry)
        {
            entry.Names = names;
            entry.FetchedAt = _time.GetUtcNow();
        }

        return names;
    }

    /// <summary>The names starting with (or matching, if it has wildcards) what was typed so far.</summary>
    public static IEnumerable<string> Filter(IEnumerable<string> names, string? wordToComplete)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = NamePattern.Parse(NamePattern.ContainsWildcard(word) ? word : word.Replace("`", "``", StringComparison.Ordinal) + "*");
        return names.Where(pattern.IsMatch).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
    }

    private sealed class Entry
    {
        public IReadOnlyList<string>? Names { get; set; }
        public DateTimeOffset FetchedAt { get; set; }
        public Task<IReadOnlyList<string>>? Pending { get; set; }
    }
}
