namespace KafkaCatalog.Core.Kafka;

/// <summary>One partition's offsets, as Get-KafkaTopicOffset emits it.</summary>
public sealed record KafkaTopicOffset
{
    public required string Topic { get; init; }
    public required int Partition { get; init; }

    /// <summary>The log start offset (earliest offset still in the log).</summary>
    public required long LowWatermark { get; init; }

    /// <summary>The offset the next message will get (high watermark).</summary>
    public required long HighWatermark { get; init; }

    /// <summary>Messages currently in the partition: HighWatermark - LowWatermark (compacted topics may hold fewer).</summary>
    public long MessageCount => Math.Max(0, HighWatermark - LowWatermark);

    /// <summary>The timestamp asked for with -Timestamp, if any.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The earliest offset whose timestamp is at or after <see cref="Timestamp"/>; null when not asked or when no message is that recent.</summary>
    public long? OffsetForTimestamp { get; init; }

    public int Leader { get; init; } = -1;
    public string? ConnectionName { get; init; }
}

/// <summary>The outcome of one topic of Remove-KafkaTopic or Add-KafkaPartition.</summary>
public sealed record KafkaTopicChange
{
    public required string Topic { get; init; }

    /// <summary>Null when the change was applied (or validated).</summary>
    public KafkaCatalogException? Error { get; init; }

    public bool Succeeded => Error is null;
}
