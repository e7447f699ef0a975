using System.Collections.Concurrent;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka;

/// <summary>Options of an embedded test cluster.</summary>
public sealed class KafkaTestClusterOptions
{
    /// <summary>Number of brokers (ids 1..N), each on its own 127.0.0.1 port.</summary>
    public int Brokers { get; set; } = 3;

    /// <summary>First port; broker i listens on PortBase + i - 1. 0 (default) = ephemeral ports.</summary>
    public int PortBase { get; set; }

    /// <summary>Fixed cluster id (22-char base64); null generates one.</summary>
    public string? ClusterId { get; set; }

    /// <summary>Broker default num.partitions (Kafka: 1).</summary>
    public int DefaultPartitions { get; set; } = 1;

    /// <summary>Broker default default.replication.factor (Kafka: 1).</summary>
    public short DefaultReplicationFactor { get; set; } = 1;

    /// <summary>Partitions of the internal __consumer_offsets topic (Kafka: 50).</summary>
    public int OffsetsTopicPartitions { get; set; } = 50;

    /// <summary>Enforce ACLs (principals without a matching ALLOW get *_AUTHORIZATION_FAILED).</summary>
    public bool EnableAcls { get; set; }

    /// <summary>
    /// Behave like a default-configured Apache Kafka broker (auto.create.topics.enable=true): a metadata request naming a
    /// missing topic with AllowAutoTopicCreation (always before v4) creates it with the default partitions and replication
    /// factor and answers LEADER_NOT_AVAILABLE. Off by default, so tests see exactly the topics they create.
    /// </summary>
    public bool AutoCreateTopics { get; set; }

    /// <summary>Principals that bypass ACLs, e.g. "User:admin".</summary>
    public ISet<string> SuperUsers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Connection hook for TLS / SASL; null = PLAINTEXT, every request allowed.</summary>
    public IConnectionAuthenticator? Authenticator { get; set; }

    /// <summary>Largest accepted request frame (Kafka socket.request.max.bytes: 104857600).</summary>
    public int MaxFrameBytes { get; set; } = 104_857_600;

    /// <summary>
    /// Caps the advertised (and accepted) max version per API key, to imitate an older broker;
    /// a negative value removes the API (not advertised, requests close the connection).
    /// </summary>
    public IDictionary<short, short> ApiVersionLimits { get; } = new Dictionary<short, short>();

    /// <summary>Diagnostics sink (protocol errors, handler crashes). Null = silent.</summary>
    public Action<string>? Log { get; set; }
}

/// <summary>
/// An in-process Kafka cluster speaking the real wire protocol on 127.0.0.1:
/// <code>await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });</code>
/// </summary>
public sealed class KafkaTestCluster : IAsyncDisposable
{
    private readonly List<BrokerServer> _servers = new();
    private readonly ConcurrentDictionary<(int Broker, short ApiKey, short Version, string ClientId), int> _requestCounts = new();
    private int _disposed;

    private KafkaTestCluster(KafkaTestClusterOptions options)
    {
        Options = options;
        var brokers = Enumerable.Range(1, options.Brokers).Select(i => new BrokerState { Id = i }).ToList();
        State = new ClusterState(options, options.ClusterId ?? ClusterState.NewClusterId(), brokers);
        Faults = new KafkaFaults(this);
    }

    public KafkaTestClusterOptions Options { get; }

    /// <summary>The shared in-memory state (topics, partitions, configs, ...).</summary>
    public ClusterState State { get; }

    /// <summary>Fault injection: latency, injected errors, dropped connections, broker stop/start.</summary>
    public KafkaFaults Faults { get; }

    public string ClusterId => State.ClusterId;

    public IReadOnlyList<BrokerState> Brokers => State.Brokers;

    /// <summary>"127.0.0.1:p1,127.0.0.1:p2,..." for every broker (stopped ones included).</summary>
    public string BootstrapServers => string.Join(',', Brokers.Select(b => $"{b.Host}:{b.Port}"));

    public int ControllerId => State.ControllerId;

    /// <summary>Starts the brokers and creates __consumer_offsets.</summary>
    public static async Task<KafkaTestCluster> StartAsync(KafkaTestClusterOptions? options = null, CancellationToken ct = default)
    {
        options ??= new KafkaTestClusterOptions();
        if (options.Brokers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Brokers must be at least 1.");
        }

        var cluster = new KafkaTestCluster(options);
        try
        {
            foreach (var b in cluster.Brokers)
            {
                ct.ThrowIfCancellationRequested();
                var server = new BrokerServer(cluster, b);
                server.Start(options.PortBase == 0 ? 0 : options.PortBase + b.Id - 1);
                cluster._servers.Add(server);
            }
            var rf = (short)Math.Min(3, options.Brokers);
            cluster.State.CreateTopic("__consumer_offsets", cluster.State.AssignReplicas(options.OffsetsTopicPartitions, rf),
                new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["compression.type"] = "producer", ["segment.bytes"] = "104857600" },
                isInternal: true);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return cluster;
    }

    /// <summary>Stops a broker: its listener and connections close, it leaves every ISR and its partitions elect new leaders.</summary>
    public async Task StopBrokerAsync(int brokerId)
    {
        var server = Server(brokerId);
        await server.StopAsync().ConfigureAwait(false);
        State.OnBrokerStopped(brokerId);
    }

    /// <summary>Restarts a stopped broker on the same port.</summary>
    public Task StartBrokerAsync(int brokerId)
    {
        var server = Server(brokerId);
        if (!server.IsListening)
        {
            server.Start(server.Broker.Port);
        }

        State.OnBrokerStarted(brokerId);
        return Task.CompletedTask;
    }

    internal BrokerServer Server(int brokerId) =>
        _servers.FirstOrDefault(s => s.Broker.Id == brokerId) ?? throw new ArgumentOutOfRangeException(nameof(brokerId), $"No broker {brokerId}.");

    internal IReadOnlyList<BrokerServer> Servers => _servers;

    /// <summary>The version range this cluster serves for a handler (after <see cref="KafkaTestClusterOptions.ApiVersionLimits"/>); null = not served.</summary>
    public (short Min, short Max)? AdvertisedRange(IKafkaApiHandler handler)
    {
        var max = handler.MaxVersion;
        if (Options.ApiVersionLimits.TryGetValue(handler.ApiKey, out var limit))
        {
            if (limit < handler.MinVersion)
            {
                return null;
            }

            max = Math.Min(max, limit);
        }
        return (handler.MinVersion, max);
    }

    internal void Log(string message) => Options.Log?.Invoke(message);

    internal void RecordRequest(int broker, short apiKey, short version, string? clientId) =>
        _requestCounts.AddOrUpdate((broker, apiKey, version, clientId ?? string.Empty), 1, (_, n) => n + 1);

    /// <summary>How many requests of an API were answered (any broker unless given, any version).</summary>
    public int RequestCount(short apiKey, int? brokerId = null) =>
        _requestCounts.Where(kv => kv.Key.ApiKey == apiKey && (brokerId is null || kv.Key.Broker == brokerId)).Sum(kv => kv.Value);

    /// <summary>How many requests of an API clients with this client.id sent (any broker, any version).</summary>
    public int RequestCount(short apiKey, string clientId) =>
        _requestCounts.Where(kv => kv.Key.ApiKey == apiKey && kv.Key.ClientId == clientId).Sum(kv => kv.Value);

    /// <summary>The versions of an API clients used so far.</summary>
    public IReadOnlyCollection<short> RequestVersions(short apiKey) =>
        _requestCounts.Keys.Where(k => k.ApiKey == apiKey).Select(k => k.Version).Distinct().OrderBy(v => v).ToList();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var s in _servers)
        {
            await s.StopAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Faults on demand for a running <see cref="KafkaTestCluster"/>.</summary>
public sealed class KafkaFaults
{
    private readonly KafkaTestCluster _cluster;
    private readonly object _sync = new();
    private readonly List<(int? Broker, short? ApiKey, TimeSpan Delay)> _latency = new();
    private readonly List<InjectedError> _errors = new();
    private TimeSpan _networkLatency;

    internal KafkaFaults(KafkaTestCluster cluster) => _cluster = cluster;

    private sealed class InjectedError
    {
        public required short ApiKey { get; init; }
        public required short ErrorCode { get; init; }
        public int? Broker { get; init; }
        public int Remaining { get; set; }
    }

    /// <summary>
    /// The round trip of the network between the clients and every broker: each response is written
    /// this long after its request arrived, while the broker goes on reading and handling the
    /// connection's next requests (pipelined requests overlap their round trips, as on a real
    /// network). <see cref="AddLatency"/> instead holds the request itself, like a slow broker.
    /// </summary>
    public TimeSpan NetworkLatency
    {
        get
        {
            lock (_sync)
            {
                return _networkLatency;
            }
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_sync)
            {
                _networkLatency = value;
            }
        }
    }

    /// <summary>Delays every matching request (null broker/api = all) before it is handled: a slow broker, one request at a time per connection.</summary>
    public void AddLatency(TimeSpan delay, int? brokerId = null, short? apiKey = null)
    {
        lock (_sync)
        {
            _latency.Add((brokerId, apiKey, delay));
        }
    }

    public void ClearLatency()
    {
        lock (_sync)
        {
            _latency.Clear();
            _networkLatency = TimeSpan.Zero;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> requests of an API with an error code (no state change).</summary>
    public void FailNext(short apiKey, short errorCode, int count = 1, int? brokerId = null)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        lock (_sync)
        {
            _errors.Add(new InjectedError { ApiKey = apiKey, ErrorCode = errorCode, Broker = brokerId, Remaining = count });
        }
    }

    /// <summary>Number of injected errors not yet consumed for an API.</summary>
    public int PendingErrors(short apiKey)
    {
        lock (_sync)
        {
            return _errors.Where(e => e.ApiKey == apiKey).Sum(e => e.Remaining);
        }
    }

    public void ClearErrors()
    {
        lock (_sync)
        {
            _errors.Clear();
        }
    }

    /// <summary>Closes the open client connections of one broker (or all brokers); returns how many.</summary>
    public int DropConnections(int? brokerId = null) =>
        _cluster.Servers.Where(s => brokerId is null || s.Broker.Id == brokerId).Sum(s => s.DropConnections());

    /// <summary>Open client connections of one broker (or all).</summary>
    public int ConnectionCount(int? brokerId = null) =>
        _cluster.Servers.Where(s => brokerId is null || s.Broker.Id == brokerId).Sum(s => s.ConnectionCount);

    public Task StopBrokerAsync(int brokerId) => _cluster.StopBrokerAsync(brokerId);

    public Task StartBrokerAsync(int brokerId) => _cluster.StartBrokerAsync(brokerId);

    /// <summary>Removes latency and pending injected errors.</summary>
    public void Reset()
    {
        ClearLatency();
        ClearErrors();
    }

    internal TimeSpan LatencyFor(int broker, short apiKey)
    {
        lock (_sync)
        {
            var total = TimeSpan.Zero;
            foreach (var (b, k, d) in _latency)
            {
                if ((b is null || b == broker) && (k is null || k == apiKey))
                {
                    total += d;
                }
            }

            return total;
        }
    }

    internal short? TakeInjectedError(int broker, short apiKey)
    {
        lock (_sync)
        {
            var e = _errors.FirstOrDefault(x => x.ApiKey == apiKey && (x.Broker is null || x.Broker == broker) && x.Remaining > 0);
            if (e is null)
            {
                return null;
            }

            if (--e.Remaining == 0)
            {
                _errors.Remove(e);
            }

            return e.ErrorCode;
        }
    }
}
