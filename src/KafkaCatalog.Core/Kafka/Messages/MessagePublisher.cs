using System.Collections.Concurrent;
using System.Globalization;
using Confluent.Kafka;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Messages;

/// <summary>
/// A producer for one Publish-KafkaMessage pipeline: messages are sent without waiting for the
/// previous one's acknowledgement (so a pipeline of thousands is not one round trip each), and
/// every send returns its own delivery task. Topics are checked against the cluster's metadata
/// once each, so a wrong topic or partition fails fast with a specific error and nothing is sent.
/// </summary>
public sealed class MessagePublisher : IDisposable
{
    private readonly KafkaCalls _calls;
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer;
    private readonly ConcurrentDictionary<string, int> _partitionCounts = new(StringComparer.Ordinal);

    /// <param name="partitioner">A librdkafka partitioner (-Partitioner); null for the connection's, else murmur2_random.</param>
    /// <exception cref="KafkaCatalogException">PartitionerInvalid (checked here, before anything is sent).</exception>
    public MessagePublisher(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null, string? partitioner = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
        Partitioner = KafkaPartitioners.Resolve(partitioner, factory.Connection.GetOptions().Properties);
        _producer = new Lazy<IProducer<byte[]?, byte[]?>>(() => _calls.Factory.CreateProducer(_calls.Sink, Partitioner), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The librdkafka partitioner this publisher's producer uses.</summary>
    public string Partitioner { get; }

    /// <summary>
    /// Checks the message against the cluster (topic exists, partition in range) and hands it to the
    /// producer; the returned task completes when the broker acknowledged it.
    /// </summary>
    /// <param name="message">The message to send.</param>
    /// <param name="cancellationToken">Ends the checks and the hand-over to the producer.</param>
    /// <param name="deliveryToken">
    /// Ends the wait for the broker's acknowledgement, which outlives this call (a cmdlet awaits it in a
    /// later record or at the end); when none is given, <paramref name="cancellationToken"/> is used.
    /// </param>
    public async Task<Task<KafkaDeliveryResult>> SendAsync(OutgoingKafkaMessage message, CancellationToken cancellationToken = default, CancellationToken? deliveryToken = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        MessagePublishResolver.Validate(message);
        var count = await PartitionCountAsync(message.Topic, cancellationToken).ConfigureAwait(false);
        if (message.Partition is { } p && p >= count)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PartitionNotFound,
                $"Topic '{message.Topic}' has {count.ToString(CultureInfo.InvariantCulture)} partitions (0-{(count - 1).ToString(CultureInfo.InvariantCulture)}); partition {p.ToString(CultureInfo.InvariantCulture)} does not exist. Leave -Partition out to let the key choose. Nothing was sent.",
                message.Topic);
        }

        var kafkaMessage = new Message<byte[]?, byte[]?>
        {
            Key = message.Key,
            Value = message.Value,
            Timestamp = message.Timestamp is { } ts ? new Timestamp(ts) : Timestamp.Default,
        };
        if (message.Headers.Count > 0)
        {
            kafkaMessage.Headers = [];
            foreach (var header in message.Headers)
            {
                kafkaMessage.Headers.Add(header.Key, header.ValueBytes);
            }
        }

        return ProduceAsync(message, kafkaMessage, deliveryToken ?? cancellationToken);
    }

    private async Task<KafkaDeliveryResult> ProduceAsync(OutgoingKafkaMessage message, Message<byte[]?, byte[]?> kafkaMessage, CancellationToken cancellationToken)
    {
        try
        {
            // librdkafka retries transient produce errors itself (retries, idempotence); no second layer here.
            var producer = _producer.Value;
            var delivery = message.Partition is { } partition
                ? await producer.ProduceAsync(new TopicPartition(message.Topic, new Partition(partition)), kafkaMessage, cancellationToken).ConfigureAwait(false)
                : await producer.ProduceAsync(message.Topic, kafkaMessage, cancellationToken).ConfigureAwait(false);
            return new KafkaDeliveryResult
            {
                Topic = delivery.Topic,
                Partition = delivery.Partition.Value,
                Offset = delivery.Offset.Value,
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(delivery.Timestamp.UnixTimestampMs),
                Key = message.Key is null ? null : MessageText.Decode(message.Key),
                ValueLength = message.Value?.Length ?? 0,
                ConnectionName = _calls.Factory.Connection.Name,
            };
        }
        catch (ProduceException<byte[]?, byte[]?> ex)
        {
            var code = ex.Error.Code;
            KafkaCatalogException mapped = code switch
            {
                ErrorCode.MsgSizeTooLarge => new(ErrorCatalog.MessageTooLarge,
                    $"The message for topic '{message.Topic}' is too large ({(message.Value?.Length ?? 0).ToString(CultureInfo.InvariantCulture)} bytes) for the topic's max.message.bytes or the client's message.max.bytes.", message.Topic),
                ErrorCode.Local_UnknownPartition => new(ErrorCatalog.PartitionNotFound,
                    $"Topic '{message.Topic}' has no partition {message.Partition}.", message.Topic),
                ErrorCode.Local_UnknownTopic or ErrorCode.UnknownTopicOrPart => new(ErrorCatalog.TopicNotFound,
                    $"Topic '{message.Topic}' does not exist. Create it with New-KafkaTopic first.", message.Topic),
                ErrorCode.InvalidTimestamp => new(ErrorCatalog.InvalidTimestamp,
                    $"Topic '{message.Topic}' refused the message's timestamp ({message.Timestamp:o}): it is too far from the broker's time (message.timestamp.difference.max.ms).", message.Topic),
                ErrorCode.TopicAuthorizationFailed => new(ErrorCatalog.KafkaAuthorizationFailed,
                    $"Not authorized to write to topic '{message.Topic}'. Ask the cluster's administrator for a Write ACL.", message.Topic),
                _ => KafkaErrors.General(code, ex.Error.Reason, message.Topic, $"publish to topic '{message.Topic}'"),
            };
            throw new KafkaCatalogException(mapped.ErrorId, mapped.Kind, mapped.Message, mapped.Target, ex);
        }
    }

    private async Task<int> PartitionCountAsync(string topic, CancellationToken cancellationToken)
    {
        if (_partitionCounts.TryGetValue(topic, out var known))
        {
            return known;
        }

        var described = await SingleTopicMetadata.DescribeAsync(
            _calls.Factory, _calls.Retry, _calls.Sink, topic, "Create it with New-KafkaTopic (or check the name with Get-KafkaTopic); nothing was sent.", cancellationToken).ConfigureAwait(false);
        _partitionCounts[topic] = described.Partitions.Count;
        return described.Partitions.Count;
    }

    /// <summary>Waits for every message handed to the producer (used at the end of a pipeline).</summary>
    public void Flush(CancellationToken cancellationToken)
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(cancellationToken);
        }
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Dispose();
        }
    }
}
