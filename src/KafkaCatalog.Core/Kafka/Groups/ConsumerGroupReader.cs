using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

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

    /// <summary>
    /// When set, each group read carries the committed offsets read for it, for the next command of the pipeline
    /// to use while the scope is open (see <see cref="CommittedOffsetScope"/>).
    /// </summary>
    public CommittedOffsetScope? Scope { get; init; }
}

/// <summary>A group as the listing round saw it: the broker that listed it coordinates it.</summary>
internal sealed record ListedGroup(ConsumerGroupListing Listing, int Coordinator);

/// <summary>
/// Reading consumer groups: the listing (one ListGroups round on every broker, <see cref="BrokerGroupList"/>),
/// and the groups matching a query, described (state, assignor, coordinator, members) in batches of
/// <see cref="ConsumerGroupQuery.BatchSize"/> (the one batching layer), two batches in flight. The topics of
/// a group are those of its members' assignments and of its committed offsets (one OffsetFetch per group).
/// Each group comes out as a <see cref="GroupResult{T}"/>: a plain id that does not exist is a
/// ConsumerGroupNotFound result, a wildcard that matches nothing is no result at all.
/// </summary>
public sealed class ConsumerGroupReader
{
    private static readonly string[] KnownStates = ["Empty", "Stable", "PreparingRebalance", "CompletingRebalance", "Dead"];

    /// <summary>Batches of groups read at the same time.</summary>
    private const int BatchesInFlight = 2;

    public ConsumerGroupReader(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
        : this(new ConsumerGroupCalls(factory, sink, retry))
    {
    }

    internal ConsumerGroupReader(ConsumerGroupCalls calls) => Calls = calls;

    internal ConsumerGroupCalls Calls { get; }

    /// <summary>Checks -State values before any call.</summary>
    public static IReadOnlyList<ConsumerGroupState> ParseStates(IReadOnlyList<string> states)
    {
        var parsed = new List<ConsumerGroupState>();
        foreach (var state in states)
        {
            var known = KnownStates.FirstOrDefault(k => string.Equals(k, state, StringComparison.OrdinalIgnoreCase))
                ?? throw new KafkaCatalogException(ErrorCatalog.InvalidGroupState, $"'{state}' is not a consumer group state. Use one of: {string.Join(", ", KnownStates)}.", state);
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
    public async Task<IReadOnlyList<ConsumerGroupListing>> ListGroupListingsAsync(IReadOnlyList<ConsumerGroupState> states, TimeSpan? timeout, CancellationToken cancellationToken) =>
        (await ListGroupsAsync(states, timeout, cancellationToken).ConfigureAwait(false)).Select(l => l.Listing).ToList();

    /// <summary>The listing round of <see cref="ListGroupListingsAsync"/>, each group with its coordinator.</summary>
    internal async Task<IReadOnlyList<ListedGroup>> ListGroupsAsync(IReadOnlyList<ConsumerGroupState> states, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        // Metadata first: a TLS, SASL or network failure is then KafkaTlsFailed / KafkaAuthenticationFailed /
        // KafkaClusterUnreachable instead of a listing that waits for brokers that never become usable.
        await Calls.PartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        var budget = timeout ?? Calls.Factory.RequestTimeout;
        Calls.Sink.Verbose($"ListGroups and DescribeGroups on every broker of {Calls.Factory.BootstrapServers}{(states.Count > 0 ? " (states " + string.Join(", ", states) + ")" : string.Empty)}.");
        var result = await Calls.ListBrokerGroupsAsync(budget, cancellationToken).ConfigureAwait(false);
        if (result.Error == ErrorCode.Local_Partial)
        {
            Calls.Sink.Warning($"Not every broker answered the group listing within {budget.TotalSeconds:0.#} s: the groups coordinated by a broker that is down or restarting are missing. Get-KafkaBroker shows the brokers; run the command again shortly.");
        }

        var listings = new Dictionary<string, ListedGroup>(StringComparer.Ordinal);
        foreach (var group in result.Groups)
        {
            var state = group.Error == ErrorCode.NoError && Enum.TryParse<ConsumerGroupState>(group.State, ignoreCase: true, out var parsed) ? parsed : ConsumerGroupState.Unknown;
            if (state == ConsumerGroupState.Dead && !states.Contains(ConsumerGroupState.Dead))
            {
                // Deleted between the broker's ListGroups and DescribeGroups.
                continue;
            }

            if (!listings.TryGetValue(group.GroupId, out var known) || known.Listing.State == ConsumerGroupState.Unknown)
            {
                listings[group.GroupId] = new ListedGroup(new ConsumerGroupListing { GroupId = group.GroupId, State = state, IsSimpleConsumerGroup = group.ProtocolType.Length == 0 }, group.BrokerId);
            }
        }

        return listings.Values
            .Where(l => states.Count == 0 || states.Contains(l.Listing.State))
            .OrderBy(l => l.Listing.GroupId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Streams the groups matching the query, each with the topics it consumes or has committed offsets for. A group
    /// the listing showed Empty is not described again: the listing round already described it (no members, and the
    /// broker that listed it is its coordinator).
    /// </summary>
    public IAsyncEnumerable<GroupResult<KafkaConsumerGroup>> ReadAsync(ConsumerGroupQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return StreamAsync(query, (batch, gate, token) => WithCommittedTopicsAsync(batch, query.Scope, gate, token), progressId: 4101, "Describing consumer groups", cancellationToken);
    }

    /// <summary>
    /// Validates the query, resolves its groups (listing only when a wildcard or a state filter needs it),
    /// describes them batch by batch (an Empty group the listing showed is not described: the listing round
    /// described it already), hands each batch's groups to
    /// <paramref name="complete"/> and streams what it returns, with progress when there is more than one batch.
    /// </summary>
    internal async IAsyncEnumerable<GroupResult<T>> StreamAsync<T>(
        ConsumerGroupQuery query,
        Func<IReadOnlyList<GroupResult<KafkaConsumerGroup>>, SemaphoreSlim, CancellationToken, Task<IReadOnlyList<GroupResult<T>>>> complete,
        int progressId,
        string activity,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var states = ParseStates(query.States);
        foreach (var id in query.GroupIds)
        {
            ConsumerGroupNames.EnsureValidGroupId(id);
        }

        ConsumerGroupOffsetService.EnsureValidTopics(query.Topics);
        if (query.MaxConcurrency < 1 || query.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "MaxConcurrency and BatchSize must be at least 1.");
        }

        await Calls.PartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        var (groupIds, listed) = await ResolveGroupIdsAsync(query, states, cancellationToken).ConfigureAwait(false);
        if (groupIds.Count == 0)
        {
            yield break;
        }

        // The listing round described every group it listed (rd_kafka_list_groups sends DescribeGroups for
        // them): a group it showed Empty has no members and its lister is its coordinator, so it is not
        // described again (half the requests when most groups are idle, as on most clusters).
        var empty = listed is null
            ? null
            : listed.Values.Where(l => l.Listing.State == ConsumerGroupState.Empty).ToDictionary(l => l.Listing.GroupId, StringComparer.Ordinal);
        var batches = groupIds.Chunk(query.BatchSize).ToArray();
        var done = 0;

        // Up to BatchesInFlight batches are read at once (one being written out, the next being
        // read), while one gate bounds the OffsetFetch calls of all of them to MaxConcurrency.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var gate = new SemaphoreSlim(query.MaxConcurrency);
        var inFlight = new Queue<Task<IReadOnlyList<GroupResult<T>>>>();
        var nextBatch = 0;
        async Task<IReadOnlyList<GroupResult<T>>> ReadBatchAsync(string[] ids, CancellationToken token) =>
            await complete(await DescribeBatchAsync(ids, query, states, empty, token).ConfigureAwait(false), gate, token).ConfigureAwait(false);
        void Fill()
        {
            while (nextBatch < batches.Length && inFlight.Count < BatchesInFlight)
            {
                inFlight.Enqueue(ReadBatchAsync(batches[nextBatch++], stop.Token));
            }
        }

        try
        {
            Fill();
            for (var i = 0; i < batches.Length; i++)
            {
                var current = await inFlight.Dequeue().ConfigureAwait(false);
                Fill();
                foreach (var result in current)
                {
                    yield return result;
                }

                done += batches[i].Length;
                if (batches.Length > 1)
                {
                    Calls.Sink.Progress(new OperationProgress(progressId, activity, $"{done} of {groupIds.Count} groups", done * 100 / groupIds.Count));
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
            Calls.Sink.Progress(new OperationProgress(progressId, activity, "Done", 100, Completed: true));
        }
    }

    private async Task<(IReadOnlyList<string> Ids, IReadOnlyDictionary<string, ListedGroup>? Listed)> ResolveGroupIdsAsync(ConsumerGroupQuery query, IReadOnlyList<ConsumerGroupState> states, CancellationToken cancellationToken)
    {
        // Only plain ids and no state filter: no need to list every group of the cluster.
        if (query.GroupIds.Count > 0 && states.Count == 0 && !query.GroupIds.Any(ConsumerGroupNames.HasWildcard))
        {
            return (query.GroupIds.Distinct(StringComparer.Ordinal).ToArray(), null);
        }

        var listings = await ListGroupsAsync(states, null, cancellationToken).ConfigureAwait(false);
        var match = ConsumerGroupNames.CreateMatcher(query.GroupIds);
        var listed = new Dictionary<string, ListedGroup>(StringComparer.Ordinal);
        foreach (var listing in listings.Where(l => match(l.Listing.GroupId)))
        {
            listed.TryAdd(listing.Listing.GroupId, listing);
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

    /// <summary>One batch described (one DescribeConsumerGroups, one by one after a transient failure): a result per group, in order.</summary>
    private async Task<IReadOnlyList<GroupResult<KafkaConsumerGroup>>> DescribeBatchAsync(
        string[] groupIds,
        ConsumerGroupQuery query,
        IReadOnlyList<ConsumerGroupState> states,
        IReadOnlyDictionary<string, ListedGroup>? empty,
        CancellationToken cancellationToken)
    {
        var toDescribe = empty is null ? groupIds : groupIds.Where(id => !empty.ContainsKey(id)).ToArray();
        var described = toDescribe.Length == 0 ? [] : await Calls.DescribeAsync(toDescribe, cancellationToken).ConfigureAwait(false);
        var byId = described.ToDictionary(d => d.GroupId, StringComparer.Ordinal);
        var results = new List<GroupResult<KafkaConsumerGroup>>(groupIds.Length);
        foreach (var id in groupIds)
        {
            if (!byId.TryGetValue(id, out var description))
            {
                if (empty is not null && empty.TryGetValue(id, out var listed))
                {
                    // What the listing already says about an Empty group: no members, nothing to describe.
                    var fromListing = ToGroup(new ConsumerGroupDescription
                    {
                        GroupId = listed.Listing.GroupId,
                        State = listed.Listing.State,
                        IsSimpleConsumerGroup = listed.Listing.IsSimpleConsumerGroup,
                        Members = [],
                        Error = new Error(ErrorCode.NoError),
                        PartitionAssignor = string.Empty,
                    }, []);
                    results.Add(GroupResult<KafkaConsumerGroup>.Success(fromListing with { Coordinator = listed.Coordinator }));
                }

                continue;
            }

            if (description.Error is { IsError: true } error)
            {
                results.Add(GroupResult<KafkaConsumerGroup>.Failure(ConsumerGroupErrors.ForGroup(error.Code, error.Reason, id, "describe")));
            }
            else if (description.State == ConsumerGroupState.Dead && query.GroupIds.Contains(id, StringComparer.Ordinal) && !states.Contains(ConsumerGroupState.Dead))
            {
                results.Add(GroupResult<KafkaConsumerGroup>.Failure(ConsumerGroupErrors.NotFound(id)));
            }
            else if (states.Count == 0 || states.Contains(description.State))
            {
                // (A group whose state changed between the listing and the describe is left out.)
                results.Add(GroupResult<KafkaConsumerGroup>.Success(ToGroup(description, [])));
            }
        }

        return results;
    }

    /// <summary>
    /// Adds the topics each group has committed offsets for, as Apache's kafka-consumer-groups shows them
    /// (an Empty group has no members, only offsets): one OffsetFetch per group, bounded by the gate,
    /// limited to topics that still exist. A group whose offsets cannot be read keeps the topics of its
    /// assignments, followed by its error.
    /// </summary>
    private async Task<IReadOnlyList<GroupResult<KafkaConsumerGroup>>> WithCommittedTopicsAsync(IReadOnlyList<GroupResult<KafkaConsumerGroup>> batch, CommittedOffsetScope? scope, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var existing = await Calls.PartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        var fetches = batch.Select(async r =>
        {
            if (!r.IsSuccess)
            {
                return [r];
            }

            var committed = await ConsumerGroupOffsetService.FetchGatedAsync(Calls, r.Value!.GroupId, gate, cancellationToken).ConfigureAwait(false);
            if (committed.Offsets is null)
            {
                return new[] { r, GroupResult<KafkaConsumerGroup>.Failure(committed.Error!) };
            }

            var topics = committed.Offsets.Where(o => o.Offset.Value >= 0 && existing.ContainsKey(o.Topic)).Select(o => o.Topic);
            return [GroupResult<KafkaConsumerGroup>.Success(r.Value with
            {
                Topics = r.Value.Topics.Concat(topics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
                CommittedRead = scope is null ? null : new CommittedOffsetsRead(committed, scope),
            })];
        }).ToArray();
        return (await Task.WhenAll(fetches).ConfigureAwait(false)).SelectMany(r => r).ToArray();
    }

    /// <summary>The output object of a description (topics: the members' assignments plus <paramref name="committedTopics"/>).</summary>
    internal KafkaConsumerGroup ToGroup(ConsumerGroupDescription d, IReadOnlyList<string> committedTopics)
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
            ConnectionName = Calls.ConnectionName,
            ClusterId = Calls.Factory.Connection.ClusterId,
            BootstrapServers = Calls.Factory.BootstrapServers,
        };
    }
}
