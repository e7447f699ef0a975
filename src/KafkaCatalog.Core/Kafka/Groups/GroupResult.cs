namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// One item of a consumer-group stream: its value, or the error that kept it out (ConsumerGroupNotFound,
/// GroupCoordinatorUnavailable, PartitionOffsetsUnavailable, ...). The services never decide what ends
/// the command: the caller (a cmdlet) reports an error and goes on, or stops.
/// </summary>
public sealed record GroupResult<T>
{
    private GroupResult(T? value, KafkaCatalogException? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The item; default when <see cref="Error"/> is set.</summary>
    public T? Value { get; }

    /// <summary>Why the item is missing; null on success.</summary>
    public KafkaCatalogException? Error { get; }

    public bool IsSuccess => Error is null;

    public static GroupResult<T> Success(T value) => new(value, null);

    public static GroupResult<T> Failure(KafkaCatalogException error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
