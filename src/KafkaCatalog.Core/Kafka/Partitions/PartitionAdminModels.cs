namespace KafkaCatalog.Core.Kafka.Partitions;

/// <summary>Kafka's two election types (ElectLeaders ElectionType 0 and 1).</summary>
public enum KafkaElectionType
{
    /// <summary>Move leadership to the preferred replica (the first of the assignment) when it is alive and in sync.</summary>
    Preferred,

    /// <summary>Elect a leader for a partition that has none, even a replica outside the ISR: acknowledged records can be lost.</summary>
    Unclean,
}

/// <summary>What Invoke-KafkaLeaderElection asks for.</summary>
public sealed record LeaderElectionRequest
{
    /// <summary>Topic names or wildcard patterns.</summary>
    public required IReadOnlyList<string> Topics { get; init; }

    /// <summary>Partitions of the one topic in <see cref="Topics"/>; null or empty means every partition.</summary>
    public IReadOnlyList<int>? Partitions { get; init; }

    public KafkaElectionType ElectionType { get; init; } = KafkaElectionType.Preferred;
}

/// <summary>One partition of a leader election: before (the plan) and after (the outcome).</summary>
public sealed record KafkaLeaderElectionResult
{
    public required string Topic { get; init; }
    public required int Partition { get; init; }

    /// <summary>Preferred or Unclean.</summary>
    public required string ElectionType { get; init; }

    /// <summary>The leader before the election (-1: none).</summary>
    public required int PreviousLeader { get; init; }

    /// <summary>The preferred replica: the first broker of the partition's assignment.</summary>
    public required int PreferredLeader { get; init; }

    /// <summary>The leader after the election; null while only planned, or when the cluster did not show it yet.</summary>
    public int? NewLeader { get; init; }

    public IReadOnlyList<int> Replicas { get; init; } = Array.Empty<int>();
    public IReadOnlyList<int> InSyncReplicas { get; init; } = Array.Empty<int>();

    /// <summary>
    /// Planned (a preferred election would move the leader, or an unclean one would elect one), NotNeeded
    /// (planned, nothing to do), Elected, ElectionNotNeeded (the cluster's ELECTION_NOT_NEEDED: the leader
    /// already is the one asked for; not an error) or Failed (see <see cref="Error"/>).
    /// </summary>
    public required string Outcome { get; init; }

    /// <summary>Why the election failed (Outcome Failed), else null.</summary>
    public string? Error { get; init; }

    /// <summary>The error id of the failure (the ErrorRecord's id), else null.</summary>
    public string? ErrorId { get; init; }

    /// <summary>For a plan: whether the partition needs this election (preferred: led by another replica; unclean: no leader).</summary>
    public bool NeedsElection { get; init; }

    public string? ConnectionName { get; init; }
}

/// <summary>A partition's election outcome and, when it failed, the error to report.</summary>
public sealed record LeaderElectionOutcome(KafkaLeaderElectionResult Result, KafkaCatalogException? Error);

/// <summary>What Remove-KafkaRecord asks for: one topic, some or all of its partitions, and where the log should start afterwards.</summary>
public sealed record RecordDeletionRequest
{
    public required string Topic { get; init; }

    /// <summary>Partitions of <see cref="Topic"/>; null or empty means every partition.</summary>
    public IReadOnlyList<int>? Partitions { get; init; }

    /// <summary>Delete the records whose offset is below this one (the new low watermark).</summary>
    public long? BeforeOffset { get; init; }

    /// <summary>Delete the records older than this instant: up to the first offset whose timestamp is at or after it (ListOffsets).</summary>
    public DateTimeOffset? BeforeTimestamp { get; init; }
}

/// <summary>One partition of a record deletion: what goes, and the low watermark before and after.</summary>
public sealed record KafkaRecordDeletion
{
    public required string Topic { get; init; }
    public required int Partition { get; init; }

    /// <summary>The log start offset before the deletion.</summary>
    public required long PreviousLowWatermark { get; init; }

    /// <summary>The log start offset afterwards (planned, or as the cluster answered).</summary>
    public required long NewLowWatermark { get; init; }

    /// <summary>The partition's high watermark when the deletion was planned.</summary>
    public required long HighWatermark { get; init; }

    /// <summary>Offsets removed: NewLowWatermark - PreviousLowWatermark (compacted or transactional logs hold fewer records).</summary>
    public long RecordsRemoved => Math.Max(0, NewLowWatermark - PreviousLowWatermark);

    /// <summary>The -BeforeTimestamp asked for, if any.</summary>
    public DateTimeOffset? BeforeTimestamp { get; init; }

    /// <summary>Planned, NothingToDelete (the log already starts at or after the offset) or Deleted.</summary>
    public required string Status { get; init; }

    public string? ConnectionName { get; init; }
}
