namespace KafkaCatalog.Core.Kafka.Health;

/// <summary>The verdict of one health check.</summary>
public enum KafkaHealthStatus
{
    Pass,
    Warning,
    Fail,
}

/// <summary>The checks Test-KafkaCluster runs, in the order they are emitted.</summary>
public static class KafkaHealthChecks
{
    public const string BrokersReachable = "BrokersReachable";
    public const string ControllerPresent = "ControllerPresent";
    public const string OfflinePartitions = "OfflinePartitions";
    public const string UnderReplicatedPartitions = "UnderReplicatedPartitions";
    public const string UnderMinIsrPartitions = "UnderMinIsrPartitions";
    public const string PreferredLeaderImbalance = "PreferredLeaderImbalance";
    public const string GroupsLaggingWithoutMembers = "GroupsLaggingWithoutMembers";
    public const string CommittedOffsetsBelowLogStart = "CommittedOffsetsBelowLogStart";

    public static IReadOnlyList<string> All { get; } =
    [
        BrokersReachable, ControllerPresent, OfflinePartitions, UnderReplicatedPartitions, UnderMinIsrPartitions,
        PreferredLeaderImbalance, GroupsLaggingWithoutMembers, CommittedOffsetsBelowLogStart,
    ];
}

/// <summary>One row of Test-KafkaCluster: a check, its verdict, a message and the objects behind the verdict.</summary>
public sealed record KafkaHealthCheck
{
    public required string Check { get; init; }
    public required KafkaHealthStatus Status { get; init; }
    public required string Message { get; init; }
    /// <summary>The objects that caused a Warning or Fail (brokers, partitions, group offset rows, groups); empty on Pass.</summary>
    public IReadOnlyList<object> Items { get; init; } = Array.Empty<object>();
    public int ItemCount => Items.Count;
    public string? ConnectionName { get; init; }

    public override string ToString() => $"{Check}: {Status} ({Message})";
}

/// <summary>A partition whose in-sync replicas are fewer than its topic's min.insync.replicas.</summary>
public sealed record KafkaPartitionUnderMinIsr
{
    public required string Topic { get; init; }
    public required int Partition { get; init; }
    public required int InSyncReplicaCount { get; init; }
    public required int MinInSyncReplicas { get; init; }
    public required IReadOnlyList<int> InSyncReplicas { get; init; }
    public required IReadOnlyList<int> Replicas { get; init; }
}

/// <summary>A consumer group that has lag but no member to read it.</summary>
public sealed record KafkaIdleLaggingGroup
{
    public required string GroupId { get; init; }
    public required string State { get; init; }
    public required long TotalLag { get; init; }
    public required IReadOnlyList<string> Topics { get; init; }
}

/// <summary>What Test-KafkaCluster looks at.</summary>
public sealed record ClusterHealthOptions
{
    /// <summary>Run only these checks (names from <see cref="KafkaHealthChecks.All"/>); empty means all.</summary>
    public IReadOnlyList<string> Checks { get; init; } = Array.Empty<string>();

    /// <summary>Leave internal topics (__consumer_offsets, ...) out of the partition checks.</summary>
    public bool ExcludeInternalTopics { get; init; }
}
