using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

/// <summary>
/// CreateTopics (19) v0-v7, accepted on any broker (Kafka 2.x+ forwards to the controller).
/// -1 partitions / replication factor use the broker defaults (KIP-464).
/// </summary>
internal sealed class CreateTopicsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.CreateTopics;
    public short MinVersion => 0;
    public short MaxVersion => 7;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var state = ctx.State;
        var v = ctx.ApiVersion;
        var validateOnly = v >= 1 && request.GetBool("validateOnly");
        var resp = ctx.NewResponse();
        var topics = request.GetArray("Topics") ?? new List<Message>();
        var duplicates = topics.GroupBy(t => t.GetString("Name")).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var clusterCreate = state.IsAuthorized(ctx.Principal, AclOperation.Create, AclResourceType.Cluster, "kafka-cluster");
        var results = new List<Message>();
        lock (state.Sync)
        {
            foreach (var t in topics)
            {
                var r = resp.NewElement("Topics");
                var name = t.GetString("Name") ?? string.Empty;
                r.Set("Name", name);
                results.Add(r);
                if (duplicates.Contains(name))
                {
                    Fail(r, ErrorCode.InvalidRequest, $"Create topics request from client `{ctx.ClientId}` contains multiple entries for the following topics: {name}");
                    continue;
                }
                if (!clusterCreate && !state.IsAuthorized(ctx.Principal, AclOperation.Create, AclResourceType.Topic, name))
                {
                    Fail(r, ErrorCode.TopicAuthorizationFailed, "Authorization failed.");
                    continue;
                }
                var (code, message, topic) = Create(state, t, validateOnly);
                if (code != ErrorCode.None)
                {
                    Fail(r, code, message);
                    continue;
                }
                r.Set("ErrorCode", ErrorCode.None);
                r.Set("ErrorMessage", null);
                r.Set("TopicId", topic!.TopicId);
                r.Set("NumPartitions", topic.Partitions.Count);
                r.Set("ReplicationFactor", (short)topic.ReplicationFactor);
                var configs = new List<Message>();
                foreach (var d in TopicConfigs.All)
                {
                    var c = r.NewElement("Configs");
                    var set = topic.Configs.TryGetValue(d.Name, out var val);
                    c.Set("Name", d.Name);
                    c.Set("Value", set ? val : state.BrokerDefault(d));
                    c.Set("ReadOnly", false);
                    c.Set("ConfigSource", set ? KafkaConfigSource.DynamicTopicConfig : KafkaConfigSource.DefaultConfig);
                    c.Set("IsSensitive", false);
                    configs.Add(c);
                }
                r.Set("Configs", configs);
            }
        }
        resp.Set("Topics", results);
        return ValueTask.FromResult<Message?>(resp);
    }

    private static void Fail(Message r, short code, string? message)
    {
        r.Set("ErrorCode", code);
        r.Set("ErrorMessage", message);
        r.Set("Configs", null);
    }

    /// <summary>Validates and (unless validateOnly) creates one topic. Caller holds the lock.</summary>
    private static (short Code, string? Message, TopicState? Topic) Create(ClusterState state, Message t, bool validateOnly)
    {
        var name = t.GetString("Name") ?? string.Empty;
        if (TopicNames.Validate(name) is { } invalid)
        {
            return (ErrorCode.InvalidTopicException, invalid, null);
        }

        if (state.TopicsUnlocked.Any(x => x.Name == name))
        {
            return (ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.", null);
        }

        if (state.TopicsUnlocked.FirstOrDefault(x => TopicNames.Collide(x.Name, name)) is { } other)
        {
            return (ErrorCode.InvalidTopicException, $"Topic '{name}' collides with existing topic: {other.Name}", null);
        }

        var numPartitions = t.GetInt32("NumPartitions");
        var rf = t.GetInt16("ReplicationFactor");
        var assignments = t.GetArray("Assignments") ?? new List<Message>();
        var liveBrokers = state.Brokers.Where(b => b.IsAlive).Select(b => b.Id).ToHashSet();
        int[][] assignment;
        if (assignments.Count > 0)
        {
            if (numPartitions != -1 || rf != -1)
            {
                return (ErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.", null);
            }

            var byIndex = assignments.OrderBy(a => a.GetInt32("PartitionIndex")).ToList();
            for (var i = 0; i < byIndex.Count; i++)
            {
                if (byIndex[i].GetInt32("PartitionIndex") != i)
                {
                    return (ErrorCode.InvalidReplicaAssignment, "Partitions should be a consecutive 0-based integer sequence", null);
                }
            }

            assignment = byIndex.Select(a => (a.GetList<int>("BrokerIds") ?? new List<int>()).ToArray()).ToArray();
            for (var i = 0; i < assignment.Length; i++)
            {
                var replicas = assignment[i];
                if (replicas.Length == 0)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Empty replica assignment for partition {i}.", null);
                }

                if (replicas.Distinct().Count() != replicas.Length)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Duplicate brokers not allowed in replica assignment: {string.Join(", ", replicas)} for partition id {i}.", null);
                }

                var unknown = replicas.Where(r => !liveBrokers.Contains(r)).ToArray();
                if (unknown.Length > 0)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Unknown broker(s) in replica assignment: {string.Join(", ", unknown)}.", null);
                }

                if (replicas.Length != assignment[0].Length)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"All partitions should have the same number of replicas: partition 0 has {assignment[0].Length}, partition {i} has {replicas.Length}.", null);
                }
            }
        }
        else
        {
            if (numPartitions == -1)
            {
                numPartitions = state.Options.DefaultPartitions;
            }

            if (rf == -1)
            {
                rf = state.Options.DefaultReplicationFactor;
            }

            if (numPartitions <= 0)
            {
                return (ErrorCode.InvalidPartitions, "Number of partitions was set to an invalid non-positive value.", null);
            }

            if (rf <= 0)
            {
                return (ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0, or -1 to use the default value.", null);
            }

            if (rf > liveBrokers.Count)
            {
                return (ErrorCode.InvalidReplicationFactor, $"Replication factor: {rf} larger than available brokers: {liveBrokers.Count}.", null);
            }

            assignment = validateOnly ? Array.Empty<int[]>() : state.AssignReplicas(numPartitions, rf);
        }

        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in t.GetArray("Configs") ?? new List<Message>())
        {
            var key = c.GetString("Name") ?? string.Empty;
            var value = c.GetString("Value");
            if (TopicConfigs.Validate(key, value) is { } bad)
            {
                return (ErrorCode.InvalidConfig, bad, null);
            }

            configs[key] = value!;
        }

        if (validateOnly)
        {
            var preview = new TopicState { Name = name, TopicId = Guid.Empty };
            var n = assignments.Count > 0 ? assignment.Length : numPartitions;
            var r = assignments.Count > 0 ? assignment[0].Length : rf;
            for (var i = 0; i < n; i++)
            {
                preview.Partitions.Add(new PartitionState { Topic = name, Index = i, Replicas = new int[r] });
            }

            foreach (var kv in configs)
            {
                preview.Configs[kv.Key] = kv.Value;
            }

            return (ErrorCode.None, null, preview);
        }
        return (ErrorCode.None, null, state.CreateTopic(name, assignment, configs));
    }
}
