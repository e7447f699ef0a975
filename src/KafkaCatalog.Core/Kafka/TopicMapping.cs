using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaCatalog.Core.Kafka;

/// <summary>Confluent.Kafka's topic metadata and descriptions as <see cref="KafkaTopic"/>s of a connection.</summary>
internal static class TopicMapping
{
    internal static KafkaTopic FromMetadata(TopicMetadata topic, KafkaClientFactory factory) => new()
    {
        Name = topic.Topic,
        IsInternal = TopicService.InternalTopics.Contains(topic.Topic),
        Partitions = topic.Partitions
            .OrderBy(p => p.PartitionId)
            .Select(p => new KafkaPartition
            {
                Topic = topic.Topic,
                Partition = p.PartitionId,
                Leader = p.Leader,
                Replicas = p.Replicas,
                InSyncReplicas = p.InSyncReplicas,
                Error = p.Error is { IsError: true } e ? e.Code.ToString() : null,
            })
            .ToArray(),
        ConnectionName = factory.Connection.Name,
        ClusterId = factory.Connection.ClusterId,
        BootstrapServers = factory.BootstrapServers,
    };

    internal static KafkaTopic FromDescription(TopicDescription description, KafkaClientFactory factory) => new()
    {
        Name = description.Name,
        TopicId = description.TopicId?.ToString(),
        IsInternal = description.IsInternal || TopicService.InternalTopics.Contains(description.Name),
        Partitions = description.Partitions
            .OrderBy(p => p.Partition)
            .Select(p => new KafkaPartition
            {
                Topic = description.Name,
                Partition = p.Partition,
                Leader = p.Leader?.Id ?? -1,
                Replicas = p.Replicas.Select(n => n.Id).ToArray(),
                InSyncReplicas = p.ISR.Select(n => n.Id).ToArray(),
            })
            .ToArray(),
        ConnectionName = factory.Connection.Name,
        ClusterId = factory.Connection.ClusterId,
        BootstrapServers = factory.BootstrapServers,
    };
}
