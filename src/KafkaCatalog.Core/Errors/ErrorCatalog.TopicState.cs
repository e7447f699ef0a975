namespace KafkaCatalog.Core.Errors;

/// <summary>The desired-state topics (Compare-KafkaTopic, Sync-KafkaTopic) and the piped input of Get-KafkaConsumerGroupOffset.</summary>
public static partial class ErrorCatalog
{
    // ---------------------------------------------------------------- Desired-state topics
    public static readonly ErrorDefinition DesiredStateDuplicateTopic = new("DesiredStateDuplicateTopic", FailureKind.InvalidData, "Name each topic once in the desired state; nothing was compared or changed.");
    public static readonly ErrorDefinition DesiredStateEmpty = new("DesiredStateEmpty", FailureKind.InvalidData, "Give at least one topic (a file with a topics list, or objects with a Name); nothing was compared or changed.");
    public static readonly ErrorDefinition DesiredStateFileNotFound = new("DesiredStateFileNotFound", FailureKind.ObjectNotFound, "Check the -Path of the desired-state file (.yaml, .yml or .json).");
    public static readonly ErrorDefinition DesiredStateInternalTopic = new("DesiredStateInternalTopic", FailureKind.InvalidData, "Remove internal topics (__consumer_offsets, __transaction_state) from the desired state: the cluster owns them.");
    public static readonly ErrorDefinition DesiredStateInvalidEntry = new("DesiredStateInvalidEntry", FailureKind.InvalidData, "Correct the entry the message names (name, partitions, replicationFactor, configs); nothing was compared or changed.");
    public static readonly ErrorDefinition DesiredStateInvalidPartitions = new("DesiredStateInvalidPartitions", FailureKind.InvalidData, "Give the partition count as a whole number of at least 1.");
    public static readonly ErrorDefinition DesiredStateInvalidReplicationFactor = new("DesiredStateInvalidReplicationFactor", FailureKind.InvalidData, "Give the replication factor as a whole number from 1 to 32767 (at most the number of brokers).");
    public static readonly ErrorDefinition DesiredStateInvalidTopicName = new("DesiredStateInvalidTopicName", FailureKind.InvalidData, "Use a legal Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'.");
    public static readonly ErrorDefinition DesiredStateSyntaxError = new("DesiredStateSyntaxError", FailureKind.InvalidData, "Fix the YAML or JSON at the line the message names.");
    public static readonly ErrorDefinition DesiredStateUnknownFormat = new("DesiredStateUnknownFormat", FailureKind.InvalidArgument, "Give a .yaml, .yml or .json file, or pipe objects (Import-Csv, Get-KafkaTopic).");

    // ---------------------------------------------------------------- Consumer groups (piped input)
    public static readonly ErrorDefinition NotAConsumerGroup = new("NotAConsumerGroup", FailureKind.InvalidArgument, "Pipe KafkaConsumerGroup objects (Get-KafkaConsumerGroup), group id strings, or objects with a GroupId property.");
}
