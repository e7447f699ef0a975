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
/// <see cref="TestKitTheoryAttribute"/> and are skipped against a real cluster.
/// </summary>
public sealed class KafkaTestTarget : IAsyncDisposable
{
    public const string BootstrapVariable = "KAFKACATALOG_TEST_BOOTSTRAP";
    public const string SecurityProtocolVariable = "KAFKACATALOG_TEST_SECURITY_PROTOCOL";
    public const string SaslMechanismVariable = "KAFKACATALOG_TEST_SASL_MECHANISM";
    public const string SaslUsernameVariable = "KAFKACATALOG_TEST_SASL_USERNAME";
    public const string SaslPasswordVariable = "KAFKACATALOG_TEST_SASL_PASSWORD";
    public const string SslCaLocationVariable = "KAFKACATALOG_TEST_SSL_CA_LOCATION";

    public const string TestKitOnlyReason = "needs TestKit fault injection; KAFKACATALOG_TEST_BOOTSTRAP points at a real cluster";

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
        if (real is not null) return new KafkaTestTarget(null, real);
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

    /// <summary>Creates a topic with the broker's default replication factor on a real cluster, RF 1 on TestKit.</summary>
    public async Task CreateTopicAsync(string name, int partitions)
    {
        if (TestKit is not null)
        {
            TestKit.State.CreateTopic(name, partitions, 1);
            return;
        }

        using var admin = new AdminClientBuilder(Apply(new AdminClientConfig())).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = -1 }]).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (TestKit is not null) await TestKit.DisposeAsync().ConfigureAwait(false);
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
        if (string.IsNullOrWhiteSpace(bootstrap)) return null;
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
        if (SecurityProtocol is not null) config.Set("security.protocol", SecurityProtocol);
        if (SaslMechanism is not null) config.Set("sasl.mechanism", SaslMechanism);
        if (SaslUsername is not null) config.SaslUsername = SaslUsername;
        if (SaslPassword is not null) config.SaslPassword = SaslPassword;
        if (SslCaLocation is not null) config.SslCaLocation = SslCaLocation;
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{BootstrapServers} ({SecurityProtocol ?? "PLAINTEXT"}{(SaslMechanism is null ? "" : " " + SaslMechanism)})";

    private static SecureString? ToSecureString(string? value)
    {
        if (value is null) return null;
        var s = new SecureString();
        foreach (var c in value) s.AppendChar(c);
        s.MakeReadOnly();
        return s;
    }
}

/// <summary>A fact that needs the TestKit cluster (faults, broker stop, state assertions): skipped against a real cluster.</summary>
public sealed class TestKitFactAttribute : FactAttribute
{
    public TestKitFactAttribute()
    {
        if (KafkaTestTarget.Configured is not null) Skip = KafkaTestTarget.TestKitOnlyReason;
    }
}

/// <summary>A theory that needs the TestKit cluster: skipped against a real cluster.</summary>
public sealed class TestKitTheoryAttribute : TheoryAttribute
{
    public TestKitTheoryAttribute()
    {
        if (KafkaTestTarget.Configured is not null) Skip = KafkaTestTarget.TestKitOnlyReason;
    }
}
