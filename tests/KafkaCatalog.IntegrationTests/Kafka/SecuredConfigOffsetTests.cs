using System.Net;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using KafkaCatalog.TestKit.OAuth;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>A SASL_SSL and an SSL TestKit broker, each with its own generated CA, plus a CA neither uses.</summary>
public sealed class SecuredConfigOffsetFixture : IAsyncLifetime
{
    public const string Password = "cfg-Ops-Secret-57";

    public KafkaTestCluster SaslSsl { get; private set; } = null!;

    public KafkaSecurityAuthenticator SaslSslAuth { get; private set; } = null!;

    public KafkaTestCluster Ssl { get; private set; } = null!;

    public TestCertificateAuthority SaslSslCa { get; } = TestCertificateAuthority.Create();

    public TestCertificateAuthority SslCa { get; } = TestCertificateAuthority.Create();

    public TestCertificateAuthority ForeignCa { get; } = TestCertificateAuthority.Create("A CA no broker uses");

    public async Task InitializeAsync()
    {
        NativeLibraryLoader.EnsureLoaded();
        var saslSsl = new KafkaSecurityOptions { Protocol = TkProtocol.SaslSsl, CertificateAuthority = SaslSslCa };
        saslSsl.AddUser("ops", Password);
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        SaslSslAuth = options.UseSecurity(saslSsl);
        SaslSsl = await KafkaTestCluster.StartAsync(options);

        var ssl = new KafkaSecurityOptions { Protocol = TkProtocol.Ssl, CertificateAuthority = SslCa };
        var sslOptions = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        sslOptions.UseSecurity(ssl);
        Ssl = await KafkaTestCluster.StartAsync(sslOptions);
    }

    public async Task DisposeAsync()
    {
        await SaslSsl.DisposeAsync();
        await Ssl.DisposeAsync();
        SaslSslCa.Dispose();
        SslCa.Dispose();
        ForeignCa.Dispose();
    }

    public KafkaClientFactory SaslSslFactory(KafkaSaslMechanism mechanism, string password = Password, string? caPemPath = null, int timeoutSeconds = 8) =>
        Factory(SaslSsl, new KafkaConnectionSettings
        {
            SecurityProtocol = Core.Connections.KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = mechanism,
            SaslUsername = "ops",
            SaslPassword = new NetworkCredential(string.Empty, password).SecurePassword,
            SslCaLocation = caPemPath ?? SaslSslCa.CaPemPath,
        }, timeoutSeconds);

    public KafkaClientFactory SslFactory(string? caPemPath = null, int timeoutSeconds = 8) =>
        Factory(Ssl, new KafkaConnectionSettings { SecurityProtocol = Core.Connections.KafkaSecurityProtocol.Ssl, SslCaLocation = caPemPath ?? SslCa.CaPemPath }, timeoutSeconds);

    /// <summary>A topic with two partitions whose logs hold offsets [10, 40) and [0, 7).</summary>
    public static string Topic(KafkaTestCluster cluster)
    {
        var name = "sec-" + Guid.NewGuid().ToString("N")[..10];
        cluster.State.CreateTopic(name, 2, 1);
        var partitions = cluster.State.GetTopic(name)!.Partitions.OrderBy(p => p.Index).ToArray();
        lock (cluster.State.Sync)
        {
            partitions[0].LogStartOffset = 10;
            partitions[0].HighWatermark = 40;
            partitions[1].HighWatermark = 7;
        }

        return name;
    }

    private static KafkaClientFactory Factory(KafkaTestCluster cluster, KafkaConnectionSettings settings, int timeoutSeconds) =>
        new(new KafkaConnection("secured-cfg", KafkaConnectionResolver.Resolve(
            settings with { BootstrapServers = cluster.BootstrapServers, RequestTimeout = TimeSpan.FromSeconds(timeoutSeconds) }, null, null).Options));
}

/// <summary>
/// Get/Set-KafkaTopicConfig, Get/Set-KafkaBrokerConfig (ConfigService) and Get-KafkaTopicOffset
/// (TopicService then TopicOffsetService, as the cmdlet does) over SSL and SASL_SSL.
/// </summary>
/// <remarks>
/// The failure cases run in this process: DescribeConfigs, IncrementalAlterConfigs, ListOffsets and
/// Metadata against an untrusted CA or with a wrong password survived 8 rounds each under
/// AdminAbortProbe in a child process (only ListConsumerGroups aborts librdkafka 2.15.1 there).
/// </remarks>
public sealed class SecuredConfigOffsetTests(SecuredConfigOffsetFixture fx) : IClassFixture<SecuredConfigOffsetFixture>
{
    private static readonly Dictionary<string, string> Retention = new() { ["retention.ms"] = "3600000" };

    [Theory]
    [InlineData(KafkaSaslMechanism.Plain)]
    [InlineData(KafkaSaslMechanism.ScramSha256)]
    [InlineData(KafkaSaslMechanism.ScramSha512)]
    public async Task Configs_and_offsets_work_over_sasl_ssl(KafkaSaslMechanism mechanism)
    {
        var topic = SecuredConfigOffsetFixture.Topic(fx.SaslSsl);
        using var factory = fx.SaslSslFactory(mechanism);
        var sink = new CollectingSink();
        using var lease = factory.AttachSink(sink);

        var output = await RoundTripAsync(fx.SaslSsl, factory, topic, sink);

        Assert.Contains("User:ops", fx.SaslSslAuth.AuthenticatedPrincipals);
        Assert.DoesNotContain(SecuredConfigOffsetFixture.Password, output);
        Assert.All(sink.Lines, l => Assert.DoesNotContain(SecuredConfigOffsetFixture.Password, l));
    }

    [Fact]
    public async Task Configs_and_offsets_work_over_ssl()
    {
        var topic = SecuredConfigOffsetFixture.Topic(fx.Ssl);
        using var factory = fx.SslFactory();

        await RoundTripAsync(fx.Ssl, factory, topic, new CollectingSink());
    }

    [Fact]
    public async Task Configs_and_offsets_work_over_sasl_ssl_with_an_oauthbearer_token()
    {
        const string secret = "oauth-Client-Secret-9";
        await using var oauth = await OAuthTestServer.StartAsync();
        oauth.AddClient("kafka-client", secret);
        using var ca = TestCertificateAuthority.Create();
        var security = new KafkaSecurityOptions { Protocol = TkProtocol.SaslSsl, CertificateAuthority = ca, OAuthTokenValidator = oauth.Validate };
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        var auth = options.UseSecurity(security);
        await using var cluster = await KafkaTestCluster.StartAsync(options);
        var topic = SecuredConfigOffsetFixture.Topic(cluster);
        using var factory = new KafkaClientFactory(new KafkaConnection("oauth-ssl", KafkaConnectionResolver.Resolve(new KafkaConnectionSettings
        {
            BootstrapServers = cluster.BootstrapServers,
            SecurityProtocol = Core.Connections.KafkaSecurityProtocol.SaslSsl,
            SslCaLocation = ca.CaPemPath,
            OAuthTokenEndpoint = oauth.TokenEndpoint,
            OAuthClientId = "kafka-client",
            OAuthClientSecret = new NetworkCredential(string.Empty, secret).SecurePassword,
            OAuthScope = "kafka",
            RequestTimeout = TimeSpan.FromSeconds(8),
        }, null, null).Options));

        var output = await RoundTripAsync(cluster, factory, topic, new CollectingSink());

        Assert.True(oauth.IssuedTokenCount >= 1);
        Assert.Contains(auth.AuthenticatedPrincipals, p => p.Contains("kafka-client", StringComparison.Ordinal));
        Assert.DoesNotContain(secret, output);
    }

    [Theory]
    [InlineData(KafkaSaslMechanism.Plain)]
    [InlineData(KafkaSaslMechanism.ScramSha256)]
    [InlineData(KafkaSaslMechanism.ScramSha512)]
    public async Task A_wrong_password_is_KafkaAuthenticationFailed_and_changes_nothing(KafkaSaslMechanism mechanism)
    {
        const string wrong = "wrong-Cfg-Password-3";
        var topic = SecuredConfigOffsetFixture.Topic(fx.SaslSsl);
        using var good = fx.SaslSslFactory(mechanism);
        var topics = await new TopicService(good).ListAsync(new TopicQuery { Names = [topic] }).ToListAsync();
        using var factory = fx.SaslSslFactory(mechanism, wrong, timeoutSeconds: 4);

        var errors = await FailuresAsync(fx.SaslSsl, factory, topic, topics);

        Assert.All(errors, e =>
        {
            Assert.Equal("KafkaAuthenticationFailed", e.ErrorId);
            Assert.Equal(FailureKind.AuthenticationError, e.Kind);
            Assert.Contains(fx.SaslSsl.BootstrapServers, e.Message);
            Assert.DoesNotContain(wrong, e.ToString());
            Assert.DoesNotContain(SecuredConfigOffsetFixture.Password, e.ToString());
        });
    }

    [Fact]
    public async Task A_CA_the_ssl_broker_does_not_use_is_KafkaTlsFailed_and_changes_nothing()
    {
        var topic = SecuredConfigOffsetFixture.Topic(fx.Ssl);
        using var good = fx.SslFactory();
        var topics = await new TopicService(good).ListAsync(new TopicQuery { Names = [topic] }).ToListAsync();
        using var factory = fx.SslFactory(fx.ForeignCa.CaPemPath, timeoutSeconds: 4);

        var errors = await FailuresAsync(fx.Ssl, factory, topic, topics);

        Assert.All(errors, e =>
        {
            Assert.Equal("KafkaTlsFailed", e.ErrorId);
            Assert.Equal(FailureKind.SecurityError, e.Kind);
            Assert.Contains(fx.Ssl.BootstrapServers, e.Message);
        });
    }

    [Fact]
    public async Task A_CA_the_sasl_ssl_broker_does_not_use_is_KafkaTlsFailed_without_the_password()
    {
        var topic = SecuredConfigOffsetFixture.Topic(fx.SaslSsl);
        using var good = fx.SaslSslFactory(KafkaSaslMechanism.ScramSha512);
        var topics = await new TopicService(good).ListAsync(new TopicQuery { Names = [topic] }).ToListAsync();
        using var factory = fx.SaslSslFactory(KafkaSaslMechanism.ScramSha512, caPemPath: fx.ForeignCa.CaPemPath, timeoutSeconds: 4);

        var errors = await FailuresAsync(fx.SaslSsl, factory, topic, topics);

        Assert.All(errors, e =>
        {
            Assert.Equal("KafkaTlsFailed", e.ErrorId);
            Assert.DoesNotContain(SecuredConfigOffsetFixture.Password, e.ToString());
        });
    }

    /// <summary>
    /// Set and read back a topic config and a broker config, then read the topic's offsets; returns
    /// everything the services produced, serialized (for secret checks).
    /// </summary>
    private static async Task<string> RoundTripAsync(KafkaTestCluster cluster, KafkaClientFactory factory, string topic, CollectingSink sink)
    {
        var configs = new ConfigService(factory, sink);
        await configs.AlterTopicAsync(topic, new ConfigChange { Set = Retention }, validateOnly: false);
        var (_, topicEntries) = Assert.Single(await configs.DescribeTopicsAsync([topic]).ToListAsync());
        await configs.AlterBrokerAsync(1, new ConfigChange { Set = new Dictionary<string, string> { ["log.retention.ms"] = "7200000" } }, validateOnly: false);
        var brokerDynamic = cluster.State.DynamicBrokerConfigs(1)["log.retention.ms"];
        var (_, brokerEntries) = Assert.Single(await configs.DescribeBrokersAsync([1]).ToListAsync());
        await configs.AlterBrokerAsync(1, new ConfigChange { Remove = ["log.retention.ms"] }, validateOnly: false);

        var topics = await new TopicService(factory, sink).ListAsync(new TopicQuery { Names = [topic] }).ToListAsync();
        var offsets = await new TopicOffsetService(factory, sink).GetAsync(topics).ToListAsync();

        Assert.Equal("3600000", cluster.State.GetTopic(topic)!.Configs["retention.ms"]);
        var retention = topicEntries.Single(e => e.Name == "retention.ms");
        Assert.Equal("3600000", retention.Value);
        Assert.Equal("DYNAMIC_TOPIC_CONFIG", retention.Source);
        Assert.Equal("7200000", brokerDynamic);
        Assert.Equal("7200000", brokerEntries.Single(e => e.Name == "log.retention.ms").Value);
        Assert.False(cluster.State.DynamicBrokerConfigs(1).ContainsKey("log.retention.ms"));
        Assert.Equal(
            [(topic, 0, 10L, 40L, 30L), (topic, 1, 0L, 7L, 7L)],
            offsets.Select(o => (o.Topic, o.Partition, o.LowWatermark, o.HighWatermark, o.MessageCount)));
        return JsonSerializer.Serialize(topicEntries) + JsonSerializer.Serialize(brokerEntries) + JsonSerializer.Serialize(offsets) + factory.Connection;
    }

    /// <summary>
    /// Each cmdlet path with a connection that cannot get through: Get-/Set-KafkaTopicConfig,
    /// Get-/Set-KafkaBrokerConfig, Get-KafkaTopicOffset (its topic lookup, and the offsets service
    /// given topics found over a good connection). Asserts nothing reached the broker's state.
    /// </summary>
    private static async Task<IReadOnlyList<KafkaCatalogException>> FailuresAsync(KafkaTestCluster cluster, KafkaClientFactory factory, string topic, IReadOnlyList<KafkaTopic> topics)
    {
        var configs = new ConfigService(factory);
        var alters = cluster.RequestCount(ApiKeys.IncrementalAlterConfigs);
        var describes = cluster.RequestCount(ApiKeys.DescribeConfigs);
        var listOffsets = cluster.RequestCount(ApiKeys.ListOffsets);
        var brokerBefore = new Dictionary<string, string>(cluster.State.DynamicBrokerConfigs(1));

        // The six paths run at once (each waits up to one timeout for the handshake that never succeeds).
        var errors = await Task.WhenAll(
            Assert.ThrowsAsync<KafkaCatalogException>(() => configs.DescribeTopicsAsync([topic]).ToListAsync()),
            Assert.ThrowsAsync<KafkaCatalogException>(() => configs.AlterTopicAsync(topic, new ConfigChange { Set = Retention }, validateOnly: false)),
            Assert.ThrowsAsync<KafkaCatalogException>(() => configs.DescribeBrokersAsync([1]).ToListAsync()),
            Assert.ThrowsAsync<KafkaCatalogException>(() => configs.AlterBrokerAsync(1, new ConfigChange { Set = new Dictionary<string, string> { ["log.retention.ms"] = "60000" } }, validateOnly: false)),
            Assert.ThrowsAsync<KafkaCatalogException>(() => new TopicService(factory).ListAsync(new TopicQuery { Names = [topic] }).ToListAsync()),
            Assert.ThrowsAsync<KafkaCatalogException>(() => new TopicOffsetService(factory).GetAsync(topics).ToListAsync()));

        Assert.False(cluster.State.GetTopic(topic)!.Configs.ContainsKey("retention.ms"));
        Assert.Equal(brokerBefore, cluster.State.DynamicBrokerConfigs(1));
        Assert.Equal(alters, cluster.RequestCount(ApiKeys.IncrementalAlterConfigs));
        Assert.Equal(describes, cluster.RequestCount(ApiKeys.DescribeConfigs));
        Assert.Equal(listOffsets, cluster.RequestCount(ApiKeys.ListOffsets));
        return errors;
    }
}
