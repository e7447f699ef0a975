using System.Globalization;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>What the planner needs to know about one partition: the group's committed offset and the log's bounds.</summary>
public sealed record PartitionResetState(KafkaTopicPartition Partition, long? CommittedOffset, long LogStartOffset, long LogEndOffset)
{
    /// <summary>For <see cref="OffsetResetMode.ToDateTime"/>: the first offset whose timestamp is at or after the
    /// instant, or null when no such message exists (the reset then goes to the log end).</summary>
    public long? OffsetForTime { get; init; }
}

/// <summary>
/// Pure logic of Reset-KafkaConsumerGroupOffset: validates the request, decides which partitions
/// are in scope, refuses active groups, and computes each partition's new offset (clamped to the
/// log's [start, end] so a consumer never starts outside the log).
/// </summary>
public static class ConsumerGroupOffsetResetPlanner
{
    /// <summary>Checks the request on its own, before any call to the cluster.</summary>
    public static void Validate(OffsetResetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ConsumerGroupNames.EnsureValidGroupId(request.GroupId);
        if (request.Mode == OffsetResetMode.ToOffset && request.Offset < 0)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.NegativeResetOffset,
                $"-ToOffset {request.Offset.ToString(CultureInfo.InvariantCulture)} is negative. Give an offset of 0 or more, or use -ToEarliest / -ToLatest.",
                request.GroupId);
        }

        if (request.Topics is { } topics)
        {
            foreach (var topic in topics)
            {
                if (string.IsNullOrWhiteSpace(topic))
                {
                    throw new KafkaCatalogException(
                        ErrorCatalog.EmptyTopicName,
                        "-Topic contains an empty name. Give the names of the topics whose offsets should be reset.",
                        request.GroupId);
                }
            }
        }

        if (request.Partitions is { Count: > 0 } partitions)
        {
            if (request.Topics is not { Count: 1 })
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.PartitionNeedsSingleTopic,
                    "-Partition needs exactly one -Topic: partition numbers only mean something within one topic.",
                    request.GroupId);
            }

            var negative = partitions.FirstOrDefault(p => p < 0, 0);
            if (negative < 0)
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.NegativePartition,
                    $"-Partition {negative.ToString(CultureInfo.InvariantCulture)} is negative. Partitions are numbered from 0.",
                    request.GroupId);
            }
        }
    }

    /// <summary>Refuses to touch a group that has members: they would overwrite the reset with their next commit.</summary>
    public static void EnsureGroupInactive(string groupId, string state, int memberCount)
    {
        var inactive = string.Equals(state, "Empty", StringComparison.OrdinalIgnoreCase)
            || string.Equals(state, "Dead", StringComparison.OrdinalIgnoreCase);
        if (inactive && memberCount == 0)
        {
            return;
        }

        var members = memberCount == 1 ? "1 active member" : $"{memberCount.ToString(CultureInfo.InvariantCulture)} active members";
        throw new KafkaCatalogException(
            ErrorCatalog.ConsumerGroupActive,
            $"Consumer group '{groupId}' has {members}; stop them first (the group must be Empty, it is {state}), then run the reset again. Offsets can only be reset while no consumer is in the group.",
            groupId);
    }

    /// <summary>
    /// The partitions to reset: every partition of each named topic (or only <see cref="OffsetResetRequest.Partitions"/>),
    /// or, without -Topic, every partition the group has a committed offset for.
    /// </summary>
    /// <param name="partitionCounts">Partition count of every topic in the cluster.</param>
    /// <param name="committedPartitions">Partitions the group has committed offsets for.</param>
    public static IReadOnlyList<KafkaTopicPartition> ResolveScope(
        OffsetResetRequest request,
        IReadOnlyDictionary<string, int> partitionCounts,
        IReadOnlyCollection<KafkaTopicPartition> committedPartitions)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(partitionCounts);
        ArgumentNullException.ThrowIfNull(committedPartitions);
        var scope = new List<KafkaTopicPartition>();
        if (request.Topics is not { Count: > 0 } topics)
        {
            if (committedPartitions.Count == 0)
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.ConsumerGroupHasNoOffsets,
                    $"Consumer group '{request.GroupId}' has no committed offsets, so there is nothing to reset. Name the topics with -Topic to give it offsets.",
                    request.GroupId);
            }

            scope.AddRange(committedPartitions
                .Where(tp => partitionCounts.TryGetValue(tp.Topic, out var count) && tp.Partition < count)
                .OrderBy(tp => tp.Topic, StringComparer.Ordinal)
                .ThenBy(tp => tp.Partition));
            if (scope.Count == 0)
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.ConsumerGroupTopicsGone,
                    $"Consumer group '{request.GroupId}' only has offsets for topics that no longer exist. Use Remove-KafkaConsumerGroup -Topic to drop them.",
                    request.GroupId);
            }

            return scope;
        }

        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            if (!partitionCounts.TryGetValue(topic, out var count))
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.TopicNotFound,
                    $"Topic '{topic}' does not exist. Check the name with Get-KafkaTopic; nothing was reset.",
                    topic);
            }

            if (request.Partitions is { Count: > 0 } partitions)
            {
                foreach (var partition in partitions.Distinct().Order())
                {
                    if (partition >= count)
                    {
                        throw new KafkaCatalogException(
                            ErrorCatalog.PartitionNotFound,
                            $"Topic '{topic}' has {count.ToString(CultureInfo.InvariantCulture)} partitions (0-{(count - 1).ToString(CultureInfo.InvariantCulture)}); partition {partition.ToString(CultureInfo.InvariantCulture)} does not exist. Nothing was reset.",
                            topic);
                    }

                    scope.Add(new KafkaTopicPartition(topic, partition));
                }
            }
            else
            {
                for (var p = 0; p < count; p++)
                {
                    scope.Add(new KafkaTopicPartition(topic, p));
                }
            }
        }

        return scope;
    }

    /// <summary>Computes the new offset of every partition. Throws, changing nothing, when one cannot be computed.</summary>
    public static IReadOnlyList<KafkaConsumerGroupOffsetReset> Plan(
        OffsetResetRequest request,
        IEnumerable<PartitionResetState> states,
        string? connectionName = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(states);
        var plan = new List<KafkaConsumerGroupOffsetReset>();
        foreach (var state in states)
        {
            var start = Math.Max(0, state.LogStartOffset);
            var end = Math.Max(start, state.LogEndOffset);
            long wanted = request.Mode switch
            {
                OffsetResetMode.ToEarliest => start,
                OffsetResetMode.ToLatest => end,
                OffsetResetMode.ToOffset => request.Offset,
                OffsetResetMode.ToDateTime => state.OffsetForTime is { } o && o >= 0 ? o : end,
                OffsetResetMode.ShiftBy => Shift(request, state),
                _ => throw new ArgumentOutOfRangeException(nameof(request), request.Mode, "Unknown reset mode."),
            };
            var clamped = Math.Clamp(wanted, start, end);
            plan.Add(new KafkaConsumerGroupOffsetReset
            {
                GroupId = request.GroupId,
                Topic = state.Partition.Topic,
                Partition = state.Partition.Partition,
                CurrentOffset = state.CommittedOffset is >= 0 ? state.CommittedOffset : null,
                NewOffset = clamped,
                LogStartOffset = start,
                LogEndOffset = end,
                Clamped = clamped != wanted,
                Status = request.PlanOnly ? "Planned" : "Pending",
                ConnectionName = connectionName,
            });
        }

        return plan;
    }

    private static long Shift(OffsetResetRequest request, PartitionResetState state)
    {
        if (state.CommittedOffset is not { } committed || committed < 0)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.NoCommittedOffsetToShift,
                $"Consumer group '{request.GroupId}' has no committed offset on {state.Partition}, so -ShiftBy has nothing to shift. Use -ToEarliest, -ToLatest or -ToOffset for that partition (scope it with -Topic/-Partition). Nothing was reset.",
                request.GroupId);
        }

        // Saturate instead of overflowing: the clamp to [start, end] follows.
        return request.ShiftBy switch
        {
            > 0 when committed > long.MaxValue - request.ShiftBy => long.MaxValue,
            < 0 when committed < long.MinValue - request.ShiftBy => long.MinValue,
            _ => committed + request.ShiftBy,
        };
    }
}
