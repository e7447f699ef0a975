using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using KafkaCatalog.TestKit.OAuth;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.TestKit.Security;

/// <summary>SASL (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER) and TLS listeners exercised by the real librdkafka AdminClient.</summary>
public sealed class SecurityIntegrationTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(45);

    private sealed class Secured : IAsyncDisposable
    {
        public required KafkaTestCluster Cluster { get; init; }
        public required KafkaSecurityAuthenticator Auth { get; init; }

        public async ValueTask DisposeAsync()
        {
            await Cluster.DisposeAsync();
            Auth.Options.CertificateAuthority?.Dispose();
        }
    }

    private static async Task<Secured> StartAsync(KafkaSecurityOptions security)
    {
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        var auth = options.UseSecurity(security);
        var cluster = await KafkaTestCluster.StartAsync(options);
        return new Secured { Cluster = cluster, Auth = auth };
    }

    private static KafkaSecurityOptions Sasl(TkProtocol protocol = TkProtocol.SaslPlaintext)
    {
        var s = new KafkaSecurityOptions { Protocol = protocol };
        s.AddUser("alice", "alice-secret");
        return s;
    }

    private static AdminClientConfig Config(Secured s, Action<AdminClientConfig> configure)
    {
        var c = new AdminClientConfig { BootstrapServers = s.Cluster.BootstrapServers, SocketTimeoutMs = 10000 };
        configure(c);
        return c;
    }

    /// <summary>Connects and describes the cluster; returns the cluster id.</summary>
    private static async Task<string> DescribeAsync(AdminClientConfig config, Action<AdminClientBuilder>? customize = null)
    {
        var b = new AdminClientBuilder(config);
        customize?.Invoke(b);
        using var admin = b.Build();
        var d = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
        return d.ClusterId;
    }

    /// <summary>Starts a client that must fail; returns the first error librdkafka reports.</summary>
    private static async Task<Error> FirstErrorAsync(AdminClientConfig config, Action<AdminClientBuilder>? customize = null)
    {
        var first = new TaskCompletionSource<Error>(TaskCreationOptions.RunContinuationsAsynchronously);
        var b = new AdminClientBuilder(config).SetErrorHandler((_, e) => first.TrySetResult(e));
        customize?.Invoke(b);
        using var admin = b.Build();
        var describe = admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(20) });
        _ = describe.ContinueWith(t => t.Exception, TaskScheduler.Default); // abandoned: it cannot succeed
        var error = await first.Task.WaitAsync(Guard);
        Assert.False(describe.IsCompletedSuccessfully);
        return error;
    }

    [Theory]
    [InlineData(SaslMechanism.Plain)]
    [InlineData(SaslMechanism.ScramSha256)]
    [InlineData(SaslMechanism.ScramSha512)]
    public async Task Sasl_RightCredentials_Authenticate(SaslMechanism mechanism)
    {
        await using var s = await StartAsync(Sasl());
        var id = await DescribeAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = mechanism;
            c.SaslUsername = "alice";
            c.SaslPassword = "alice-secret";
        }));
        Assert.Equal(s.Cluster.ClusterId, id);
        Assert.Contains("User:alice", s.Auth.AuthenticatedPrincipals);
        Assert.Contains(mechanism switch { SaslMechanism.Plain => "PLAIN", SaslMechanism.ScramSha256 => "SCRAM-SHA-256", _ => "SCRAM-SHA-512" }, s.Auth.AuthenticatedMechanisms);
        Assert.Equal(0, s.Auth.FailedAuthentications);
        Assert.Contains((short)1, s.Cluster.RequestVersions(ApiKeys.SaslHandshake));
        Assert.True(s.Cluster.RequestCount(ApiKeys.SaslAuthenticate) >= 1);
    }

    [Fact]
    public async Task SessionLifetime_MakesLibrdkafkaReauthenticateOnTheSameConnection()
    {
        var security = Sasl();
        security.SessionLifetimeMs = 2000;
        await using var s = await StartAsync(security);
        using var admin = new AdminClientBuilder(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = SaslMechanism.ScramSha256;
            c.SaslUsername = "alice";
            c.SaslPassword = "alice-secret";
        })).Build();
        await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
        var deadline = DateTime.UtcNow + Guard;
        while (s.Auth.Reauthentications < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "librdkafka never re-authenticated");
            await Task.Delay(50);
        }
        Assert.Equal(0, s.Auth.FailedAuthentications);
        Assert.Equal(s.Cluster.ClusterId, (await admin.DescribeClusterAsync()).ClusterId);
    }

    [Theory]
    [InlineData(SaslMechanism.Plain, "Authentication failed: Invalid username or password")]
    [InlineData(SaslMechanism.ScramSha256, "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256")]
    [InlineData(SaslMechanism.ScramSha512, "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")]
    public async Task Sasl_WrongPassword_FailsWithKafkasMessage(SaslMechanism mechanism, string message)
    {
        await using var s = await StartAsync(Sasl());
        var error = await FirstErrorAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = mechanism;
            c.SaslUsername = "alice";
            c.SaslPassword = "not-the-password";
        }));
        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains(message, error.Reason);
        Assert.DoesNotContain("not-the-password", error.Reason);
        Assert.True(s.Auth.FailedAuthentications >= 1);
        Assert.Empty(s.Auth.AuthenticatedPrincipals);
    }

    [Fact]
    public async Task Sasl_DisabledMechanism_IsRefusedWithTheEnabledList()
    {
        var security = Sasl();
        security.EnabledMechanisms.Remove(SaslMechanisms.ScramSha512);
        await using var s = await StartAsync(security);
        var error = await FirstErrorAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = SaslMechanism.ScramSha512;
            c.SaslUsername = "alice";
            c.SaslPassword = "alice-secret";
        }));
        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains("SCRAM-SHA-512", error.Reason);
        Assert.Contains("PLAIN", error.Reason); // librdkafka quotes the broker's enabled mechanisms
    }

    [Fact]
    public async Task Plaintext_ClientAgainstSaslListener_CannotSendRequests()
    {
        await using var s = await StartAsync(Sasl());
        var error = await FirstErrorAsync(Config(s, c => c.SecurityProtocol = SecurityProtocol.Plaintext));
        Assert.True(error.IsLocalError);
        Assert.Empty(s.Auth.AuthenticatedPrincipals);
        Assert.Equal(0, s.Cluster.RequestCount(ApiKeys.Metadata));
    }

    [Fact]
    public async Task OAuthBearer_Oidc_AgainstTheTestTokenEndpoint()
    {
        await using var oauth = await OAuthTestServer.StartAsync(new OAuthTestServerOptions { TokenFormat = OAuthTokenFormat.JwtRs256 });
        oauth.AddClient("kafka-client", "client-secret");
        var security = Sasl();
        security.OAuthTokenValidator = oauth.Validate;
        security.RequiredScope = "kafka";
        await using var s = await StartAsync(security);
        var id = await DescribeAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = SaslMechanism.OAuthBearer;
            c.SaslOauthbearerMethod = SaslOauthbearerMethod.Oidc;
            c.SaslOauthbearerClientId = "kafka-client";
            c.SaslOauthbearerClientSecret = "client-secret";
            c.SaslOauthbearerTokenEndpointUrl = oauth.TokenEndpoint.ToString();
            c.SaslOauthbearerScope = "kafka";
        }));
        Assert.Equal(s.Cluster.ClusterId, id);
        Assert.True(oauth.IssuedTokenCount >= 1);
        Assert.Contains(oauth.RequestLog, e => e.ClientId == "kafka-client" && e.AuthMethod == "client_secret_basic" && e.Scope == "kafka");
        Assert.Contains("User:kafka-client", s.Auth.AuthenticatedPrincipals);
    }

    [Fact]
    public async Task OAuthBearer_Oidc_RefreshesBeforeExpiry_AndCachesInBetween()
    {
        await using var oauth = await OAuthTestServer.StartAsync(new OAuthTestServerOptions { TokenLifetime = TimeSpan.FromSeconds(3) });
        oauth.AddClient("kafka-client", "client-secret");
        var security = Sasl();
        security.OAuthTokenValidator = oauth.Validate;
        await using var s = await StartAsync(security);
        using var admin = new AdminClientBuilder(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = SaslMechanism.OAuthBearer;
            c.SaslOauthbearerMethod = SaslOauthbearerMethod.Oidc;
            c.SaslOauthbearerClientId = "kafka-client";
            c.SaslOauthbearerClientSecret = "client-secret";
            c.SaslOauthbearerTokenEndpointUrl = oauth.TokenEndpoint.ToString();
        })).Build();
        await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
        int afterConnect = oauth.IssuedTokenCount;
        Assert.True(afterConnect >= 1);
        // librdkafka refreshes at 80% of the 3 s lifetime: wait for the second token (guarded, not timed).
        var deadline = DateTime.UtcNow + Guard;
        while (oauth.IssuedTokenCount < afterConnect + 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "librdkafka never refreshed its OAUTHBEARER token");
            await Task.Delay(50);
        }
        // Every token request librdkafka made was a valid client_credentials request (none rejected).
        Assert.True(oauth.TokenRequestCount == oauth.IssuedTokenCount, $"requests {oauth.TokenRequestCount}, issued {oauth.IssuedTokenCount}");
        await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
    }

    [Fact]
    public async Task OAuthBearer_Oidc_WrongClientSecret_FailsAtTheTokenEndpoint()
    {
        await using var oauth = await OAuthTestServer.StartAsync();
        oauth.AddClient("kafka-client", "client-secret");
        var security = Sasl();
        security.OAuthTokenValidator = oauth.Validate;
        await using var s = await StartAsync(security);
        var error = await FirstErrorAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = SaslMechanism.OAuthBearer;
            c.SaslOauthbearerMethod = SaslOauthbearerMethod.Oidc;
            c.SaslOauthbearerClientId = "kafka-client";
            c.SaslOauthbearerClientSecret = "wrong-secret";
            c.SaslOauthbearerTokenEndpointUrl = oauth.TokenEndpoint.ToString();
        }));
        Assert.Equal("Failed to acquire SASL OAUTHBEARER token: {\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}", error.Reason);
        Assert.DoesNotContain("wrong-secret", error.Reason);
        Assert.Equal(0, oauth.IssuedTokenCount);
        Assert.True(oauth.RejectedRequestCount >= 1);
        Assert.Empty(s.Auth.AuthenticatedPrincipals);
    }

    [Fact]
    public async Task OAuthBearer_RefreshHandler_TokenFromTheTest()
    {
        await using var oauth = await OAuthTestServer.StartAsync(new OAuthTestServerOptions { TokenFormat = OAuthTokenFormat.Opaque });
        var security = Sasl();
        security.OAuthTokenValidator = oauth.Validate;
        await using var s = await StartAsync(security);
        var config = Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = SaslMechanism.OAuthBearer;
        });
        int calls = 0;
        var id = await DescribeAsync(config, b => b.SetOAuthBearerTokenRefreshHandler((client, _) =>
        {
            Interlocked.Increment(ref calls);
            var token = oauth.IssueToken("svc-refresh", "kafka");
            client.OAuthBearerSetToken(token, DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds(), "svc-refresh");
        }));
        Assert.Equal(s.Cluster.ClusterId, id);
        Assert.True(calls >= 1);
        Assert.Contains("User:svc-refresh", s.Auth.AuthenticatedPrincipals);

        // A token the endpoint never issued is rejected with the RFC 7628 JSON status.
        var error = await FirstErrorAsync(config, b => b.SetOAuthBearerTokenRefreshHandler((client, _) =>
            client.OAuthBearerSetToken("forged-token", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds(), "mallory")));
        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains("invalid_token", error.Reason);
        Assert.DoesNotContain("User:mallory", s.Auth.AuthenticatedPrincipals);
    }

    [Fact]
    public async Task Tls_WithTheGeneratedCa_Connects_AndAWrongCaFails()
    {
        await using var s = await StartAsync(new KafkaSecurityOptions { Protocol = TkProtocol.Ssl });
        var ca = s.Auth.Options.CertificateAuthority!;
        var id = await DescribeAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.Ssl;
            c.SslCaLocation = ca.CaPemPath;
        }));
        Assert.Equal(s.Cluster.ClusterId, id);

        using var other = TestCertificateAuthority.Create("Someone else's CA");
        var error = await FirstErrorAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.Ssl;
            c.SslCaLocation = other.CaPemPath;
        }));
        Assert.Equal(ErrorCode.Local_Ssl, error.Code);
        Assert.Contains("certificate verify failed", error.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(s.Auth.FailedTlsHandshakes >= 1);
    }

    [Fact]
    public async Task MutualTls_ClientCertificate_BecomesThePrincipal()
    {
        await using var s = await StartAsync(new KafkaSecurityOptions { Protocol = TkProtocol.Ssl, RequireClientCertificate = true });
        var ca = s.Auth.Options.CertificateAuthority!;
        var client = ca.IssueClientCertificate("reporting-app");
        var id = await DescribeAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.Ssl;
            c.SslCaLocation = ca.CaPemPath;
            c.SslCertificateLocation = client.CertificatePemPath;
            c.SslKeyLocation = client.KeyPemPath;
        }));
        Assert.Equal(s.Cluster.ClusterId, id);
        Assert.Contains("User:CN=reporting-app", s.Auth.AuthenticatedPrincipals);

        var error = await FirstErrorAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.Ssl;
            c.SslCaLocation = ca.CaPemPath;
        }));
        Assert.True(error.IsLocalError);
    }

    [Fact]
    public async Task SaslSsl_Plain_OverTls()
    {
        await using var s = await StartAsync(Sasl(TkProtocol.SaslSsl));
        var id = await DescribeAsync(Config(s, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslSsl;
            c.SslCaLocation = s.Auth.Options.CertificateAuthority!.CaPemPath;
            c.SaslMechanism = SaslMechanism.Plain;
            c.SaslUsername = "alice";
            c.SaslPassword = "alice-secret";
        }));
        Assert.Equal(s.Cluster.ClusterId, id);
        Assert.Contains("User:alice", s.Auth.AuthenticatedPrincipals);
    }
}
