namespace KafkaCatalog.TestKit.Kafka.Records;

/// <summary>Kafka error codes the record layer produces.</summary>
public static class KafkaRecordErrors
{
    public const short CorruptMessage = 2;
    public const short UnsupportedForMessageFormat = 43;
    public const short UnsupportedCompressionType = 76;
    public const short InvalidRecord = 87;
}

/// <summary>A record batch could not be read or written; <see cref="ErrorCode"/> is the Kafka error code a broker answers with.</summary>
public sealed class RecordFormatException : Exception
{
    public RecordFormatException(short errorCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorCode = errorCode;
    }

    public short ErrorCode { get; }
}
