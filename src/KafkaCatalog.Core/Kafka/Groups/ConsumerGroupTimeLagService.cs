using System.Runtime.CompilerServices;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// Get-KafkaConsumerGroupOffset -IncludeTimeLag: the per-group offset rows of <see cref="ConsumerGroupOffsetService"/>
/// with <see cref="KafkaConsumerGroupOffset.TimeLag"/> filled in (<see cref="ApplyAsync"/>). Rows are held only until
/// about <see cref="ReadsPerRound"/> record reads have gathered, then those reads go out
/// (<see cref="TimeLagRecordReader"/>: bounded partitions at once, small fetches) and the groups stream out; a
/// failure result passes through at once. A partition without lag needs no read; the newest record of a partition
/// is read once for every group that lags on it, and the record at a committed offset once for every group committed
/// there (the timestamps are kept for the life of this instance: one per cmdlet invocation).
/// </summary>
public sealed class ConsumerGroupTimeLagService : IDisposable
{
    /// <summary>Record reads gathered before they are fetched (so groups stream out in rounds).</summary>
    public const int ReadsPerRound = 64;

    private readonly KafkaClientFactory _factory;
    private readonly IOperationSink? _sink;
    private readonly KafkaRetry? _retry;
    private readonly TimeLagRecordReader _reader;
    private readonly Dictionary<TimeLagRead, long?> _timestamps = new();

    public ConsumerGroupTimeLagService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _sink = sink;
        _retry = retry;
        _reader = new TimeLagRecordReader(factory, sink);
    }

    /// <summary>Record reads (fetch waves) issued so far.</summary>
    public int FetchWaves => _reader.Waves;

    /// <summary>The offset rows of each matching group with their time lag, group after group (a convenience over <see cref="ApplyAsync"/>).</summary>
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
        var offsets = new ConsumerGroupOffsetService(_factory, _sink, _retry);
        await foreach (var result in ApplyAsync(offsets.GetOffsetsAsync(query, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            if (result.IsSuccess)
            {
                yield return result.Value!;
            }
            else if (result.Error!.Is(ErrorCatalog.KafkaClusterUnreachable))
            {
                throw result.Error;
            }
            else
            {
                onItemError?.Invoke(result.Error);
            }
        }
    }

    /// <summary>
    /// Each group's rows from <paramref name="groups"/> with their time lag, in order; rows wait only until about
    /// <see cref="ReadsPerRound"/> record reads have gathered. Failures pass through as they come.
    /// </summary>
    public async IAsyncEnumerable<GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>> ApplyAsync(
        IAsyncEnumerable<GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>> groups,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var ready = new List<List<KafkaConsumerGroupOffset>>();
        var reads = new HashSet<TimeLagRead>();
        await foreach (var result in groups.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!result.IsSuccess)
            {
                yield return result;
                continue;
            }

            if (result.Value!.Count == 0)
            {
                continue;
            }

            ready.Add(result.Value.ToList());
            foreach (var row in result.Value.Where(r => TimeLagCalculator.Immediate(r) is null))
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

            if (reads.Count >= ReadsPerRound)
            {
                foreach (var group in await ResolveAsync(ready, reads, cancellationToken).ConfigureAwait(false))
                {
                    yield return GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>.Success(group);
                }
            }
        }

        foreach (var group in await ResolveAsync(ready, reads, cancellationToken).ConfigureAwait(false))
        {
            yield return GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>.Success(group);
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
