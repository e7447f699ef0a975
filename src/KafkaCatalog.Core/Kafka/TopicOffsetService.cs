using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Watermarks per partition, and the offset for a point in time: ListOffsets requests that
/// librdkafka batches per partition leader.
/// </summary>
public sealed class TopicOffsetService
{
    private readonly KafkaClientFactory _factory;
    private readonly IOperationSink _sink;
    private readonly KafkaRetry _retry;

    public TopicOffsetService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _sink = sink ?? NullOperationSink.Instance;
        _retry = retry ?? new KafkaRetry();
    }

    /// <summary>How many partitions go into one round of ListOffsets calls.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>
    /// Emits one <see cref="KafkaTopicOffset"/> per partition of <paramref name="topics"/>, in
    /// topic and partition order: low and high watermark, and with <paramref name="timestamp"/>
    /// the first offset at or after it. A partition the cluster cannot answer for is reported
    /// through <paramref name="onItemError"/> and the rest go on.
    /// </summary>
    public async IAsyncEnumerable<KafkaTopicOffset> GetAsync(
        IReadOnlyList<KafkaTopic> topics,
        DateTimeOffset? timestamp = null,
        Action<KafkaCatalogException>? onItemError = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var partitions = topics
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .SelectMany(t => t.Partitions.OrderBy(p => p.Partition))
            .ToArray();

        for (var start = 0; start < partitions.Length; start += BatchSize)
        {
            var batch = partitions.Skip(start).Take(BatchSize).ToArray();
            var earliest = await ListAsync(batch, OffsetSpec.Earliest(), "earliest", onItemError, cancellationToken).ConfigureAwait(false);
            var latest = await ListAsync(batch, OffsetSpec.Latest(), "latest", onItemError, cancellationToken).ConfigureAwait(false);
            Dictionary<(string, int), long>? forTime = null;
            if (timestamp is { } at)
            {
                forTime = await ListAsync(batch, OffsetSpec.ForTimestamp(at.ToUnixTimeMilliseconds()), "for timestamp", onItemError, cancellationToken).ConfigureAwait(false);
            }

            foreach (var p in batch)
            {
                var key = (p.Topic, p.Partition);
                if (!earliest.TryGetValue(key, out var low) || !latest.TryGetValue(key, out var high))
                {
                    continue;
                }

                long? offsetForTime = null;
                if (forTime is not null && forTime.TryGetValue(key, out var o) && o >= 0)
                {
                    offsetForTime = o;
                }

                yield return new KafkaTopicOffset
                {
                    Topic = p.Topic,
                    Partition = p.Partition,
                    LowWatermark = low,
                    HighWatermark = high,
                    Timestamp = timestamp,
                    OffsetForTimestamp = offsetForTime,
                    Leader = p.Leader,
                    ConnectionName = _factory.Connection.Name,
                };
            }
        }
    }

    private async Task<Dictionary<(string, int), long>> ListAsync(
        IReadOnlyList<KafkaPartition> partitions,
        OffsetSpec spec,
        string what,
        Action<KafkaCatalogException>? onItemError,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, int), long>();
        if (partitions.Count == 0)
        {
            return result;
        }

        _sink.Verbose($"ListOffsets ({what}) for {partitions.Count} partition(s) on {_factory.BootstrapServers}.");
        IEnumerable<ListOffsetsResultInfo> infos;
        try
        {
            var answer = await _retry.ExecuteAsync(
                "ListOffsets",
                KafkaCallKind.Read,
                _factory.BootstrapServers,
                _ => _factory.AdminClient.ListOffsetsAsync(
                    partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(p.Topic, p.Partition), OffsetSpec = spec }),
                    new ListOffsetsOptions { RequestTimeout = _factory.RequestTimeout, IsolationLevel = IsolationLevel.ReadUncommitted }),
                _sink,
                cancellationToken).ConfigureAwait(false);
            infos = answer.ResultInfos;
        }
        catch (ListOffsetsException ex)
        {
            infos = ex.Result.ResultInfos;
        }
        catch (Exception ex) when (ClusterReachabilityGuard.Explains(ex))
        {
            throw ClusterReachabilityGuard.Explain(_factory, ex, $"list {what} offsets");
        }

        foreach (var info in infos)
        {
            var tpo = info.TopicPartitionOffsetError;
            if (tpo.Error.IsError)
            {
                onItemError?.Invoke(tpo.Error.Code == ErrorCode.UnknownTopicOrPart
                    ? KafkaErrors.ForTopic(tpo.Error.Code, tpo.Error.Reason, tpo.Topic, "read offsets of")
                    : KafkaErrors.General(tpo.Error.Code, tpo.Error.Reason, new KafkaTopicPartition(tpo.Topic, tpo.Partition.Value), $"list the {what} offset of {tpo.Topic}[{tpo.Partition.Value}]"));
                continue;
            }

            result[(tpo.Topic, tpo.Partition.Value)] = tpo.Offset.Value;
        }

        return result;
    }
}
