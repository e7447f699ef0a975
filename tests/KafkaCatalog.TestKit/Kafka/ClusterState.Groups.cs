using KafkaCatalog.TestKit.Kafka.Groups;

namespace KafkaCatalog.TestKit.Kafka;

/// <summary>Consumer groups of the test cluster (classic protocol) and helpers to seed them.</summary>
public sealed partial class ClusterState
{
    private readonly object _groupsInit = new();
    private GroupCoordinator? _groupCoordinator;
    private ITimer? _groupTimer;
    private TimeProvider _groupClock = TimeProvider.System;

    /// <summary>
    /// Clock of the group coordinator (session/rebalance timeouts). Set it before the first group request,
    /// e.g. to a manual clock in tests.
    /// </summary>
    public TimeProvider GroupClock
    {
        get => _groupClock;
        set
        {
            lock (_groupsInit)
            {
                if (_groupCoordinator is not null)
                {
                    throw new InvalidOperationException("GroupClock must be set before the group coordinator is first used.");
                }

                _groupClock = value;
            }
        }
    }

    /// <summary>Coordinator settings (initial rebalance delay, session timeout bounds). Change before first use.</summary>
    public GroupCoordinatorOptions GroupOptions { get; } = new();

    /// <summary>The group coordinator (one state machine for the cluster; requests are routed per group to its coordinator broker).</summary>
    public GroupCoordinator Groups
    {
        get
        {
            lock (_groupsInit)
            {
                if (_groupCoordinator is null)
                {
                    _groupCoordinator = new GroupCoordinator(_groupClock, GroupOptions, (t, p) => GetPartition(t, p) is not null);
                    // Session and rebalance timeouts are applied by a periodic tick. The timer only holds a weak
                    // reference, so a cluster that is no longer referenced stops ticking once collected.
                    var weak = new WeakReference<GroupCoordinator>(_groupCoordinator);
                    ITimer? timer = null;
                    timer = TimeProvider.System.CreateTimer(_ =>
                    {
                        if (weak.TryGetTarget(out var c))
                        {
                            c.Tick();
                        }
                        else
                        {
                            timer?.Dispose();
                        }
                    }, null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
                    _groupTimer = timer;
                }
                return _groupCoordinator;
            }
        }
    }

    /// <summary>True once the group coordinator's periodic tick runs.</summary>
    public bool GroupTickRunning => _groupTimer is not null;

    /// <summary>The __consumer_offsets partition of a group: abs(javaHashCode(groupId)) % OffsetsTopicPartitions.</summary>
    public int GroupPartition(string groupId) => CoordinatorLocator.PartitionFor(groupId, Options.OffsetsTopicPartitions);

    /// <summary>Broker id coordinating a group (leader of its __consumer_offsets partition), or -1 if none is available.</summary>
    public int CoordinatorFor(string groupId)
    {
        var p = GetPartition(CoordinatorLocator.OffsetsTopic, GroupPartition(groupId));
        if (p is null)
        {
            return -1;
        }

        var broker = Broker(p.LeaderId);
        return broker is { IsAlive: true } ? broker.Id : -1;
    }

    /// <summary>
    /// Seeds a committed offset for a group with no active members (the group is created Empty if needed), e.g. to
    /// give the sandbox a group with lag. Throws if the partition does not exist or the group has members.
    /// </summary>
    public void CommitOffsets(string groupId, string topic, int partition, long offset, string? metadata = null)
    {
        var (error, parts) = Groups.CommitOffsets(groupId, -1, "", new[] { new OffsetCommitEntry(topic, partition, offset, -1, metadata) });
        var code = error != 0 ? error : parts[0].ErrorCode;
        if (code != 0)
        {
            throw new InvalidOperationException($"Cannot commit offset {offset} for group '{groupId}' on {topic}-{partition}: Kafka error {code}.");
        }
    }

    /// <summary>Seeds committed offsets for every partition of a topic (offsets[i] for partition i).</summary>
    public void CommitOffsets(string groupId, string topic, IReadOnlyList<long> offsets)
    {
        for (int i = 0; i < offsets.Count; i++)
        {
            CommitOffsets(groupId, topic, i, offsets[i]);
        }
    }

    /// <summary>The committed offset of a group on a partition, or null if none.</summary>
    public long? GetCommittedOffset(string groupId, string topic, int partition)
    {
        var r = Groups.FetchOffsets(groupId, new[] { (topic, partition) });
        var o = r.Partitions[0].Offset;
        return o < 0 ? null : o;
    }
}
