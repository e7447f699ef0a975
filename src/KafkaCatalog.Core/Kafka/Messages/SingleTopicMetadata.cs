using Confluent.Kafka;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Messages;

/// <summary>The single-topic metadata lookup of <see cref="MessagePublisher"/> and <see cref="MessageReader"/>.</summary>
internal static class SingleTopicMetadata
{
    /// <summary>
    /// One topic's metadata (publisher and reader); TopicNotFound (the message ends with <paramref name="notFoundHint"/>)
    /// when the cluster does not know it or it has no partitions.
    /// </summary>
    public static async Task<TopicMetadata> DescribeAsync(
        KafkaClientFactory factory, KafkaRetry retry, IOperationSink sink, string topic, string notFoundHint, CancellationToken cancellationToken)
    {
        sink.Verbose($"Metadata for topic '{topic}'.");
        // KafkaTlsFailed / KafkaAuthenticationFailed when that is why the cluster did not answer.
        var metadata = await new KafkaCalls(factory, sink, retry).RunAsync(
            new KafkaCall("Metadata", KafkaCallKind.Read, $"read the metadata of topic '{topic}'", topic) { Report = KafkaCallReport.Explained },
            token => factory.GetMetadataAsync(topic, token),
            cancellationToken).ConfigureAwait(false);

        var described = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        if (described is null || described.Error.Code == ErrorCode.UnknownTopicOrPart || described.Partitions.Count == 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.TopicNotFound, $"Topic '{topic}' does not exist. {notFoundHint}", topic);
        }

        return described;
    }
}
