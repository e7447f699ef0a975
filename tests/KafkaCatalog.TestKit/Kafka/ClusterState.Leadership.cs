namespace KafkaCatalog.TestKit.Kafka;

public sealed partial class ClusterState
{
    /// <summary>
    /// Test and sandbox control: hands a partition's leadership to another live in-sync replica, as a
    /// broker restart leaves it in Kafka (the restarted preferred replica rejoins the ISR, but leads
    /// again only after a preferred election). Without <paramref name="toBroker"/> the first live ISR
    /// replica after the current leader in replica order is chosen. Returns the new leader.
    /// </summary>
    /// <exception cref="ArgumentException">No such partition, or no other live in-sync replica to lead it.</exception>
    public int MoveLeader(string topic, int partition, int? toBroker = null)
    {
        int leader;
        lock (Sync)
        {
            var p = GetPartition(topic, partition) ?? throw new ArgumentException($"No partition {topic}-{partition}.");
            var candidates = p.Replicas.Where(r => r != p.LeaderId && p.Isr.Contains(r) && Broker(r)?.IsAlive == true).ToArray();
            if (toBroker is { } wanted)
            {
                if (!candidates.Contains(wanted))
                {
                    throw new ArgumentException($"Broker {wanted} cannot lead {topic}-{partition}: it must be a live in-sync replica other than the leader (replicas [{string.Join(',', p.Replicas)}], isr [{string.Join(',', p.Isr)}], leader {p.LeaderId}).");
                }

                leader = wanted;
            }
            else
            {
                var start = Array.IndexOf(p.Replicas, p.LeaderId);
                leader = candidates.Length == 0
                    ? throw new ArgumentException($"{topic}-{partition} has no other live in-sync replica to lead it (replicas [{string.Join(',', p.Replicas)}], isr [{string.Join(',', p.Isr)}]).")
                    : candidates.OrderBy(r => (Array.IndexOf(p.Replicas, r) - start + p.Replicas.Length) % p.Replicas.Length).First();
            }

            p.LeaderId = leader;
            p.LeaderEpoch++;
        }

        NotifyChanged();
        return leader;
    }

    /// <summary>
    /// Test control: a follower falls out of the ISR (it lags behind the leader). It stays out until its
    /// broker restarts; with the leader stopped afterwards the partition has no leader and only an unclean
    /// election can elect the lagging replica.
    /// </summary>
    /// <exception cref="ArgumentException">No such partition, or the broker is not a follower in the ISR.</exception>
    public void MarkOutOfSync(string topic, int partition, int brokerId)
    {
        lock (Sync)
        {
            var p = GetPartition(topic, partition) ?? throw new ArgumentException($"No partition {topic}-{partition}.");
            if (brokerId == p.LeaderId || !p.Isr.Contains(brokerId))
            {
                throw new ArgumentException($"Broker {brokerId} is not an in-sync follower of {topic}-{partition} (leader {p.LeaderId}, isr [{string.Join(',', p.Isr)}]).");
            }

            p.Isr.Remove(brokerId);
        }

        NotifyChanged();
    }
}
