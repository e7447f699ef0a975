namespace KafkaCatalog.TestKit.Kafka;

/// <summary>One broker of the test cluster.</summary>
public sealed class BrokerState
{
    public required int Id { get; init; }
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; internal set; }
    public string? Rack { get; init; }
    public bool IsAlive { get; internal set; } = true;
    public override string ToString() => $"broker {Id} {Host}:{Port}{(IsAlive ? "" : " (stopped)")}";
}

/// <summary>A stored record batch (or message set) of a partition.</summary>
public sealed class StoredBatch
{
    public required long BaseOffset { get; init; }
    public required long LastOffset { get; init; }
    public required long MaxTimestamp { get; init; }
    public required byte[] Data { get; init; }
    public int RecordCount => (int)(LastOffset - BaseOffset + 1);
}

/// <summary>A partition: replicas, ISR, leader, log offsets and stored batches.</summary>
public sealed class PartitionState
{
    public required string Topic { get; init; }
    public required int Index { get; init; }
    public required int[] Replicas { get; set; }
    public List<int> Isr { get; } = new();
    public int LeaderId { get; set; } = -1;
    public int LeaderEpoch { get; set; }
    public long LogStartOffset { get; set; }
    /// <summary>Log end offset = high watermark (every write is fully replicated at once).</summary>
    public long HighWatermark { get; set; }
    public long SizeBytes { get; set; }
    public List<StoredBatch> Batches { get; } = new();
    public override string ToString() => $"{Topic}-{Index} leader={LeaderId} replicas=[{string.Join(',', Replicas)}] isr=[{string.Join(',', Isr)}]";
}

/// <summary>A topic with its partitions and dynamic (topic-level) configs.</summary>
public sealed class TopicState
{
    public required string Name { get; init; }
    public required Guid TopicId { get; init; }
    public bool IsInternal { get; init; }
    public List<PartitionState> Partitions { get; } = new();
    /// <summary>Configs set on the topic (source DYNAMIC_TOPIC_CONFIG); others come from broker defaults.</summary>
    public Dictionary<string, string> Configs { get; } = new(StringComparer.Ordinal);
    public int ReplicationFactor => Partitions.Count == 0 ? 0 : Partitions[0].Replicas.Length;
    public override string ToString() => $"{Name} ({Partitions.Count} partitions, rf {ReplicationFactor})";
}

/// <summary>
/// The in-memory state every broker of a <see cref="KafkaTestCluster"/> shares. All mutation
/// happens under <see cref="Sync"/>. This is a partial class: other areas (groups, ACLs,
/// security) add their state in ClusterState.*.cs files.
/// </summary>
public sealed partial class ClusterState
{
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextReplicaStart;

    public ClusterState(KafkaTestClusterOptions options, string clusterId, IReadOnlyList<BrokerState> brokers)
    {
        Options = options;
        ClusterId = clusterId;
        Brokers = brokers;
        _nextReplicaStart = 0;
    }

    /// <summary>Lock for every read-modify-write of the state.</summary>
    public object Sync { get; } = new();

    public KafkaTestClusterOptions Options { get; }

    public string ClusterId { get; }

    public IReadOnlyList<BrokerState> Brokers { get; }

    /// <summary>The controller: the lowest-id live broker (or -1 when all are stopped).</summary>
    public int ControllerId
    {
        get
        {
            lock (Sync)
            {
                return Brokers.Where(b => b.IsAlive).Select(b => b.Id).DefaultIfEmpty(-1).Min();
            }
        }
    }

    public BrokerState? Broker(int id) => Brokers.FirstOrDefault(b => b.Id == id);

    /// <summary>A snapshot of all topics, including internal ones.</summary>
    public IReadOnlyList<TopicState> Topics
    {
        get
        {
            lock (Sync)
            {
                return _topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
            }
        }
    }

    public TopicState? GetTopic(string name)
    {
        lock (Sync)
        {
            return _topics.GetValueOrDefault(name);
        }
    }

    public TopicState? GetTopic(Guid id)
    {
        lock (Sync)
        {
            return _topics.Values.FirstOrDefault(t => t.TopicId == id);
        }
    }

    public PartitionState? GetPartition(string topic, int partition)
    {
        lock (Sync)
        {
            var t = _topics.GetValueOrDefault(topic);
            return t is null || partition < 0 || partition >= t.Partitions.Count ? null : t.Partitions[partition];
        }
    }

    internal IEnumerable<TopicState> TopicsUnlocked => _topics.Values;

    /// <summary>A task that completes at the next change of partition data (produce, delete records...).</summary>
    public Task WaitForChangeAsync()
    {
        lock (Sync)
        {
            return _changed.Task;
        }
    }

    /// <summary>Signals waiters (long-poll fetches) that data changed. Call under or outside the lock.</summary>
    public void NotifyChanged()
    {
        TaskCompletionSource old;
        lock (Sync)
        {
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    /// <summary>Kafka-style replica assignment: round robin over live brokers with a rotating start.</summary>
    public int[][] AssignReplicas(int partitions, int replicationFactor, int firstPartition = 0)
    {
        lock (Sync)
        {
            var ids = Brokers.Where(b => b.IsAlive).Select(b => b.Id).OrderBy(x => x).ToArray();
            var n = ids.Length;
            var start = _nextReplicaStart++ % Math.Max(1, n);
            var shiftBase = start;
            var result = new int[partitions][];
            for (var p = 0; p < partitions; p++)
            {
                var pi = firstPartition + p;
                if (pi > 0 && pi % n == 0)
                {
                    shiftBase++;
                }

                var first = (pi + start) % n;
                var r = new int[replicationFactor];
                r[0] = ids[first];
                for (var j = 0; j < replicationFactor - 1; j++)
                {
                    r[j + 1] = ids[(first + 1 + (shiftBase + j) % (n - 1)) % n];
                }

                result[p] = r;
            }
            return result;
        }
    }

    /// <summary>Creates a topic (no validation: handlers validate). Returns the new topic.</summary>
    public TopicState CreateTopic(string name, int[][] assignment, IReadOnlyDictionary<string, string>? configs = null, bool isInternal = false, Guid? topicId = null)
    {
        lock (Sync)
        {
            if (_topics.ContainsKey(name))
            {
                throw new InvalidOperationException($"Topic '{name}' already exists.");
            }

            var t = new TopicState { Name = name, TopicId = topicId ?? NewTopicId(), IsInternal = isInternal };
            for (var p = 0; p < assignment.Length; p++)
            {
                t.Partitions.Add(NewPartition(name, p, assignment[p]));
            }

            if (configs is not null)
            {
                foreach (var kv in configs)
                {
                    t.Configs[kv.Key] = kv.Value;
                }
            }

            _topics[name] = t;
            return t;
        }
    }

    /// <summary>Convenience for tests and the sandbox: create with an automatic assignment.</summary>
    public TopicState CreateTopic(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string>? configs = null) =>
        CreateTopic(name, AssignReplicas(partitions, replicationFactor), configs);

    public bool DeleteTopic(string name)
    {
        bool removed;
        lock (Sync)
        {
            removed = _topics.Remove(name);
        }

        if (removed)
        {
            NotifyChanged();
        }

        return removed;
    }

    public void AddPartitions(TopicState topic, int[][] assignment)
    {
        lock (Sync)
        {
            foreach (var r in assignment)
            {
                topic.Partitions.Add(NewPartition(topic.Name, topic.Partitions.Count, r));
            }
        }
    }

    private PartitionState NewPartition(string topic, int index, int[] replicas)
    {
        var p = new PartitionState { Topic = topic, Index = index, Replicas = replicas };
        foreach (var r in replicas)
        {
            if (Broker(r)?.IsAlive == true)
            {
                p.Isr.Add(r);
            }
        }

        p.LeaderId = p.Isr.Count > 0 ? p.Isr[0] : -1;
        return p;
    }

    /// <summary>A random non-zero topic id (Kafka never hands out the zero or the metadata uuid).</summary>
    public static Guid NewTopicId() => Guid.NewGuid();

    /// <summary>Kafka-style cluster id: 16 random bytes, URL-safe base64 without padding (22 chars).</summary>
    public static string NewClusterId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Marks a broker stopped: it leaves every ISR and partitions it led elect a new leader.</summary>
    internal void OnBrokerStopped(int id)
    {
        lock (Sync)
        {
            var b = Broker(id) ?? throw new ArgumentOutOfRangeException(nameof(id), $"No broker {id}.");
            b.IsAlive = false;
            foreach (var p in _topics.Values.SelectMany(t => t.Partitions))
            {
                if (!p.Isr.Remove(id))
                {
                    continue;
                }

                if (p.LeaderId == id)
                {
                    p.LeaderId = p.Isr.FirstOrDefault(r => Broker(r)?.IsAlive == true, -1);
                    p.LeaderEpoch++;
                }
            }
        }
        NotifyChanged();
    }

    /// <summary>Brings a broker back: it rejoins the ISR of its replicas and leads leaderless partitions.</summary>
    internal void OnBrokerStarted(int id)
    {
        lock (Sync)
        {
            var b = Broker(id) ?? throw new ArgumentOutOfRangeException(nameof(id), $"No broker {id}.");
            b.IsAlive = true;
            foreach (var p in _topics.Values.SelectMany(t => t.Partitions))
            {
                if (!p.Replicas.Contains(id))
                {
                    continue;
                }

                if (!p.Isr.Contains(id))
                {
                    p.Isr.Add(id);
                }

                if (p.LeaderId < 0)
                {
                    p.LeaderId = id;
                    p.LeaderEpoch++;
                }
            }
        }
        NotifyChanged();
    }

    /// <summary>Replicas of a partition on stopped brokers.</summary>
    public int[] OfflineReplicas(PartitionState p)
    {
        lock (Sync)
        {
            return p.Replicas.Where(r => Broker(r)?.IsAlive != true).ToArray();
        }
    }
}
