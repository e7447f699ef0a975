namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>One row of Get-KafkaConsumerGroupOffset -Summary: a group's lag on one topic.</summary>
public sealed record KafkaConsumerGroupLagSummary
{
    public required string GroupId { get; init; }
    public required string Topic { get; init; }
    public required int PartitionCount { get; init; }
    public required long TotalLag { get; init; }
    public long MaxLag { get; init; }
    public int PartitionsWithoutCommittedOffset { get; init; }
    /// <summary>Partitions currently owned by a member of the group.</summary>
    public int AssignedPartitionCount { get; init; }
    public string? ConnectionName { get; init; }
    /// <summary>With -IncludeTimeLag: the largest time lag of the topic's partitions (null when none could be computed).</summary>
    public TimeSpan? MaxTimeLag { get; init; }
    /// <summary>With -IncludeTimeLag: the partition with <see cref="MaxTimeLag"/>.</summary>
    public int? MaxTimeLagPartition { get; init; }
    /// <summary>With -IncludeTimeLag: partitions whose time lag could not be computed.</summary>
    public int PartitionsWithoutTimeLag { get; init; }
}

/// <summary>Where Reset-KafkaConsumerGroupOffset moves a group.</summary>
public enum OffsetResetMode
{
    ToEarliest,
    ToLatest,
    ToOffset,
    ToDateTime,
    ShiftBy,
}

/// <summary>What to reset to, and which partitions (null filters mean every partition the group has offsets for).</summary>
public sealed record OffsetResetRequest
{
    public required string GroupId { get; init; }
    public required OffsetResetMode Mode { get; init; }
    /// <summary>The target offset for <see cref="OffsetResetMode.ToOffset"/>.</summary>
    public long Offset { get; init; }
    /// <summary>The shift for <see cref="OffsetResetMode.ShiftBy"/> (negative moves back).</summary>
    public long ShiftBy { get; init; }
    /// <summary>The instant for <see cref="OffsetResetMode.ToDateTime"/>.</summary>
    public DateTimeOffset DateTime { get; init; }
    /// <summary>Topics to reset; null or empty means the topics the group has committed offsets for.</summary>
    public IReadOnlyList<string>? Topics { get; init; }
    /// <summary>Partitions to reset within <see cref="Topics"/>; needs exactly one topic.</summary>
    public IReadOnlyList<int>? Partitions { get; init; }
    /// <summary>Plan only (-WhatIf): read the cluster, change nothing.</summary>
    public bool PlanOnly { get; init; }
}

/// <summary>One partition of a reset: where the group is and where it goes (the -WhatIf plan and the result).</summary>
public sealed record KafkaConsumerGroupOffsetReset
{
    public required string GroupId { get; init; }
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    /// <summary>The committed offset before the reset; null when the group had none.</summary>
    public long? CurrentOffset { get; init; }
    public required long NewOffset { get; init; }
    public long LogStartOffset { get; init; }
    public long LogEndOffset { get; init; }
    /// <summary>True when the requested offset lay outside [log start, log end] and was moved to the nearest end.</summary>
    public bool Clamped { get; init; }
    /// <summary>Planned (-WhatIf) or Applied.</summary>
    public required string Status { get; init; }
    public string? ConnectionName { get; init; }

    public override string ToString() =>
        $"{GroupId} {Topic}[{Partition}]: {(CurrentOffset?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")} -> {NewOffset}";
}

/// <summary>What Remove-KafkaConsumerGroup did.</summary>
public sealed record KafkaConsumerGroupRemoval
{
    public required string GroupId { get; init; }
    /// <summary>The topic whose offsets were deleted, or null when the whole group was deleted.</summary>
    public string? Topic { get; init; }
    public IReadOnlyList<int> Partitions { get; init; } = Array.Empty<int>();
    public string? ConnectionName { get; init; }
}
