using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.OAuth;
using KafkaCatalog.Core.Tests.Connections.OAuth;

namespace KafkaCatalog.Core.Tests.Connections;

/// <summary>
/// The real librdkafka (2.15.1) accepts every property name and value LibrdkafkaConfig writes:
/// a client is created from each mapping (creation validates the whole configuration).
/// </summary>
public class LibrdkafkaAcceptanceTests : IClassFixture<TokenEndpointServer>
{
    private readonly TokenEndpointServer _server;

    public LibrdkafkaAcceptanceTests(TokenEndpointServer server)
    {
        _server = server;
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
    }

    // A closed port: clients are created but never reach a broker.
    private const string Nowhere = "127.0.0.1:1";

    private static void CreateAdmin(KafkaConnectionOptions options)
    {
        var config = new AdminClientConfig(LibrdkafkaConfig.Build(options));
        using var admin = new AdminClientBuilder(config).Build();
        Assert.NotNull(admin.Name);
    }

    [Fact]
    public void Timings_and_plaintext_are_accepted()
    {
        CreateAdmin(new KafkaConnectionOptions
        {
            BootstrapServers = Nowhere,
            RequestTimeout = TimeSpan.FromSeconds(20),
            SocketTimeout = TimeSpan.FromSeconds(30),
            ConnectionSetupTimeout = TimeSpan.FromSeconds(10),
            ConnectionsMaxIdle = TimeSpan.FromMinutes(9),
            MetadataMaxAge = TimeSpan.FromMinutes(15),
            MetadataRefreshInterval = TimeSpan.FromMinutes(5),
            RetryBackoff = TimeSpan.FromMilliseconds(100),
            RetryBackoffMax = TimeSpan.FromSeconds(1),
            ReconnectBackoff = TimeSpan.FromMilliseconds(50),
            ReconnectBackoffMax = TimeSpan.FromSeconds(30),
            ApiVersionRequestTimeout = TimeSpan.FromSeconds(2),
        });
    }

    [Fact]
    public void Producer_request_timeout_is_accepted()
    {
        var options = new KafkaConnectionOptions { BootstrapServers = Nowhere, RequestTimeout = TimeSpan.FromSeconds(20) };
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig(LibrdkafkaConfig.Build(options, KafkaClientRole.Producer))).Build();
        Assert.NotNull(producer.Name);
    }

    /// <summary>A real CA and client certificate (with an encrypted key), as PEM text.</summary>
    private static (string CaPem, string CertPem, string KeyPem) MakeCertificates()
    {
        using var caKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var caRequest = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Test CA", caKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var clientKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var clientRequest = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=svc", clientKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), new byte[] { 1, 2, 3, 4 });
        var keyPem = clientKey.ExportEncryptedPkcs8PrivateKeyPem(Secrets.KeyPassword.AsSpan(),
            new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 100_000));
        return (ca.ExportCertificatePem(), client.ExportCertificatePem(), keyPem);
    }

    [Fact]
    public void Tls_files_and_pem_text_with_key_password_are_accepted()
    {
        var (caPem, certPem, keyPem) = MakeCertificates();
        using var folder = new TempFolder();
        var caFile = folder.Write("ca.pem", caPem);
        var certFile = folder.Write("client.pem", certPem);
        var keyFile = folder.Write("client.key", keyPem);

        var fromFiles = new KafkaConnectionOptions
        {
            BootstrapServers = Nowhere,
            SecurityProtocol = KafkaSecurityProtocol.Ssl,
            SslCaLocation = caFile,
            SslCertificateLocation = certFile,
            SslKeyLocation = keyFile,
            SslKeyPassword = Secrets.Secure(Secrets.KeyPassword),
        };
        Assert.Empty(fromFiles.Validate());
        CreateAdmin(fromFiles);

        var fromPem = new KafkaConnectionOptions
        {
            BootstrapServers = Nowhere,
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.ScramSha512,
            SaslUsername = "svc",
            SaslPassword = Secrets.Secure(Secrets.Password),
            SslCaPem = caPem,
            SslCertificatePem = certPem,
            SslKeyPem = Secrets.Secure(keyPem),
            SslKeyPassword = Secrets.Secure(Secrets.KeyPassword),
            EnableHostnameVerification = false,
        };
        Assert.DoesNotContain(fromPem.Validate(), p => p.Severity == KafkaProblemSeverity.Error);
        CreateAdmin(fromPem);

        // A wrong key password is caught by librdkafka when the client is built.
        var wrongPassword = fromFiles with { SslKeyPassword = Secrets.Secure("not-the-password") };
        var ex = Assert.ThrowsAny<Exception>(() => CreateAdmin(wrongPassword));
        Assert.Contains("ssl.key", ex.Message, StringComparison.Ordinal);
        Secrets.AssertNoSecret(ex.Message, "librdkafka error");
    }

    [Fact]
    public void Sasl_plain_over_plaintext_is_accepted()
    {
        CreateAdmin(new KafkaConnectionOptions
        {
            BootstrapServers = Nowhere,
            SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext,
            SaslMechanism = KafkaSaslMechanism.Plain,
            SaslUsername = "svc",
            SaslPassword = Secrets.Secure(Secrets.Password),
        });
    }

    [Fact]
    public void Certificate_checks_off_is_accepted()
    {
        CreateAdmin(new KafkaConnectionOptions { BootstrapServers = Nowhere, SecurityProtocol = KafkaSecurityProtocol.Ssl, SkipCertificateCheck = true });
    }

    [Fact]
    public void Unknown_raw_property_is_rejected_by_librdkafka()
    {
        var options = new KafkaConnectionOptions { BootstrapServers = Nowhere, Properties = new Dictionary<string, string> { ["no.such.property"] = "1" } };
        var ex = Assert.ThrowsAny<Exception>(() => CreateAdmin(options));
        Assert.Contains("no.such.property", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OAuthBearer_refresh_handler_takes_tokens_from_the_token_source()
    {
        var options = new KafkaConnectionOptions
        {
            BootstrapServers = Nowhere,
            SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext,
            SaslMechanism = KafkaSaslMechanism.OAuthBearer,
            OAuth = OAuthTest.Options(_server.Url("token")) with { Extensions = new Dictionary<string, string> { ["logicalCluster"] = "lkc-1" } },
        };
        Assert.True(LibrdkafkaConfig.UsesTokenRefreshHandler(options));
        var connection = new KafkaConnection("oauth", options);
        var source = connection.GetTokenSource()!;
        var outcomes = new BlockingCollection<string>();
        var before = _server.Hits.GetValueOrDefault("/token");

        var builder = new AdminClientBuilder(new AdminClientConfig(LibrdkafkaConfig.Build(options)));
        builder.SetOAuthBearerTokenRefreshHandler((client, _) =>
        {
            try
            {
                var token = source.GetToken();
                client.OAuthBearerSetToken(token.AccessToken, token.ExpiresAtUnixMilliseconds, token.PrincipalName, token.Extensions.ToDictionary(e => e.Key, e => e.Value));
                outcomes.Add("set:" + token.PrincipalName);
            }
            catch (Exception ex)
            {
                client.OAuthBearerSetTokenFailure(ex.Message);
                outcomes.Add("failed:" + ex.Message);
            }
        });

        using var admin = builder.Build();
        Assert.True(outcomes.TryTake(out var outcome, TimeSpan.FromSeconds(30)), "librdkafka never asked for a token");
        Assert.Equal("set:service-account-kafka-client", outcome);
        Assert.Equal(before + 1, _server.Hits["/token"]);
        await Task.CompletedTask;
    }

    [Fact]
    public void Client_factory_with_the_token_source_provider_gets_tokens_from_the_endpoint()
    {
        var options = new KafkaConnectionOptions
        {
            BootstrapServers = Nowhere,
            SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext,
            SaslMechanism = KafkaSaslMechanism.OAuthBearer,
            OAuth = OAuthTest.Options(_server.Url("basic"), OAuthClientAuthentication.ClientSecretBasic, scope: null),
        };
        var connection = new KafkaConnection("factory-oauth", options);
        var before = _server.Hits.GetValueOrDefault("/basic");
        using var factory = new KafkaCatalog.Core.Kafka.KafkaClientFactory(connection, connection.GetTokenSource()!.AsTokenProvider());
        Assert.NotNull(factory.AdminClient.Name);
        Assert.True(SpinWait.SpinUntil(() => _server.Hits.GetValueOrDefault("/basic") > before, TimeSpan.FromSeconds(30)), "librdkafka never asked the factory for a token");
        Assert.Equal(before + 1, _server.Hits["/basic"]);
    }
}
