using Confluent.Kafka;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>The errors of the consumer-group services, from a Kafka error code to a KafkaCatalog error id.</summary>
internal static class ConsumerGroupErrors
{
    public static KafkaCatalogException NotFound(string groupId) => new(
        ErrorCatalog.ConsumerGroupNotFound,
        $"Consumer group '{groupId}' does not exist. Use Get-KafkaConsumerGroup to list the groups (ids are case-sensitive).",
        groupId);

    public static KafkaCatalogException CoordinatorUnavailable(string groupId, string detail, Exception? inner) => new(
        ErrorCatalog.GroupCoordinatorUnavailable,
        $"The coordinator of consumer group '{groupId}' did not answer ({detail}); its offsets are left out. The broker may be down or restarting; try again shortly (Get-KafkaBroker shows the brokers).",
        groupId,
        inner);

    public static KafkaCatalogException ForGroup(ErrorCode code, string? reason, string groupId, string action) => code switch
    {
        ErrorCode.GroupIdNotFound => NotFound(groupId),
        _ when GroupRetry.IsCoordinatorTrouble(code) => new KafkaCatalogException(ErrorCatalog.GroupCoordinatorUnavailable,
            $"The coordinator of consumer group '{groupId}' did not answer the request to {action} it ({(string.IsNullOrWhiteSpace(reason) ? code.ToString() : reason)}). The broker may be down or restarting; try again shortly (Get-KafkaBroker shows the brokers).", groupId),
        ErrorCode.InvalidGroupId => new KafkaCatalogException(ErrorCatalog.InvalidGroupId,
            $"'{groupId}' is not a valid consumer group id ({reason}).", groupId),
        ErrorCode.GroupAuthorizationFailed => new KafkaCatalogException(ErrorCatalog.KafkaAuthorizationFailed,
            $"Not authorized to {action} consumer group '{groupId}'. Ask the cluster's administrator for a Describe/Read ACL on the group.", groupId),
        _ => KafkaErrors.General(code, reason, groupId, $"{action} consumer group '{groupId}'"),
    };

    public static KafkaCatalogException PartitionOffsetsUnavailable(IReadOnlyCollection<string> failed) => new(
        ErrorCatalog.PartitionOffsetsUnavailable,
        $"The log start/end offsets of {failed.Count} partition(s) could not be read ({string.Join(", ", failed.Take(10))}{(failed.Count > 10 ? ", ..." : string.Empty)}); their rows are left out. The partitions may have no leader right now; try again shortly (Get-KafkaTopic shows leaders).",
        failed);

    /// <summary>The same error with <paramref name="inner"/> as its cause.</summary>
    public static KafkaCatalogException WithInner(KafkaCatalogException mapped, Exception inner) =>
        new(mapped.ErrorId, mapped.Kind, mapped.Message, mapped.Target, inner);
}
