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

/// <summary>
/// ElectLeaders (43) v0-v2: preferred (0) and unclean (1) elections, as Kafka 4.0's KRaft controller
/// answers them (ReplicationControlManager.electLeaders / PartitionChangeBuilder): without CLUSTER ALTER
/// every named partition (and, v1+, the top level) gets CLUSTER_AUTHORIZATION_FAILED; a null topic list
/// means every partition of every topic (internal ones too), and then partitions that need no election are
/// left out while every topic keeps its (possibly empty) entry. Preferred: the first replica, if it is
/// alive and in the ISR. Unclean: the first live ISR replica, else the first live replica (the ISR becomes
/// that one replica). Messages are Kafka's defaults (Errors.java) or the controller's "No such ..." texts.
/// </summary>
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
        var authorized = state.IsAuthorized(ctx.Principal, AclOperation.Alter, AclResourceType.Cluster, "kafka-cluster");
        var changed = false;
        lock (state.Sync)
        {
            var targets = requested is null
                ? state.TopicsUnlocked.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => (t.Name, t.Partitions.Select(p => p.Index).ToList())).ToList()
                : requested.Select(r => (r.GetString("Topic") ?? "", r.GetList<int>("Partitions") ?? new List<int>())).ToList();
            if (!authorized)
            {
                // Kafka's ElectLeadersRequest.getErrorResponse: the error on every named partition (none for "all").
                if (requested is null)
                {
                    targets.Clear();
                }
            }
            foreach (var (topic, partitions) in targets)
            {
                var tr = resp.NewElement("ReplicaElectionResults");
                tr.Set("Topic", topic);
                var results = new List<Message>();
                var t = state.TopicsUnlocked.FirstOrDefault(x => x.Name == topic);
                foreach (var index in partitions)
                {
                    var (code, message) = !authorized
                        ? (ErrorCode.ClusterAuthorizationFailed, "Cluster authorization failed.")
                        : t is null
                            ? (ErrorCode.UnknownTopicOrPartition, $"No such topic as {topic}")
                            : index < 0 || index >= t.Partitions.Count
                                ? (ErrorCode.UnknownTopicOrPartition, $"No such partition as {topic}-{index}")
                                : Elect(state, t.Partitions[index], unclean);
                    if (code == ErrorCode.None)
                    {
                        changed = true;
                    }

                    if (requested is null && code == ElectionNotNeeded)
                    {
                        continue;
                    }

                    var pr = tr.NewElement("PartitionResult");
                    pr.Set("PartitionId", index);
                    pr.Set("ErrorCode", code);
                    pr.Set("ErrorMessage", message);
                    results.Add(pr);
                }
                tr.Set("PartitionResult", results);
                resp.GetArray("ReplicaElectionResults")!.Add(tr);
            }
        }
        resp.Set("ErrorCode", authorized ? ErrorCode.None : ErrorCode.ClusterAuthorizationFailed);
        if (changed)
        {
            state.NotifyChanged();
        }

        return ValueTask.FromResult<Message?>(resp);
    }

    private static (short, string?) Elect(ClusterState state, PartitionState p, bool unclean)
    {
        bool Alive(int id) => state.Broker(id)?.IsAlive == true;
        if (!unclean)
        {
            var preferred = p.Replicas[0];
            if (p.LeaderId == preferred)
            {
                return (ElectionNotNeeded, "Leader election not needed for topic partition.");
            }

            if (!Alive(preferred) || !p.Isr.Contains(preferred))
            {
                return (PreferredLeaderNotAvailable, "The preferred leader was not available.");
            }

            p.LeaderId = preferred;
            p.LeaderEpoch++;
            return (ErrorCode.None, null);
        }
        if (p.LeaderId >= 0)
        {
            return (ElectionNotNeeded, "Leader election not needed for topic partition.");
        }

        var clean = p.Replicas.FirstOrDefault(r => Alive(r) && p.Isr.Contains(r), -1);
        var candidate = clean >= 0 ? clean : p.Replicas.FirstOrDefault(Alive, -1);
        if (candidate < 0)
        {
            return (EligibleLeadersNotAvailable, "Eligible topic partition leaders are not available.");
        }

        p.LeaderId = candidate;
        p.LeaderEpoch++;
        if (clean < 0)
        {
            p.Isr.Clear();
            p.Isr.Add(candidate);
        }
        return (ErrorCode.None, null);
    }
}
