using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// Reset-KafkaConsumerGroupOffset: reads the group and the logs and plans the reset with
/// <see cref="ConsumerGroupOffsetResetPlanner"/> (changing nothing), then commits the plan
/// (AlterConsumerGroupOffsets) after checking again that the group has no members.
/// </summary>
public sealed class ConsumerGroupResetService
{
    private readonly ConsumerGroupCalls _calls;

    public ConsumerGroupResetService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
        : this(new ConsumerGroupCalls(factory, sink, retry))
    {
    }

    internal ConsumerGroupResetService(ConsumerGroupCalls calls) => _calls = calls;

    /// <summary>
    /// Reads the group and the logs and computes the reset, changing nothing. Refuses a group
    /// with active members, unknown topics or partitions, and shifts without a committed offset.
    /// </summary>
    public async Task<IReadOnlyList<KafkaConsumerGroupOffsetReset>> PlanResetAsync(OffsetResetRequest request, CancellationToken cancellationToken = default)
    {
        ConsumerGroupOffsetResetPlanner.Validate(request);
        var description = await _calls.DescribeOneAsync(request.GroupId, cancellationToken).ConfigureAwait(false);
        ConsumerGroupOffsetResetPlanner.EnsureGroupInactive(request.GroupId, description.State.ToString(), description.Members.Count);

        var partitionCounts = await _calls.PartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        var fetched = await _calls.FetchCommittedAsync(request.GroupId, cancellationToken).ConfigureAwait(false);
        var committed = (fetched.Offsets ?? throw fetched.Error!)
            .Where(c => c.Offset.Value >= 0)
            .ToDictionary(c => new KafkaTopicPartition(c.Topic, c.Partition.Value), c => c.Offset.Value);
        var scope = ConsumerGroupOffsetResetPlanner.ResolveScope(request, partitionCounts, committed.Keys);

        var starts = await _calls.ListOffsetsAsync(scope, OffsetSpec.Earliest(), cancellationToken).ConfigureAwait(false);
        var ends = await _calls.ListOffsetsAsync(scope, OffsetSpec.Latest(), cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<KafkaTopicPartition, long>? forTime = null;
        if (request.Mode == OffsetResetMode.ToDateTime)
        {
            forTime = await _calls.ListOffsetsAsync(scope, OffsetSpec.ForTimestamp(request.DateTime.ToUnixTimeMilliseconds()), cancellationToken).ConfigureAwait(false);
        }

        var missing = scope.Where(p => !starts.ContainsKey(p) || !ends.ContainsKey(p) || (forTime is not null && !forTime.ContainsKey(p))).ToArray();
        if (missing.Length > 0)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PartitionOffsetsUnavailable,
                $"The log offsets of {string.Join(", ", missing.Take(10))} could not be read (no leader?), so the reset of consumer group '{request.GroupId}' cannot be planned. Nothing was reset; try again shortly.",
                request.GroupId);
        }

        var states = scope.Select(p => new PartitionResetState(p, committed.TryGetValue(p, out var c) ? c : null, starts[p], ends[p])
        {
            OffsetForTime = forTime is not null && forTime.TryGetValue(p, out var t) && t >= 0 ? t : null,
        });
        return ConsumerGroupOffsetResetPlanner.Plan(request with { PlanOnly = true }, states, _calls.ConnectionName);
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
        var description = await _calls.DescribeOneAsync(groupId, cancellationToken).ConfigureAwait(false);
        ConsumerGroupOffsetResetPlanner.EnsureGroupInactive(groupId, description.State.ToString(), description.Members.Count);

        var offsets = plan.Select(p => new TopicPartitionOffset(p.Topic, new Partition(p.Partition), new Offset(p.NewOffset))).ToList();
        _calls.Sink.Verbose($"AlterConsumerGroupOffsets for '{groupId}': {plan.Count} partition(s).");
        try
        {
            await _calls.Retry.ExecuteAsync(
                "AlterConsumerGroupOffsets",
                KafkaCallKind.IdempotentWrite,
                _calls.Factory.BootstrapServers,
                async _ =>
                {
                    try
                    {
                        return await _calls.Guarded(native => _calls.GroupAdmin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(groupId, offsets)], new AlterConsumerGroupOffsetsOptions { RequestTimeout = native }), cancellationToken).ConfigureAwait(false);
                    }
                    catch (AlterConsumerGroupOffsetsException ex)
                    {
                        // Partition-level errors (the coordinator moved) are invisible to the retry policy; surface them.
                        throw GroupRetry.TransientOrSame(ex, ex.Results.SelectMany(r => r.Partitions.Select(p => p.Error).Append(r.Error)));
                    }
                },
                _calls.Sink,
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

    private static KafkaCatalogException ResetError(string groupId, ErrorCode code, string? reason, Exception inner) => ConsumerGroupErrors.WithInner(
        code switch
        {
            ErrorCode.UnknownMemberId or ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration => new KafkaCatalogException(
                ErrorCatalog.ConsumerGroupActive,
                $"Consumer group '{groupId}' has active members again; stop them first, then run the reset again. The cluster refused the new offsets ({code}).",
                groupId),
            _ => ConsumerGroupErrors.ForGroup(code, reason, groupId, "reset the offsets of"),
        },
        inner);
}
