using System.Security;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.RealCluster;

/// <summary>
/// The Kafka cluster an integration test class talks to: the embedded TestKit cluster (default, and always in CI), or
/// a real cluster when <c>KAFKACATALOG_TEST_BOOTSTRAP</c> is set (security from <c>KAFKACATALOG_TEST_SECURITY_PROTOCOL</c>,
/// <c>KAFKACATALOG_TEST_SASL_MECHANISM</c>, <c>KAFKACATALOG_TEST_SASL_USERNAME</c>, <c>KAFKACATALOG_TEST_SASL_PASSWORD</c>,
/// <c>KAFKACATALOG_TEST_SSL_CA_LOCATION</c>). Only fixtures that opt in use the real cluster; tests in those classes that
/// need TestKit powers (fault injection, broker stop, broker-state assertions) are <see cref="TestKitFactAttribute"/> /
/// <see cref="TestKitTheoryAttribute"/> and are skipped against a real cluster (with the reason).
/// <para>
/// Seeding goes through real client calls in both modes (topics via CreateTopics, logs via produce + DeleteRecords,
/// group offsets via AlterConsumerGroupOffsets) and checks read back with DescribeConfigs, OffsetFetch, ListOffsets,
/// DescribeAcls; every name comes from <see cref="Unique"/> because a real cluster is shared.
/// </para>
/// <para>
/// ACLs: tests that create and delete ACLs (<see cref="AclFactAttribute"/>) need an authorizer and a principal allowed to
/// manage ACLs, which a real cluster may not have or grant, and they write to the cluster's security state; so against a
/// real cluster they run only when <c>KAFKACATALOG_TEST_ACLS=1</c>. <c>KAFKACATALOG_TEST_ACLS=0</c> says the cluster has no
/// authorizer and runs the test of that error instead (<see cref="NoAuthorizerFactAttribute"/>). Unset: both are skipped
/// with the reason. TestKit always runs both (with and without its authorizer).
/// </para>
/// </summary>
public sealed class KafkaTestTarget : IAsyncDisposable
{
    public const string BootstrapVariable = "KAFKACATALOG_TEST_BOOTSTRAP";
    public const string SecurityProtocolVariable = "KAFKACATALOG_TEST_SECURITY_PROTOCOL";
    public const string SaslMechanismVariable = "KAFKACATALOG_TEST_SASL_MECHANISM";
    public const string SaslUsernameVariable = "KAFKACATALOG_TEST_SASL_USERNAME";
    public const string SaslPasswordVariable = "KAFKACATALOG_TEST_SASL_PASSWORD";
    public const string SslCaLocationVariable = "KAFKACATALOG_TEST_SSL_CA_LOCATION";

    public const string AclsVariable = "KAFKACATALOG_TEST_ACLS";

    public const string TestKitOnlyReason = "needs TestKit fault injection; KAFKACATALOG_TEST_BOOTSTRAP points at a real cluster";

    public const string NeedsAuthorizerReason =
        "needs an ACL authorizer on the real cluster and a principal allowed to create and delete ACLs: set KAFKACATALOG_TEST_ACLS=1 to run it";

    public const string NeedsNoAuthorizerReason = "needs a real cluster without an ACL authorizer: set KAFKACATALOG_TEST_ACLS=0 to run it";

    /// <summary>
    /// What the real cluster says about ACLs through KAFKACATALOG_TEST_ACLS: true ("1": it has an authorizer and the test
    /// principal may manage ACLs), false ("0": no authorizer), null (unset: unknown, so ACL tests are skipped).
    /// </summary>
    public static bool? RealClusterAcls => ParseAcls(Environment.GetEnvironmentVariable(AclsVariable));

    /// <summary>"1"/"true" → true, "0"/"false" → false, anything else (unset) → null.</summary>
    public static bool? ParseAcls(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        _ => null,
    };

    /// <summary>True when tests that create and delete ACLs may run: always on TestKit, on a real cluster only with KAFKACATALOG_TEST_ACLS=1.</summary>
    public static bool AclsAvailable => Configured is null || RealClusterAcls == true;

    private readonly object _gate = new();
    private IAdminClient? _admin;
    private IProducer<byte[]?, byte[]?>? _producer;
    private IConsumer<byte[]?, byte[]?>? _probe;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _createdTopics = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _committedGroups = new();

    private KafkaTestTarget(KafkaTestCluster? testKit, RealClusterSettings? real)
    {
        TestKit = testKit;
        Real = real;
    }

    /// <summary>The embedded cluster, or null against a real cluster.</summary>
    public KafkaTestCluster? TestKit { get; }

    /// <summary>The real cluster's settings, or null on TestKit.</summary>
    public RealClusterSettings? Real { get; }

    public bool IsReal => Real is not null;

    public string BootstrapServers => Real?.BootstrapServers ?? TestKit!.BootstrapServers;

    /// <summary>The real cluster configured through the environment, or null.</summary>
    public static RealClusterSettings? Configured => RealClusterSettings.FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Starts a TestKit cluster, or (when <paramref name="allowReal"/> and the variables are set) targets the real one.</summary>
    public static async Task<KafkaTestTarget> StartAsync(Func<KafkaTestClusterOptions> testKitOptions, bool allowReal)
    {
        var real = allowReal ? Configured : null;
        if (real is not null)
        {
            return new KafkaTestTarget(null, real);
        }

        return new KafkaTestTarget(await KafkaTestCluster.StartAsync(testKitOptions()).ConfigureAwait(false), null);
    }

    /// <summary>A unique, valid topic or group name (runs against a shared real cluster must not collide).</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    /// <summary>Core connection options for this cluster, security included.</summary>
    public KafkaConnectionOptions ConnectionOptions(string clientId = "kafkacatalog-it", TimeSpan? requestTimeout = null) =>
        Real?.ConnectionOptions(clientId, requestTimeout ?? TimeSpan.FromSeconds(30))
        ?? new KafkaConnectionOptions { BootstrapServers = TestKit!.BootstrapServers, ClientId = clientId, RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10) };

    /// <summary>Sets bootstrap servers and security on a Confluent.Kafka client configuration.</summary>
    public T Apply<T>(T config)
        where T : ClientConfig
    {
        config.BootstrapServers = BootstrapServers;
        Real?.Apply(config);
        return config;
    }

    /// <summary>
    /// Creates a topic through the admin API (on TestKit too, so seeding takes the same path in both modes) with the
    /// broker's default replication factor unless given, and waits until every partition has a leader.
    /// </summary>
    public async Task CreateTopicAsync(string name, int partitions, IReadOnlyDictionary<string, string>? config = null, short replicationFactor = -1)
    {
        await Admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = name,
            NumPartitions = partitions,
            ReplicationFactor = replicationFactor,
            Configs = config?.ToDictionary(kv => kv.Key, kv => kv.Value),
        }]).ConfigureAwait(false);
        _createdTopics.TryAdd(name, 0);
        await WaitUntilAsync($"topic {name} has {partitions} partitions with leaders", () =>
        {
            var t = Admin.GetMetadata(name, TimeSpan.FromSeconds(10)).Topics.SingleOrDefault(t => t.Topic == name);
            return Task.FromResult(t is { Error.IsError: false } && t.Partitions.Count == partitions && t.Partitions.All(p => p.Leader >= 0));
        }).ConfigureAwait(false);
    }

    /// <summary>An admin client of the test itself (not the product's), for seeding and for checking what the product did.</summary>
    public IAdminClient Admin
    {
        get
        {
            lock (_gate)
            {
                return _admin ??= new AdminClientBuilder(Apply(new AdminClientConfig { AllowAutoCreateTopics = false })).Build();
            }
        }
    }

    private IProducer<byte[]?, byte[]?> Producer
    {
        get
        {
            lock (_gate)
            {
                return _producer ??= new ProducerBuilder<byte[]?, byte[]?>(Apply(new ProducerConfig { Acks = Acks.All, LingerMs = 5, AllowAutoCreateTopics = false })).Build();
            }
        }
    }

    private IConsumer<byte[]?, byte[]?> Probe
    {
        get
        {
            lock (_gate)
            {
                return _probe ??= new ConsumerBuilder<byte[]?, byte[]?>(Apply(new ConsumerConfig
                {
                    GroupId = Unique("it-probe-never-joined"),
                    EnableAutoCommit = false,
                    AllowAutoCreateTopics = false,
                })).Build();
            }
        }
    }

    /// <summary>
    /// Gives a fresh partition the log [<paramref name="start"/>, <paramref name="end"/>): produces <paramref name="end"/>
    /// records, then deletes the records before <paramref name="start"/> (DeleteRecords), as producers and retention would.
    /// </summary>
    public async Task SetLogAsync(string topic, int partition, long start, long end)
    {
        var tp = new TopicPartition(topic, partition);
        var sends = new List<Task<DeliveryResult<byte[]?, byte[]?>>>();
        for (var i = 0L; i < end; i++)
        {
            sends.Add(Producer.ProduceAsync(tp, new Message<byte[]?, byte[]?> { Value = BitConverter.GetBytes(i) }));
        }

        var delivered = await Task.WhenAll(sends).ConfigureAwait(false);
        if (delivered.Length > 0 && delivered[^1].Offset.Value != end - 1)
        {
            throw new InvalidOperationException($"{tp} was not empty: the last record landed at offset {delivered[^1].Offset.Value}, not {end - 1}.");
        }

        if (start > 0)
        {
            await Admin.DeleteRecordsAsync([new TopicPartitionOffset(tp, start)]).ConfigureAwait(false);
        }
    }

    /// <summary>Commits offsets for a group (AlterConsumerGroupOffsets: a simple commit; the group must have no members).</summary>
    public Task CommitAsync(string group, string topic, params long[] offsetsByPartition) =>
        CommitAsync(group, offsetsByPartition.Select((o, p) => new TopicPartitionOffset(topic, p, o)).ToArray());

    /// <summary>Commits one partition's offset for a group.</summary>
    public Task CommitAsync(string group, string topic, int partition, long offset) =>
        CommitAsync(group, [new TopicPartitionOffset(topic, partition, offset)]);

    private async Task CommitAsync(string group, TopicPartitionOffset[] offsets)
    {
        _committedGroups.TryAdd(group, 0);
        var results = await Admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(group, [.. offsets])]).ConfigureAwait(false);
        var failed = results.SelectMany(r => r.Partitions).Where(p => p.Error.IsError).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"committing for {group} failed: {string.Join(", ", failed.Select(f => $"{f.TopicPartition}: {f.Error.Reason}"))}");
        }
    }

    /// <summary>The group's committed offsets of partitions 0..<paramref name="partitions"/>-1 of a topic (null: none), read with OffsetFetch.</summary>
    public async Task<long?[]> CommittedAsync(string group, string topic, int partitions)
    {
        var results = await Admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(group, Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList())]).ConfigureAwait(false);
        var byPartition = results.Single().Partitions.ToDictionary(p => p.Partition.Value, p => p.Offset);
        return Enumerable.Range(0, partitions).Select(p => byPartition.TryGetValue(p, out var o) && o.Value >= 0 ? o.Value : (long?)null).ToArray();
    }

    /// <summary>One partition's committed offset (null: none).</summary>
    public async Task<long?> CommittedAsync(string group, string topic, int partition, int partitionCount) =>
        (await CommittedAsync(group, topic, partitionCount).ConfigureAwait(false))[partition];

    /// <summary>The group's state and member count as the coordinator describes it ("Dead/0" for a group that does not exist).</summary>
    public async Task<string> GroupStateAsync(string group)
    {
        var d = (await Admin.DescribeConsumerGroupsAsync([group]).ConfigureAwait(false)).ConsumerGroupDescriptions.Single();
        return $"{d.State}/{d.Members.Count}";
    }

    /// <summary>The id of the broker that coordinates the group (FindCoordinator via DescribeConsumerGroups).</summary>
    public async Task<int?> CoordinatorAsync(string group) =>
        (await Admin.DescribeConsumerGroupsAsync([group]).ConfigureAwait(false)).ConsumerGroupDescriptions.Single().Coordinator?.Id;

    /// <summary>Names of all topics (a listing never auto-creates, unlike asking for one name).</summary>
    public HashSet<string> TopicNames() => Admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Where(t => !t.Error.IsError).Select(t => t.Topic).ToHashSet();

    /// <summary>Partition count of an existing topic (0 when it does not exist).</summary>
    public int PartitionCount(string topic) =>
        Admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.SingleOrDefault(t => t.Topic == topic && !t.Error.IsError)?.Partitions.Count ?? 0;

    /// <summary>Low and high watermark of a partition.</summary>
    public (long Low, long High) Watermarks(string topic, int partition)
    {
        var w = Probe.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10));
        return (w.Low.Value, w.High.Value);
    }

    /// <summary>The topic's configs set on the topic itself (source DYNAMIC_TOPIC_CONFIG).</summary>
    public async Task<Dictionary<string, string>> TopicOverridesAsync(string topic)
    {
        var result = await Admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]).ConfigureAwait(false);
        return result.Single().Entries.Values.Where(e => e.Source == ConfigSource.DynamicTopicConfig).ToDictionary(e => e.Name, e => e.Value);
    }

    /// <summary>The ACLs whose principal is <paramref name="principal"/>, read with DescribeAcls, as sorted strings.</summary>
    public async Task<List<string>> AclsOfAsync(string? principal = null, string? resourceName = null)
    {
        var result = await Admin.DescribeAclsAsync(new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Any, Name = resourceName, ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Principal = principal, Operation = Confluent.Kafka.Admin.AclOperation.Any, PermissionType = Confluent.Kafka.Admin.AclPermissionType.Any },
        }).ConfigureAwait(false);
        return result.AclBindings.Select(b => b.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes every ACL of a principal (clean-up on a shared cluster).</summary>
    public async Task DeleteAclsOfAsync(string principal) =>
        await Admin.DeleteAclsAsync([new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Any, ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Principal = principal, Operation = Confluent.Kafka.Admin.AclOperation.Any, PermissionType = Confluent.Kafka.Admin.AclPermissionType.Any },
        }]).ConfigureAwait(false);

    /// <summary>On a real (shared) cluster: deletes the groups and topics this target created; what is already gone is fine.</summary>
    private async Task CleanUpAsync()
    {
        if (!_committedGroups.IsEmpty)
        {
            try
            {
                await Admin.DeleteGroupsAsync([.. _committedGroups.Keys]).ConfigureAwait(false);
            }
            catch (DeleteGroupsException)
            {
                // groups the product under test already removed, or that still have members
            }
        }

        if (!_createdTopics.IsEmpty)
        {
            try
            {
                await Admin.DeleteTopicsAsync([.. _createdTopics.Keys]).ConfigureAwait(false);
            }
            catch (DeleteTopicsException)
            {
                // topics the tests deleted themselves
            }
        }
    }

    /// <summary>Waits (polling, bounded) until a condition holds; fails with <paramref name="what"/> otherwise.</summary>
    public static async Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting until {what}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsReal && _admin is not null)
        {
            await CleanUpAsync().ConfigureAwait(false);
        }

        _probe?.Close();
        _probe?.Dispose();
        _producer?.Dispose();
        _admin?.Dispose();
        if (TestKit is not null)
        {
            await TestKit.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Connection settings of a real cluster, read from the KAFKACATALOG_TEST_* variables.</summary>
public sealed record RealClusterSettings(
    string BootstrapServers, string? SecurityProtocol, string? SaslMechanism, string? SaslUsername, string? SaslPassword, string? SslCaLocation)
{
    /// <summary>Null when the bootstrap variable is unset or blank.</summary>
    public static RealClusterSettings? FromEnvironment(Func<string, string?> get)
    {
        var bootstrap = get(KafkaTestTarget.BootstrapVariable);
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            return null;
        }

        static string? Trim(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        return new RealClusterSettings(
            bootstrap.Trim(), Trim(get(KafkaTestTarget.SecurityProtocolVariable)), Trim(get(KafkaTestTarget.SaslMechanismVariable)),
            Trim(get(KafkaTestTarget.SaslUsernameVariable)), get(KafkaTestTarget.SaslPasswordVariable), Trim(get(KafkaTestTarget.SslCaLocationVariable)));
    }

    /// <summary>SASL_SSL, sasl_ssl, SaslSsl → <see cref="KafkaSecurityProtocol.SaslSsl"/>.</summary>
    public KafkaSecurityProtocol Protocol => SecurityProtocol is null
        ? KafkaSecurityProtocol.Plaintext
        : Enum.Parse<KafkaSecurityProtocol>(SecurityProtocol.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    /// <summary>SCRAM-SHA-512, PLAIN, OAUTHBEARER → the Core enum (None when unset).</summary>
    public KafkaSaslMechanism Mechanism => SaslMechanism is null
        ? KafkaSaslMechanism.None
        : Enum.Parse<KafkaSaslMechanism>(SaslMechanism.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    public KafkaConnectionOptions ConnectionOptions(string clientId, TimeSpan requestTimeout) => new()
    {
        BootstrapServers = BootstrapServers,
        ClientId = clientId,
        RequestTimeout = requestTimeout,
        SecurityProtocol = Protocol,
        SaslMechanism = Mechanism,
        SaslUsername = SaslUsername,
        SaslPassword = ToSecureString(SaslPassword),
        SslCaLocation = SslCaLocation,
    };

    public void Apply(ClientConfig config)
    {
        if (SecurityProtocol is not null)
        {
            config.Set("security.protocol", SecurityProtocol);
        }

        if (SaslMechanism is not null)
        {
            config.Set("sasl.mechanism", SaslMechanism);
        }

        if (SaslUsername is not null)
        {
            config.SaslUsername = SaslUsername;
        }

        if (SaslPassword is not null)
        {
            config.SaslPassword = SaslPassword;
        }

        if (SslCaLocation is not null)
        {
            config.SslCaLocation = SslCaLocation;
        }
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{BootstrapServers} ({SecurityProtocol ?? "PLAINTEXT"}{(SaslMechanism is null ? "" : " " + SaslMechanism)})";

    private static SecureString? ToSecureString(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var s = new SecureString();
        foreach (var c in value)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }
}

/// <summary>A fact that needs the TestKit cluster (faults, broker stop, state assertions): skipped against a real cluster.</summary>
public sealed class TestKitFactAttribute : FactAttribute
{
    public TestKitFactAttribute()
    {
        if (KafkaTestTarget.Configured is not null)
        {
            Skip = KafkaTestTarget.TestKitOnlyReason;
        }
    }

    /// <summary>Why the test needs TestKit, when it is not fault injection (shown as the skip reason on a real cluster).</summary>
    public string? Because
    {
        get => field;
        set
        {
            field = value;
            if (KafkaTestTarget.Configured is not null)
            {
                Skip = $"{value}; KAFKACATALOG_TEST_BOOTSTRAP points at a real cluster";
            }
        }
    }
}

/// <summary>A fact that creates and deletes ACLs: on a real cluster it runs only with KAFKACATALOG_TEST_ACLS=1.</summary>
public sealed class AclFactAttribute : FactAttribute
{
    public AclFactAttribute()
    {
        if (!KafkaTestTarget.AclsAvailable)
        {
            Skip = KafkaTestTarget.NeedsAuthorizerReason;
        }
    }
}

/// <summary>A fact about a cluster without an authorizer: on a real cluster it runs only with KAFKACATALOG_TEST_ACLS=0.</summary>
public sealed class NoAuthorizerFactAttribute : FactAttribute
{
    public NoAuthorizerFactAttribute()
    {
        if (KafkaTestTarget.Configured is not null && KafkaTestTarget.RealClusterAcls != false)
        {
            Skip = KafkaTestTarget.NeedsNoAuthorizerReason;
        }
    }
}

/// <summary>A theory that needs the TestKit cluster: skipped against a real cluster.</summary>
public sealed class TestKitTheoryAttribute : TheoryAttribute
{
    public TestKitTheoryAttribute()
    {
        if (KafkaTestTarget.Configured is not null)
        {
            Skip = KafkaTestTarget.TestKitOnlyReason;
        }
    }

    /// <summary>Why the test needs TestKit, when it is not fault injection (shown as the skip reason on a real cluster).</summary>
    public string? Because
    {
        get => field;
        set
        {
            field = value;
            if (KafkaTestTarget.Configured is not null)
            {
                Skip = $"{value}; KAFKACATALOG_TEST_BOOTSTRAP points at a real cluster";
            }
        }
    }
}
