using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// The requests behind every consumer-group service, each made one way: the metadata read (once per
/// instance, so once per cmdlet invocation), the ListGroups round, DescribeConsumerGroups and
/// ListConsumerGroupOffsets (OffsetFetch), each coordinator call through
/// <see cref="ClusterReachabilityGuard.AdminCallAsync{T}"/>, and the one ListOffsets path
/// (<see cref="TopicOffsetService"/>). Per-group failures come back as values, never as exceptions
/// or callbacks; the retry rules are <see cref="GroupRetry"/>'s.
/// </summary>
internal sealed class ConsumerGroupCalls
{
    private readonly TopicOffsetService _logOffsets;
    private readonly object _metadataLock = new();
    private Task<Dictionary<string, int>>? _partitionCounts;

    public ConsumerGroupCalls(KafkaClientFactory factory, IOperationSink? sink, KafkaRetry? retry)
    {
        Factory = factory ?? throw new ArgumentNullException(nameof(factory));
        Sink = sink ?? NullOperationSink.Instance;
        Retry = retry ?? new KafkaRetry();
        _logOffsets = new TopicOffsetService(Factory, Sink, Retry);
    }

    public KafkaClientFactory Factory { get; }

    public IOperationSink Sink { get; }

    public KafkaRetry Retry { get; }

    public string ConnectionName => Factory.Connection.Name;

    /// <summary>Coordinator calls go through the consumer-handle admin client (see <see cref="KafkaClientFactory.GroupAdminClient"/>).</summary>
    public IAdminClient GroupAdmin => Factory.GroupAdminClient;

    /// <summary>
    /// Partition count of every topic, from one metadata request per instance (asked again only after
    /// a failed or cancelled read). Also the proof that TLS, SASL and a broker work: those failures end
    /// here as specific terminating errors.
    /// </summary>
    public Task<Dictionary<string, int>> PartitionCountsAsync(CancellationToken cancellationToken)
    {
        lock (_metadataLock)
        {
            if (_partitionCounts is null || _partitionCounts.IsFaulted || _partitionCounts.IsCanceled)
            {
                _partitionCounts = ReadPartitionCountsAsync(cancellationToken);
            }

            return _partitionCounts;
        }
    }

    /// <summary>Partition count of every topic, read now (one metadata request).</summary>
    public async Task<Dictionary<string, int>> ReadPartitionCountsAsync(CancellationToken cancellationToken)
    {
        var metadata = await ClusterReachabilityGuard.ProveReachableAsync(Factory, Retry, Sink, cancellationToken).ConfigureAwait(false);
        return metadata.Topics
            .Where(t => !t.Error.IsError || t.Partitions.Count > 0)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
    }

    /// <summary>
    /// A ListGroups round on every broker (<see cref="BrokerGroupList"/>), run again within
    /// <paramref name="budget"/> when a broker's connection broke during it.
    /// </summary>
    public async Task<BrokerGroupListResult> ListBrokerGroupsAsync(TimeSpan budget, CancellationToken cancellationToken)
    {
        try
        {
            return await GroupRetry.WithinBudgetAsync(
                round => BrokerGroupList.ListAsync(Factory.AdminClient, round, cancellationToken),
                budget,
                Retry.Options.MaxAttempts,
                (ex, next) => Sink.Verbose($"ListGroups: {ex.Error.Code} from a broker ({ex.Error.Reason}); asking every broker again ({next} of {Retry.Options.MaxAttempts})."),
                cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, null, "list consumer groups", Factory.BootstrapServers, KafkaCallKind.Read);
        }
    }

    /// <summary>
    /// One DescribeConsumerGroups for <paramref name="groupIds"/>; when a group failed transiently in a
    /// batch of several, that group is described again alone (<see cref="GroupRetry.OneByOneAsync{T}"/>).
    /// Per-group errors stay in each description's Error.
    /// </summary>
    public async Task<IReadOnlyList<ConsumerGroupDescription>> DescribeAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        var descriptions = await DescribeOnceAsync(groupIds, cancellationToken).ConfigureAwait(false);
        return await GroupRetry.OneByOneAsync(
            descriptions,
            d => d.Error is { IsError: true } e && GroupRetry.IsWorthAskingAlone(e.Code),
            async d =>
            {
                try
                {
                    return (await DescribeOnceAsync([d.GroupId], cancellationToken).ConfigureAwait(false)).FirstOrDefault() ?? d;
                }
                catch (KafkaCatalogException ex) when (ex.Is(ErrorCatalog.KafkaClusterUnreachable))
                {
                    return d;
                }
            }).ConfigureAwait(false);
    }

    /// <summary>Describes one group (state, members), asking again while its coordinator is moving; a group that does not exist comes back as Dead.</summary>
    public async Task<ConsumerGroupDescription> DescribeOneAsync(string groupId, CancellationToken cancellationToken)
    {
        // Metadata first: a TLS or SASL failure is then KafkaTlsFailed/KafkaAuthenticationFailed, not a coordinator timeout.
        await PartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        var description = await GroupRetry.UntilAnsweredAsync(
            async _ => (await DescribeOnceAsync([groupId], cancellationToken).ConfigureAwait(false)).FirstOrDefault() ?? throw ConsumerGroupErrors.NotFound(groupId),
            d => d.Error is { IsError: true } e && GroupRetry.IsCoordinatorTrouble(e.Code),
            Retry.Options.MaxAttempts,
            (d, next) => Sink.Verbose($"DescribeConsumerGroups for '{groupId}': {d.Error.Code}; asking again ({next} of {Retry.Options.MaxAttempts})."),
            cancellationToken).ConfigureAwait(false);
        return description.Error is { IsError: true } error
            ? throw ConsumerGroupErrors.ForGroup(error.Code, error.Reason, groupId, "describe")
            : description;
    }

    private async Task<IReadOnlyList<ConsumerGroupDescription>> DescribeOnceAsync(IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        var options = new DescribeConsumerGroupsOptions { RequestTimeout = Factory.RequestTimeout };
        Sink.Verbose($"DescribeConsumerGroups for {groupIds.Count} group(s) on {Factory.BootstrapServers}.");
        try
        {
            return await Retry.ExecuteAsync(
                "DescribeConsumerGroups",
                KafkaCallKind.Read,
                Factory.BootstrapServers,
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
                        // every group becomes a per-group timeout, which is then described one by one.
                        return groupIds.Select(id => new ConsumerGroupDescription { GroupId = id, Error = ex.Error, Members = [] }).ToList();
                    }
                },
                Sink,
                cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, null, "describe consumer groups", Factory.BootstrapServers, KafkaCallKind.Read);
        }
    }

    /// <summary>
    /// The committed offsets of one group (OffsetFetch), asked again once when a broker did not answer
    /// (<see cref="GroupRetry.AskAgainAsync{T}"/>). A failure is the answer's Error; Unreachable says the
    /// group's coordinator did not answer either time (the caller decides whether the cluster is gone).
    /// </summary>
    public Task<CommittedOffsets> FetchCommittedAsync(string groupId, CancellationToken cancellationToken) =>
        GroupRetry.AskAgainAsync(
            () => FetchCommittedOnceAsync(groupId, cancellationToken),
            answer => answer.Unreachable is not null,
            () => Sink.Verbose($"ListConsumerGroupOffsets for '{groupId}': a broker did not answer; asking again."));

    private async Task<CommittedOffsets> FetchCommittedOnceAsync(string groupId, CancellationToken cancellationToken)
    {
        var options = new ListConsumerGroupOffsetsOptions { RequestTimeout = Factory.RequestTimeout };
        Sink.Verbose($"ListConsumerGroupOffsets for '{groupId}'.");
        try
        {
            var result = await Retry.ExecuteAsync(
                "ListConsumerGroupOffsets",
                KafkaCallKind.Read,
                Factory.BootstrapServers,
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
                        throw GroupRetry.TransientOrSame(ex, ex.Results.SelectMany(r => r.Partitions.Select(p => p.Error).Append(r.Error)));
                    }
                },
                Sink,
                cancellationToken).ConfigureAwait(false);
            return new CommittedOffsets(groupId, result.Count == 0 ? Array.Empty<TopicPartitionOffsetError>() : result[0].Partitions, null, null);
        }
        catch (ListConsumerGroupOffsetsException ex)
        {
            var report = ex.Results.FirstOrDefault();
            var code = report?.Error is { IsError: true } e ? e.Code : report?.Partitions.FirstOrDefault(p => p.Error.IsError)?.Error.Code ?? ErrorCode.Unknown;
            return new CommittedOffsets(groupId, null, ConsumerGroupErrors.ForGroup(code, report?.Error.Reason, groupId, "read the committed offsets of"), null);
        }
        catch (Exception ex) when (ex is KafkaException || (ex is KafkaCatalogException k && k.Is(ErrorCatalog.KafkaClusterUnreachable)))
        {
            var mapped = KafkaErrors.FromException(ex, groupId, $"read the committed offsets of consumer group '{groupId}'", Factory.BootstrapServers, KafkaCallKind.Read);
            return mapped.Is(ErrorCatalog.KafkaClusterUnreachable)

                // One broker (this group's coordinator) not answering is this group's problem; the
                // caller decides whether the whole cluster is gone.
                ? new CommittedOffsets(groupId, null, ConsumerGroupErrors.CoordinatorUnavailable(groupId, (ex.InnerException ?? ex).Message, ex), mapped)
                : new CommittedOffsets(groupId, null, mapped, null);
        }
    }

    /// <summary>Log start and end offsets through the one ListOffsets path; partitions it could not answer for are left out and named.</summary>
    public async Task<(Dictionary<KafkaTopicPartition, (long Start, long End)> Bounds, IReadOnlyList<string> Failed)> LogBoundsAsync(
        IReadOnlyCollection<KafkaTopicPartition> partitions,
        CancellationToken cancellationToken)
    {
        var bounds = new Dictionary<KafkaTopicPartition, (long, long)>();
        var failed = new List<string>();
        if (partitions.Count == 0)
        {
            return (bounds, failed);
        }

        var startTask = _logOffsets.ListOffsetsAsync(partitions, OffsetSpec.Earliest(), cancellationToken);
        var endTask = _logOffsets.ListOffsetsAsync(partitions, OffsetSpec.Latest(), cancellationToken);
        var starts = (await startTask.ConfigureAwait(false)).Offsets;
        var ends = (await endTask.ConfigureAwait(false)).Offsets;
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

        return (bounds, failed);
    }

    /// <summary>Offsets for one spec through the one ListOffsets path; partitions it could not answer for are missing.</summary>
    public async Task<IReadOnlyDictionary<KafkaTopicPartition, long>> ListOffsetsAsync(IReadOnlyCollection<KafkaTopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken) =>
        (await _logOffsets.ListOffsetsAsync(partitions, spec, cancellationToken).ConfigureAwait(false)).Offsets;

    /// <summary>
    /// A coordinator-targeted admin call with its timeout kept on the .NET side: librdkafka 2.15.1 aborts the
    /// process when such a request times out before its coordinator lookup finished (see ClusterReachabilityGuard).
    /// </summary>
    public Task<T> Guarded<T>(Func<TimeSpan, Task<T>> call, CancellationToken cancellationToken) =>
        ClusterReachabilityGuard.AdminCallAsync(call, Factory.RequestTimeout, cancellationToken);
}

/// <summary>
/// The committed offsets of one group, or why they are missing (<see cref="Error"/>); <see cref="Unreachable"/>
/// is the KafkaClusterUnreachable behind a coordinator that did not answer.
/// </summary>
internal sealed record CommittedOffsets(string GroupId, IReadOnlyList<TopicPartitionOffsetError>? Offsets, KafkaCatalogException? Error, KafkaCatalogException? Unreachable);
