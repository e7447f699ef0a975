using System.Globalization;
using System.Text;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Partitions;

/// <summary>The log bounds of one partition, and for -BeforeTimestamp the first offset at or after the instant (null: none).</summary>
public sealed record PartitionLogState(int Partition, long LowWatermark, long HighWatermark)
{
    public long? OffsetForTimestamp { get; init; }
}

/// <summary>
/// Pure logic of Remove-KafkaRecord: checks the request, and computes each partition's new low watermark.
/// Nothing beyond the high watermark is ever asked for (Kafka refuses it with OFFSET_OUT_OF_RANGE), and a
/// partition whose log already starts at or after the offset is left alone.
/// </summary>
public static class RecordDeletionPlanner
{
    /// <summary>Checks the request on its own, before any call to the cluster.</summary>
    public static void Validate(RecordDeletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problem = KafkaErrors.ValidateTopicName(request.Topic);
        if (problem is not null)
        {
            throw new KafkaCatalogException(ErrorCatalog.InvalidTopicName,
                $"Cannot delete records of topic '{request.Topic}': {problem}. " + KafkaErrors.TopicNameRules, request.Topic);
        }

        if (TopicService.InternalTopics.Contains(request.Topic))
        {
            throw new KafkaCatalogException(ErrorCatalog.CannotDeleteInternalTopicRecords,
                $"Topic '{request.Topic}' is internal to Kafka; its records are not deleted (Kafka refuses it too).", request.Topic);
        }

        if ((request.BeforeOffset is null) == (request.BeforeTimestamp is null))
        {
            throw new KafkaCatalogException(ErrorCatalog.RecordDeletionNeedsOneBound,
                "Give exactly one of -BeforeOffset and -BeforeTimestamp: the records before it are deleted.", request.Topic);
        }

        if (request.BeforeOffset is < 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.NegativeOffset,
                $"-BeforeOffset {request.BeforeOffset.Value.ToString(CultureInfo.InvariantCulture)} is negative. Give the first offset to keep (0 or more); Get-KafkaTopicOffset shows each partition's watermarks.", request.Topic);
        }

        var negative = request.Partitions?.FirstOrDefault(p => p < 0, 0) ?? 0;
        if (negative < 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.NegativePartition,
                $"-Partition {negative.ToString(CultureInfo.InvariantCulture)} is negative. Partitions are numbered from 0.", request.Topic);
        }
    }

    /// <summary>The partitions in scope: the ones asked for, or all; an unknown one is PartitionNotFound.</summary>
    public static IReadOnlyList<int> ResolvePartitions(RecordDeletionRequest request, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Partitions is not { Count: > 0 } wanted)
        {
            return Enumerable.Range(0, partitionCount).ToArray();
        }

        var missing = wanted.Where(p => p >= partitionCount).Distinct().Order().ToArray();
        if (missing.Length > 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.PartitionNotFound,
                $"Topic '{request.Topic}' has no partition {string.Join(", ", missing)} (it has {partitionCount}, numbered from 0). No records were deleted.", new KafkaTopicPartition(request.Topic, missing[0]));
        }

        return wanted.Distinct().Order().ToArray();
    }

    /// <summary>
    /// One planned row per partition. -BeforeOffset beyond a partition's high watermark is
    /// BeforeOffsetBeyondHighWatermark for the whole request (nothing is deleted); -BeforeTimestamp resolves
    /// to the first offset at or after the instant, or the high watermark when every record is older.
    /// </summary>
    public static IReadOnlyList<KafkaRecordDeletion> Plan(RecordDeletionRequest request, IReadOnlyList<PartitionLogState> partitions, string? connectionName)
    {
        Validate(request);
        ArgumentNullException.ThrowIfNull(partitions);
        if (request.BeforeOffset is { } before)
        {
            var beyond = partitions.Where(p => before > p.HighWatermark).OrderBy(p => p.Partition).ToArray();
            if (beyond.Length > 0)
            {
                var listing = string.Join(", ", beyond.Select(p => $"{request.Topic}[{p.Partition}] ends at {p.HighWatermark.ToString(CultureInfo.InvariantCulture)}"));
                throw new KafkaCatalogException(ErrorCatalog.BeforeOffsetBeyondHighWatermark,
                    $"-BeforeOffset {before.ToString(CultureInfo.InvariantCulture)} is beyond the high watermark of {listing}: Kafka cannot delete records that do not exist yet. No records were deleted. Choose the partitions with -Partition, or a lower offset (Get-KafkaTopicOffset shows the watermarks).",
                    new KafkaTopicPartition(request.Topic, beyond[0].Partition));
            }
        }

        return partitions.OrderBy(p => p.Partition).Select(p =>
        {
            var target = request.BeforeOffset ?? p.OffsetForTimestamp ?? p.HighWatermark;
            target = Math.Min(target, p.HighWatermark);
            var moves = target > p.LowWatermark;
            return new KafkaRecordDeletion
            {
                Topic = request.Topic,
                Partition = p.Partition,
                PreviousLowWatermark = p.LowWatermark,
                NewLowWatermark = moves ? target : p.LowWatermark,
                HighWatermark = p.HighWatermark,
                BeforeTimestamp = request.BeforeTimestamp,
                Status = moves ? "Planned" : "NothingToDelete",
                ConnectionName = connectionName,
            };
        }).ToArray();
    }

    /// <summary>The -WhatIf / confirmation text: per partition, how many records go and the new low watermark.</summary>
    public static string Describe(RecordDeletionRequest request, IReadOnlyList<KafkaRecordDeletion> plan, string bootstrapServers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plan);
        var bound = request.BeforeOffset is { } o
            ? $"before offset {o.ToString(CultureInfo.InvariantCulture)}"
            : $"older than {request.BeforeTimestamp!.Value.ToString("o", CultureInfo.InvariantCulture)}";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"records {bound} of topic '{request.Topic}' on {bootstrapServers}: {plan.Sum(r => r.RecordsRemoved).ToString(CultureInfo.InvariantCulture)} record(s) in {plan.Count(r => r.RecordsRemoved > 0)} partition(s)");
        foreach (var row in plan)
        {
            text.AppendLine();
            text.Append(row.RecordsRemoved > 0
                ? FormattableString.Invariant($"  {row.Topic}[{row.Partition}]: {row.RecordsRemoved} record(s), low watermark {row.PreviousLowWatermark} -> {row.NewLowWatermark} (high watermark {row.HighWatermark})")
                : FormattableString.Invariant($"  {row.Topic}[{row.Partition}]: nothing to delete (low watermark {row.PreviousLowWatermark}, high watermark {row.HighWatermark})"));
        }

        return text.ToString();
    }
}
