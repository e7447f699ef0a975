using System.Runtime.CompilerServices;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Get-KafkaConsumerGroupOffset -IncludeTimeLag: the offset rows of <see cref="ConsumerGroupService"/>
/// with <see cref="KafkaConsumerGroupOffset.TimeLag"/> filled in. Rows are held only until their
/// group is complete and about <see cref="ReadsPerRound"/> record reads have gathered, then those
/// reads go out (<see cref="TimeLagRecordReader"/>: bounded partitions at once, small fetches) and the
/// groups stream out. A partition without lag needs no read; the newest record of a partition is
/// read once for every group that lags on it, and the record at a committed offset once for every
/// group committed there.
/// </summary>
public sealed class ConsumerGroupTimeLagService : IDisposable
{
    /// <summary>Record reads gathered before they are fetched (so groups stream out in rounds).</summary>
    public const int ReadsPerRound = 64;

    private readonly ConsumerGroupService _groups;
    private readonly TimeLagRecordReader _reader;
    private readonly Dictionary<TimeLagRead, long?> _timestamps = new();

    public ConsumerGroupTimeLagService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _groups = new ConsumerGroupService(factory, sink, retry);
        _reader = new TimeLagRecordReader(factory, sink);
    }

    /// <summary>Record reads (fetch waves) issued so far.</summary>
    public int FetchWaves => _reader.Waves;

    /// <summary>The offset rows of each matching group with their time lag, group after group.</summary>
    public async IAsyncEnumerable<KafkaConsumerGroupOffset> GetOffsetsAsync(
        ConsumerGroupQuery query,
        Action<KafkaCatalogException>? onItemError = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var group in GetGroupsAsync(query, onItemError, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in group)
            {
                yield return row;
            }
        }
    }

    /// <summary>One summary row per group and topic, with the worst partition's time lag.</summary>
    public async IAsyncEnumerable<KafkaConsumerGroupLagSummary> GetLagSummaryAsync(
        ConsumerGroupQuery query,
        Action<KafkaCatalogException>? onItemError = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var group in GetGroupsAsync(query, onItemError, cancellationToken).ConfigureAwait(false))
        {
            foreach (var summary in TimeLagCalculator.Summarize(group))
            {
                yield return summary;
            }
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<KafkaConsumerGroupOffset>> GetGroupsAsync(
        ConsumerGroupQuery query,
        Action<KafkaCatalogException>? onItemError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var ready = new List<List<KafkaConsumerGroupOffset>>();
        var reads = new HashSet<TimeLagRead>();
        List<KafkaConsumerGroupOffset>? current = null;
        await foreach (var row in _groups.GetOffsetsAsync(query, onItemError, cancellationToken).ConfigureAwait(false))
        {
            if (current is not null && !string.Equals(current[0].GroupId, row.GroupId, StringComparison.Ordinal))
            {
                ready.Add(current);
                current = null;
                if (reads.Count >= ReadsPerRound)
                {
                    foreach (var group in await ResolveAsync(ready, reads, cancellationToken).ConfigureAwait(false))
                    {
                        yield return group;
                    }
                }
            }

            current ??= [];
            current.Add(row);
            if (TimeLagCalculator.Immediate(row) is null)
            {
                var (committed, newest) = TimeLagCalculator.ReadsFor(row);
                foreach (var read in new[] { committed, newest })
                {
                    if (!_timestamps.ContainsKey(read))
                    {
                        reads.Add(read);
                    }
                }
            }
        }

        if (current is not null)
        {
            ready.Add(current);
        }

        foreach (var group in await ResolveAsync(ready, reads, cancellationToken).ConfigureAwait(false))
        {
            yield return group;
        }
    }

    private async Task<IReadOnlyList<IReadOnlyList<KafkaConsumerGroupOffset>>> ResolveAsync(List<List<KafkaConsumerGroupOffset>> ready, HashSet<TimeLagRead> reads, CancellationToken cancellationToken)
    {
        if (reads.Count > 0)
        {
            foreach (var (read, timestamp) in await _reader.ReadAsync(reads, cancellationToken).ConfigureAwait(false))
            {
                _timestamps[read] = timestamp;
            }

            reads.Clear();
        }

        var groups = ready.Select(g => (IReadOnlyList<KafkaConsumerGroupOffset>)g.Select(r => TimeLagCalculator.Apply(r, _timestamps)).ToArray()).ToArray();
        ready.Clear();
        return groups;
    }

    public void Dispose() => _reader.Dispose();
}
