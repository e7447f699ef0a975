namespace KafkaCatalog.Core.Kafka.TopicState;

/// <summary>One topic as a desired-state file or a pipeline object declares it.</summary>
public sealed record DesiredTopic
{
    public required string Name { get; init; }

    /// <summary>Partition count; null leaves it alone (and means the broker's default on create).</summary>
    public int? Partitions { get; init; }

    /// <summary>Replication factor; null leaves it alone (and means the broker's default on create).</summary>
    public int? ReplicationFactor { get; init; }

    /// <summary>
    /// The topic's configs, or null when the entry does not list any. An entry that lists configs
    /// owns them: an override in the cluster that it does not name is planned as ResetConfig.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Config { get; init; }

    /// <summary>Where the entry came from ("topics.yaml, line 3", "pipeline object 2"), for messages.</summary>
    public string Origin { get; init; } = string.Empty;
}

/// <summary>What Compare-KafkaTopic and Sync-KafkaTopic compare the cluster with.</summary>
public sealed record TopicStateRequest
{
    public required IReadOnlyList<DesiredTopic> Topics { get; init; }

    /// <summary>Only topics whose name matches one of these (wildcards); empty means every desired topic.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Wildcards of the topics the desired state speaks for besides the ones it names: a topic in the
    /// cluster that matches, is not internal and is not desired is Missing. Empty: nothing is Missing.
    /// </summary>
    public IReadOnlyList<string> Scope { get; init; } = Array.Empty<string>();
}

/// <summary>The kinds of difference between the desired state and the cluster.</summary>
public enum KafkaTopicDifferenceKind
{
    /// <summary>The topic is desired and not in the cluster: created with its partitions, replication factor and configs.</summary>
    Create,

    /// <summary>The desired partition count is above the current one: partitions are added.</summary>
    AddPartitions,

    /// <summary>A desired config value differs from the current one: it is set.</summary>
    SetConfig,

    /// <summary>The topic overrides a config its desired entry (which lists configs) does not name: the override is removed.</summary>
    ResetConfig,

    /// <summary>The replication factor differs: reported, never changed (that takes a partition reassignment).</summary>
    ReplicationFactorDiffers,

    /// <summary>The desired partition count is below the current one: reported; Kafka cannot remove partitions.</summary>
    PartitionsDecreaseRequested,

    /// <summary>In the cluster and in scope (-Scope), not in the desired state: deleted only with -RemoveMissing.</summary>
    Missing,
}

/// <summary>One difference between the desired state and the cluster (Compare-KafkaTopic's output, Sync-KafkaTopic's plan).</summary>
public sealed record KafkaTopicDifference
{
    public required string Topic { get; init; }
    public required KafkaTopicDifferenceKind Kind { get; init; }

    /// <summary>The config name (SetConfig, ResetConfig), Partitions or ReplicationFactor; null for Create and Missing.</summary>
    public string? Setting { get; init; }

    /// <summary>The cluster's value (null: not set, or the topic does not exist).</summary>
    public string? Current { get; init; }

    /// <summary>The desired value (null: the default, or the topic should not exist).</summary>
    public string? Desired { get; init; }

    /// <summary>Whether Sync-KafkaTopic can make this change (Missing: only with -RemoveMissing).</summary>
    public bool CanApply => Kind is not (KafkaTopicDifferenceKind.ReplicationFactorDiffers or KafkaTopicDifferenceKind.PartitionsDecreaseRequested);

    /// <summary>What the difference is and what Sync-KafkaTopic does about it.</summary>
    public required string Description { get; init; }

    /// <summary>For Create: the desired topic.</summary>
    public DesiredTopic? DesiredTopic { get; init; }

    public string? ConnectionName { get; init; }
    public string? BootstrapServers { get; init; }

    public override string ToString() => Description;
}

/// <summary>The outcome of one change of Sync-KafkaTopic.</summary>
public sealed record KafkaTopicSyncResult
{
    public required string Topic { get; init; }
    public required KafkaTopicDifferenceKind Kind { get; init; }
    public string? Setting { get; init; }
    public string? Current { get; init; }
    public string? Desired { get; init; }

    /// <summary>Applied, Failed, or NotApplied (a difference Sync-KafkaTopic never changes, or Missing without -RemoveMissing).</summary>
    public required string Status { get; init; }

    /// <summary>Why the change failed or was not applied.</summary>
    public string? Message { get; init; }

    /// <summary>The error id of a failure (the ErrorRecord's id), else null.</summary>
    public string? ErrorId { get; init; }

    public string? ConnectionName { get; init; }

    public override string ToString() => $"{Topic} {Kind} {Setting}: {Status}".Replace("  ", " ", StringComparison.Ordinal);
}

/// <summary>The values of <see cref="KafkaTopicSyncResult.Status"/>.</summary>
public static class KafkaTopicSyncStatus
{
    public const string Applied = "Applied";
    public const string Failed = "Failed";
    public const string NotApplied = "NotApplied";
}
