using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.Core.Kafka;

// The output records of the Kafka services. Their property names are the pipeline contract:
// a cmdlet downstream binds to them by property name (see the contract tests), so rename with care.

/// <summary>A broker as the cluster's metadata describes it.</summary>
public sealed record KafkaBroker
{
    public required int BrokerId { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public string? Rack { get; init; }
    public bool IsController { get; init; }
    public string? ConnectionName { get; init; }
    public string Endpoint => $"{Host}:{Port}";
}

/// <summary>The cluster: id, controller and brokers.</summary>
public sealed record KafkaCluster
{
    public required string? ClusterId { get; init; }
    public required int ControllerId { get; init; }
    public required IReadOnlyList<KafkaBroker> Brokers { get; init; }
    public string? ConnectionName { get; init; }
    public string? BootstrapServers { get; init; }
}

/// <summary>One partition of a topic with its leader and replica sets (broker ids).</summary>
public sealed record KafkaPartition
{
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    /// <summary>Leader broker id, -1 when the partition has no leader.</summary>
    public required int Leader { get; init; }
    public required IReadOnlyList<int> Replicas { get; init; }
    public required IReadOnlyList<int> InSyncReplicas { get; init; }
    public IReadOnlyList<int> OfflineReplicas { get; init; } = Array.Empty<int>();
    /// <summary>The partition-level error the cluster reported, if any (e.g. LEADER_NOT_AVAILABLE).</summary>
    public string? Error { get; init; }
    public bool HasLeader => Leader >= 0;
    public bool IsUnderReplicated => InSyncReplicas.Count < Replicas.Count;
}

/// <summary>A topic as Get-KafkaTopic emits it.</summary>
public sealed record KafkaTopic
{
    public required string Name { get; init; }
    public string? TopicId { get; init; }
    public bool IsInternal { get; init; }
    public required IReadOnlyList<KafkaPartition> Partitions { get; init; }
    public int PartitionCount => Partitions.Count;
    /// <summary>Replication factor: the replica count of the first partition (Kafka keeps them equal).</summary>
    public int ReplicationFactor => Partitions.Count == 0 ? 0 : Partitions[0].Replicas.Count;
    /// <summary>Topic configs (name to value), present when asked for (-IncludeConfig); sensitive values are null.</summary>
    public IReadOnlyDictionary<string, string?>? Config { get; init; }
    /// <summary>
    /// Sum over the partitions of high watermark minus log start offset (Get-KafkaTopic -IncludeMessageCount);
    /// null when not asked for or when a partition's offsets could not be read. Approximate: compaction
    /// removes records without moving the log start, and transaction markers take offsets too.
    /// There is no size in bytes: that needs DescribeLogDirs, which Confluent.Kafka does not offer.
    /// </summary>
    public long? MessageCount { get; init; }
    /// <summary>The name of the connection the topic was read through; downstream cmdlets reuse it.</summary>
    public string? ConnectionName { get; init; }
    public string? ClusterId { get; init; }
    public string? BootstrapServers { get; init; }
}

/// <summary>A topic-partition pair.</summary>
public sealed record KafkaTopicPartition(string Topic, int Partition)
{
    public override string ToString() => $"{Topic}[{Partition}]";
}

/// <summary>A member of a consumer group and the partitions assigned to it.</summary>
public sealed record KafkaConsumerGroupMember
{
    public required string MemberId { get; init; }
    public string? GroupInstanceId { get; init; }
    public required string ClientId { get; init; }
    public required string Host { get; init; }
    public IReadOnlyList<KafkaTopicPartition> Assignment { get; init; } = Array.Empty<KafkaTopicPartition>();
}

/// <summary>A consumer group as Get-KafkaConsumerGroup emits it.</summary>
public sealed record KafkaConsumerGroup
{
    public required string GroupId { get; init; }
    /// <summary>Kafka's group state: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead or Unknown.</summary>
    public required string State { get; init; }
    public string? ProtocolType { get; init; }
    /// <summary>The assignor in use (range, roundrobin, cooperative-sticky, ...).</summary>
    public string? Protocol { get; init; }
    public bool IsSimpleConsumerGroup { get; init; }
    /// <summary>Coordinator broker id, -1 if unknown.</summary>
    public int Coordinator { get; init; } = -1;
    public IReadOnlyList<KafkaConsumerGroupMember> Members { get; init; } = Array.Empty<KafkaConsumerGroupMember>();
    public int MemberCount => Members.Count;
    /// <summary>Topics the group consumes: from member assignments and committed offsets.</summary>
    public IReadOnlyList<string> Topics { get; init; } = Array.Empty<string>();
    /// <summary>Per-partition offsets and lag, present when asked for (-IncludeOffsets).</summary>
    public IReadOnlyList<KafkaConsumerGroupOffset>? Offsets { get; init; }
    public string? ConnectionName { get; init; }
    public string? ClusterId { get; init; }
    public string? BootstrapServers { get; init; }

    /// <summary>
    /// The committed offsets read for this object (to name an Empty group's topics), and the scope they were read
    /// under: Get-KafkaConsumerGroupOffset uses them instead of reading them again only while that scope is open,
    /// i.e. while the Get-KafkaConsumerGroup that read them still streams into the same pipeline.
    /// </summary>
    internal CommittedOffsetsRead? CommittedRead { get; init; }
}

/// <summary>One row of Get-KafkaConsumerGroupOffset: a group's position in one partition.</summary>
public sealed record KafkaConsumerGroupOffset
{
    public required string GroupId { get; init; }
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    /// <summary>Committed offset, null when the group has none for this partition.</summary>
    public long? CommittedOffset { get; init; }
    public long LogStartOffset { get; init; }
    public long LogEndOffset { get; init; }
    public long Lag { get; init; }
    public string? Metadata { get; init; }
    public string? MemberId { get; init; }
    public string? ClientId { get; init; }
    public string? Host { get; init; }
    public string? ConnectionName { get; init; }
    /// <summary>
    /// With -IncludeTimeLag: the timestamp of the newest record minus that of the record at the committed offset;
    /// zero when the group has read everything; null when it cannot be computed (see <see cref="TimeLagUnavailableReason"/>).
    /// </summary>
    public TimeSpan? TimeLag { get; init; }
    /// <summary>Why <see cref="TimeLag"/> is null after -IncludeTimeLag (one of <see cref="TimeLagReasons"/>); null otherwise.</summary>
    public string? TimeLagUnavailableReason { get; init; }
}

/// <summary>One config entry of a topic or broker, as DescribeConfigs reports it.</summary>
public sealed record KafkaConfigEntry
{
    /// <summary>Topic name or broker id.</summary>
    public required string ResourceName { get; init; }
    /// <summary>Topic or Broker.</summary>
    public required string ResourceType { get; init; }
    public required string Name { get; init; }
    /// <summary>The value; null when sensitive or unset.</summary>
    public string? Value { get; init; }
    /// <summary>DYNAMIC_TOPIC_CONFIG, DYNAMIC_BROKER_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG, ...</summary>
    public required string Source { get; init; }
    public bool IsDefault { get; init; }
    public bool IsSensitive { get; init; }
    public bool IsReadOnly { get; init; }
    public IReadOnlyList<KafkaConfigSynonym> Synonyms { get; init; } = Array.Empty<KafkaConfigSynonym>();
    public string? ConnectionName { get; init; }
}

public sealed record KafkaConfigSynonym(string Name, string? Value, string Source);
