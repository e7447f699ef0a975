using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// The consumer-group services behind one object, for callers that want all of them on one
/// connection and one metadata read (catalog inventory, cluster health, Receive-KafkaMessage's
/// committed start, tests and benchmarks): <see cref="ConsumerGroupReader"/> (list, describe),
/// <see cref="ConsumerGroupOffsetService"/> (committed offsets, lag), <see cref="ConsumerGroupResetService"/>
/// and <see cref="ConsumerGroupRemovalService"/>. The streaming members turn the per-item results into
/// <paramref name="onItemError"/> calls; a KafkaClusterUnreachable result is thrown.
/// The groups cmdlets use the services themselves and handle each result.
/// </summary>
public sealed class ConsumerGroupService
{
    private readonly ConsumerGroupCalls _calls;

    public ConsumerGroupService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new ConsumerGroupCalls(factory, sink, retry);
        Reader = new ConsumerGroupReader(_calls);
        Offsets = new ConsumerGroupOffsetService(Reader);
        Reset = new ConsumerGroupResetService(_calls);
        Removal = new ConsumerGroupRemovalService(_calls);
    }

    public ConsumerGroupReader Reader { get; }

    public ConsumerGroupOffsetService Offsets { get; }

    public ConsumerGroupResetService Reset { get; }

    public ConsumerGroupRemovalService Removal { get; }

    /// <inheritdoc cref="ConsumerGroupReader.ParseStates"/>
    public static IReadOnlyList<ConsumerGroupState> ParseStates(IReadOnlyList<string> states) => ConsumerGroupReader.ParseStates(states);

    /// <inheritdoc cref="ConsumerGroupReader.ListGroupListingsAsync"/>
    public Task<IReadOnlyList<ConsumerGroupListing>> ListGroupListingsAsync(IReadOnlyList<ConsumerGroupState> states, TimeSpan? timeout, CancellationToken cancellationToken) =>
        Reader.ListGroupListingsAsync(states, timeout, cancellationToken);

    /// <summary>The groups matching the query, described (with offsets when <see cref="ConsumerGroupQuery.IncludeOffsets"/>).</summary>
    public IAsyncEnumerable<KafkaConsumerGroup> ListAsync(ConsumerGroupQuery query, Action<KafkaCatalogException>? onItemError = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Report(query.IncludeOffsets ? Offsets.ReadWithOffsetsAsync(query, cancellationToken) : Reader.ReadAsync(query, cancellationToken), onItemError, cancellationToken);
    }

    /// <summary>The offset rows of each matching group, group after group.</summary>
    public async IAsyncEnumerable<KafkaConsumerGroupOffset> GetOffsetsAsync(ConsumerGroupQuery query, Action<KafkaCatalogException>? onItemError = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await foreach (var rows in Report(Offsets.GetOffsetsAsync(query, cancellationToken), onItemError, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                yield return row;
            }
        }
    }

    /// <summary>One lag summary row per group and topic, group after group.</summary>
    public async IAsyncEnumerable<KafkaConsumerGroupLagSummary> GetLagSummaryAsync(ConsumerGroupQuery query, Action<KafkaCatalogException>? onItemError = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await foreach (var rows in Report(Offsets.GetOffsetsAsync(query, cancellationToken), onItemError, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in ConsumerGroupLag.Summarize(rows))
            {
                yield return row;
            }
        }
    }

    /// <inheritdoc cref="ConsumerGroupOffsetService.GetCommittedOffsetsAsync"/>
    public Task<IReadOnlyDictionary<int, long>> GetCommittedOffsetsAsync(string groupId, string topic, CancellationToken cancellationToken = default) =>
        Offsets.GetCommittedOffsetsAsync(groupId, topic, cancellationToken);

    /// <inheritdoc cref="ConsumerGroupCalls.DescribeOneAsync"/>
    public Task<ConsumerGroupDescription> DescribeOneAsync(string groupId, CancellationToken cancellationToken) => _calls.DescribeOneAsync(groupId, cancellationToken);

    /// <inheritdoc cref="ConsumerGroupCalls.ReadPartitionCountsAsync"/>
    public Task<Dictionary<string, int>> GetPartitionCountsAsync(CancellationToken cancellationToken) => _calls.ReadPartitionCountsAsync(cancellationToken);

    /// <inheritdoc cref="ConsumerGroupResetService.PlanResetAsync"/>
    public Task<IReadOnlyList<KafkaConsumerGroupOffsetReset>> PlanResetAsync(OffsetResetRequest request, CancellationToken cancellationToken = default) =>
        Reset.PlanResetAsync(request, cancellationToken);

    /// <inheritdoc cref="ConsumerGroupResetService.ApplyResetAsync"/>
    public Task<IReadOnlyList<KafkaConsumerGroupOffsetReset>> ApplyResetAsync(string groupId, IReadOnlyList<KafkaConsumerGroupOffsetReset> plan, CancellationToken cancellationToken = default) =>
        Reset.ApplyResetAsync(groupId, plan, cancellationToken);

    /// <inheritdoc cref="ConsumerGroupRemovalService.RemoveAsync"/>
    public Task<KafkaConsumerGroupRemoval> RemoveAsync(string groupId, string? topic, CancellationToken cancellationToken = default) =>
        Removal.RemoveAsync(groupId, topic, cancellationToken);

    /// <summary>Offsets for one spec (the one ListOffsets path); partitions that fail after retries are missing from the result.</summary>
    internal Task<IReadOnlyDictionary<KafkaTopicPartition, long>> ListOffsetsAsync(IReadOnlyCollection<KafkaTopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken) =>
        _calls.ListOffsetsAsync(partitions, spec, cancellationToken);

    private static async IAsyncEnumerable<T> Report<T>(IAsyncEnumerable<GroupResult<T>> results, Action<KafkaCatalogException>? onItemError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var result in results.WithCancellation(cancellationToken).ConfigureAwait(false))
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
}
