using System.Text;
using KafkaCatalog.Core.Connections;

namespace KafkaCatalog.Core.Kafka.Messages;

/// <summary>One record header; Kafka allows a key to repeat, so headers are a list.</summary>
public sealed record KafkaMessageHeader(string Key, byte[]? ValueBytes)
{
    /// <summary>The value decoded as UTF-8 (null for a null header value).</summary>
    public string? Value => ValueBytes is null ? null : MessageText.Decode(ValueBytes);

    public override string ToString() => $"{Key}={Value}";
}

/// <summary>
/// A message as Receive-KafkaMessage emits it. Topic, Key, Value, Headers, Timestamp and Partition
/// bind by property name to Publish-KafkaMessage, which copies the raw bytes (KeyBytes, ValueBytes).
/// </summary>
public sealed record KafkaMessage
{
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    public required long Offset { get; init; }
    /// <summary>The key decoded as UTF-8 (invalid sequences become U+FFFD); null for a null key.</summary>
    public string? Key => KeyBytes is null ? null : MessageText.Decode(KeyBytes);
    /// <summary>The value decoded as UTF-8; null for a tombstone.</summary>
    public string? Value => ValueBytes is null ? null : MessageText.Decode(ValueBytes);
    public byte[]? KeyBytes { get; init; }
    public byte[]? ValueBytes { get; init; }
    public IReadOnlyList<KafkaMessageHeader> Headers { get; init; } = Array.Empty<KafkaMessageHeader>();
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>CreateTime, LogAppendTime or NotAvailable.</summary>
    public string TimestampType { get; init; } = "CreateTime";
    public string? ConnectionName { get; init; }
}

/// <summary>Where Publish-KafkaMessage's message landed.</summary>
public sealed record KafkaDeliveryResult
{
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    public required long Offset { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string? Key { get; init; }
    public int ValueLength { get; init; }
    public string? ConnectionName { get; init; }
}

/// <summary>A message ready for the producer: bytes decided, topic known.</summary>
public sealed record OutgoingKafkaMessage
{
    public required string Topic { get; init; }
    /// <summary>Null lets the partitioner choose (by key hash, as Kafka's clients do).</summary>
    public int? Partition { get; init; }
    public byte[]? Key { get; init; }
    public byte[]? Value { get; init; }
    public IReadOnlyList<KafkaMessageHeader> Headers { get; init; } = Array.Empty<KafkaMessageHeader>();
    /// <summary>Null means "now" (the producer stamps the current time).</summary>
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>Where Receive-KafkaMessage starts reading.</summary>
public enum MessageStartPosition
{
    End,
    Beginning,
    Offset,
    Timestamp,
    /// <summary>
    /// Where <see cref="ReceiveRequest.GroupId"/> would resume: its committed offset in each partition, else
    /// <see cref="ReceiveRequest.NoOffsetReset"/> (as kafka-python's consumer, and so Mage, starts a partition).
    /// The group is only read: nothing joins it and nothing is committed.
    /// </summary>
    Committed,
}

/// <summary>What Receive-KafkaMessage reads.</summary>
public sealed record ReceiveRequest
{
    public required string Topic { get; init; }
    /// <summary>Null or empty reads every partition.</summary>
    public IReadOnlyList<int>? Partitions { get; init; }
    public MessageStartPosition Start { get; init; } = MessageStartPosition.End;
    public long Offset { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    /// <summary>With <see cref="MessageStartPosition.Committed"/>: the consumer group whose committed offsets to start from.</summary>
    public string? GroupId { get; init; }
    /// <summary>With <see cref="MessageStartPosition.Committed"/>: where a partition without a usable committed offset starts (kafka-python's default, latest).</summary>
    public KafkaOffsetReset NoOffsetReset { get; init; } = KafkaOffsetReset.Latest;
    /// <summary>0 means no limit.</summary>
    public int MaxMessages { get; init; }
    /// <summary>How long to read at most.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

internal static class MessageText
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static string Decode(byte[] bytes) => Utf8.GetString(bytes);

    public static byte[] Encode(string text) => Utf8.GetBytes(text);
}
