using System.Runtime.CompilerServices;
using Confluent.Kafka;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Messages;

/// <summary>
/// Reads messages without joining a consumer group or committing anything: the partitions are
/// assigned directly (Assign) and offsets are never stored.
/// </summary>
public sealed class MessageReader
{
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(200);

    private readonly KafkaCalls _calls;

    public MessageReader(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    public static void Validate(ReceiveRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        MessagePublishResolver.ValidateTopicName(request.Topic);
        if (request.MaxMessages < 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.InvalidMaxMessages,
                $"-MaxMessages {request.MaxMessages} is negative. Give 1 or more, or 0 for no limit.", request.Topic);
        }

        if (request.Timeout <= TimeSpan.Zero)
        {
            throw new KafkaCatalogException(ErrorCatalog.InvalidTimeout,
                "-TimeoutSec must be more than 0 seconds.", request.Topic);
        }

        if (request.Start == MessageStartPosition.Offset && request.Offset < 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.NegativeOffset,
                $"-Offset {request.Offset} is negative. Offsets start at 0; use -FromBeginning or -FromEnd for the log's ends.", request.Topic);
        }

        if (request.Partitions is { } partitions && partitions.Any(p => p < 0))
        {
            throw new KafkaCatalogException(ErrorCatalog.NegativePartition,
                "-Partition has a negative number. Partitions are numbered from 0.", request.Topic);
        }

        if (request.Start == MessageStartPosition.Committed)
        {
            ConsumerGroupNames.EnsureValidGroupId(request.GroupId);
        }
    }

    /// <summary>
    /// Where each partition starts when reading from a group's committed offsets, as kafka-python's consumer starts:
    /// the committed offset when it lies in the log, otherwise <see cref="ReceiveRequest.NoOffsetReset"/> (earliest:
    /// the log start; latest: the log end; none: GroupOffsetMissing, as kafka-python raises NoOffsetForPartitionError).
    /// </summary>
    public static IReadOnlyList<TopicPartitionOffset> CommittedStarts(
        ReceiveRequest request, IReadOnlyDictionary<int, (long Low, long High)> watermarks, IReadOnlyDictionary<int, long> committed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(watermarks);
        ArgumentNullException.ThrowIfNull(committed);
        var starts = new List<TopicPartitionOffset>();
        foreach (var (partition, (low, high)) in watermarks.OrderBy(w => w.Key))
        {
            var tp = new TopicPartition(request.Topic, partition);
            if (committed.TryGetValue(partition, out var offset) && offset >= low && offset <= high)
            {
                starts.Add(new TopicPartitionOffset(tp, offset));
                continue;
            }

            var why = committed.TryGetValue(partition, out var outside)
                ? $"its committed offset {outside} is outside the log ({low}-{high})"
                : "it has no committed offset";
            starts.Add(request.NoOffsetReset switch
            {
                KafkaOffsetReset.Earliest => new TopicPartitionOffset(tp, low),
                KafkaOffsetReset.Latest => new TopicPartitionOffset(tp, high),
                _ => throw new KafkaCatalogException(ErrorCatalog.GroupOffsetMissing,
                    $"Consumer group '{request.GroupId}' cannot resume partition {partition} of '{request.Topic}': {why}, and the offset reset policy is none (kafka-python raises NoOffsetForPartitionError there). Use -AutoOffsetReset Earliest or Latest, or -FromBeginning.",
                    request.GroupId),
            });
        }

        return starts;
    }

    /// <summary>
    /// Streams messages. Reading from the beginning, an offset or a time stops when every partition
    /// reaches the end it had when reading started; -FromEnd waits for new messages. Either way it
    /// stops after <see cref="ReceiveRequest.MaxMessages"/> or <see cref="ReceiveRequest.Timeout"/>.
    /// </summary>
    public async IAsyncEnumerable<KafkaMessage> ReceiveAsync(ReceiveRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Validate(request);
        var partitions = await ResolvePartitionsAsync(request, cancellationToken).ConfigureAwait(false);
        var consumer = _calls.Factory.CreateConsumer(sink: _calls.Sink);

        // The consumer's blocking calls stop waiting on Ctrl+C; the consumer is disposed after the last one returned.
        var calls = new NativeCallGate();
        try
        {
            var deadline = DateTimeOffset.UtcNow + request.Timeout;

            // Where each partition ends now: reading stops there unless -FromEnd waits for new messages.
            var ends = new Dictionary<int, long>();
            var starts = new List<TopicPartitionOffset>();
            foreach (var partition in partitions)
            {
                var tp = new TopicPartition(request.Topic, partition);
                var watermarks = await calls.RunAsync(() => consumer.QueryWatermarkOffsets(tp, _calls.Factory.RequestTimeout), cancellationToken).ConfigureAwait(false);
                ends[partition] = watermarks.High.Value;
                starts.Add(request.Start switch
                {
                    MessageStartPosition.Beginning => new TopicPartitionOffset(tp, watermarks.Low),
                    MessageStartPosition.End => new TopicPartitionOffset(tp, watermarks.High),
                    MessageStartPosition.Offset => new TopicPartitionOffset(tp, new Offset(Math.Clamp(request.Offset, watermarks.Low.Value, watermarks.High.Value))),
                    _ => new TopicPartitionOffset(tp, watermarks.Low),
                });
            }

            if (request.Start == MessageStartPosition.Committed)
            {
                var committed = await new ConsumerGroupService(_calls.Factory, _calls.Sink, _calls.Retry).GetCommittedOffsetsAsync(request.GroupId!, request.Topic, cancellationToken).ConfigureAwait(false);
                _calls.Sink.Verbose($"Consumer group '{request.GroupId}' has committed offsets in {committed.Count} of {partitions.Count} partitions of '{request.Topic}'; the others start at {request.NoOffsetReset}.");
                var bounds = starts.ToDictionary(s => s.Partition.Value, s => (Low: s.Offset.Value, High: ends[s.Partition.Value]));
                starts = CommittedStarts(request, bounds, committed).ToList();
            }

            if (request.Start == MessageStartPosition.Timestamp)
            {
                var ts = new Timestamp(request.Timestamp);
                var found = await calls.RunAsync(() => consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(request.Topic, p, ts)), _calls.Factory.RequestTimeout), cancellationToken).ConfigureAwait(false);
                starts = found.Select(f => new TopicPartitionOffset(f.TopicPartition, f.Offset.Value < 0 ? new Offset(ends[f.Partition.Value]) : f.Offset)).ToList();
            }

            var waitForNew = request.Start == MessageStartPosition.End;
            var remaining = new HashSet<int>(waitForNew
                ? partitions
                : starts.Where(s => s.Offset.Value < ends[s.Partition.Value]).Select(s => s.Partition.Value));

            _calls.Sink.Verbose($"Reading '{request.Topic}' partitions {string.Join(",", partitions)} from {request.Start} (no group, no commits).");
            consumer.Assign(starts);
            var received = 0;
            while (remaining.Count > 0 && (request.MaxMessages == 0 || received < request.MaxMessages))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                var slice = left < PollSlice ? left : PollSlice;
                ConsumeResult<byte[]?, byte[]?>? result;
                try
                {
                    result = await calls.RunAsync(() => consumer.Consume(slice), cancellationToken).ConfigureAwait(false);
                }
                catch (ConsumeException ex)
                {
                    throw ex.Error.Code switch
                    {
                        ErrorCode.TopicAuthorizationFailed => new KafkaCatalogException(ErrorCatalog.KafkaAuthorizationFailed,
                            $"Not authorized to read topic '{request.Topic}'. Ask the cluster's administrator for a Read ACL.", request.Topic, ex),
                        _ => KafkaErrors.FromException(ex, request.Topic, $"read topic '{request.Topic}'", _calls.Factory.BootstrapServers, KafkaCallKind.Read),
                    };
                }

                if (result is null || result.IsPartitionEOF || result.Message is null)
                {
                    continue;
                }

                var partition = result.Partition.Value;
                if (!waitForNew && result.Offset.Value + 1 >= ends[partition])
                {
                    remaining.Remove(partition);
                }

                if (!waitForNew && result.Offset.Value >= ends[partition])
                {
                    continue;
                }

                received++;
                yield return ToMessage(result);
            }

            consumer.Unassign();
        }
        finally
        {
            calls.DisposeWhenIdle(consumer.Dispose);
        }
    }

    private KafkaMessage ToMessage(ConsumeResult<byte[]?, byte[]?> result) => new()
    {
        Topic = result.Topic,
        Partition = result.Partition.Value,
        Offset = result.Offset.Value,
        KeyBytes = result.Message.Key,
        ValueBytes = result.Message.Value,
        Headers = result.Message.Headers is null
            ? Array.Empty<KafkaMessageHeader>()
            : result.Message.Headers.Select(h => new KafkaMessageHeader(h.Key, h.GetValueBytes())).ToArray(),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(result.Message.Timestamp.UnixTimestampMs),
        TimestampType = result.Message.Timestamp.Type switch
        {
            TimestampType.CreateTime => "CreateTime",
            TimestampType.LogAppendTime => "LogAppendTime",
            _ => "NotAvailable",
        },
        ConnectionName = _calls.Factory.Connection.Name,
    };

    private async Task<IReadOnlyList<int>> ResolvePartitionsAsync(ReceiveRequest request, CancellationToken cancellationToken)
    {
        var topic = await SingleTopicMetadata.DescribeAsync(_calls.Factory, _calls.Retry, _calls.Sink, request.Topic, "Check the name with Get-KafkaTopic.", cancellationToken).ConfigureAwait(false);
        var count = topic.Partitions.Count;
        if (request.Partitions is not { Count: > 0 } wanted)
        {
            return Enumerable.Range(0, count).ToArray();
        }

        var missing = wanted.FirstOrDefault(p => p >= count, -1);
        if (missing >= 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.PartitionNotFound,
                $"Topic '{request.Topic}' has {count} partitions (0-{count - 1}); partition {missing} does not exist.", request.Topic);
        }

        return wanted.Distinct().Order().ToArray();
    }
}
