using KafkaCatalog.Core.Polaris;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using KafkaCatalog.TestKit.Polaris;
using static KafkaCatalog.IntegrationTests.Polaris.PolarisTest;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.Polaris;

/// <summary>test-connection against secured TestKit listeners: the emulator authenticates as Polaris would.</summary>
public sealed class PolarisTestConnectionSecurityTests
{
    private const string User = "svc-polaris";

    private sealed class Secured : IAsyncDisposable
    {
        public required KafkaTestCluster Cluster { get; init; }
        public required KafkaSecurityAuthenticator Auth { get; init; }

        public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
    }

    private static async Task<Secured> StartAsync(TkProtocol protocol, Action<KafkaSecurityOptions>? configure = null)
    {
        var security = new KafkaSecurityOptions { Protocol = protocol };
        security.AddUser(User, KafkaPassword);
        configure?.Invoke(security);
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        var auth = options.UseSecurity(security);
        var cluster = await KafkaTestCluster.StartAsync(options);
        cluster.State.CreateTopic("clicks", 2, 1);
        return new Secured { Cluster = cluster, Auth = auth };
    }

    private static async Task<PolarisConnectionTestResult> TestAsync(PolarisEmulator polaris, PolarisKafkaConnectionParameters parameters)
    {
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(parameters);
        return await client.TestKafkaConnectionAsync(parameters.Name!);
    }

    private static PolarisKafkaConnectionParameters Spec(Secured s, string? password = KafkaPassword, PolarisScramMechanism? scram = null, string? caFile = null) => new()
    {
        Name = "clicks",
        BootstrapServers = s.Cluster.BootstrapServers,
        TopicName = "clicks",
        Username = password is null ? null : User,
        Password = password is null ? null : Secure(password),
        ScramMechanism = scram,
        CaFile = caFile,
    };

    [Theory]
    [InlineData(null, "PLAIN")]
    [InlineData(PolarisScramMechanism.ScramSha256, "SCRAM-SHA-256")]
    [InlineData(PolarisScramMechanism.ScramSha512, "SCRAM-SHA-512")]
    public async Task Right_credentials_authenticate(PolarisScramMechanism? scram, string mechanism)
    {
        await using var secured = await StartAsync(TkProtocol.SaslPlaintext);
        await using var polaris = await PolarisEmulator.StartAsync();

        var result = await TestAsync(polaris, Spec(secured, scram: scram));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Contains("User:" + User, secured.Auth.AuthenticatedPrincipals);
        Assert.Contains(mechanism, secured.Auth.AuthenticatedMechanisms);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(PolarisScramMechanism.ScramSha256)]
    [InlineData(PolarisScramMechanism.ScramSha512)]
    public async Task Wrong_password_is_an_authentication_failure_without_the_password(PolarisScramMechanism? scram)
    {
        const string wrong = "not-the-password-123";
        await using var secured = await StartAsync(TkProtocol.SaslPlaintext);
        await using var polaris = await PolarisEmulator.StartAsync();

        var result = await TestAsync(polaris, Spec(secured, password: wrong, scram: scram));

        Assert.False(result.Succeeded);
        Assert.Contains($"SASL authentication failed for user '{User}'", result.Reason);
        Assert.DoesNotContain(wrong, result.Reason);
        Assert.DoesNotContain(KafkaPassword, result.Reason);
        Assert.Equal(1, secured.Auth.FailedAuthentications);
        Assert.All(polaris.Requests, r => Assert.DoesNotContain(wrong, r.ResponseBody));
    }

    [Fact]
    public async Task No_secrets_against_a_sasl_listener_is_reported()
    {
        await using var secured = await StartAsync(TkProtocol.SaslPlaintext);
        await using var polaris = await PolarisEmulator.StartAsync();

        var result = await TestAsync(polaris, Spec(secured, password: null));

        Assert.False(result.Succeeded);
        Assert.Contains("may require TLS or SASL", result.Reason);
    }

    [Fact]
    public async Task Mechanism_the_broker_does_not_enable_lists_the_enabled_ones()
    {
        await using var secured = await StartAsync(TkProtocol.SaslPlaintext, s => s.EnabledMechanisms.Remove(SaslMechanisms.Plain));
        await using var polaris = await PolarisEmulator.StartAsync();

        var result = await TestAsync(polaris, Spec(secured));

        Assert.False(result.Succeeded);
        Assert.Contains("does not enable SASL mechanism PLAIN", result.Reason);
        Assert.Contains("SCRAM-SHA-256", result.Reason);
    }

    [Fact]
    public async Task Msk_iam_against_a_non_msk_cluster_fails_at_the_handshake()
    {
        await using var secured = await StartAsync(TkProtocol.SaslPlaintext);
        await using var polaris = await PolarisEmulator.StartAsync();

        var result = await TestAsync(polaris, new PolarisKafkaConnectionParameters
        {
            Name = "msk",
            BootstrapServers = secured.Cluster.BootstrapServers,
            TopicName = "clicks",
            AwsAssumedRoleArn = "arn:aws:iam::123456789012:role/msk_client_role",
        });

        Assert.False(result.Succeeded);
        Assert.Contains("does not enable SASL mechanism AWS_MSK_IAM", result.Reason);
    }

    [Fact]
    public async Task Tls_with_the_cluster_CA_in_the_truststore_passes()
    {
        await using var secured = await StartAsync(TkProtocol.Ssl);
        await using var polaris = await PolarisEmulator.StartAsync();

        var result = await TestAsync(polaris, Spec(secured, password: null, caFile: secured.Auth.Options.CertificateAuthority!.CaPemPath));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(0, secured.Auth.FailedTlsHandshakes);
    }

    [Fact]
    public async Task Tls_with_another_CA_fails_with_a_trust_reason()
    {
        await using var secured = await StartAsync(TkProtocol.Ssl);
        await using var polaris = await PolarisEmulator.StartAsync();
        var otherCa = TestCertificates.WriteCaFile(out _);
        try
        {
            var result = await TestAsync(polaris, Spec(secured, password: null, caFile: otherCa));

            Assert.False(result.Succeeded);
            Assert.Contains("TLS handshake", result.Reason);
            Assert.Contains("truststore", result.Reason);
        }
        finally
        {
            File.Delete(otherCa);
        }
    }

    [Fact]
    public async Task Plaintext_against_a_tls_listener_is_reported()
    {
        await using var secured = await StartAsync(TkProtocol.Ssl);
        await using var polaris = await PolarisEmulator.StartAsync();

        var result = await TestAsync(polaris, Spec(secured, password: null));

        Assert.False(result.Succeeded);
        Assert.Contains("may require TLS or SASL", result.Reason);
    }

    [Fact]
    public async Task Sasl_scram_over_tls_passes()
    {
        await using var secured = await StartAsync(TkProtocol.SaslSsl);
        await using var polaris = await PolarisEmulator.StartAsync();

        var result = await TestAsync(polaris, Spec(secured, scram: PolarisScramMechanism.ScramSha512, caFile: secured.Auth.Options.CertificateAuthority!.CaPemPath));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Contains("User:" + User, secured.Auth.AuthenticatedPrincipals);
    }
}
