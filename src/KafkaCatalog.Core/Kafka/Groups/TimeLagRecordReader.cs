using Confluent.Kafka;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Reads the timestamp of the record at given offsets, for time lag. One consumer (no group, no
/// commits) for the whole call; at most <see cref="PartitionsPerRead"/> partitions are assigned at
/// once (librdkafka sends them as one small fetch per leader, at most <see cref="FetchMaxBytes"/>
/// bytes), and each wave of reads ends within <see cref="WaveTimeout"/> (kept on the .NET side: a
/// partition that does not answer in time is reported as not read). The consumer's blocking calls
/// go through a <see cref="NativeCallGate"/>, so Ctrl+C returns at once and the consumer is
/// disposed only once no call is inside it.
/// </summary>
public sealed class TimeLagRecordReader : IDisposable
{
    /// <summary>Partitions read at the same time (the bounded concurrency of the extra reads).</summary>
    public const int PartitionsPerRead = 8;

    /// <summary>Bytes one fetch may return (per partition and per request); a broker still returns at least one batch.</summary>
    public const int FetchMaxBytes = 64 * 1024;

    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(200);

    private readonly KafkaClientFactory _factory;
    private readonly IOperationSink _sink;
    private NativeCallGate _calls = new();
    private IConsumer<byte[]?, byte[]?>? _consumer;

    public TimeLagRecordReader(KafkaClientFactory factory, IOperationSink? sink = null)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _sink = sink ?? NullOperationSink.Instance;
    }

    /// <summary>How long one wave of reads may take: the connection's request timeout, at most 10 s.</summary>
    public TimeSpan WaveTimeout => _factory.RequestTimeout < TimeSpan.FromSeconds(10) ? _factory.RequestTimeout : TimeSpan.FromSeconds(10);

    /// <summary>Fetches issued so far (one per wave; librdkafka splits a wave by leader).</summary>
    public int Waves { get; private set; }

    /// <summary>Settings of the reader consumer: small fetches, no prefetching, an error instead of an offset reset.</summary>
    public static IReadOnlyDictionary<string, string> ConsumerSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["fetch.max.bytes"] = FetchMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["max.partition.fetch.bytes"] = FetchMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["message.max.bytes"] = FetchMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["queued.min.messages"] = "1",
        ["queued.max.messages.kbytes"] = "64",
        ["fetch.wait.max.ms"] = "100",
        ["enable.partition.eof"] = "true",
        ["auto.offset.reset"] = "error",
    };

    /// <summary>
    /// The timestamp (Unix ms) of the first record at or after each read's offset; null when it could
    /// not be read in time or has no timestamp. The same partition is never assigned twice at once:
    /// reads of one partition at several offsets go in successive waves.
    /// </summary>
    public async Task<Dictionary<TimeLagRead, long?>> ReadAsync(IReadOnlyCollection<TimeLagRead> reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reads);
        var result = new Dictionary<TimeLagRead, long?>();
        var queues = reads.Distinct().GroupBy(r => r.Partition).Select(g => new Queue<TimeLagRead>(g.OrderBy(r => r.Offset))).ToList();
        while (queues.Count > 0)
        {
            var wave = queues.Take(PartitionsPerRead).Select(q => q.Dequeue()).ToList();
            queues = queues.Where(q => q.Count > 0).ToList();
            foreach (var (read, timestamp) in await ReadWaveAsync(wave, cancellationToken).ConfigureAwait(false))
            {
                result[read] = timestamp;
            }
        }

        return result;
    }

    private async Task<Dictionary<TimeLagRead, long?>> ReadWaveAsync(IReadOnlyList<TimeLagRead> wave, CancellationToken cancellationToken)
    {
        _calls = new NativeCallGate();
        _consumer = _factory.CreateConsumer(sink: _sink, overrides: ConsumerSettings);
        var consumer = _consumer;
        var pending = wave.ToDictionary(r => r.Partition);
        var found = new Dictionary<TimeLagRead, long?>();
        Waves++;
        _sink.Verbose($"Fetch (time lag) for {wave.Count} partition(s), at most {FetchMaxBytes} bytes each: {string.Join(", ", wave.Select(r => $"{r.Partition}@{r.Offset}"))}.");
        consumer.Assign(wave.Select(r => new TopicPartitionOffset(r.Partition.Topic, new Partition(r.Partition.Partition), new Offset(r.Offset))));
        var deadline = DateTimeOffset.UtcNow + WaveTimeout;
        try
        {
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                ConsumeResult<byte[]?, byte[]?>? record;
                try
                {
                    record = await _calls.RunAsync(() => consumer.Consume(left < PollSlice ? left : PollSlice), cancellationToken).ConfigureAwait(false);
                }
                catch (ConsumeException ex)
                {
                    // A partition error (offset out of range since the offsets were read, no access): that read fails.
                    if (ex.ConsumerRecord?.TopicPartition is { } failedPartition
                        && pending.Remove(new KafkaTopicPartition(failedPartition.Topic, failedPartition.Partition.Value), out var failedRead))
                    {
                        _sink.Verbose($"Fetch (time lag) of {failedRead.Partition}@{failedRead.Offset} failed: {ex.Error.Reason}.");
                        found[failedRead] = null;
                    }

                    continue;
                }

                if (record is null)
                {
                    continue;
                }

                var key = new KafkaTopicPartition(record.Topic, record.Partition.Value);
                if (!pending.TryGetValue(key, out var read))
                {
                    continue;
                }

                if (record.IsPartitionEOF)
                {
                    // Nothing but control records (transaction markers) from the offset to the end.
                    pending.Remove(key);
                    found[read] = null;
                    continue;
                }

                if (record.Offset.Value < read.Offset || record.Message is null)
                {
                    continue;
                }

                pending.Remove(key);
                found[read] = record.Message.Timestamp.Type == TimestampType.NotAvailable ? null : record.Message.Timestamp.UnixTimestampMs;
            }
        }
        finally
        {
            // A fresh consumer per wave: librdkafka keeps per-partition fetch state (backoff, EOF) across
            // assignments, and reassigning a partition at another offset then waited seconds for its next fetch.
            _consumer = null;
            _calls.DisposeWhenIdle(consumer.Dispose);
        }

        foreach (var read in pending.Values)
        {
            _sink.Verbose($"Fetch (time lag) of {read.Partition}@{read.Offset} got no record within {WaveTimeout.TotalSeconds:0.#} s.");
            found[read] = null;
        }

        return found;
    }

    public void Dispose()
    {
        var consumer = _consumer;
        _consumer = null;
        if (consumer is not null)
        {
            _calls.DisposeWhenIdle(consumer.Dispose);
        }
    }
}
