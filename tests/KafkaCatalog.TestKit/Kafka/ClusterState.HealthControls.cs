using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.TestKit.Kafka;

/// <summary>
/// Controls that put a partition into the states Test-KafkaCluster reports (what a real cluster gets
/// into when brokers fail or retention runs): no leader, a shrunk ISR, a leader other than the
/// preferred replica, a log start moved past committed offsets. Kept apart from the election and
/// DeleteRecords handlers (and named Health*) so they never change what those APIs do. Each bumps
/// the leader epoch where a real controller would, so clients refresh their metadata.
/// </summary>
public static class ClusterHealthControls
{
    /// <summary>The partition loses its leader and ISR (every replica's broker down, or an unclean election refused).</summary>
    public static void HealthTakePartitionOffline(this ClusterState state, string topic, int partition) =>
        Change(state, topic, partition, p =>
        {
            p.LeaderId = -1;
            p.Isr.Clear();
            p.LeaderEpoch++;
        });

    /// <summary>The ISR becomes exactly <paramref name="isr"/> (a subset of the replicas; the leader, when kept, must be in it).</summary>
    public static void HealthSetInSyncReplicas(this ClusterState state, string topic, int partition, params int[] isr) =>
        Change(state, topic, partition, p =>
        {
            if (isr.Any(id => !p.Replicas.Contains(id)))
            {
                throw new ArgumentException($"ISR [{string.Join(',', isr)}] is not a subset of the replicas [{string.Join(',', p.Replicas)}] of {p.Topic}-{p.Index}.", nameof(isr));
            }

            p.Isr.Clear();
            p.Isr.AddRange(isr);
            if (p.LeaderId >= 0 && !isr.Contains(p.LeaderId))
            {
                p.LeaderId = isr.Length > 0 ? isr[0] : -1;
                p.LeaderEpoch++;
            }
        });

    /// <summary>The leader moves to the next in-sync replica after the preferred one (needs replication factor 2 or more).</summary>
    public static void HealthMoveLeaderOffPreferred(this ClusterState state, string topic, int partition) =>
        Change(state, topic, partition, p =>
        {
            var other = p.Replicas.Skip(1).FirstOrDefault(r => p.Isr.Contains(r), -1);
            if (other < 0)
            {
                throw new InvalidOperationException($"{p.Topic}-{p.Index} has no in-sync replica besides the preferred one ({p}).");
            }

            p.LeaderId = other;
            p.LeaderEpoch++;
        });

    /// <summary>The log start moves to <paramref name="offset"/> as retention would, dropping the batches wholly below it.</summary>
    public static void HealthMoveLogStart(this ClusterState state, string topic, int partition, long offset) =>
        Change(state, topic, partition, p =>
        {
            if (offset > p.HighWatermark)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), $"{offset} is past the high watermark {p.HighWatermark} of {p.Topic}-{p.Index}.");
            }

            PartitionLog.DeleteBefore(p, offset);
        });

    /// <summary>Back to healthy: the preferred replica leads and every replica is in sync.</summary>
    public static void HealthRestorePartition(this ClusterState state, string topic, int partition) =>
        Change(state, topic, partition, p =>
        {
            p.Isr.Clear();
            p.Isr.AddRange(p.Replicas);
            p.LeaderId = p.Replicas[0];
            p.LeaderEpoch++;
        });

    private static void Change(ClusterState state, string topic, int partition, Action<PartitionState> change)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (state.Sync)
        {
            var p = state.GetPartition(topic, partition) ?? throw new ArgumentException($"No partition {topic}-{partition}.");
            change(p);
        }

        state.NotifyChanged();
    }
}
