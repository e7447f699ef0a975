using Confluent.Kafka;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>Turns Kafka error codes into <see cref="KafkaCatalogException"/>s with stable ids and helpful messages.</summary>
public static class KafkaErrors
{
    /// <summary>Maps the error of one topic-level operation (create, delete, alter...).</summary>
    public static KafkaCatalogException ForTopic(ErrorCode code, string? reason, string topic, string action)
    {
        var detail = string.IsNullOrWhiteSpace(reason) ? code.ToString() : reason;
        return code switch
        {
            ErrorCode.TopicAlreadyExists => new(ErrorCatalog.TopicAlreadyExists,
                $"Topic '{topic}' already exists. Use Get-KafkaTopic to inspect it.", topic),
            ErrorCode.TopicException => new(ErrorCatalog.InvalidTopicName,
                $"Cannot {action} topic '{topic}': the name is not valid ({detail}). " + TopicNameRules, topic),
            ErrorCode.InvalidPartitions => new(ErrorCatalog.InvalidPartitions,
                $"Cannot {action} topic '{topic}': invalid partition count ({detail}).", topic),
            ErrorCode.InvalidReplicationFactor => new(ErrorCatalog.InvalidReplicationFactor,
                $"Cannot {action} topic '{topic}': invalid replication factor ({detail}). It must be between 1 and the number of brokers (Get-KafkaBroker).", topic),
            ErrorCode.InvalidReplicaAssignment => new(ErrorCatalog.InvalidReplicaAssignment,
                $"Cannot {action} topic '{topic}': invalid replica assignment ({detail}).", topic),
            ErrorCode.InvalidConfig => new(ErrorCatalog.InvalidConfig,
                $"Cannot {action} topic '{topic}': invalid configuration ({detail}). See Get-KafkaTopicConfig for the names and values the cluster accepts.", topic),
            ErrorCode.PolicyViolation => new(ErrorCatalog.PolicyViolation,
                $"Cannot {action} topic '{topic}': the cluster's policy refused it ({detail}).", topic),
            ErrorCode.UnknownTopicOrPart => new(ErrorCatalog.TopicNotFound,
                $"Topic '{topic}' was not found. Use Get-KafkaTopic to list the topics.", topic),
            ErrorCode.TopicDeletionDisabled => new(ErrorCatalog.TopicDeletionDisabled,
                $"Cannot delete topic '{topic}': topic deletion is disabled on this cluster (delete.topic.enable=false).", topic),
            ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed => new(ErrorCatalog.KafkaAuthorizationFailed,
                $"Not authorized to {action} topic '{topic}' ({detail}). Ask the cluster's administrator for the ACL.", topic),
            _ => General(code, detail, topic, $"{action} topic '{topic}'"),
        };
    }

    /// <summary>Maps any other failure of a call.</summary>
    public static KafkaCatalogException General(ErrorCode code, string? reason, object? target, string what)
    {
        var detail = string.IsNullOrWhiteSpace(reason) ? code.ToString() : reason;
        return code switch
        {
            ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut => new(ErrorCatalog.KafkaRequestTimedOut,
                $"Timed out trying to {what} ({detail}). The cluster may or may not have applied it; check before retrying, or raise -TimeoutSec.", target),
            ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed or ErrorCode.GroupAuthorizationFailed => new(ErrorCatalog.KafkaAuthorizationFailed,
                $"Not authorized to {what} ({detail}). Ask the cluster's administrator for the ACL.", target),
            ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication => new(ErrorCatalog.KafkaAuthenticationFailed,
                $"Authentication failed while trying to {what} ({detail}). Check the credential and SASL mechanism of the connection.", target),
            ErrorCode.Local_Ssl => new(ErrorCatalog.KafkaTlsFailed,
                $"TLS failed while trying to {what} ({detail}). Check the CA and client certificate settings of the connection.", target),
            ErrorCode.UnsupportedVersion or ErrorCode.Local_UnsupportedFeature => new(ErrorCatalog.KafkaFeatureUnsupported,
                $"The cluster does not support what is needed to {what} ({detail}).", target),
            ErrorCode.InvalidRequest => new(ErrorCatalog.KafkaInvalidRequest,
                $"The cluster rejected the request to {what} as invalid ({detail}).", target),
            _ => new(ErrorCatalog.KafkaErrorId(code.ToString()), ErrorCatalog.KafkaError.Kind,
                $"Failed to {what}: {detail} ({code}).", target),
        };
    }

    /// <summary>Maps a failed call: unreachable cluster, or a general error for its first code.</summary>
    public static KafkaCatalogException FromException(Exception exception, object? target, string what, string bootstrapServers, KafkaCallKind kind)
    {
        if (exception is KafkaCatalogException known)
        {
            return known;
        }

        if (KafkaRetry.IsClusterUnreachable(exception, kind))
        {
            return KafkaRetry.ClusterUnreachable(bootstrapServers, exception);
        }

        var codes = KafkaRetry.ErrorCodesOf(exception);
        var code = codes.Count > 0 ? codes[0] : ErrorCode.Unknown;
        var reason = exception is KafkaException k ? k.Error.Reason : exception.Message;
        var mapped = General(code, reason, target, what);
        return new KafkaCatalogException(mapped.ErrorId, mapped.Kind, mapped.Message, mapped.Target, exception);
    }

    public const string TopicNameRules =
        "A topic name has 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-', and is not '.' or '..'.";

    /// <summary>Kafka's own topic name rule (checked before any call, so a bad name changes nothing).</summary>
    public static string? ValidateTopicName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "the name is empty";
        }

        if (name is "." or "..")
        {
            return $"'{name}' is reserved";
        }

        if (name.Length > 249)
        {
            return $"the name has {name.Length} characters, more than 249";
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '_' or '-'))
            {
                return $"the character '{c}' is not allowed";
            }
        }

        return null;
    }
}
