using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

/// <summary>
/// InitProducerId (22) v0-v4 for idempotent producers: hands out producer ids and bumps epochs
/// (KIP-360). Transactions are not supported: a non-null TransactionalId gets INVALID_REQUEST.
/// Produce does not check sequence numbers (no duplicate detection on retries).
/// </summary>
internal sealed class InitProducerIdHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.InitProducerId;
    public short MinVersion => 0;
    public short MaxVersion => 4;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        var state = ctx.State;
        resp.Set("ProducerId", -1L);
        resp.Set("ProducerEpoch", (short)-1);
        if (request.GetString("TransactionalId") is not null)
        {
            resp.Set("ErrorCode", ErrorCode.InvalidRequest);
            return ValueTask.FromResult<Message?>(resp);
        }
        var allowed = state.IsAuthorized(ctx.Principal, AclOperation.IdempotentWrite, AclResourceType.Cluster, "kafka-cluster")
            || state.TopicsUnlockedSnapshot().Any(t => state.IsAuthorized(ctx.Principal, AclOperation.Write, AclResourceType.Topic, t));
        if (!allowed)
        {
            resp.Set("ErrorCode", ErrorCode.ClusterAuthorizationFailed);
            return ValueTask.FromResult<Message?>(resp);
        }
        var (id, epoch) = state.NextProducerId(ctx.ApiVersion >= 3 ? request.GetInt64("ProducerId") : -1, ctx.ApiVersion >= 3 ? request.GetInt16("ProducerEpoch") : (short)-1);
        resp.Set("ErrorCode", ErrorCode.None);
        resp.Set("ProducerId", id);
        resp.Set("ProducerEpoch", epoch);
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>ElectLeaders (43) v0-v2: preferred (0) and unclean (1) elections.</summary>
internal sealed class ElectLeadersHandler : IKafkaApiHandler
{
    public short ApiKey => 43;
    public short MinVersion => 0;
    public short MaxVersion => 2;

    private const short PreferredLeaderNotAvailable = 80, EligibleLeadersNotAvailable = 83, ElectionNotNeeded = 84;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var state = ctx.State;
        var resp = ctx.NewResponse();
        var unclean = ctx.ApiVersion >= 1 && request.GetInt8("ElectionType") == 1;
        var requested = request.GetArray("TopicPartitions");
        if (!state.IsAuthorized(ctx.Principal, AclOperation.Alter, AclResourceType.Cluster, "kafka-cluster"))
        {
            resp.Set("ErrorCode", ErrorCode.ClusterAuthorizationFailed);
            return ValueTask.FromResult<Message?>(resp);
        }
        var changed = false;
        lock (state.Sync)
        {
            var targets = requested is null
                ? state.TopicsUnlocked.Where(t => !t.IsInternal).Select(t => (t.Name, t.Partitions.Select(p => p.Index).ToList())).ToList()
                : requested.Select(r => (r.GetString("Topic") ?? "", r.GetList<int>("Partitions") ?? new List<int>())).ToList();
            foreach (var (topic, partitions) in targets)
            {
                var tr = resp.NewElement("ReplicaElectionResults");
                tr.Set("Topic", topic);
                var results = new List<Message>();
                var t = state.TopicsUnlocked.FirstOrDefault(x => x.Name == topic);
                foreach (var index in partitions)
                {
                    var pr = tr.NewElement("PartitionResult");
                    pr.Set("PartitionId", index);
                    var (code, message) = t is null || index < 0 || index >= t.Partitions.Count
                        ? (ErrorCode.UnknownTopicOrPartition, "The partition does not exist.")
                        : Elect(state, t.Partitions[index], unclean);
                    if (code == ErrorCode.None) changed = true;
                    if (requested is null && code == ElectionNotNeeded) continue;
                    pr.Set("ErrorCode", code);
                    pr.Set("ErrorMessage", message);
                    results.Add(pr);
                }
                tr.Set("PartitionResult", results);
                if (results.Count > 0) resp.GetArray("ReplicaElectionResults")!.Add(tr);
            }
        }
        resp.Set("ErrorCode", ErrorCode.None);
        if (changed) state.NotifyChanged();
        return ValueTask.FromResult<Message?>(resp);
    }

    private static (short, string?) Elect(ClusterState state, PartitionState p, bool unclean)
    {
        bool Alive(int id) => state.Broker(id)?.IsAlive == true;
        if (!unclean)
        {
            var preferred = p.Replicas[0];
            if (p.LeaderId == preferred) return (ElectionNotNeeded, "Leader election not needed for topic partition.");
            if (!Alive(preferred) || !p.Isr.Contains(preferred))
                return (PreferredLeaderNotAvailable, $"Failed to elect leader for partition {p.Topic}-{p.Index} under strategy PreferredReplicaPartitionLeaderElectionStrategy");
            p.LeaderId = preferred;
            p.LeaderEpoch++;
            return (ErrorCode.None, null);
        }
        if (p.LeaderId >= 0 && Alive(p.LeaderId)) return (ElectionNotNeeded, "Leader election not needed for topic partition.");
        var candidate = p.Replicas.FirstOrDefault(Alive, -1);
        if (candidate < 0)
            return (EligibleLeadersNotAvailable, $"Failed to elect leader for partition {p.Topic}-{p.Index} under strategy UncleanLeaderElectionStrategy");
        p.LeaderId = candidate;
        p.LeaderEpoch++;
        p.Isr.Clear();
        p.Isr.Add(candidate);
        return (ErrorCode.None, null);
    }
}
