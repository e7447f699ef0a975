using Confluent.Kafka;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// Reads the timestamp of the record at given offsets, for time lag. One long-lived consumer (no group,
/// no commits) per reader, created on the first read and kept between reads with nothing assigned. Each
/// wave adds at most <see cref="PartitionsPerRead"/> partitions at their offsets (IncrementalAssign;
/// librdkafka sends them as one small fetch per leader, at most <see cref="FetchMaxBytes"/> bytes per
/// partition), removes each partition as soon as its record is read (IncrementalUnassign, which also
/// drops what was fetched beyond it), and ends within <see cref="WaveTimeout"/> (kept on the .NET side:
/// a partition that does not answer in time is reported as not read). Every blocking call into the
/// consumer (assign, unassign, poll) goes through a <see cref="NativeCallGate"/>, so Ctrl+C returns at
/// once; a cancelled or failed read retires the consumer, which is disposed only once no call is inside
/// it (<see cref="ConsumerDisposal"/>), and the next read creates a new one. Not for concurrent use.
/// </summary>
public sealed class TimeLagRecordReader : IDisposable
{
    /// <summary>Partitions read at the same time (the bounded concurrency of the extra reads).</summary>
    public const int PartitionsPerRead = 64;

    /// <summary>Bytes one fetch may return per partition; a broker still returns at least one batch.</summary>
    public const int FetchMaxBytes = 64 * 1024;

    /// <summary>Bytes one fetch request may return in all (16 partitions' worth; a wave may need a second fetch).</summary>
    public const int RequestMaxBytes = 16 * FetchMaxBytes;

    /// <summary>Records taken from the local queue in one blocking call.</summary>
    private const int PollBatchSize = 500;

    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(200);

    private readonly KafkaClientFactory _factory;
    private readonly IOperationSink _sink;
    private readonly object _sync = new();
    private Lease? _lease;
    private Task _lastDisposal = Task.CompletedTask;
    private bool _disposed;

    public TimeLagRecordReader(KafkaClientFactory factory, IOperationSink? sink = null)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _sink = sink ?? NullOperationSink.Instance;
    }

    /// <summary>How long one wave of reads may take: the connection's request timeout, at most 10 s.</summary>
    public TimeSpan WaveTimeout => _factory.RequestTimeout < TimeSpan.FromSeconds(10) ? _factory.RequestTimeout : TimeSpan.FromSeconds(10);

    /// <summary>Fetch waves issued so far (librdkafka splits a wave by leader).</summary>
    public int Waves { get; private set; }

    /// <summary>Consumers created so far: one for the reader's life, plus one after each cancelled or failed read.</summary>
    public int ConsumersCreated { get; private set; }

    /// <summary>True while the reader holds an open consumer (between reads it stays open, with nothing assigned).</summary>
    public bool HasConsumer
    {
        get
        {
            lock (_sync)
            {
                return _lease is not null;
            }
        }
    }

    /// <summary>
    /// Completes once the last retired consumer is disposed (a consumer is retired by a cancelled or failed
    /// read, or by <see cref="Dispose"/>, and disposed when the call still inside it returns).
    /// </summary>
    public Task ConsumerDisposal
    {
        get
        {
            lock (_sync)
            {
                return _lastDisposal;
            }
        }
    }

    /// <summary>
    /// Settings of the reader consumer: small fetches, no prefetching, short back-offs (a re-assigned
    /// partition is fetched at once), an error instead of an offset reset.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ConsumerSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["fetch.max.bytes"] = RequestMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["max.partition.fetch.bytes"] = FetchMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["message.max.bytes"] = FetchMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["queued.min.messages"] = "1",
        ["queued.max.messages.kbytes"] = "64",
        ["fetch.wait.max.ms"] = "100",

        // librdkafka waits fetch.queue.backoff.ms (default 1 s) before fetching a partition whose local queue was
        // full, and keeps that wait when the partition is re-assigned at another offset: that was the second a
        // reassigned partition waited.
        ["fetch.queue.backoff.ms"] = "10",
        ["fetch.error.backoff.ms"] = "50",
        ["enable.partition.eof"] = "true",
        ["auto.offset.reset"] = "error",
    };

    /// <summary>
    /// The timestamp (Unix ms) of the first record at or after each read's offset; null when it could
    /// not be read in time or has no timestamp. The same partition is never assigned twice at once:
    /// reads of one partition at several offsets go in successive waves.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; the consumer is retired.</exception>
    public async Task<Dictionary<TimeLagRead, long?>> ReadAsync(IReadOnlyCollection<TimeLagRead> reads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reads);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new Dictionary<TimeLagRead, long?>();
        var queues = reads.Distinct().GroupBy(r => r.Partition).Select(g => new Queue<TimeLagRead>(g.OrderBy(r => r.Offset))).ToList();
        if (queues.Count == 0)
        {
            return result;
        }

        var lease = Open();
        try
        {
            while (queues.Count > 0)
            {
                var wave = queues.Take(PartitionsPerRead).Select(q => q.Dequeue()).ToList();
                queues = queues.Where(q => q.Count > 0).ToList();
                foreach (var (read, timestamp) in await ReadWaveAsync(lease, wave, cancellationToken).ConfigureAwait(false))
                {
                    result[read] = timestamp;
                }
            }

        }
        catch
        {
            // Cancelled (a poll may still be inside the consumer) or failed: never reuse this consumer.
            Retire(lease);
            throw;
        }

        return result;
    }

    private async Task<Dictionary<TimeLagRead, long?>> ReadWaveAsync(Lease lease, IReadOnlyList<TimeLagRead> wave, CancellationToken cancellationToken)
    {
        var consumer = lease.Consumer;
        var pending = wave.ToDictionary(r => r.Partition);
        var found = new Dictionary<TimeLagRead, long?>();
        Waves++;
        _sink.Verbose($"Fetch (time lag) for {wave.Count} partition(s), at most {FetchMaxBytes} bytes each: {string.Join(", ", wave.Select(r => $"{r.Partition}@{r.Offset}"))}.");
        var deadline = DateTimeOffset.UtcNow + WaveTimeout;
        var assignment = wave.Select(r => new TopicPartitionOffset(r.Partition.Topic, new Partition(r.Partition.Partition), new Offset(r.Offset))).ToList();
        await lease.Calls.RunAsync(() => consumer.IncrementalAssign(assignment), cancellationToken).ConfigureAwait(false);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var batch = await lease.Calls.RunAsync(() => PollBatch(consumer, left < PollSlice ? left : PollSlice), cancellationToken).ConfigureAwait(false);
            var done = new List<TopicPartition>();
            foreach (var (record, error) in batch)
            {
                if (Settle(record, error, pending, found) is { } settled)
                {
                    done.Add(new TopicPartition(settled.Topic, new Partition(settled.Partition)));
                }
            }

            // A partition read is settled: stop fetching it, and librdkafka drops the rest it already fetched.
            if (done.Count > 0)
            {
                await lease.Calls.RunAsync(() => consumer.IncrementalUnassign(done), cancellationToken).ConfigureAwait(false);
            }
        }

        if (pending.Count > 0)
        {
            var unread = pending.Keys.Select(p => new TopicPartition(p.Topic, new Partition(p.Partition))).ToList();
            await lease.Calls.RunAsync(() => consumer.IncrementalUnassign(unread), cancellationToken).ConfigureAwait(false);
            foreach (var read in pending.Values)
            {
                _sink.Verbose($"Fetch (time lag) of {read.Partition}@{read.Offset} got no record within {WaveTimeout.TotalSeconds:0.#} s.");
                found[read] = null;
            }
        }

        return found;
    }

    /// <summary>
    /// One blocking call: waits up to <paramref name="wait"/> for the first record, then takes what is already
    /// queued (at most <see cref="PollBatchSize"/>), so skipped records cost no call each.
    /// </summary>
    private static List<(ConsumeResult<byte[]?, byte[]?>? Record, ConsumeException? Error)> PollBatch(IConsumer<byte[]?, byte[]?> consumer, TimeSpan wait)
    {
        var batch = new List<(ConsumeResult<byte[]?, byte[]?>?, ConsumeException?)>();
        while (batch.Count < PollBatchSize)
        {
            try
            {
                var record = consumer.Consume(batch.Count == 0 ? wait : TimeSpan.Zero);
                if (record is null)
                {
                    break;
                }

                batch.Add((record, null));
            }
            catch (ConsumeException ex)
            {
                batch.Add((null, ex));
            }
        }

        return batch;
    }

    /// <summary>The partition whose read <paramref name="record"/> (or <paramref name="error"/>) settles, if any.</summary>
    private KafkaTopicPartition? Settle(ConsumeResult<byte[]?, byte[]?>? record, ConsumeException? error, Dictionary<KafkaTopicPartition, TimeLagRead> pending, Dictionary<TimeLagRead, long?> found)
    {
        if (error is not null)
        {
            // A partition error (offset out of range since the offsets were read, no access): that read fails.
            if (error.ConsumerRecord?.TopicPartition is { } failedPartition
                && pending.Remove(new KafkaTopicPartition(failedPartition.Topic, failedPartition.Partition.Value), out var failedRead))
            {
                _sink.Verbose($"Fetch (time lag) of {failedRead.Partition}@{failedRead.Offset} failed: {error.Error.Reason}.");
                found[failedRead] = null;
                return failedRead.Partition;
            }

            return null;
        }

        var key = new KafkaTopicPartition(record!.Topic, record.Partition.Value);
        if (!pending.TryGetValue(key, out var read))
        {
            return null;
        }

        if (record.IsPartitionEOF)
        {
            // Nothing but control records (transaction markers) from the offset to the end.
            pending.Remove(key);
            found[read] = null;
            return key;
        }

        // A fetch starts at the batch that holds the offset: skip the records before it.
        if (record.Offset.Value < read.Offset || record.Message is null)
        {
            return null;
        }

        pending.Remove(key);
        found[read] = record.Message.Timestamp.Type == TimestampType.NotAvailable ? null : record.Message.Timestamp.UnixTimestampMs;
        return key;
    }

    private Lease Open()
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_lease is null)
            {
                _lease = new Lease(_factory.CreateConsumer(sink: _sink, overrides: ConsumerSettings));
                ConsumersCreated++;
            }

            return _lease;
        }
    }

    /// <summary>Stops using <paramref name="lease"/>; its consumer is disposed once no call is inside it.</summary>
    private void Retire(Lease lease)
    {
        lock (_sync)
        {
            if (ReferenceEquals(_lease, lease))
            {
                _lease = null;
            }

            _lastDisposal = lease.Disposed.Task;
        }

        lease.Calls.DisposeWhenIdle(() =>
        {
            try
            {
                lease.Consumer.Dispose();
            }
            finally
            {
                lease.Disposed.TrySetResult();
            }
        });
    }

    public void Dispose()
    {
        Lease? lease;
        lock (_sync)
        {
            _disposed = true;
            lease = _lease;
        }

        if (lease is not null)
        {
            Retire(lease);
        }
    }

    /// <summary>One consumer and the gate its blocking calls go through.</summary>
    private sealed class Lease(IConsumer<byte[]?, byte[]?> consumer)
    {
        public IConsumer<byte[]?, byte[]?> Consumer { get; } = consumer;

        public NativeCallGate Calls { get; } = new();

        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
