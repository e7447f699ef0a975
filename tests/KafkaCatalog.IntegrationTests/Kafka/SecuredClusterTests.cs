using System.Net;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>Core's services over SASL and TLS listeners of TestKit, with connections built the way Connect-KafkaCluster builds them.</summary>
public sealed class SecuredClusterTests
{
    private const string Password = "alice-Secret-42!";

    private static async Task<(KafkaTestCluster Cluster, KafkaSecurityAuthenticator Auth)> StartAsync(TkProtocol protocol)
    {
        NativeLibraryLoader.EnsureLoaded();
        var security = new KafkaSecurityOptions { Protocol = protocol };
        security.AddUser("alice", Password);
        if (protocol is TkProtocol.Ssl or TkProtocol.SaslSsl)
        {
            security.CertificateAuthority = TestCertificateAuthority.Create();
        }

        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        var auth = options.UseSecurity(security);
        return (await KafkaTestCluster.StartAsync(options), auth);
    }

    private static KafkaConnection Connect(KafkaTestCluster cluster, KafkaConnectionSettings settings) =>
        new("secured", KafkaConnectionResolver.Resolve(settings with { BootstrapServers = cluster.BootstrapServers, RequestTimeout = TimeSpan.FromSeconds(8) }, null, null).Options);

    private static KafkaConnectionSettings Sasl(KafkaSaslMechanism mechanism, string password, Core.Connections.KafkaSecurityProtocol protocol = Core.Connections.KafkaSecurityProtocol.SaslPlaintext) => new()
    {
        SecurityProtocol = protocol,
        SaslMechanism = mechanism,
        SaslUsername = "alice",
        SaslPassword = new NetworkCredential(string.Empty, password).SecurePassword,
    };

    [Theory]
    [InlineData(KafkaSaslMechanism.Plain)]
    [InlineData(KafkaSaslMechanism.ScramSha256)]
    [InlineData(KafkaSaslMechanism.ScramSha512)]
    public async Task Services_work_over_each_SASL_mechanism(KafkaSaslMechanism mechanism)
    {
        var (cluster, auth) = await StartAsync(TkProtocol.SaslPlaintext);
        await using var _ = cluster;
        using var factory = new KafkaClientFactory(Connect(cluster, Sasl(mechanism, Password)));

        var described = await new ClusterService(factory).DescribeAsync();
        var created = await new TopicService(factory).CreateAsync(new NewTopicSpec { Name = "secured-" + mechanism, Partitions = 2 }, validateOnly: false);
        var listed = await new TopicService(factory).ListAsync(new TopicQuery { Names = ["secured-*"] }).ToListAsync();

        Assert.Equal(cluster.ClusterId, described.ClusterId);
        Assert.Equal(2, created.Topic!.PartitionCount);
        Assert.Single(listed);
        Assert.Contains("User:alice", auth.AuthenticatedPrincipals);
    }

    [Theory]
    [InlineData(KafkaSaslMechanism.Plain)]
    [InlineData(KafkaSaslMechanism.ScramSha512)]
    public async Task Wrong_password_is_KafkaAuthenticationFailed_without_the_password(KafkaSaslMechanism mechanism)
    {
        var (cluster, _) = await StartAsync(TkProtocol.SaslPlaintext);
        await using var __ = cluster;
        const string wrong = "wrong-Password-77";
        using var factory = new KafkaClientFactory(Connect(cluster, Sasl(mechanism, wrong)));
        var sink = new CollectingSink();
        using var lease = factory.AttachSink(sink);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ClusterService(factory, sink).DescribeAsync());

        Assert.Equal("KafkaAuthenticationFailed", ex.ErrorId);
        Assert.Equal(FailureKind.AuthenticationError, ex.Kind);
        Assert.Contains(cluster.BootstrapServers, ex.Message);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.All(sink.Lines, l => Assert.DoesNotContain(wrong, l));
        Assert.DoesNotContain(wrong, JsonSerializer.Serialize(factory.Connection));
        Assert.DoesNotContain(wrong, factory.Connection.ToString());
        Assert.DoesNotContain(cluster.State.Topics, t => !t.IsInternal);
    }

    [Fact]
    public async Task Services_work_over_SASL_SSL_with_the_CA()
    {
        var (cluster, auth) = await StartAsync(TkProtocol.SaslSsl);
        await using var _ = cluster;
        using var ca = auth.Options.CertificateAuthority!;
        var settings = Sasl(KafkaSaslMechanism.ScramSha256, Password, Core.Connections.KafkaSecurityProtocol.SaslSsl) with { SslCaLocation = ca.CaPemPath };
        using var factory = new KafkaClientFactory(Connect(cluster, settings));

        var described = await new ClusterService(factory).DescribeAsync();

        Assert.Equal(cluster.ClusterId, described.ClusterId);
    }

    [Fact]
    public async Task TLS_without_the_CA_is_KafkaTlsFailed()
    {
        var (cluster, auth) = await StartAsync(TkProtocol.Ssl);
        await using var _ = cluster;
        using var ca = auth.Options.CertificateAuthority!;
        using var factory = new KafkaClientFactory(Connect(cluster, new KafkaConnectionSettings { SecurityProtocol = Core.Connections.KafkaSecurityProtocol.Ssl }));

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ClusterService(factory).DescribeAsync());

        Assert.Equal("KafkaTlsFailed", ex.ErrorId);
        Assert.Equal(FailureKind.SecurityError, ex.Kind);
    }

    /// <summary>
    /// The reachability proof (what every cmdlet and Connect-KafkaCluster run first) ends when librdkafka
    /// reports the refused login or handshake, not when its timeout runs out: the timeout here is the
    /// largest librdkafka accepts (5 min), and the test gives up after two minutes.
    /// </summary>
    [Theory]
    [InlineData("sasl")]
    [InlineData("tls")]
    public async Task The_reachability_proof_ends_on_a_refused_login_or_handshake_not_on_its_timeout(string failure)
    {
        var (cluster, _) = await StartAsync(failure == "sasl" ? TkProtocol.SaslPlaintext : TkProtocol.Ssl);
        await using var __ = cluster;
        var settings = failure == "sasl"
            ? Sasl(KafkaSaslMechanism.ScramSha512, "wrong-Password-78")
            : new KafkaConnectionSettings { SecurityProtocol = Core.Connections.KafkaSecurityProtocol.Ssl };
        using var factory = new KafkaClientFactory(new KafkaConnection("secured", KafkaConnectionResolver.Resolve(
            settings with { BootstrapServers = cluster.BootstrapServers, RequestTimeout = TimeSpan.FromMinutes(5) }, null, null).Options));

        var proof = ClusterReachabilityCheck.ProveAsync(factory, new CollectingSink());
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => proof.WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Equal(failure == "sasl" ? "KafkaAuthenticationFailed" : "KafkaTlsFailed", ex.ErrorId);
        Assert.Contains(cluster.BootstrapServers, ex.Message);
        Assert.DoesNotContain("wrong-Password-78", ex.ToString());
    }

    [Fact]
    public async Task TLS_with_the_CA_lists_topics()
    {
        var (cluster, auth) = await StartAsync(TkProtocol.Ssl);
        await using var _ = cluster;
        using var ca = auth.Options.CertificateAuthority!;
        cluster.State.CreateTopic("tls-topic", 1, 1);
        using var factory = new KafkaClientFactory(Connect(cluster, new KafkaConnectionSettings { SecurityProtocol = Core.Connections.KafkaSecurityProtocol.Ssl, SslCaLocation = ca.CaPemPath }));

        var topics = await new TopicService(factory).ListAsync(new TopicQuery { Names = ["tls-*"] }).ToListAsync();

        Assert.Equal("tls-topic", Assert.Single(topics).Name);
    }
}
