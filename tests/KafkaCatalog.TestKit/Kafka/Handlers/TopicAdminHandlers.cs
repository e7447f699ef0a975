using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

/// <summary>DeleteTopics (20) v0-v6 (v6: by name or topic id).</summary>
internal sealed class DeleteTopicsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DeleteTopics;
    public short MinVersion => 0;
    public short MaxVersion => 6;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var state = ctx.State;
        var v = ctx.ApiVersion;
        var resp = ctx.NewResponse();
        var wanted = new List<(string? Name, Guid Id)>();
        if (v >= 6)
        {
            foreach (var t in request.GetArray("Topics") ?? new List<Message>())
            {
                wanted.Add((t.GetString("Name"), t.GetUuid("TopicId")));
            }
        }
        else
        {
            foreach (var n in request.GetList<string>("TopicNames") ?? new List<string>())
            {
                wanted.Add((n, Guid.Empty));
            }
        }

        var deleted = false;
        lock (state.Sync)
        {
            foreach (var (name, id) in wanted)
            {
                var r = resp.AddElement("Responses");
                var topic = name is not null
                    ? state.TopicsUnlocked.FirstOrDefault(t => t.Name == name)
                    : state.TopicsUnlocked.FirstOrDefault(t => t.TopicId == id);
                r.Set("Name", name ?? topic?.Name);
                r.Set("TopicId", topic?.TopicId ?? id);
                short code;
                string? message = null;
                if (name is not null && !state.IsAuthorized(ctx.Principal, AclOperation.Delete, AclResourceType.Topic, name))
                {
                    code = ErrorCode.TopicAuthorizationFailed;
                }
                else if (topic is null)
                {
                    code = name is null ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition;
                }
                else if (topic.IsInternal)
                {
                    code = ErrorCode.InvalidRequest;
                    message = $"Cannot delete internal topic {topic.Name}";
                }
                else
                {
                    code = ErrorCode.None;
                    state.DeleteTopic(topic.Name);
                    deleted = true;
                }
                r.Set("ErrorCode", code);
                r.Set("ErrorMessage", code == ErrorCode.None ? null : message ?? ErrorCode.DefaultMessage(code));
            }
        }
        if (deleted)
        {
            state.NotifyChanged();
        }

        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>CreatePartitions (37) v0-v3: the partition count only grows.</summary>
internal sealed class CreatePartitionsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.CreatePartitions;
    public short MinVersion => 0;
    public short MaxVersion => 3;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var state = ctx.State;
        var validateOnly = request.GetBool("ValidateOnly");
        var resp = ctx.NewResponse();
        var topics = request.GetArray("Topics") ?? new List<Message>();
        var dups = topics.GroupBy(t => t.GetString("Name")).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        lock (state.Sync)
        {
            foreach (var t in topics)
            {
                var name = t.GetString("Name") ?? string.Empty;
                var r = resp.AddElement("Results");
                r.Set("Name", name);
                var (code, message) = dups.Contains(name)
                    ? (ErrorCode.InvalidRequest, "Duplicate topic in request.")
                    : Grow(ctx, state, name, t.GetInt32("Count"), t.GetArray("Assignments"), validateOnly);
                r.Set("ErrorCode", code);
                r.Set("ErrorMessage", message);
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }

    private static (short, string?) Grow(RequestContext ctx, ClusterState state, string name, int count, List<Message>? assignments, bool validateOnly)
    {
        if (!state.IsAuthorized(ctx.Principal, AclOperation.Alter, AclResourceType.Topic, name))
        {
            return (ErrorCode.TopicAuthorizationFailed, ErrorCode.DefaultMessage(ErrorCode.TopicAuthorizationFailed));
        }

        var topic = state.TopicsUnlocked.FirstOrDefault(x => x.Name == name);
        if (topic is null)
        {
            return (ErrorCode.UnknownTopicOrPartition, $"The topic '{name}' does not exist.");
        }

        var current = topic.Partitions.Count;
        if (count < current)
        {
            return (ErrorCode.InvalidPartitions, $"Topic currently has {current} partitions, which is higher than the requested {count}.");
        }

        if (count == current)
        {
            return (ErrorCode.InvalidPartitions, $"Topic already has {current} partitions.");
        }

        var add = count - current;
        var rf = topic.ReplicationFactor;
        int[][] assignment;
        if (assignments is not null)
        {
            if (assignments.Count != add)
            {
                return (ErrorCode.InvalidReplicaAssignment, $"Increasing the number of partitions by {add} but {assignments.Count} assignments provided.");
            }

            assignment = assignments.Select(a => (a.GetList<int>("BrokerIds") ?? new List<int>()).ToArray()).ToArray();
            var live = state.Brokers.Where(b => b.IsAlive).Select(b => b.Id).ToHashSet();
            for (var i = 0; i < assignment.Length; i++)
            {
                var unknown = assignment[i].Where(b => !live.Contains(b)).ToArray();
                if (unknown.Length > 0)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Unknown broker(s) in replica assignment: {string.Join(", ", unknown)}.");
                }

                if (assignment[i].Distinct().Count() != assignment[i].Length)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Duplicate brokers not allowed in replica assignment: {string.Join(", ", assignment[i])} for partition id {current + i}.");
                }

                if (assignment[i].Length != rf)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Inconsistent replication factor between partitions, partition 0 has {rf} while partition {current + i} has {assignment[i].Length}.");
                }
            }
        }
        else
        {
            if (rf > state.Brokers.Count(b => b.IsAlive))
            {
                return (ErrorCode.InvalidReplicationFactor, $"Replication factor: {rf} larger than available brokers: {state.Brokers.Count(b => b.IsAlive)}.");
            }

            assignment = state.AssignReplicas(add, (short)rf, current);
        }
        if (!validateOnly)
        {
            state.AddPartitions(topic, assignment);
        }

        return (ErrorCode.None, null);
    }
}
