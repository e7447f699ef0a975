using System.Runtime.CompilerServices;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// Committed offsets and lag. For a batch of groups: one OffsetFetch per group (bounded concurrency),
/// then one ListOffsets for the earliest and one for the latest offsets of every partition of the batch
/// (librdkafka sends one request per partition leader), and the metadata read once per instance (one
/// instance per cmdlet invocation). Groups come either from a query (listed and described by
/// <see cref="ConsumerGroupReader"/>, an Empty group the listing showed is not described), or already
/// described (Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset: <see cref="Add(KafkaConsumerGroup)"/>,
/// never described again). Batching happens here only: piped groups and ids wait in this service until
/// a batch of <see cref="BatchSize"/> is full (<see cref="DrainAsync"/>). Each group's rows, or the
/// error that kept them out, come out as one <see cref="GroupResult{T}"/>.
/// </summary>
public sealed class ConsumerGroupOffsetService
{
    private readonly List<KafkaConsumerGroup> _pendingGroups = [];
    private readonly List<string> _pendingIds = [];

    public ConsumerGroupOffsetService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
        : this(new ConsumerGroupReader(factory, sink, retry))
    {
    }

    internal ConsumerGroupOffsetService(ConsumerGroupReader reader) => Reader = reader;

    /// <summary>The reader the query path goes through (it shares this service's metadata read).</summary>
    public ConsumerGroupReader Reader { get; }

    /// <summary>The connection's client factory.</summary>
    public KafkaClientFactory Factory => Calls.Factory;

    /// <summary>How many piped groups (or ids) make one batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>How many groups' committed offsets are fetched at once.</summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>True when piped groups or ids wait for <see cref="DrainAsync"/>.</summary>
    public bool HasPending => PendingCount > 0;

    /// <summary>How many piped groups and ids wait for <see cref="DrainAsync"/>.</summary>
    public int PendingCount => _pendingGroups.Count + _pendingIds.Count;

    private ConsumerGroupCalls Calls => Reader.Calls;

    /// <summary>Checks -Topic values before any call.</summary>
    public static void EnsureValidTopics(IReadOnlyList<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Any(string.IsNullOrWhiteSpace))
        {
            throw new KafkaCatalogException(ErrorCatalog.EmptyTopicName, "-Topic contains an empty name. Give topic names, or leave -Topic out for every topic.", string.Empty);
        }
    }

    /// <summary>
    /// Queues a described group (its members name the partitions' owners); true when a batch is full. Its committed
    /// offsets are used as they were read only when the scope they were read under is open now, as the group
    /// arrives (it comes straight from a Get-KafkaConsumerGroup that is still running); otherwise they are read again.
    /// </summary>
    /// <exception cref="KafkaCatalogException">EmptyGroupId for a group without an id (nothing is queued).</exception>
    public bool Add(KafkaConsumerGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        ConsumerGroupNames.EnsureValidGroupId(group.GroupId);
        _pendingGroups.Add(group.CommittedRead is { Scope.IsOpen: false } ? group with { CommittedRead = null } : group);
        return _pendingGroups.Count + _pendingIds.Count >= BatchSize;
    }

    /// <summary>Queues a group id or pattern (to be described); true when a batch is full.</summary>
    public bool Add(string groupId)
    {
        ConsumerGroupNames.EnsureValidGroupId(groupId);
        _pendingIds.Add(groupId);
        return _pendingGroups.Count + _pendingIds.Count >= BatchSize;
    }

    /// <summary>The offset rows of the queued groups and ids (ids first), group after group; the queue is then empty.</summary>
    public async IAsyncEnumerable<GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>> DrainAsync(IReadOnlyList<string> topics, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var ids = _pendingIds.Distinct(StringComparer.Ordinal).ToArray();
        var groups = _pendingGroups.DistinctBy(g => g.GroupId, StringComparer.Ordinal).ToArray();
        _pendingIds.Clear();
        _pendingGroups.Clear();
        if (ids.Length > 0)
        {
            await foreach (var result in GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = ids, Topics = topics, MaxConcurrency = MaxConcurrency, BatchSize = BatchSize }, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }

        if (groups.Length > 0)
        {
            foreach (var result in await GetOffsetsAsync(groups, topics, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }

    /// <summary>The offset rows of each group matching the query, group after group, as each batch completes.</summary>
    public async IAsyncEnumerable<GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>> GetOffsetsAsync(ConsumerGroupQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var result in ReadAsync(query, cancellationToken).ConfigureAwait(false))
        {
            yield return result.IsSuccess
                ? GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>.Success(result.Value!.Offsets!)
                : GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>.Failure(result.Error!);
        }
    }

    /// <summary>The groups matching the query, described, with <see cref="KafkaConsumerGroup.Offsets"/> filled (Get-KafkaConsumerGroup -IncludeOffsets).</summary>
    public IAsyncEnumerable<GroupResult<KafkaConsumerGroup>> ReadWithOffsetsAsync(ConsumerGroupQuery query, CancellationToken cancellationToken = default) =>
        ReadAsync(query, cancellationToken);

    /// <summary>The offset rows of groups already described, in batches of <see cref="BatchSize"/> (none is described again).</summary>
    public async Task<IReadOnlyList<GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>>> GetOffsetsAsync(IReadOnlyList<KafkaConsumerGroup> groups, IReadOnlyList<string> topics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        EnsureValidTopics(topics);
        var filter = new ConsumerGroupQuery { Topics = topics };
        using var gate = new SemaphoreSlim(MaxConcurrency);
        var results = new List<GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>>();
        foreach (var batch in groups.Chunk(BatchSize))
        {
            var described = batch.Select(GroupResult<KafkaConsumerGroup>.Success).ToArray();
            foreach (var result in await WithOffsetsAsync(described, filter, gate, cancellationToken).ConfigureAwait(false))
            {
                results.Add(result.IsSuccess
                    ? GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>.Success(result.Value!.Offsets!)
                    : GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>.Failure(result.Error!));
            }
        }

        return results;
    }

    /// <summary>
    /// The committed offsets of <paramref name="groupId"/> in <paramref name="topic"/>, by partition (partitions the group
    /// has no offset for are absent; so is every partition of a group that does not exist). Read only, through the same
    /// guarded ListConsumerGroupOffsets as Get-KafkaConsumerGroupOffset, after proving the cluster answers.
    /// </summary>
    /// <exception cref="KafkaCatalogException">The offsets could not be read.</exception>
    public async Task<IReadOnlyDictionary<int, long>> GetCommittedOffsetsAsync(string groupId, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        await ClusterReachabilityGuard.ProveReachableAsync(Calls.Factory, Calls.Retry, Calls.Sink, cancellationToken).ConfigureAwait(false);
        var committed = await Calls.FetchCommittedAsync(groupId, cancellationToken).ConfigureAwait(false);
        return (committed.Offsets ?? throw committed.Error!)
            .Where(c => c.Topic == topic && c.Offset.Value >= 0)
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>The group's committed offsets: those it carries from an open scope (see <see cref="Add(KafkaConsumerGroup)"/>), else one OffsetFetch.</summary>
    private Task<CommittedOffsets> CommittedAsync(KafkaConsumerGroup group, SemaphoreSlim gate, CancellationToken cancellationToken) =>
        group.CommittedRead is { Committed.Offsets: not null } read ? Task.FromResult(read.Committed) : FetchGatedAsync(Calls, group.GroupId, gate, cancellationToken);

    /// <summary>One OffsetFetch under the batch's concurrency gate.</summary>
    internal static async Task<CommittedOffsets> FetchGatedAsync(ConsumerGroupCalls calls, string groupId, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await calls.FetchCommittedAsync(groupId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private IAsyncEnumerable<GroupResult<KafkaConsumerGroup>> ReadAsync(ConsumerGroupQuery query, CancellationToken cancellationToken) =>
        Reader.StreamAsync(query, (batch, gate, token) => WithOffsetsAsync(batch, query, gate, token), progressId: 4102, "Reading consumer group offsets", cancellationToken);

    /// <summary>
    /// The offsets of one batch: per group one OffsetFetch (under the gate), the rows (committed partitions and
    /// assigned ones, within <see cref="ConsumerGroupQuery.Topics"/> and partitions that exist), one ListOffsets
    /// pair for all of them, then each group with its rows. When not one group's coordinator answered, the
    /// cluster is gone: its KafkaClusterUnreachable follows the groups' errors.
    /// </summary>
    private async Task<IReadOnlyList<GroupResult<KafkaConsumerGroup>>> WithOffsetsAsync(IReadOnlyList<GroupResult<KafkaConsumerGroup>> batch, ConsumerGroupQuery query, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var partitionCounts = await Calls.PartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        var fetched = await Task.WhenAll(batch.Select(async r => (Group: r, Committed: r.IsSuccess ? await CommittedAsync(r.Value!, gate, cancellationToken).ConfigureAwait(false) : null))).ConfigureAwait(false);
        var topicFilter = query.Topics.Count == 0 ? null : query.Topics.ToHashSet(StringComparer.Ordinal);
        var perGroup = new List<(GroupResult<KafkaConsumerGroup> Group, CommittedOffsets? Committed, List<(KafkaTopicPartition Partition, long? Committed)> Rows)>();
        var allPartitions = new HashSet<KafkaTopicPartition>();
        foreach (var (group, committed) in fetched)
        {
            if (committed?.Offsets is not { } offsets)
            {
                perGroup.Add((group, committed, []));
                continue;
            }

            var rows = new Dictionary<KafkaTopicPartition, long?>();
            foreach (var offset in offsets)
            {
                rows[new KafkaTopicPartition(offset.Topic, offset.Partition.Value)] = offset.Offset.Value >= 0 ? offset.Offset.Value : null;
            }

            foreach (var tp in group.Value!.Members.SelectMany(m => m.Assignment))
            {
                rows.TryAdd(tp, null);
            }

            var selected = rows
                .Where(r => (topicFilter is null || topicFilter.Contains(r.Key.Topic)) && partitionCounts.TryGetValue(r.Key.Topic, out var count) && r.Key.Partition < count)
                .OrderBy(r => r.Key.Topic, StringComparer.Ordinal).ThenBy(r => r.Key.Partition)
                .Select(r => (r.Key, r.Value))
                .ToList();
            allPartitions.UnionWith(selected.Select(s => s.Key));
            perGroup.Add((group, committed, selected));
        }

        var (bounds, failed) = await Calls.LogBoundsAsync(allPartitions, cancellationToken).ConfigureAwait(false);
        var results = new List<GroupResult<KafkaConsumerGroup>>(perGroup.Count + 1);
        foreach (var (group, committed, rows) in perGroup)
        {
            if (!group.IsSuccess || committed!.Offsets is null)
            {
                results.Add(group.IsSuccess ? GroupResult<KafkaConsumerGroup>.Failure(committed!.Error!) : group);
                continue;
            }

            var g = group.Value!;
            var owners = new Dictionary<KafkaTopicPartition, KafkaConsumerGroupMember>();
            foreach (var member in g.Members)
            {
                foreach (var tp in member.Assignment)
                {
                    owners[tp] = member;
                }
            }

            var offsetRows = new List<KafkaConsumerGroupOffset>(rows.Count);
            foreach (var (partition, committedOffset) in rows)
            {
                if (!bounds.TryGetValue(partition, out var b))
                {
                    continue;
                }

                owners.TryGetValue(partition, out var owner);
                offsetRows.Add(new KafkaConsumerGroupOffset
                {
                    GroupId = g.GroupId,
                    Topic = partition.Topic,
                    Partition = partition.Partition,
                    CommittedOffset = committedOffset,
                    LogStartOffset = b.Start,
                    LogEndOffset = b.End,
                    Lag = ConsumerGroupLag.Compute(committedOffset, b.Start, b.End),
                    MemberId = owner?.MemberId,
                    ClientId = owner?.ClientId,
                    Host = owner?.Host,
                    ConnectionName = Calls.ConnectionName,
                });
            }

            var topics = offsetRows.Select(r => r.Topic);
            results.Add(GroupResult<KafkaConsumerGroup>.Success(g with
            {
                Topics = g.Members.SelectMany(m => m.Assignment).Select(a => a.Topic).Concat(topics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
                Offsets = offsetRows,
                CommittedRead = query.Scope is { } scope ? new CommittedOffsetsRead(committed, scope) : null,
            }));
        }

        var asked = fetched.Count(f => f.Committed is not null);
        if (asked > 0 && fetched.All(f => f.Committed is null || f.Committed.Unreachable is not null))
        {
            // Not one coordinator answered: the cluster is gone, not a broker.
            results.Add(GroupResult<KafkaConsumerGroup>.Failure(fetched.First(f => f.Committed is not null).Committed!.Unreachable!));
        }

        if (failed.Count > 0)
        {
            results.Insert(0, GroupResult<KafkaConsumerGroup>.Failure(ConsumerGroupErrors.PartitionOffsetsUnavailable(failed)));
        }

        return results;
    }
}
