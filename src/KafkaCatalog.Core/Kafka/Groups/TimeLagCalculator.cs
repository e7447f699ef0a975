namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>Why a row's <see cref="KafkaConsumerGroupOffset.TimeLag"/> is null.</summary>
public static class TimeLagReasons
{
    /// <summary>The group has no committed offset for the partition: there is no record to date.</summary>
    public const string NoCommittedOffset = "NoCommittedOffset";

    /// <summary>The partition holds no records (log start = log end) while the group is behind its end.</summary>
    public const string EmptyPartition = "EmptyPartition";

    /// <summary>The committed offset is below the log start: the records it points at were deleted (retention, DeleteRecords).</summary>
    public const string OffsetBelowLogStart = "OffsetBelowLogStart";

    /// <summary>The record at the committed offset or the newest record could not be read in time (no leader, timeout, only control records, no timestamp).</summary>
    public const string FetchFailed = "FetchFailed";

    public static IReadOnlyList<string> All { get; } = [NoCommittedOffset, EmptyPartition, OffsetBelowLogStart, FetchFailed];
}

/// <summary>One record timestamp a time-lag row needs: the record at <see cref="Offset"/> of a partition (or the first one after it).</summary>
public readonly record struct TimeLagRead(KafkaTopicPartition Partition, long Offset);

/// <summary>
/// Time-lag arithmetic, without any I/O. A row either has its answer at once (zero, or null with a
/// reason) or needs two record timestamps: the record at the committed offset (the oldest record the
/// group has not read) and the newest record (log end - 1). Time lag = newest - committed, never negative.
/// </summary>
public static class TimeLagCalculator
{
    /// <summary>The answer that needs no read, or null when the row needs <see cref="ReadsFor"/>.</summary>
    public static (TimeSpan? TimeLag, string? Reason)? Immediate(KafkaConsumerGroupOffset row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.CommittedOffset is not { } committed)
        {
            return (null, TimeLagReasons.NoCommittedOffset);
        }

        if (committed >= row.LogEndOffset)
        {
            return (TimeSpan.Zero, null);
        }

        if (row.LogEndOffset <= row.LogStartOffset)
        {
            return (null, TimeLagReasons.EmptyPartition);
        }

        if (committed < row.LogStartOffset)
        {
            return (null, TimeLagReasons.OffsetBelowLogStart);
        }

        return null;
    }

    /// <summary>The two reads a lagging row needs: its committed offset and the newest record.</summary>
    public static (TimeLagRead Committed, TimeLagRead Newest) ReadsFor(KafkaConsumerGroupOffset row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var partition = new KafkaTopicPartition(row.Topic, row.Partition);
        return (new TimeLagRead(partition, row.CommittedOffset!.Value), new TimeLagRead(partition, row.LogEndOffset - 1));
    }

    /// <summary>Time lag from the two timestamps (Unix ms); null timestamps give FetchFailed.</summary>
    public static (TimeSpan? TimeLag, string? Reason) FromTimestamps(long? committedTimestampMs, long? newestTimestampMs)
    {
        if (committedTimestampMs is not { } committed || newestTimestampMs is not { } newest)
        {
            return (null, TimeLagReasons.FetchFailed);
        }

        return (TimeSpan.FromMilliseconds(Math.Max(0, newest - committed)), null);
    }

    /// <summary>The row with its time lag filled in, from <paramref name="timestamps"/> (absent or null: not read).</summary>
    public static KafkaConsumerGroupOffset Apply(KafkaConsumerGroupOffset row, IReadOnlyDictionary<TimeLagRead, long?> timestamps)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        var (timeLag, reason) = Immediate(row) ?? Resolve(row, timestamps);
        return row with { TimeLag = timeLag, TimeLagUnavailableReason = reason };
    }

    /// <summary>The per group and topic summary rows with the worst partition's time lag.</summary>
    public static IReadOnlyList<KafkaConsumerGroupLagSummary> Summarize(IReadOnlyList<KafkaConsumerGroupOffset> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ConsumerGroupLag.Summarize(rows).Select(summary =>
        {
            var partitions = rows.Where(r => r.GroupId == summary.GroupId && r.Topic == summary.Topic).ToArray();
            var worst = partitions.Where(r => r.TimeLag is not null).OrderByDescending(r => r.TimeLag).ThenBy(r => r.Partition).FirstOrDefault();
            return summary with
            {
                MaxTimeLag = worst?.TimeLag,
                MaxTimeLagPartition = worst?.Partition,
                PartitionsWithoutTimeLag = partitions.Count(r => r.TimeLag is null),
            };
        }).ToArray();
    }

    private static (TimeSpan?, string?) Resolve(KafkaConsumerGroupOffset row, IReadOnlyDictionary<TimeLagRead, long?> timestamps)
    {
        var (committed, newest) = ReadsFor(row);
        return FromTimestamps(timestamps.GetValueOrDefault(committed), timestamps.GetValueOrDefault(newest));
    }
}
