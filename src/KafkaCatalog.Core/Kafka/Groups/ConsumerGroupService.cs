using System.Globalization;
using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>What Get-KafkaConsumerGroup and Get-KafkaConsumerGroupOffset ask for.</summary>
public sealed record ConsumerGroupQuery
{
    /// <summary>Group ids or wildcard patterns; empty means every group.</summary>
    public IReadOnlyList<string> GroupIds { get; init; } = Array.Empty<string>();

    /// <summary>Only groups in these states (Empty, Stable, PreparingRebalance, CompletingRebalance, Dead); empty means any.</summary>
    public IReadOnlyList<string> States { get; init; } = Array.Empty<string>();

    /// <summary>Only these topics (offset rows); empty means every topic of the group.</summary>
    public IReadOnlyList<string> Topics { get; init; } = Array.Empty<string>();

    /// <summary>Fill <see cref="KafkaConsumerGroup.Offsets"/> (Get-KafkaConsumerGroup -IncludeOffsets).</summary>
    public bool IncludeOffsets { get; init; }

    /// <summary>How many groups' committed offsets are fetched at once.</summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>How many groups share one describe call and one end/start offset lookup.</summary>
    public int BatchSize { get; init; } = 64;
}

/// <summary>
/// Consumer groups: list and describe, offsets and lag (fast at scale), offset reset, delete.
/// Lag for many groups costs one metadata request, one ListGroups round, one DescribeConsumerGroups
/// per batch of groups for the groups that have members (the listing says which are Empty), one
/// OffsetFetch per group (bounded concurrency across batches), and per batch one ListOffsets per
/// partition leader for the earliest and one for the latest offsets of every partition of the batch
/// (librdkafka groups a ListOffsets call by leader). Two batches are read at once; rows stream out
/// batch by batch, group by group.
/// </summary>
public sealed class ConsumerGroupService
{
    private static readonly string[] KnownStates = ["Empty", "Stable", "PreparingRebalance", "CompletingRebalance", "Dead"];

    private readonly KafkaClientFactory _factory;
    private readonly IOperationSink _sink;
    private readonly KafkaRetry _retry;
    private readonly MetadataOnce _partitionCountsOnce = new();

    /// <summary>Batches of groups read at the same time by one offsets/lag call.</summary>
    private const int BatchesInFlight = 2;

    public ConsumerGroupService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _sink = sink ?? NullOperationSink.Instance;
        _retry = retry ?? new KafkaRetry();
    }

    private string ConnectionName => _factory.Connection.Name;

    private IAdminClient Admin => _factory.AdminClient;

    /// <summary>Coordinator calls go through the consumer-handle admin client (see <see cref="KafkaClientFactory.GroupAdminClient"/>).</summary>
    private IAdminClient GroupAdmin => _factory.GroupAdminClient;

    /// <summary>Checks -State values before any call.</summary>
    public static IReadOnlyList<ConsumerGroupState> ParseStates(IReadOnlyList<string> states)
    {
        var parsed = new List<ConsumerGroupState>();
        foreach (var state in states)
        {
            var known = KnownStates.FirstOrDefault(k => string.Equals(k, state, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                throw new KafkaCatalogException(
                    "InvalidGroupState",
                    FailureKind.InvalidArgument,
                    $"'{state}' is not a consumer group state. Use one of: {string.Join(", ", KnownStates)}.",
                    state);
            }

            parsed.Add(Enum.Parse<ConsumerGroupState>(known));
        }

        return parsed;
    }

    /// <summary>
    /// Group ids only (tab completion, wildcard resolution), from one ListGroups round: every broker is
    /// asked for the groups it coordinates (<see cref="BrokerGroupList"/>, not librdkafka's admin
    /// ListConsumerGroups, whose fan-out aborts the process when a broker stops or restarts during it).
    /// A broker that does not answer within the timeout leaves its groups out, with a warning.
    /// </summary>
    public async Task<IReadOnlyList<ConsumerGroupListing>> ListGroupListingsAsync(IReadOnlyList<ConsumerGroupState> states, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        // Metadata first: a TLS, SASL or network failure is then KafkaTlsFailed / KafkaAuthenticationFailed /
        // KafkaClusterUnreachable instead of a listing that waits for brokers that never become usable.
        await _partitionCountsOnce.GetAsync(this, cancellationToken).ConfigureAwait(false);
        var budget = timeout ?? _factory.RequestTimeout;
        _sink.Verbose($"ListGroups and DescribeGroups on every broker of {_factory.BootstrapServers}{(states.Count > 0 ? " (states " + string.Join(", ", states) + ")" : string.Empty)}.");
        var result = await ListBrokerGroupsAsync(budget, cancellationToken).ConfigureAwait(false);
        if (result.Error == ErrorCode.Local_Partial)
        {
            _sink.Warning($"Not every broker answered the group listing within {budget.TotalSeconds:0.#} s: the groups coordinated by a broker that is down or restarting are missing. Get-KafkaBroker shows the brokers; run the command again shortly.");
        }

        var listings = new Dictionary<string, ConsumerGroupListing>(StringComparer.Ordinal);
        foreach (var group in result.Groups)
        {
            var state = group.Error == ErrorCode.NoError ? ParseListedState(group.State) : ConsumerGroupState.Unknown;
            if (state == ConsumerGroupState.Dead && !states.Contains(ConsumerGroupState.Dead))
            {
                // Deleted between the broker's ListGroups and DescribeGroups.
                continue;
            }

            if (!listings.TryGetValue(group.GroupId, out var known) || known.State == ConsumerGroupState.Unknown)
            {
                listings[group.GroupId] = new ConsumerGroupListing { GroupId = group.GroupId, State = state, IsSimpleConsumerGroup = group.ProtocolType.Length == 0 };
            }
        }

        return listings.Values
            .Where(l => states.Count == 0 || states.Contains(l.State))
            .OrderBy(l => l.GroupId, StringComparer.Ordinal)
            .ToList();
    }

    private static ConsumerGroupState ParseListedState(string state) =>
        Enum.TryParse<ConsumerGroupState>(state, ignoreCase: true, out var parsed) ? parsed : ConsumerGroupState.Unknown;

    /// <summary>
    /// A ListGroups round, asked again (within <paramref name="budget"/>) when a broker's connection broke
    /// during it: a broker stopping mid-round fails the whole round, the next one waits for it or leaves it out.
    /// </summary>
    private async Task<BrokerGroupListResult> ListBrokerGroupsAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var remaining = budget - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            try
            {
                return await BrokerGroupList.ListAsync(Admin, remaining > MinListRound ? remaining : MinListRound, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (IsBrokerChurn(ex.Error.Code) && attempt < _retry.Options.MaxAttempts
                && budget - System.Diagnostics.Stopwatch.GetElapsedTime(started) > MinListRound + ListRetryDelay)
            {
                _sink.Verbose($"ListGroups: {ex.Error.Code} from a broker ({ex.Error.Reason}); asking every broker again ({attempt + 1} of {_retry.Options.MaxAttempts}).");
                await Task.Delay(ListRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException ex)
            {
                throw KafkaErrors.FromException(ex, null, "list consumer groups", _factory.BootstrapServers, KafkaCallKind.Read);
            }
        }
    }

    private static readonly TimeSpan MinListRound = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan CoordinatorRetryDelay = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan ListRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>A broker connection that broke or a coordinator moving: the next round may well succeed.</summary>
    private static bool IsBrokerChurn(ErrorCode code) =>
        code is ErrorCode.Local_Transport or ErrorCode.Local_DestroyBroker or ErrorCode.Local_Partial or ErrorCode.NetworkException
        || (KafkaRetry.IsTransient(code) && code is not (ErrorCode.Local_TimedOut or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve));

    /// <summary>
    /// Streams the groups matching the query, described (state, assignor, coordinator, members).
    /// A plain group id that does not exist is reported through <paramref name="onItemError"/>
    /// (ConsumerGroupNotFound); a wildcard that matches nothing is not an error.
    /// </summary>
    public async IAsyncEnumerable<KafkaConsumerGroup> ListAsync(
        ConsumerGroupQuery query,
        Action<KafkaCatalogException>? onItemError = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await foreach (var group in StreamGroupsAsync(query, describeEmptyGroups: true, onItemError, cancellationToken).ConfigureAwait(false))
        {
            yield return group.Group with
            {
                Offsets = query.IncludeOffsets ? group.Offsets : null,
            };
        }
    }

    /// <summary>Streams the offset rows of each matching group, group after group, as each completes.</summary>
    public async IAsyncEnumerable<KafkaConsumerGroupOffset> GetOffsetsAsync(
        ConsumerGroupQuery query,
        Action<KafkaCatalogException>? onItemError = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await foreach (var group in StreamGroupsAsync(query with { IncludeOffsets = true }, describeEmptyGroups: false, onItemError, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in group.Offsets!)
            {
                yield return row;
            }
        }
    }

    /// <summary>Streams one lag summary row per group and topic (Get-KafkaConsumerGroupOffset -Summary), group after group.</summary>
    public async IAsyncEnumerable<KafkaConsumerGroupLagSummary> GetLagSummaryAsync(
        ConsumerGroupQuery query,
        Action<KafkaCatalogException>? onItemError = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await foreach (var group in StreamGroupsAsync(query with { IncludeOffsets = true }, describeEmptyGroups: false, onItemError, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in ConsumerGroupLag.Summarize(group.Offsets!))
            {
                yield return row;
            }
        }
    }

    private sealed record DescribedGroup(KafkaConsumerGroup Group, IReadOnlyList<KafkaConsumerGroupOffset>? Offsets);

    private async IAsyncEnumerable<DescribedGroup> StreamGroupsAsync(
        ConsumerGroupQuery query,
        bool describeEmptyGroups,
        Action<KafkaCatalogException>? onItemError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var states = ParseStates(query.States);
        foreach (var id in query.GroupIds)
        {
            ConsumerGroupNames.EnsureValidGroupId(id);
        }

        foreach (var topic in query.Topics)
        {
            if (string.IsNullOrWhiteSpace(topic))
            {
                throw new KafkaCatalogException("EmptyTopicName", FailureKind.InvalidArgument, "-Topic contains an empty name. Give topic names, or leave -Topic out for every topic.", topic);
            }
        }

        if (query.MaxConcurrency < 1 || query.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "MaxConcurrency and BatchSize must be at least 1.");
        }

        await _partitionCountsOnce.GetAsync(this, cancellationToken).ConfigureAwait(false);
        var (groupIds, listed) = await ResolveGroupIdsAsync(query, states, cancellationToken).ConfigureAwait(false);
        if (groupIds.Count == 0)
        {
            yield break;
        }

        Dictionary<string, int>? partitionCounts = null;
        if (query.IncludeOffsets)
        {
            partitionCounts = await _partitionCountsOnce.GetAsync(this, cancellationToken).ConfigureAwait(false);
        }

        // Offset rows need a group's members only to name a partition's owner: a group the listing
        // just showed Empty has none, so it is not described (half the requests when most groups
        // are idle, as on most clusters). Get-KafkaConsumerGroup itself always describes.
        var emptyListings = describeEmptyGroups || listed is null
            ? null
            : listed.Values.Where(l => l.State == ConsumerGroupState.Empty).ToDictionary(l => l.GroupId, StringComparer.Ordinal);
        var batches = groupIds.Chunk(query.BatchSize).ToArray();
        var progressId = query.IncludeOffsets ? 4102 : 4101;
        var activity = query.IncludeOffsets ? "Reading consumer group offsets" : "Describing consumer groups";
        var done = 0;

        // Up to BatchesInFlight batches are fetched at once (one being written out, the next being
        // read), while one gate bounds the OffsetFetch calls of all of them to MaxConcurrency.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gate = new SemaphoreSlim(query.MaxConcurrency);
        var inFlight = new Queue<Task<IReadOnlyList<DescribedGroup>>>();
        var nextBatch = 0;
        void Fill()
        {
            while (nextBatch < batches.Length && inFlight.Count < BatchesInFlight)
            {
                inFlight.Enqueue(FetchBatchAsync(batches[nextBatch++], query, states, partitionCounts, emptyListings, gate, onItemError, stop.Token));
            }
        }

        try
        {
            Fill();
            for (var i = 0; i < batches.Length; i++)
            {
                var current = await inFlight.Dequeue().ConfigureAwait(false);
                Fill();
                foreach (var group in current)
                {
                    yield return group;
                }

                done += batches[i].Length;
                if (batches.Length > 1)
                {
                    _sink.Progress(new OperationProgress(progressId, activity, $"{done} of {groupIds.Count} groups", done * 100 / groupIds.Count));
                }
            }
        }
        finally
        {
            // Stopped early (Select-Object -First, Ctrl+C, an error): end the batches still running
            // before their gate goes away.
            stop.Cancel();
            foreach (var pending in inFlight)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or KafkaCatalogException or KafkaException)
                {
                }
            }

            gate.Dispose();
        }

        if (batches.Length > 1)
        {
            _sink.Progress(new OperationProgress(progressId, activity, "Done", 100, Completed: true));
        }
    }

    private async Task<(IReadOnlyList<string> Ids, IReadOnlyDictionary<string, ConsumerGroupListing>? Listed)> ResolveGroupIdsAsync(ConsumerGroupQuery query, IReadOnlyList<ConsumerGroupState> states, CancellationToken cancellationToken)
    {
        // Only plain ids and no state filter: no need to list every group of the cluster.
        if (query.GroupIds.Count > 0 && states.Count == 0 && !query.GroupIds.Any(ConsumerGroupNames.HasWildcard))
        {
            return (query.GroupIds.Distinct(StringComparer.Ordinal).ToArray(), null);
        }

        var listings = await ListGroupListingsAsync(states, null, cancellationToken).ConfigureAwait(false);
        var match = ConsumerGroupNames.CreateMatcher(query.GroupIds);
        var listed = new Dictionary<string, ConsumerGroupListing>(StringComparer.Ordinal);
        foreach (var listing in listings.Where(l => match(l.GroupId)))
        {
            listed.TryAdd(listing.GroupId, listing);
        }

        var ids = listed.Keys.Order(StringComparer.Ordinal).ToList();

        // A plain id that the listing does not show still gets described, so that it is reported
        // as not found (or shown, if it was created since).
        foreach (var id in query.GroupIds.Where(g => !ConsumerGroupNames.HasWildcard(g)))
        {
            if (states.Count == 0 && !listed.ContainsKey(id) && !ids.Contains(id, StringComparer.Ordinal))
            {
                ids.Add(id);
            }
        }

        return (ids, listed);
    }

    private async Task<IReadOnlyList<DescribedGroup>> FetchBatchAsync(
        string[] groupIds,
        ConsumerGroupQuery query,
        IReadOnlyList<ConsumerGroupState> states,
        IReadOnlyDictionary<string, int>? partitionCounts,
        IReadOnlyDictionary<string, ConsumerGroupListing>? emptyListings,
        SemaphoreSlim gate,
        Action<KafkaCatalogException>? onItemError,
        CancellationToken cancellationToken)
    {
        var toDescribe = emptyListings is null ? groupIds : groupIds.Where(id => !emptyListings.ContainsKey(id)).ToArray();
        var described = toDescribe.Length == 0 ? [] : await DescribeAsync(toDescribe, cancellationToken).ConfigureAwait(false);
        var descriptions = described.ToList();
        if (toDescribe.Length > 1 && descriptions.Any(d => d.Error is { IsError: true } e && (KafkaRetry.IsTransient(e.Code) || KafkaRetry.IsUnreachable(e.Code))))
        {
            // One describe waits for every group's coordinator, so one dead broker fails the whole
            // batch; describe those groups one by one so the live coordinators still answer.
            var retried = new List<ConsumerGroupDescription>();
            foreach (var d in descriptions)
            {
                if (d.Error is { IsError: true } e && (KafkaRetry.IsTransient(e.Code) || KafkaRetry.IsUnreachable(e.Code)))
                {
                    try
                    {
                        retried.Add((await DescribeAsync([d.GroupId], cancellationToken).ConfigureAwait(false)).FirstOrDefault() ?? d);
                    }
                    catch (KafkaCatalogException ex) when (ex.ErrorId == "KafkaClusterUnreachable")
                    {
                        retried.Add(d);
                    }
                }
                else
                {
                    retried.Add(d);
                }
            }

            descriptions = retried;
        }

        if (toDescribe.Length < groupIds.Length)
        {
            var byId = descriptions.ToDictionary(d => d.GroupId, StringComparer.Ordinal);
            descriptions = groupIds.Select(id => byId.TryGetValue(id, out var d) ? d : Undescribed(emptyListings![id])).ToList();
        }

        var found = new List<ConsumerGroupDescription>();
        foreach (var description in descriptions)
        {
            if (description.Error is { IsError: true } error)
            {
                onItemError?.Invoke(GroupError(error.Code, error.Reason, description.GroupId, "describe"));
                continue;
            }

            if (description.State == ConsumerGroupState.Dead && !ConsumerGroupNames.HasWildcard(description.GroupId)
                && query.GroupIds.Contains(description.GroupId, StringComparer.Ordinal) && !states.Contains(ConsumerGroupState.Dead))
            {
                onItemError?.Invoke(NotFound(description.GroupId));
                continue;
            }

            if (states.Count > 0 && !states.Contains(description.State))
            {
                // Its state changed between the listing and the describe.
                continue;
            }

            found.Add(description);
        }

        if (!query.IncludeOffsets)
        {
            // A group's topics are also those it has committed offsets for, as Apache's
            // kafka-consumer-groups shows them: an Empty group has no members, only offsets.
            var committedTopics = await FetchCommittedTopicsAsync(found, gate, onItemError, cancellationToken).ConfigureAwait(false);
            return found.Select(d => new DescribedGroup(ToGroup(d, committedTopics.GetValueOrDefault(d.GroupId) ?? Array.Empty<string>()), null)).ToArray();
        }

        var committed = new Dictionary<string, IReadOnlyList<TopicPartitionOffsetError>>(StringComparer.Ordinal);
        KafkaCatalogException? unreachable = null;
        var unreachableCount = 0;
        void OnUnreachable(KafkaCatalogException ex)
        {
            unreachable = ex;
            Interlocked.Increment(ref unreachableCount);
        }

        {
            var fetches = found.Select(async d =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return (d.GroupId, Offsets: await FetchCommittedAsync(d.GroupId, onItemError, cancellationToken, OnUnreachable).ConfigureAwait(false));
                }
                finally
                {
                    gate.Release();
                }
            }).ToArray();
            foreach (var (groupId, offsets) in await Task.WhenAll(fetches).ConfigureAwait(false))
            {
                if (offsets is not null)
                {
                    committed[groupId] = offsets;
                }
            }
        }

        if (found.Count > 0 && unreachableCount == found.Count && unreachable is not null)
        {
            // Not one coordinator answered: the cluster is gone, not a broker.
            throw unreachable;
        }

        var topicFilter = query.Topics.Count == 0 ? null : query.Topics.ToHashSet(StringComparer.Ordinal);
        var perGroup = new List<(ConsumerGroupDescription Description, List<(KafkaTopicPartition Partition, long? Committed, string? Metadata)> Rows)>();
        var allPartitions = new HashSet<KafkaTopicPartition>();
        foreach (var description in found)
        {
            if (!committed.TryGetValue(description.GroupId, out var offsets))
            {
                continue;
            }

            var rows = new Dictionary<KafkaTopicPartition, (long? Committed, string? Metadata)>();
            foreach (var offset in offsets)
            {
                rows[new KafkaTopicPartition(offset.Topic, offset.Partition.Value)] = (offset.Offset.Value >= 0 ? offset.Offset.Value : null, null);
            }

            foreach (var member in description.Members)
            {
                foreach (var tp in member.Assignment?.TopicPartitions ?? [])
                {
                    rows.TryAdd(new KafkaTopicPartition(tp.Topic, tp.Partition.Value), (null, null));
                }
            }

            var selected = rows
                .Where(r => topicFilter is null || topicFilter.Contains(r.Key.Topic))
                .Where(r => partitionCounts!.TryGetValue(r.Key.Topic, out var count) && r.Key.Partition < count)
                .OrderBy(r => r.Key.Topic, StringComparer.Ordinal)
                .ThenBy(r => r.Key.Partition)
                .Select(r => (r.Key, r.Value.Committed, r.Value.Metadata))
                .ToList();
            foreach (var row in selected)
            {
                allPartitions.Add(row.Key);
            }

            perGroup.Add((description, selected));
        }

        var bounds = await GetLogBoundsAsync(allPartitions, onItemError, cancellationToken).ConfigureAwait(false);
        var result = new List<DescribedGroup>(perGroup.Count);
        foreach (var (description, rows) in perGroup)
        {
            var owners = Owners(description);
            var offsetRows = new List<KafkaConsumerGroupOffset>(rows.Count);
            foreach (var (partition, committedOffset, metadata) in rows)
            {
                if (!bounds.TryGetValue(partition, out var b))
                {
                    continue;
                }

                owners.TryGetValue(partition, out var owner);
                offsetRows.Add(new KafkaConsumerGroupOffset
                {
                    GroupId = description.GroupId,
                    Topic = partition.Topic,
                    Partition = partition.Partition,
                    CommittedOffset = committedOffset,
                    LogStartOffset = b.Start,
                    LogEndOffset = b.End,
                    Lag = ConsumerGroupLag.Compute(committedOffset, b.Start, b.End),
                    Metadata = metadata,
                    MemberId = owner?.ConsumerId,
                    ClientId = owner?.ClientId,
                    Host = owner?.Host,
                    ConnectionName = ConnectionName,
                });
            }

            var topics = offsetRows.Select(r => r.Topic).Distinct(StringComparer.Ordinal).ToArray();
            result.Add(new DescribedGroup(ToGroup(description, topics) with { Offsets = offsetRows }, offsetRows));
        }

        return result;
    }

    /// <summary>
    /// The topics each group has committed offsets for (one OffsetFetch per group, bounded by the
    /// gate), limited to topics that still exist. A group whose offsets cannot be read is reported
    /// through <paramref name="onItemError"/> and keeps only the topics of its assignments.
    /// </summary>
    private async Task<Dictionary<string, IReadOnlyList<string>>> FetchCommittedTopicsAsync(
        IReadOnlyList<ConsumerGroupDescription> groups,
        SemaphoreSlim gate,
        Action<KafkaCatalogException>? onItemError,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (groups.Count == 0)
        {
            return result;
        }

        var existing = await _partitionCountsOnce.GetAsync(this, cancellationToken).ConfigureAwait(false);
        var fetches = groups.Select(async d =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return (d.GroupId, Offsets: await FetchCommittedAsync(d.GroupId, onItemError, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        foreach (var (groupId, offsets) in await Task.WhenAll(fetches).ConfigureAwait(false))
        {
            if (offsets is not null)
            {
                result[groupId] = offsets.Where(o => o.Offset.Value >= 0 && existing.ContainsKey(o.Topic)).Select(o => o.Topic).Distinct(StringComparer.Ordinal).ToArray();
            }
        }

        return result;
    }

    /// <summary>What the listing already says about an Empty group: no members, nothing to describe.</summary>
    /// <summary>
    /// A coordinator-targeted admin call with its timeout kept on the .NET side: librdkafka 2.15.1 aborts the
    /// process when such a request times out before its coordinator lookup finished (see ClusterReachabilityGuard).
    /// </summary>
    private Task<T> Guarded<T>(Func<TimeSpan, Task<T>> call, CancellationToken cancellationToken) =>
        ClusterReachabilityGuard.AdminCallAsync(call, _factory.RequestTimeout, cancellationToken);

    private static ConsumerGroupDescription Undescribed(ConsumerGroupListing listing) => new()
    {
        GroupId = listing.GroupId,
        State = listing.State,
        IsSimpleConsumerGroup = listing.IsSimpleConsumerGroup,
        Members = [],
        Error = new Error(ErrorCode.NoError),
        PartitionAssignor = string.Empty,
    };

    private static Dictionary<KafkaTopicPartition, MemberDescription> Owners(ConsumerGroupDescription description)
    {
        var owners = new Dictionary<KafkaTopicPartition, MemberDescription>();
        foreach (var member in description.Members)
        {
            foreach (var tp in member.Assignment?.TopicPartitions ?? [])
            {
                owners[new KafkaTopicPartition(tp.Topic, tp.Partition.Value)] = member;
            }
        }

        return owners;
    }

    private KafkaConsumerGroup ToGroup(ConsumerGroupDescription d, IReadOnlyList<string> committedTopics)
    {
        var members = d.Members.Select(m => new KafkaConsumerGroupMember
        {
            MemberId = m.ConsumerId,
            GroupInstanceId = m.GroupInstanceId,
            ClientId = m.ClientId,
            Host = m.Host,
            Assignment = (m.Assignment?.TopicPartitions ?? []).Select(tp => new KafkaTopicPartition(tp.Topic, tp.Partition.Value))
                .OrderBy(tp => tp.Topic, StringComparer.Ordinal).ThenBy(tp => tp.Partition).ToArray(),
        }).ToArray();
        var topics = members.SelectMany(m => m.Assignment).Select(a => a.Topic).Concat(committedTopics)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new KafkaConsumerGroup
        {
            GroupId = d.GroupId,
            State = d.State.ToString(),
            ProtocolType = d.IsSimpleConsumerGroup ? string.Empty : "consumer",
            Protocol = string.IsNullOrEmpty(d.PartitionAssignor) ? null : d.PartitionAssignor,
            IsSimpleConsumerGroup = d.IsSimpleConsumerGroup,
            Coordinator = d.Coordinator?.Id ?? -1,
            Members = members,
            Topics = topics,
            ConnectionName = ConnectionName,
            ClusterId = _factory.Connection.ClusterId,
            BootstrapServers = _factory.BootstrapServers,
        };
    }

    private async Task<IReadOnlyList<ConsumerGroupDescription>> DescribeAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        var options = new DescribeConsumerGroupsOptions { RequestTimeout = _factory.RequestTimeout };
        _sink.Verbose($"DescribeConsumerGroups for {groupIds.Count} group(s) on {_factory.BootstrapServers}.");
        try
        {
            var result = await _retry.ExecuteAsync(
                "DescribeConsumerGroups",
                KafkaCallKind.Read,
                _factory.BootstrapServers,
                async _ =>
                {
                    try
                    {
                        return (await Guarded(native =>
                        {
                            options.RequestTimeout = native;
                            return GroupAdmin.DescribeConsumerGroupsAsync(groupIds, options);
                        }, cancellationToken).ConfigureAwait(false)).ConsumerGroupDescriptions;
                    }
                    catch (DescribeConsumerGroupsException ex)
                    {
                        // Per-group errors (a coordinator down) are the caller's to report or retry one by one;
                        // they must not turn the whole batch into "cluster unreachable".
                        return ex.Results.ConsumerGroupDescriptions;
                    }
                    catch (KafkaException ex) when (groupIds.Count > 1 && ex.Error.Code == ErrorCode.Local_TimedOut)
                    {
                        // The batch did not complete in time (one coordinator not answering holds it all):
                        // every group becomes a per-group timeout, which the caller describes one by one.
                        return groupIds.Select(id => new ConsumerGroupDescription { GroupId = id, Error = ex.Error, Members = [] }).ToList();
                    }
                },
                _sink,
                cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, null, "describe consumer groups", _factory.BootstrapServers, KafkaCallKind.Read);
        }
    }

    /// <summary>The committed offsets of one group (OffsetFetch); null after reporting a per-group error.</summary>
    private async Task<IReadOnlyList<TopicPartitionOffsetError>?> FetchCommittedAsync(string groupId, Action<KafkaCatalogException>? onItemError, CancellationToken cancellationToken, Action<KafkaCatalogException>? onUnreachable = null)
    {
        // A broker that just went down fails the first call that reaches it (FindCoordinator may
        // pick it); by the second attempt librdkafka knows and asks a live one.
        KafkaCatalogException? firstUnreachable = null;
        var result = await FetchCommittedOnceAsync(groupId, cancellationToken, e => firstUnreachable = e).ConfigureAwait(false);
        if (firstUnreachable is null)
        {
            if (result.Error is { } error)
            {
                onItemError?.Invoke(error);
            }

            return result.Offsets;
        }

        _sink.Verbose($"ListConsumerGroupOffsets for '{groupId}': a broker did not answer; asking again.");
        var second = await FetchCommittedOnceAsync(groupId, cancellationToken, onUnreachable).ConfigureAwait(false);
        if (second.Error is { } secondError)
        {
            onItemError?.Invoke(secondError);
        }

        return second.Offsets;
    }

    private async Task<(IReadOnlyList<TopicPartitionOffsetError>? Offsets, KafkaCatalogException? Error)> FetchCommittedOnceAsync(string groupId, CancellationToken cancellationToken, Action<KafkaCatalogException>? onUnreachable)
    {
        KafkaCatalogException? reported = null;
        var offsets = await FetchCommittedCoreAsync(groupId, e => reported = e, cancellationToken, onUnreachable).ConfigureAwait(false);
        return (offsets, reported);
    }

    private async Task<IReadOnlyList<TopicPartitionOffsetError>?> FetchCommittedCoreAsync(string groupId, Action<KafkaCatalogException>? onItemError, CancellationToken cancellationToken, Action<KafkaCatalogException>? onUnreachable)
    {
        var options = new ListConsumerGroupOffsetsOptions { RequestTimeout = _factory.RequestTimeout };
        _sink.Verbose($"ListConsumerGroupOffsets for '{groupId}'.");
        try
        {
            var result = await _retry.ExecuteAsync(
                "ListConsumerGroupOffsets",
                KafkaCallKind.Read,
                _factory.BootstrapServers,
                async _ =>
                {
                    try
                    {
                        return await Guarded(native =>
                        {
                            options.RequestTimeout = native;
                            return GroupAdmin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(groupId, null)], options);
                        }, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ListConsumerGroupOffsetsException ex)
                    {
                        throw TransientOrSame(ex, ex.Results.SelectMany(r => r.Partitions.Select(p => p.Error).Append(r.Error)));
                    }
                },
                _sink,
                cancellationToken).ConfigureAwait(false);
            return result.Count == 0 ? Array.Empty<TopicPartitionOffsetError>() : result[0].Partitions;
        }
        catch (ListConsumerGroupOffsetsException ex)
        {
            var report = ex.Results.FirstOrDefault();
            var code = report?.Error is { IsError: true } e ? e.Code : report?.Partitions.FirstOrDefault(p => p.Error.IsError)?.Error.Code ?? ErrorCode.Unknown;
            onItemError?.Invoke(GroupError(code, report?.Error.Reason, groupId, "read the committed offsets of"));
            return null;
        }
        catch (Exception ex) when (ex is KafkaException || (ex is KafkaCatalogException k && k.ErrorId == "KafkaClusterUnreachable"))
        {
            var mapped = KafkaErrors.FromException(ex, groupId, $"read the committed offsets of consumer group '{groupId}'", _factory.BootstrapServers, KafkaCallKind.Read);
            if (mapped.ErrorId == "KafkaClusterUnreachable")
            {
                // One broker (this group's coordinator) not answering is this group's problem; the
                // batch decides whether the whole cluster is gone.
                onUnreachable?.Invoke(mapped);
                mapped = new KafkaCatalogException(
                    "GroupCoordinatorUnavailable",
                    FailureKind.ResourceUnavailable,
                    $"The coordinator of consumer group '{groupId}' did not answer ({(ex.InnerException ?? ex).Message}); its offsets are left out. The broker may be down or restarting; try again shortly (Get-KafkaBroker shows the brokers).",
                    groupId,
                    ex);
            }

            onItemError?.Invoke(mapped);
            return null;
        }
    }

    /// <summary>Partition count of every topic, from one metadata request.</summary>
    public async Task<Dictionary<string, int>> GetPartitionCountsAsync(CancellationToken cancellationToken)
    {
        // Also the reachability guard: TLS, SASL and network failures end here as specific errors.
        var metadata = await ClusterReachabilityGuard.ProveReachableAsync(_factory, _retry, _sink, cancellationToken).ConfigureAwait(false);
        return metadata.Topics
            .Where(t => !t.Error.IsError || t.Partitions.Count > 0)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
    }

    /// <summary>Log start and end offsets: one ListOffsets round per spec (librdkafka sends one request per leader).</summary>
    private async Task<Dictionary<KafkaTopicPartition, (long Start, long End)>> GetLogBoundsAsync(
        IReadOnlyCollection<KafkaTopicPartition> partitions,
        Action<KafkaCatalogException>? onItemError,
        CancellationToken cancellationToken)
    {
        var bounds = new Dictionary<KafkaTopicPartition, (long, long)>();
        if (partitions.Count == 0)
        {
            return bounds;
        }

        var startTask = ListOffsetsAsync(partitions, OffsetSpec.Earliest(), cancellationToken);
        var endTask = ListOffsetsAsync(partitions, OffsetSpec.Latest(), cancellationToken);
        var starts = await startTask.ConfigureAwait(false);
        var ends = await endTask.ConfigureAwait(false);
        var failed = new List<string>();
        foreach (var partition in partitions)
        {
            if (starts.TryGetValue(partition, out var start) && ends.TryGetValue(partition, out var end) && start >= 0 && end >= 0)
            {
                bounds[partition] = (start, end);
            }
            else
            {
                failed.Add(partition.ToString());
            }
        }

        if (failed.Count > 0)
        {
            onItemError?.Invoke(new KafkaCatalogException(
                "PartitionOffsetsUnavailable",
                FailureKind.ResourceUnavailable,
                $"The log start/end offsets of {failed.Count} partition(s) could not be read ({string.Join(", ", failed.Take(10))}{(failed.Count > 10 ? ", ..." : string.Empty)}); their rows are left out. The partitions may have no leader right now; try again shortly (Get-KafkaTopic shows leaders).",
                failed));
        }

        return bounds;
    }

    /// <summary>Offsets for one spec; partitions that fail after retries are missing from the result.</summary>
    internal async Task<Dictionary<KafkaTopicPartition, long>> ListOffsetsAsync(IReadOnlyCollection<KafkaTopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken)
    {
        var result = new Dictionary<KafkaTopicPartition, long>();
        var pending = partitions.ToList();
        var options = new ListOffsetsOptions { RequestTimeout = _factory.RequestTimeout, IsolationLevel = IsolationLevel.ReadUncommitted };
        var name = spec switch
        {
            OffsetSpec.EarliestSpec => "earliest",
            OffsetSpec.LatestSpec => "latest",
            OffsetSpec.TimestampSpec t => "for timestamp " + t.Timestamp.ToString(CultureInfo.InvariantCulture),
            _ => spec.ToString(),
        };
        _sink.Verbose($"ListOffsets ({name}) for {pending.Count} partition(s).");
        try
        {
            var answer = await _retry.ExecuteAsync(
                "ListOffsets",
                KafkaCallKind.Read,
                _factory.BootstrapServers,
                async _ =>
                {
                    try
                    {
                        return (await Admin.ListOffsetsAsync(pending.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(p.Topic, p.Partition), OffsetSpec = spec }), options).ConfigureAwait(false)).ResultInfos;
                    }
                    catch (ListOffsetsException ex) when (ex.Result.ResultInfos.Any(r => r.TopicPartitionOffsetError.Error.IsError)
                        && ex.Result.ResultInfos.All(r => !r.TopicPartitionOffsetError.Error.IsError || KafkaRetry.IsTransient(r.TopicPartitionOffsetError.Error.Code)))
                    {
                        // Keep what succeeded; retry only the partitions whose leader was moving.
                        foreach (var info in ex.Result.ResultInfos.Where(r => !r.TopicPartitionOffsetError.Error.IsError))
                        {
                            var tpo = info.TopicPartitionOffsetError;
                            lock (result)
                            {
                                result[new KafkaTopicPartition(tpo.Topic, tpo.Partition.Value)] = tpo.Offset.Value;
                            }
                        }

                        var failedInfos = ex.Result.ResultInfos.Where(r => r.TopicPartitionOffsetError.Error.IsError).ToList();
                        pending = failedInfos.Select(r => new KafkaTopicPartition(r.TopicPartitionOffsetError.Topic, r.TopicPartitionOffsetError.Partition.Value)).ToList();
                        throw new KafkaException(failedInfos[0].TopicPartitionOffsetError.Error);
                    }
                    catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoEnt)
                    {
                        // librdkafka knows no leader for a partition yet (a broker just stopped and its
                        // partitions are moving): the same as LeaderNotAvailable, so asked again.
                        throw new KafkaException(new Error(ErrorCode.LeaderNotAvailable, $"No leader known yet ({ex.Error.Reason})."));
                    }
                },
                _sink,
                cancellationToken).ConfigureAwait(false);
            foreach (var info in answer)
            {
                var tpo = info.TopicPartitionOffsetError;
                if (!tpo.Error.IsError)
                {
                    result[new KafkaTopicPartition(tpo.Topic, tpo.Partition.Value)] = tpo.Offset.Value;
                }
            }
        }
        catch (ListOffsetsException ex)
        {
            foreach (var info in ex.Result.ResultInfos.Where(r => !r.TopicPartitionOffsetError.Error.IsError))
            {
                var tpo = info.TopicPartitionOffsetError;
                result[new KafkaTopicPartition(tpo.Topic, tpo.Partition.Value)] = tpo.Offset.Value;
            }
        }
        catch (KafkaException ex) when (KafkaRetry.IsTransient(ex.Error.Code) && !KafkaRetry.IsUnreachable(ex.Error.Code))
        {
            // Leaders still moving after the retries: those partitions stay missing, the caller reports them.
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, null, "read log offsets", _factory.BootstrapServers, KafkaCallKind.Read);
        }

        return result;
    }

    /// <summary>
    /// The committed offsets of <paramref name="groupId"/> in <paramref name="topic"/>, by partition (partitions the group
    /// has no offset for are absent; so is every partition of a group that does not exist). Read only, through the same
    /// guarded ListConsumerGroupOffsets as Get-KafkaConsumerGroupOffset, after proving the cluster answers.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, long>> GetCommittedOffsetsAsync(string groupId, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        await ClusterReachabilityGuard.ProveReachableAsync(_factory, _retry, _sink, cancellationToken).ConfigureAwait(false);
        var committed = await FetchCommittedAsync(groupId, e => throw e, cancellationToken).ConfigureAwait(false) ?? [];
        return committed
            .Where(c => c.Topic == topic && c.Offset.Value >= 0)
            .ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>
    /// Reads the group and the logs and computes the reset, changing nothing. Refuses a group
    /// with active members, unknown topics or partitions, and shifts without a committed offset.
    /// </summary>
    public async Task<IReadOnlyList<KafkaConsumerGroupOffsetReset>> PlanResetAsync(OffsetResetRequest request, CancellationToken cancellationToken = default)
    {
        ConsumerGroupOffsetResetPlanner.Validate(request);
        var description = await DescribeOneAsync(request.GroupId, cancellationToken).ConfigureAwait(false);
        ConsumerGroupOffsetResetPlanner.EnsureGroupInactive(request.GroupId, description.State.ToString(), description.Members.Count);

        var partitionCounts = await GetPartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        var committedList = await FetchCommittedAsync(request.GroupId, e => throw e, cancellationToken).ConfigureAwait(false) ?? [];
        var committed = committedList
            .Where(c => c.Offset.Value >= 0)
            .ToDictionary(c => new KafkaTopicPartition(c.Topic, c.Partition.Value), c => c.Offset.Value);
        var scope = ConsumerGroupOffsetResetPlanner.ResolveScope(request, partitionCounts, committed.Keys);

        var starts = await ListOffsetsAsync(scope, OffsetSpec.Earliest(), cancellationToken).ConfigureAwait(false);
        var ends = await ListOffsetsAsync(scope, OffsetSpec.Latest(), cancellationToken).ConfigureAwait(false);
        Dictionary<KafkaTopicPartition, long>? forTime = null;
        if (request.Mode == OffsetResetMode.ToDateTime)
        {
            forTime = await ListOffsetsAsync(scope, OffsetSpec.ForTimestamp(request.DateTime.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false);
        }

        var missing = scope.Where(p => !starts.ContainsKey(p) || !ends.ContainsKey(p) || (forTime is not null && !forTime.ContainsKey(p))).ToArray();
        if (missing.Length > 0)
        {
            throw new KafkaCatalogException(
                "PartitionOffsetsUnavailable",
                FailureKind.ResourceUnavailable,
                $"The log offsets of {string.Join(", ", missing.Take(10))} could not be read (no leader?), so the reset of consumer group '{request.GroupId}' cannot be planned. Nothing was reset; try again shortly.",
                request.GroupId);
        }

        var states = scope.Select(p => new PartitionResetState(p, committed.TryGetValue(p, out var c) ? c : null, starts[p], ends[p])
        {
            OffsetForTime = forTime is not null && forTime.TryGetValue(p, out var t) && t >= 0 ? t : null,
        });
        return ConsumerGroupOffsetResetPlanner.Plan(request with { PlanOnly = true }, states, ConnectionName);
    }

    /// <summary>Commits a plan from <see cref="PlanResetAsync"/> (AlterConsumerGroupOffsets) and returns the applied rows.</summary>
    public async Task<IReadOnlyList<KafkaConsumerGroupOffsetReset>> ApplyResetAsync(string groupId, IReadOnlyList<KafkaConsumerGroupOffsetReset> plan, CancellationToken cancellationToken = default)
    {
        ConsumerGroupNames.EnsureValidGroupId(groupId);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Count == 0)
        {
            return plan;
        }

        // Members may have joined since the plan was made.
        var description = await DescribeOneAsync(groupId, cancellationToken).ConfigureAwait(false);
        ConsumerGroupOffsetResetPlanner.EnsureGroupInactive(groupId, description.State.ToString(), description.Members.Count);

        var offsets = plan.Select(p => new TopicPartitionOffset(p.Topic, new Partition(p.Partition), new Offset(p.NewOffset))).ToList();
        _sink.Verbose($"AlterConsumerGroupOffsets for '{groupId}': {plan.Count} partition(s).");
        try
        {
            await _retry.ExecuteAsync(
                "AlterConsumerGroupOffsets",
                KafkaCallKind.IdempotentWrite,
                _factory.BootstrapServers,
                async _ =>
                {
                    try
                    {
                        return await Guarded(native => GroupAdmin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(groupId, offsets)], new AlterConsumerGroupOffsetsOptions { RequestTimeout = native }), cancellationToken).ConfigureAwait(false);
                    }
                    catch (AlterConsumerGroupOffsetsException ex)
                    {
                        // Partition-level errors (the coordinator moved) are invisible to the retry policy; surface them.
                        throw TransientOrSame(ex, ex.Results.SelectMany(r => r.Partitions.Select(p => p.Error).Append(r.Error)));
                    }
                },
                _sink,
                cancellationToken).ConfigureAwait(false);
        }
        catch (AlterConsumerGroupOffsetsException ex)
        {
            var report = ex.Results.FirstOrDefault();
            var error = report?.Error is { IsError: true } e ? e : report?.Partitions.FirstOrDefault(p => p.Error.IsError)?.Error;
            throw ResetError(groupId, error?.Code ?? ErrorCode.Unknown, error?.Reason, ex);
        }
        catch (KafkaException ex)
        {
            throw ResetError(groupId, ex.Error.Code, ex.Error.Reason, ex);
        }

        return plan.Select(p => p with { Status = "Applied" }).ToArray();
    }

    private KafkaCatalogException ResetError(string groupId, ErrorCode code, string? reason, Exception inner)
    {
        var mapped = code switch
        {
            ErrorCode.UnknownMemberId or ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration => new KafkaCatalogException(
                "ConsumerGroupActive",
                FailureKind.InvalidOperation,
                $"Consumer group '{groupId}' has active members again; stop them first, then run the reset again. The cluster refused the new offsets ({code}).",
                groupId),
            _ => GroupError(code, reason, groupId, "reset the offsets of"),
        };
        return new KafkaCatalogException(mapped.ErrorId, mapped.Kind, mapped.Message, mapped.Target, inner);
    }

    /// <summary>Describes one group (state, members); a group that does not exist comes back as Dead.</summary>
    public async Task<ConsumerGroupDescription> DescribeOneAsync(string groupId, CancellationToken cancellationToken)
    {
        // Metadata first: a TLS or SASL failure is then KafkaTlsFailed/KafkaAuthenticationFailed, not a coordinator timeout.
        await _partitionCountsOnce.GetAsync(this, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var descriptions = await DescribeAsync([groupId], cancellationToken).ConfigureAwait(false);
            var description = descriptions.FirstOrDefault() ?? throw NotFound(groupId);
            if (description.Error is not { IsError: true } error)
            {
                return description;
            }

            // A per-group error is not seen by the retry policy (the call itself succeeded): a coordinator
            // that is moving or restarting is asked again here, a bounded number of times.
            if (!IsCoordinatorTrouble(error.Code) || attempt >= _retry.Options.MaxAttempts)
            {
                throw GroupError(error.Code, error.Reason, groupId, "describe");
            }

            _sink.Verbose($"DescribeConsumerGroups for '{groupId}': {error.Code}; asking again ({attempt + 1} of {_retry.Options.MaxAttempts}).");
            await Task.Delay(CoordinatorRetryDelay * attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes a whole group (DeleteGroups), or with <paramref name="topic"/> only its committed
    /// offsets for that topic (OffsetDelete). Refuses groups with members (NON_EMPTY_GROUP) and,
    /// for a topic, groups still subscribed to it.
    /// </summary>
    public async Task<KafkaConsumerGroupRemoval> RemoveAsync(string groupId, string? topic, CancellationToken cancellationToken = default)
    {
        ConsumerGroupNames.EnsureValidGroupId(groupId);
        await _partitionCountsOnce.GetAsync(this, cancellationToken).ConfigureAwait(false);
        if (topic is null)
        {
            _sink.Verbose($"DeleteGroups '{groupId}'.");
            try
            {
                await _retry.ExecuteAsync(
                    "DeleteGroups",
                    KafkaCallKind.NonIdempotentWrite,
                    _factory.BootstrapServers,
                    _ => Guarded(async native =>
                    {
                        await GroupAdmin.DeleteGroupsAsync([groupId], new DeleteGroupsOptions { RequestTimeout = native }).ConfigureAwait(false);
                        return true;
                    }, cancellationToken),
                    _sink,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (DeleteGroupsException ex)
            {
                var report = ex.Results.FirstOrDefault(r => r.Error.IsError) ?? ex.Results.FirstOrDefault();
                throw await RemoveErrorAsync(groupId, null, report?.Error.Code ?? ErrorCode.Unknown, report?.Error.Reason, ex, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException ex)
            {
                throw KafkaErrors.FromException(ex, groupId, $"delete consumer group '{groupId}'", _factory.BootstrapServers, KafkaCallKind.NonIdempotentWrite);
            }

            return new KafkaConsumerGroupRemoval { GroupId = groupId, ConnectionName = ConnectionName };
        }

        MessagePublishResolver.ValidateTopicName(topic);
        var counts = await GetPartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        if (!counts.TryGetValue(topic, out var count))
        {
            throw new KafkaCatalogException("TopicNotFound", FailureKind.ObjectNotFound,
                $"Topic '{topic}' does not exist, so consumer group '{groupId}' has no offsets for it. Check the name with Get-KafkaConsumerGroupOffset -GroupId '{groupId}'.", topic);
        }

        var partitions = Enumerable.Range(0, count).Select(p => new TopicPartition(topic, p)).ToList();
        _sink.Verbose($"DeleteConsumerGroupOffsets '{groupId}' topic '{topic}' ({count} partitions).");
        try
        {
            await _retry.ExecuteAsync(
                "DeleteConsumerGroupOffsets",
                KafkaCallKind.IdempotentWrite,
                _factory.BootstrapServers,
                async _ =>
                {
                    try
                    {
                        return await Guarded(native => GroupAdmin.DeleteConsumerGroupOffsetsAsync(groupId, partitions, new DeleteConsumerGroupOffsetsOptions { RequestTimeout = native }), cancellationToken).ConfigureAwait(false);
                    }
                    catch (DeleteConsumerGroupOffsetsException ex)
                    {
                        throw TransientOrSame(ex, ex.Result.Partitions.Select(p => p.Error).Append(ex.Result.Error));
                    }
                },
                _sink,
                cancellationToken).ConfigureAwait(false);
        }
        catch (DeleteConsumerGroupOffsetsException ex)
        {
            var error = ex.Result.Error is { IsError: true } e ? e : ex.Result.Partitions.FirstOrDefault(p => p.Error.IsError)?.Error;
            throw await RemoveErrorAsync(groupId, topic, error?.Code ?? ErrorCode.Unknown, error?.Reason, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, groupId, $"delete the offsets of consumer group '{groupId}' for topic '{topic}'", _factory.BootstrapServers, KafkaCallKind.IdempotentWrite);
        }

        return new KafkaConsumerGroupRemoval { GroupId = groupId, Topic = topic, Partitions = Enumerable.Range(0, count).ToArray(), ConnectionName = ConnectionName };
    }

    private async Task<KafkaCatalogException> RemoveErrorAsync(string groupId, string? topic, ErrorCode code, string? reason, Exception inner, CancellationToken cancellationToken)
    {
        KafkaCatalogException mapped;
        switch (code)
        {
            case ErrorCode.NonEmptyGroup:
                var members = "active members";
                try
                {
                    var d = await DescribeOneAsync(groupId, cancellationToken).ConfigureAwait(false);
                    members = d.Members.Count == 1 ? "1 active member" : $"{d.Members.Count} active members";
                }
                catch (KafkaCatalogException)
                {
                    // The count is only for the message.
                }

                mapped = new KafkaCatalogException("ConsumerGroupNotEmpty", FailureKind.InvalidOperation,
                    $"Consumer group '{groupId}' has {members}; stop them first (a group can only be deleted when Empty). Nothing was deleted.", groupId);
                break;
            case ErrorCode.GroupSubscribedToTopic:
                mapped = new KafkaCatalogException("ConsumerGroupSubscribedToTopic", FailureKind.InvalidOperation,
                    $"Consumer group '{groupId}' is still consuming topic '{topic}'; stop its consumers (or unsubscribe them from the topic) first. Nothing was deleted.", groupId);
                break;
            case ErrorCode.GroupIdNotFound:
                mapped = NotFound(groupId);
                break;
            default:
                mapped = GroupError(code, reason, groupId, topic is null ? "delete" : $"delete the '{topic}' offsets of");
                break;
        }

        return new KafkaCatalogException(mapped.ErrorId, mapped.Kind, mapped.Message, mapped.Target, inner);
    }

    /// <summary>
    /// When every error of a per-group admin exception is transient, a <see cref="KafkaException"/>
    /// carrying it (so the retry policy sees it); otherwise the original exception.
    /// </summary>
    private static Exception TransientOrSame(Exception original, IEnumerable<Error?> errors)
    {
        var failed = errors.Where(e => e is { IsError: true }).Select(e => e!).ToList();
        return failed.Count > 0 && failed.All(e => KafkaRetry.IsTransient(e.Code)) ? new KafkaException(failed[0]) : original;
    }

    /// <summary>One metadata request per service call chain: partition counts, and proof the client can talk to the cluster.</summary>
    private sealed class MetadataOnce
    {
        private Task<Dictionary<string, int>>? _task;

        public Task<Dictionary<string, int>> GetAsync(ConsumerGroupService owner, CancellationToken cancellationToken)
        {
            var task = _task;
            if (task is null || task.IsFaulted || task.IsCanceled)
            {
                task = owner.GetPartitionCountsAsync(cancellationToken);
                _task = task;
            }

            return task;
        }
    }

    /// <summary>A per-group answer that says the group's coordinator is moving or could not be reached (worth asking again).</summary>
    private static bool IsCoordinatorTrouble(ErrorCode code) =>
        code is ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.GroupLoadInProgress
            or ErrorCode.Local_Transport or ErrorCode.Local_TimedOut or ErrorCode.Local_TimedOutQueue or ErrorCode.Local_WaitCoord
            or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_DestroyBroker or ErrorCode.NetworkException or ErrorCode.RequestTimedOut;

    private static KafkaCatalogException NotFound(string groupId) => new(
        "ConsumerGroupNotFound",
        FailureKind.ObjectNotFound,
        $"Consumer group '{groupId}' does not exist. Use Get-KafkaConsumerGroup to list the groups (ids are case-sensitive).",
        groupId);

    private KafkaCatalogException GroupError(ErrorCode code, string? reason, string groupId, string action) => code switch
    {
        ErrorCode.GroupIdNotFound => NotFound(groupId),
        _ when IsCoordinatorTrouble(code) => new KafkaCatalogException("GroupCoordinatorUnavailable", FailureKind.ResourceUnavailable,
            $"The coordinator of consumer group '{groupId}' did not answer the request to {action} it ({(string.IsNullOrWhiteSpace(reason) ? code.ToString() : reason)}). The broker may be down or restarting; try again shortly (Get-KafkaBroker shows the brokers).", groupId),
        ErrorCode.InvalidGroupId => new KafkaCatalogException("InvalidGroupId", FailureKind.InvalidArgument,
            $"'{groupId}' is not a valid consumer group id ({reason}).", groupId),
        ErrorCode.GroupAuthorizationFailed => new KafkaCatalogException("KafkaAuthorizationFailed", FailureKind.PermissionDenied,
            $"Not authorized to {action} consumer group '{groupId}'. Ask the cluster's administrator for a Describe/Read ACL on the group.", groupId),
        _ => KafkaErrors.General(code, reason, groupId, $"{action} consumer group '{groupId}'"),
    };
}
