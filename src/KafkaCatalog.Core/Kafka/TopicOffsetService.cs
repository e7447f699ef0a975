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
    private readonly KafkaCalls _calls;

    public TopicOffsetService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
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
                    ConnectionName = _calls.Factory.Connection.Name,
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

        var answer = await ListOffsetsAsync(partitions.Select(p => new KafkaTopicPartition(p.Topic, p.Partition)).ToArray(), spec, cancellationToken).ConfigureAwait(false);
        foreach (var (tp, error) in answer.Failed)
        {
            onItemError?.Invoke(error.Code == ErrorCode.UnknownTopicOrPart
                ? KafkaErrors.ForTopic(error.Code, error.Reason, tp.Topic, "read offsets of")
                : KafkaErrors.General(error.Code, error.Reason, tp, $"list the {what} offset of {tp.Topic}[{tp.Partition}]"));
        }

        foreach (var (tp, offset) in answer.Offsets)
        {
            result[(tp.Topic, tp.Partition)] = offset;
        }

        return result;
    }

    /// <summary>
    /// The one ListOffsets path of the module (watermarks, consumer-group lag, offset reset): offsets for one
    /// spec, one admin call that librdkafka sends as one request per partition leader. Partitions whose leader
    /// is moving are asked again (what succeeded is kept); what still fails comes back in
    /// <see cref="LogOffsets.Failed"/>. A cluster that does not answer is a terminating error.
    /// </summary>
    internal async Task<LogOffsets> ListOffsetsAsync(IReadOnlyCollection<KafkaTopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken)
    {
        var offsets = new Dictionary<KafkaTopicPartition, long>();
        var failed = new Dictionary<KafkaTopicPartition, Error>();
        if (partitions.Count == 0)
        {
            return new LogOffsets(offsets, failed);
        }

        var pending = partitions.ToList();
        var options = new ListOffsetsOptions { RequestTimeout = _calls.Factory.RequestTimeout, IsolationLevel = IsolationLevel.ReadUncommitted };
        _calls.Sink.Verbose($"ListOffsets ({Describe(spec)}) for {pending.Count} partition(s) on {_calls.Factory.BootstrapServers}.");
        void Keep(IEnumerable<ListOffsetsResultInfo> infos)
        {
            lock (offsets)
            {
                foreach (var tpo in infos.Select(i => i.TopicPartitionOffsetError))
                {
                    var tp = new KafkaTopicPartition(tpo.Topic, tpo.Partition.Value);
                    if (tpo.Error.IsError)
                    {
                        failed[tp] = tpo.Error;
                    }
                    else
                    {
                        failed.Remove(tp);
                        offsets[tp] = tpo.Offset.Value;
                    }
                }
            }
        }

        var answer = await _calls.RunAsync<IEnumerable<ListOffsetsResultInfo>, KafkaException>(
            new KafkaCall("ListOffsets", KafkaCallKind.Read, $"list {Describe(spec)} offsets") { Report = KafkaCallReport.Explained },
            async _ =>
            {
                try
                {
                    return (await _calls.Factory.AdminClient.ListOffsetsAsync(pending.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(p.Topic, p.Partition), OffsetSpec = spec }), options).ConfigureAwait(false)).ResultInfos;
                }
                catch (ListOffsetsException ex) when (ex.Result.ResultInfos.Any(r => r.TopicPartitionOffsetError.Error.IsError)
                    && ex.Result.ResultInfos.All(r => !r.TopicPartitionOffsetError.Error.IsError || KafkaRetry.IsTransient(r.TopicPartitionOffsetError.Error.Code)))
                {
                    // Keep what succeeded; ask again only for the partitions whose leader was moving.
                    Keep(ex.Result.ResultInfos);
                    var failedInfos = ex.Result.ResultInfos.Where(r => r.TopicPartitionOffsetError.Error.IsError).ToList();
                    pending = failedInfos.Select(r => new KafkaTopicPartition(r.TopicPartitionOffsetError.Topic, r.TopicPartitionOffsetError.Partition.Value)).ToList();
                    throw new KafkaException(failedInfos[0].TopicPartitionOffsetError.Error);
                }
                catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoEnt)
                {
                    // librdkafka knows no leader for a partition yet (a broker just stopped and its
                    // partitions are moving): the same as LeaderNotAvailable, so asked again.
                    throw new KafkaException(new Error(ErrorCode.LeaderNotAvailable, $"No leader known yet ({ex.Error.Reason})."));
                }
            },
            ex =>
            {
                if (ex is ListOffsetsException answered)
                {
                    return answered.Result.ResultInfos;
                }

                // Leaders still moving after the retries: those partitions stay failed, the caller reports them.
                lock (offsets)
                {
                    foreach (var tp in pending.Where(p => !offsets.ContainsKey(p)))
                    {
                        failed.TryAdd(tp, ex.Error);
                    }
                }

                return [];
            },
            ex => ex is ListOffsetsException || IsLeaderMoving(ex.Error.Code),
            cancellationToken).ConfigureAwait(false);
        Keep(answer);
        return new LogOffsets(offsets, failed);
    }

    /// <summary>A partition whose leader is moving: after the retries it is one failed partition, not a failed call.</summary>
    private static bool IsLeaderMoving(ErrorCode code) =>
        code is ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderForPartition or ErrorCode.ReplicaNotAvailable or ErrorCode.FencedLeaderEpoch
            or ErrorCode.UnknownLeaderEpoch or ErrorCode.OffsetNotAvailable or ErrorCode.KafkaStorageError or ErrorCode.PreferredLeaderNotAvailable
            or ErrorCode.EligibleLeadersNotAvailable;

    private static string Describe(OffsetSpec spec) => spec switch
    {
        OffsetSpec.EarliestSpec => "earliest",
        OffsetSpec.LatestSpec => "latest",
        OffsetSpec.TimestampSpec t => "for timestamp " + t.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => spec.ToString() ?? "offsets",
    };
}

/// <summary>What one ListOffsets call answered: an offset per partition, and the partitions it could not answer for.</summary>
internal sealed record LogOffsets(IReadOnlyDictionary<KafkaTopicPartition, long> Offsets, IReadOnlyDictionary<KafkaTopicPartition, Error> Failed);
