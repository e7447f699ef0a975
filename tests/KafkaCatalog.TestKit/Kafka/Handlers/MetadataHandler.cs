using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

/// <summary>Metadata (3) v0-v12. Auto topic creation is off.</summary>
internal sealed class MetadataHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.Metadata;
    public short MinVersion => 0;
    public short MaxVersion => 12;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        var state = ctx.State;
        var resp = ctx.NewResponse();
        var requested = request.GetArray("Topics");
        var includeTopicOps = v >= 8 && request.GetBool("IncludeTopicAuthorizedOperations");
        var includeClusterOps = v is >= 8 and <= 10 && request.GetBool("IncludeClusterAuthorizedOperations");
        lock (state.Sync)
        {
            foreach (var b in state.Brokers.Where(b => b.IsAlive))
            {
                var e = resp.AddElement("Brokers");
                e.Set("NodeId", b.Id);
                e.Set("Host", b.Host);
                e.Set("Port", b.Port);
                e.Set("Rack", b.Rack);
            }
            resp.Set("ClusterId", state.ClusterId);
            resp.Set("ControllerId", state.ControllerId);
            if (includeClusterOps)
            {
                resp.Set("ClusterAuthorizedOperations", state.AuthorizedOperations(ctx.Principal, AclResourceType.Cluster, "kafka-cluster"));
            }

            var all = requested is null || (v == 0 && requested.Count == 0);
            var topics = new List<Message>();
            if (all)
            {
                state.CountAllTopicsMetadataRequest(ctx.ClientId);
                foreach (var t in state.TopicsUnlocked.OrderBy(t => t.Name, StringComparer.Ordinal))
                {
                    if (state.IsAuthorized(ctx.Principal, AclOperation.Describe, AclResourceType.Topic, t.Name))
                    {
                        topics.Add(Describe(resp, t, v, state, ctx, includeTopicOps));
                    }
                }
            }
            else
            {
                foreach (var rt in requested!)
                {
                    var name = rt.GetString("Name");
                    TopicState? t = null;
                    if (name is null && v >= 10)
                    {
                        t = state.TopicsUnlocked.FirstOrDefault(x => x.TopicId == rt.GetUuid("TopicId"));
                    }
                    else if (name is not null)
                    {
                        t = state.TopicsUnlocked.FirstOrDefault(x => x.Name == name);
                    }

                    if (t is not null && !state.IsAuthorized(ctx.Principal, AclOperation.Describe, AclResourceType.Topic, t.Name))
                    {
                        topics.Add(Error(resp, name ?? t.Name, ErrorCode.TopicAuthorizationFailed, v));
                        continue;
                    }
                    if (t is not null)
                    {
                        topics.Add(Describe(resp, t, v, state, ctx, includeTopicOps));
                        continue;
                    }
                    if (name is null)
                    {
                        var e = resp.NewElement("Topics");
                        e.Set("ErrorCode", ErrorCode.UnknownTopicId);
                        e.Set("Name", null);
                        e.Set("TopicId", rt.GetUuid("TopicId"));
                        topics.Add(e);
                        continue;
                    }
                    var code = TopicNames.Validate(name) is null ? ErrorCode.UnknownTopicOrPartition : ErrorCode.InvalidTopicException;
                    if (code == ErrorCode.UnknownTopicOrPartition && !state.IsAuthorized(ctx.Principal, AclOperation.Describe, AclResourceType.Topic, name))
                    {
                        code = ErrorCode.TopicAuthorizationFailed;
                    }

                    if (code == ErrorCode.UnknownTopicOrPartition && state.Options.AutoCreateTopics && (v < 4 || request.GetBool("AllowAutoTopicCreation"))
                        && state.IsAuthorized(ctx.Principal, AclOperation.Create, AclResourceType.Topic, name))
                    {
                        var alive = state.Brokers.Count(b => b.IsAlive);
                        state.CreateTopic(name, state.Options.DefaultPartitions, (short)Math.Min(state.Options.DefaultReplicationFactor, alive));
                        code = ErrorCode.LeaderNotAvailable;
                    }
                    topics.Add(Error(resp, name, code, v));
                }
            }
            resp.Set("Topics", topics);
        }
        return ValueTask.FromResult<Message?>(resp);
    }

    private static Message Error(Message resp, string name, short code, short v)
    {
        var e = resp.NewElement("Topics");
        e.Set("ErrorCode", code);
        e.Set("Name", name);
        return e;
    }

    private static Message Describe(Message resp, TopicState t, short v, ClusterState state, RequestContext ctx, bool includeOps)
    {
        var e = resp.NewElement("Topics");
        e.Set("ErrorCode", ErrorCode.None);
        e.Set("Name", t.Name);
        e.Set("TopicId", t.TopicId);
        e.Set("IsInternal", t.IsInternal);
        var parts = new List<Message>();
        foreach (var p in t.Partitions)
        {
            var pe = e.NewElement("Partitions");
            pe.Set("ErrorCode", p.LeaderId < 0 ? ErrorCode.LeaderNotAvailable : ErrorCode.None);
            pe.Set("PartitionIndex", p.Index);
            pe.Set("LeaderId", p.LeaderId);
            pe.Set("LeaderEpoch", p.LeaderEpoch);
            pe.Set("ReplicaNodes", p.Replicas);
            pe.Set("IsrNodes", p.Isr.ToArray());
            pe.Set("OfflineReplicas", p.Replicas.Where(r => state.Broker(r)?.IsAlive != true).ToArray());
            parts.Add(pe);
        }
        e.Set("Partitions", parts);
        if (includeOps)
        {
            e.Set("TopicAuthorizedOperations", state.AuthorizedOperations(ctx.Principal, AclResourceType.Topic, t.Name));
        }

        return e;
    }
}
