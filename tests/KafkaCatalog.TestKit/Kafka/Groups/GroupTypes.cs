namespace KafkaCatalog.TestKit.Kafka.Groups;

/// <summary>Classic consumer-group states (Kafka's GroupState names).</summary>
public enum GroupState
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

/// <summary>Kafka error codes used by the group coordinator.</summary>
public static class GroupErrors
{
    public const short None = 0;
    public const short UnknownTopicOrPartition = 3;
    public const short OffsetMetadataTooLarge = 12;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short IllegalGeneration = 22;
    public const short InconsistentGroupProtocol = 23;
    public const short InvalidGroupId = 24;
    public const short UnknownMemberId = 25;
    public const short InvalidSessionTimeout = 26;
    public const short RebalanceInProgress = 27;
    public const short NonEmptyGroup = 68;
    public const short GroupIdNotFound = 69;
    public const short MemberIdRequired = 79;
    public const short FencedInstanceId = 82;
    public const short GroupSubscribedToTopic = 86;
    public const short GroupMaxSizeReached = 81;
}

public sealed record GroupProtocol(string Name, byte[] Metadata);

/// <summary>Arguments of a JoinGroup request (all versions).</summary>
public sealed record JoinGroupArgs(
    string GroupId,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string MemberId,
    string? GroupInstanceId,
    string ProtocolType,
    IReadOnlyList<GroupProtocol> Protocols,
    string ClientId = "",
    string ClientHost = "/127.0.0.1",
    bool RequireKnownMemberId = false);

public sealed record JoinGroupMemberInfo(string MemberId, string? GroupInstanceId, byte[] Metadata);

public sealed record JoinGroupResult(
    short ErrorCode,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string LeaderId,
    string MemberId,
    IReadOnlyList<JoinGroupMemberInfo> Members)
{
    public static JoinGroupResult Error(short code, string memberId = "") =>
        new(code, -1, null, null, "", memberId, Array.Empty<JoinGroupMemberInfo>());
}

public sealed record SyncGroupArgs(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyDictionary<string, byte[]> Assignments);

public sealed record SyncGroupResult(short ErrorCode, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncGroupResult Error(short code) => new(code, null, null, Array.Empty<byte>());
}

public sealed record LeaveMember(string MemberId, string? GroupInstanceId);

public sealed record LeaveGroupResult(short ErrorCode, IReadOnlyList<(string MemberId, string? GroupInstanceId, short ErrorCode)> Members);

public sealed record OffsetCommitEntry(string Topic, int Partition, long Offset, int LeaderEpoch = -1, string? Metadata = null);

public sealed record PartitionError(string Topic, int Partition, short ErrorCode);

public sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, DateTimeOffset CommitTimestamp);

public sealed record OffsetFetchEntry(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, short ErrorCode);

public sealed record OffsetFetchResult(short ErrorCode, IReadOnlyList<OffsetFetchEntry> Partitions);

public sealed record GroupListing(string GroupId, string ProtocolType, GroupState State);

public sealed record GroupMemberDescription(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    byte[] Metadata,
    byte[] Assignment);

public sealed record GroupDescription(
    short ErrorCode,
    string GroupId,
    GroupState State,
    string ProtocolType,
    string Protocol,
    IReadOnlyList<GroupMemberDescription> Members)
{
    /// <summary>State name as Kafka reports it ("Stable", "Empty", ...).</summary>
    public string StateName => State.ToString();
}

public sealed class GroupCoordinatorOptions
{
    /// <summary>group.initial.rebalance.delay.ms (Kafka default 3000; TestKit default 0 so tests are fast).</summary>
    public TimeSpan InitialRebalanceDelay { get; set; } = TimeSpan.Zero;

    /// <summary>group.min.session.timeout.ms (Kafka default 6000).</summary>
    public int MinSessionTimeoutMs { get; set; } = 6000;

    /// <summary>group.max.session.timeout.ms (Kafka default 1800000).</summary>
    public int MaxSessionTimeoutMs { get; set; } = 1_800_000;

    /// <summary>offset.metadata.max.bytes (Kafka default 4096).</summary>
    public int MaxOffsetMetadataBytes { get; set; } = 4096;

    /// <summary>group.max.size (Kafka default unlimited).</summary>
    public int MaxGroupSize { get; set; } = int.MaxValue;
}
