using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.OAuth;

namespace KafkaCatalog.Core.Tests.Connections;

public class OptionsValidationTests
{
    private static bool FakeExists(string path) => path.StartsWith("/exists/", StringComparison.Ordinal);

    private static KafkaConnectionOptions Sasl(KafkaSaslMechanism mechanism = KafkaSaslMechanism.Plain) => Fixtures.Valid() with
    {
        SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
        SaslMechanism = mechanism,
        SaslUsername = "svc",
        SaslPassword = Secrets.Secure(Secrets.Password),
    };

    private static KafkaConnectionOptions Tls() => Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.Ssl };

    private static KafkaOAuthOptions OAuth() => new()
    {
        TokenEndpoint = new Uri("https://idp.example.com/token"),
        ClientId = "kafka-client",
        ClientSecret = Secrets.Secure(Secrets.ClientSecret),
    };

    private static KafkaConnectionOptions OAuthBearer(Func<KafkaOAuthOptions, KafkaOAuthOptions>? change = null) => Fixtures.Valid() with
    {
        SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
        SaslMechanism = KafkaSaslMechanism.OAuthBearer,
        OAuth = change is null ? OAuth() : change(OAuth()),
    };

    /// <summary>Bad option sets: id → (options, expected code, expected option, expected message fragment).</summary>
    private static readonly Dictionary<string, (Func<KafkaConnectionOptions> Build, string Code, string Option, string Fragment)> Bad = new()
    {
        ["empty bootstrap"] = (() => Fixtures.Valid() with { BootstrapServers = "" }, "BootstrapServersMissing", "BootstrapServers", "KAFKA_BOOTSTRAP_SERVERS"),
        ["blank bootstrap"] = (() => Fixtures.Valid() with { BootstrapServers = "   " }, "BootstrapServersMissing", "BootstrapServers", "-BootstrapServer"),
        ["doubled comma"] = (() => Fixtures.Valid() with { BootstrapServers = "a:9092,,b:9092" }, "BootstrapServerInvalid", "BootstrapServers", "doubled or trailing comma"),
        ["http scheme"] = (() => Fixtures.Valid() with { BootstrapServers = "http://broker:9092" }, "BootstrapServerInvalid", "BootstrapServers", "does not speak HTTP"),
        ["port not a number"] = (() => Fixtures.Valid() with { BootstrapServers = "broker:abc" }, "BootstrapServerInvalid", "BootstrapServers", "port 'abc'"),
        ["port zero"] = (() => Fixtures.Valid() with { BootstrapServers = "broker:0" }, "BootstrapServerInvalid", "BootstrapServers", "1 to 65535"),
        ["port too big"] = (() => Fixtures.Valid() with { BootstrapServers = "broker:70000" }, "BootstrapServerInvalid", "BootstrapServers", "port '70000'"),
        ["two colons"] = (() => Fixtures.Valid() with { BootstrapServers = "::1:9092" }, "BootstrapServerInvalid", "BootstrapServers", "[::1]:9092"),
        ["space in host"] = (() => Fixtures.Valid() with { BootstrapServers = "bro ker:9092" }, "BootstrapServerInvalid", "BootstrapServers", "white space"),
        ["bad host chars"] = (() => Fixtures.Valid() with { BootstrapServers = "bro$ker:9092" }, "BootstrapServerInvalid", "BootstrapServers", "'bro$ker' is not a valid host name"),
        ["empty host"] = (() => Fixtures.Valid() with { BootstrapServers = ":9092" }, "BootstrapServerInvalid", "BootstrapServers", "host name is empty"),
        ["unclosed ipv6"] = (() => Fixtures.Valid() with { BootstrapServers = "[::1:9092" }, "BootstrapServerInvalid", "BootstrapServers", "no closing ']'"),
        ["empty client id"] = (() => Fixtures.Valid() with { ClientId = " " }, "ClientIdInvalid", "ClientId", "non-empty name"),
        ["client id control char"] = (() => Fixtures.Valid() with { ClientId = "a\nb" }, "ClientIdInvalid", "ClientId", "control characters"),
        ["request timeout zero"] = (() => Fixtures.Valid() with { RequestTimeout = TimeSpan.Zero }, "TimingOutOfRange", "RequestTimeout", "from 10 to 300000"),
        ["socket timeout too large"] = (() => Fixtures.Valid() with { SocketTimeout = TimeSpan.FromMinutes(10) }, "TimingOutOfRange", "SocketTimeout", "socket.timeout.ms"),
        ["setup timeout too small"] = (() => Fixtures.Valid() with { ConnectionSetupTimeout = TimeSpan.FromMilliseconds(10) }, "TimingOutOfRange", "ConnectionSetupTimeout", "from 1000"),
        ["negative idle"] = (() => Fixtures.Valid() with { ConnectionsMaxIdle = TimeSpan.FromSeconds(-1) }, "TimingOutOfRange", "ConnectionsMaxIdle", "connections.max.idle.ms"),
        ["metadata age too large"] = (() => Fixtures.Valid() with { MetadataMaxAge = TimeSpan.FromDays(2) }, "TimingOutOfRange", "MetadataMaxAge", "metadata.max.age.ms"),
        ["refresh interval too large"] = (() => Fixtures.Valid() with { MetadataRefreshInterval = TimeSpan.FromHours(2) }, "TimingOutOfRange", "MetadataRefreshInterval", "topic.metadata.refresh.interval.ms"),
        ["retry backoff zero"] = (() => Fixtures.Valid() with { RetryBackoff = TimeSpan.Zero }, "TimingOutOfRange", "RetryBackoff", "retry.backoff.ms"),
        ["retry backoff fractional"] = (() => Fixtures.Valid() with { RetryBackoff = TimeSpan.FromTicks(15_005) }, "TimingOutOfRange", "RetryBackoff", "whole milliseconds"),
        ["reconnect backoff too large"] = (() => Fixtures.Valid() with { ReconnectBackoff = TimeSpan.FromHours(2) }, "TimingOutOfRange", "ReconnectBackoff", "reconnect.backoff.ms"),
        ["api version timeout zero"] = (() => Fixtures.Valid() with { ApiVersionRequestTimeout = TimeSpan.Zero }, "TimingOutOfRange", "ApiVersionRequestTimeout", "api.version.request.timeout.ms"),
        ["retry max below backoff"] = (() => Fixtures.Valid() with { RetryBackoff = TimeSpan.FromSeconds(2), RetryBackoffMax = TimeSpan.FromSeconds(1) }, "RetryBackoffMaxBelowBackoff", "RetryBackoffMax", "at least retry.backoff.ms"),
        ["reconnect max below backoff"] = (() => Fixtures.Valid() with { ReconnectBackoff = TimeSpan.FromSeconds(2), ReconnectBackoffMax = TimeSpan.FromSeconds(1) }, "ReconnectBackoffMaxBelowBackoff", "ReconnectBackoffMax", "at least reconnect.backoff.ms"),
        ["sasl mechanism on plaintext"] = (() => Sasl() with { SecurityProtocol = KafkaSecurityProtocol.Plaintext }, "SaslMechanismWithoutSaslProtocol", "SaslMechanism", "-SecurityProtocol SaslSsl"),
        ["sasl mechanism on ssl"] = (() => Sasl() with { SecurityProtocol = KafkaSecurityProtocol.Ssl }, "SaslMechanismWithoutSaslProtocol", "SaslMechanism", "protocol is SSL"),
        ["sasl protocol without mechanism"] = (() => Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.SaslSsl }, "SaslMechanismMissing", "SaslMechanism", "-SaslMechanism"),
        ["plain without username"] = (() => Sasl() with { SaslUsername = null }, "SaslUsernameMissing", "SaslUsername", "needs a user name"),
        ["scram without username"] = (() => Sasl(KafkaSaslMechanism.ScramSha256) with { SaslUsername = " " }, "SaslUsernameMissing", "SaslUsername", "SCRAM-SHA-256"),
        ["plain without password"] = (() => Sasl() with { SaslPassword = null }, "SaslPasswordMissing", "SaslPassword", "needs a password"),
        ["scram512 empty password"] = (() => Sasl(KafkaSaslMechanism.ScramSha512) with { SaslPassword = Secrets.Secure("") }, "SaslPasswordMissing", "SaslPassword", "SCRAM-SHA-512"),
        ["credential without mechanism"] = (() => Fixtures.Valid() with { SaslUsername = "svc" }, "SaslCredentialNotUsed", "SaslUsername", "no SASL mechanism"),
        ["credential with gssapi"] = (() => Sasl(KafkaSaslMechanism.Gssapi), "SaslCredentialNotUsed", "SaslUsername", "GSSAPI does not use one"),
        ["oauthbearer without oauth"] = (() => Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = KafkaSaslMechanism.OAuthBearer }, "OAuthSettingsMissing", "OAuth", "-OAuthTokenEndpoint"),
        ["oauth with plain"] = (() => Sasl() with { OAuth = OAuth() }, "OAuthWithoutOAuthBearer", "OAuth", "mechanism is PLAIN"),
        ["oauth endpoint not http"] = (() => OAuthBearer(o => o with { TokenEndpoint = new Uri("ftp://idp.example.com/token") }), "OAuthTokenEndpointInvalid", "OAuth.TokenEndpoint", "absolute http(s) URL"),
        ["oauth endpoint missing"] = (() => OAuthBearer(o => o with { TokenEndpoint = KafkaOAuthOptions.MissingEndpoint }), "OAuthTokenEndpointMissing", "OAuth.TokenEndpoint", "without a token endpoint"),
        ["oauth empty client id"] = (() => OAuthBearer(o => o with { ClientId = "" }), "OAuthClientIdMissing", "OAuth.ClientId", "client id is empty"),
        ["oauth empty secret"] = (() => OAuthBearer(o => o with { ClientSecret = Secrets.Secure("") }), "OAuthClientSecretMissing", "OAuth.ClientSecret", "client secret is empty"),
        ["oauth blank scope"] = (() => OAuthBearer(o => o with { Scope = "  " }), "OAuthScopeInvalid", "OAuth.Scope", "space-separated words"),
        ["oauth extension auth"] = (() => OAuthBearer(o => o with { Extensions = new Dictionary<string, string> { ["auth"] = "x" } }), "OAuthExtensionKeyInvalid", "OAuth.Extensions", "'auth' is reserved"),
        ["oauth extension digits"] = (() => OAuthBearer(o => o with { Extensions = new Dictionary<string, string> { ["cluster1"] = "x" } }), "OAuthExtensionKeyInvalid", "OAuth.Extensions", "letters only"),
        ["oauth extension value"] = (() => OAuthBearer(o => o with { Extensions = new Dictionary<string, string> { ["logicalCluster"] = "lkc-\u00e9" } }), "OAuthExtensionValueInvalid", "OAuth.Extensions[logicalCluster]", "printable ASCII"),
        ["oauth negative margin"] = (() => OAuthBearer(o => o with { RefreshBeforeExpiry = TimeSpan.FromSeconds(-1) }), "OAuthRefreshMarginInvalid", "OAuth.RefreshBeforeExpiry", "cannot be negative"),
        ["oauth zero http timeout"] = (() => OAuthBearer(o => o with { HttpTimeout = TimeSpan.Zero }), "OAuthHttpTimeoutInvalid", "OAuth.HttpTimeout", "must be positive"),
        ["oauth with unsecure jwt"] = (() => OAuthBearer() with { Properties = new Dictionary<string, string> { ["enable.sasl.oauthbearer.unsecure.jwt"] = "true" } }, "OAuthConflictsWithUnsecureJwt", "Properties[enable.sasl.oauthbearer.unsecure.jwt]", "only one token source"),
        ["tls files on plaintext"] = (() => Fixtures.Valid() with { SslCaLocation = "/exists/ca.pem" }, "TlsSettingsWithoutTls", "SecurityProtocol", "-SecurityProtocol Ssl"),
        ["key password on sasl plaintext"] = (() => Sasl() with { SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext, SslKeyPassword = Secrets.Secure(Secrets.KeyPassword) }, "TlsSettingsWithoutTls", "SecurityProtocol", "SASL_PLAINTEXT"),
        ["ca file and pem"] = (() => Tls() with { SslCaLocation = "/exists/ca.pem", SslCaPem = Pem.Certificate }, "SslCaConflict", "SslCaLocation", "not both"),
        ["cert file and pem"] = (() => Tls() with { SslCertificateLocation = "/exists/c.pem", SslCertificatePem = Pem.Certificate, SslKeyLocation = "/exists/k.pem" }, "SslCertificateConflict", "SslCertificateLocation", "-ClientCertificatePem"),
        ["key file and pem"] = (() => Tls() with { SslCertificateLocation = "/exists/c.pem", SslKeyLocation = "/exists/k.pem", SslKeyPem = Secrets.Secure(Secrets.KeyPem) }, "SslKeyConflict", "SslKeyLocation", "-ClientKeyPem"),
        ["ca file missing"] = (() => Tls() with { SslCaLocation = "/nope/ca.pem" }, "FileNotFound", "SslCaLocation", "CA file '/nope/ca.pem' (ssl.ca.location) does not exist"),
        ["cert file missing"] = (() => Tls() with { SslCertificateLocation = "/nope/c.pem", SslKeyLocation = "/exists/k.pem" }, "FileNotFound", "SslCertificateLocation", "Client certificate file '/nope/c.pem'"),
        ["key file missing"] = (() => Tls() with { SslCertificateLocation = "/exists/c.pem", SslKeyLocation = "/nope/k.pem" }, "FileNotFound", "SslKeyLocation", "Client key file '/nope/k.pem'"),
        ["crl file missing"] = (() => Tls() with { SslCrlLocation = "/nope/crl.pem" }, "FileNotFound", "SslCrlLocation", "CRL file '/nope/crl.pem'"),
        ["ca path blank"] = (() => Tls() with { SslCaLocation = " " }, "FileNotFound", "SslCaLocation", "empty path"),
        ["ca pem not pem"] = (() => Tls() with { SslCaPem = "/etc/ssl/ca.pem" }, "SslCaPemInvalid", "SslCaPem", "-CaCertificatePath"),
        ["cert pem not pem"] = (() => Tls() with { SslCertificatePem = "MIIB...", SslKeyPem = Secrets.Secure(Secrets.KeyPem) }, "SslCertificatePemInvalid", "SslCertificatePem", "BEGIN CERTIFICATE"),
        ["key pem not pem"] = (() => Tls() with { SslCertificatePem = Pem.Certificate, SslKeyPem = Secrets.Secure(Secrets.Password) }, "SslKeyPemInvalid", "SslKeyPem", "PRIVATE KEY"),
        ["cert without key"] = (() => Tls() with { SslCertificateLocation = "/exists/c.pem" }, "SslKeyMissing", "SslKeyLocation", "without its private key"),
        ["key without cert"] = (() => Tls() with { SslKeyLocation = "/exists/k.pem" }, "SslCertificateMissing", "SslCertificateLocation", "without its certificate"),
        ["key password without key"] = (() => Tls() with { SslKeyPassword = Secrets.Secure(Secrets.KeyPassword) }, "SslKeyPasswordWithoutKey", "SslKeyPassword", "without a client key"),
        ["kerberos with plain"] = (() => Sasl() with { KerberosPrincipal = "svc@EXAMPLE.COM" }, "KerberosWithoutGssapi", "KerberosPrincipal", "-SaslMechanism Gssapi"),
        ["kerberos service name with space"] = (() => Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext, SaslMechanism = KafkaSaslMechanism.Gssapi, KerberosServiceName = "ka fka" }, "KerberosServiceNameInvalid", "KerberosServiceName", "single word"),
        ["keytab missing"] = (() => Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext, SaslMechanism = KafkaSaslMechanism.Gssapi, KerberosKeytab = "/nope/svc.keytab" }, "FileNotFound", "KerberosKeytab", "Kerberos keytab '/nope/svc.keytab'"),
        ["property name upper case"] = (() => Fixtures.Valid() with { Properties = new Dictionary<string, string> { ["Socket.Timeout.Ms"] = "1" } }, "PropertyNameInvalid", "Properties", "'Socket.Timeout.Ms' is not a librdkafka property name"),
        ["property name blank"] = (() => Fixtures.Valid() with { Properties = new Dictionary<string, string> { [" "] = "1" } }, "PropertyNameInvalid", "Properties", "lower-case words"),
        ["property name with space"] = (() => Fixtures.Valid() with { Properties = new Dictionary<string, string> { ["socket timeout"] = "1" } }, "PropertyNameInvalid", "Properties", "'socket timeout'"),
        ["property value null"] = (() => Fixtures.Valid() with { Properties = new Dictionary<string, string> { ["client.rack"] = null! } }, "PropertyValueMissing", "Properties[client.rack]", "has no value"),
    };

    public static IEnumerable<object[]> BadCases() => Bad.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(BadCases))]
    public void Bad_options_give_a_specific_error(string id)
    {
        var (build, code, option, fragment) = Bad[id];
        var options = build();
        var problems = options.Validate(FakeExists);
        var match = problems.Where(p => p.Code == code && p.Severity == KafkaProblemSeverity.Error).ToList();
        Assert.True(match.Count > 0, $"Expected {code}; got: {string.Join(" | ", problems.Select(p => p.Code + ": " + p.Message))}");
        Assert.Contains(match, p => p.Option == option && p.Message.Contains(fragment, StringComparison.Ordinal));

        var ex = Assert.Throws<KafkaConnectionException>(() => options.ThrowIfInvalid(FakeExists));
        Assert.Contains(ex.Problems, p => p.Code == code);
        foreach (var problem in problems)
        {
            Secrets.AssertNoSecret(problem.Message, id);
        }

        Secrets.AssertNoSecret(ex.Message, id);
    }

    [Fact]
    public void Bad_case_count_is_large_enough() => Assert.True(Bad.Count >= 60, $"only {Bad.Count} cases");

    public static IEnumerable<object[]> GoodCases() => new[]
    {
        new object[] { "broker1:9092" },
        new object[] { "broker1:9092, broker2:9093" },
        new object[] { "broker1" },
        new object[] { "10.0.0.1:9092" },
        new object[] { "[::1]:9092" },
        new object[] { "SASL_SSL://b-1.example.kafka.us-east-1.amazonaws.com:9096" },
    };

    [Theory]
    [MemberData(nameof(GoodCases))]
    public void Good_bootstrap_lists_pass(string servers) =>
        Assert.Empty((Fixtures.Valid() with { BootstrapServers = servers }).Validate(FakeExists));

    [Fact]
    public void Complete_valid_sets_have_no_errors()
    {
        var all = new[]
        {
            Sasl(),
            Sasl(KafkaSaslMechanism.ScramSha256),
            Sasl(KafkaSaslMechanism.ScramSha512),
            OAuthBearer(),
            Tls() with { SslCaLocation = "/exists/ca.pem", SslCertificateLocation = "/exists/c.pem", SslKeyLocation = "/exists/k.pem", SslKeyPassword = Secrets.Secure("x"), SslCrlLocation = "/exists/crl.pem" },
            Tls() with { SslCaPem = Pem.Certificate, SslCertificatePem = Pem.Certificate, SslKeyPem = Secrets.Secure(Secrets.KeyPem) },
            Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext, SaslMechanism = KafkaSaslMechanism.Gssapi, KerberosKeytab = "/exists/k.keytab", KerberosPrincipal = "a@B", KerberosServiceName = "kafka" },
            Fixtures.Valid() with { RetryBackoff = TimeSpan.FromMilliseconds(100), RetryBackoffMax = TimeSpan.FromSeconds(1), ReconnectBackoff = TimeSpan.FromMilliseconds(50), ReconnectBackoffMax = TimeSpan.FromSeconds(30) },
        };
        foreach (var options in all)
        {
            Assert.DoesNotContain(options.Validate(FakeExists), p => p.Severity == KafkaProblemSeverity.Error);
        }
    }

    [Fact]
    public void Sasl_user_name_and_password_given_as_properties_count_as_given()
    {
        // -Property @{ 'sasl.username' = ...; 'sasl.password' = ... } with -SaslMechanism Plain: the
        // password is held as a secret property, and neither is missing.
        var options = Sasl() with
        {
            SaslUsername = null,
            SaslPassword = null,
            Properties = new Dictionary<string, string> { ["sasl.username"] = "alice", ["sasl.password"] = "from-a-property" },
        };

        Assert.DoesNotContain(options.Validate(FakeExists), p => p.Code is "SaslUsernameMissing" or "SaslPasswordMissing");
        Assert.True(options.SecretProperties.ContainsKey("sasl.password"));
        Assert.False(options.Properties.ContainsKey("sasl.password"));

        // Without them, both are still missing.
        var missing = Sasl() with { SaslUsername = null, SaslPassword = null };
        Assert.Contains(missing.Validate(FakeExists), p => p.Code == "SaslUsernameMissing");
        Assert.Contains(missing.Validate(FakeExists), p => p.Code == "SaslPasswordMissing");
    }

    [Fact]
    public void Skip_certificate_check_warns()
    {
        var warnings = (Tls() with { SkipCertificateCheck = true }).ThrowIfInvalid(FakeExists);
        var warning = Assert.Single(warnings);
        Assert.Equal("CertificateCheckSkipped", warning.Code);
        Assert.Contains("-SkipCertificateCheck", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostname_verification_off_warns()
    {
        var warning = Assert.Single((Tls() with { EnableHostnameVerification = false }).ThrowIfInvalid(FakeExists));
        Assert.Equal("HostnameVerificationDisabled", warning.Code);
    }

    [Fact]
    public void Plain_and_oauth_over_plaintext_warn()
    {
        Assert.Contains((Sasl() with { SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext }).ThrowIfInvalid(FakeExists), w => w.Code == "PlainOverPlaintext");
        Assert.Contains((OAuthBearer() with { SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext }).ThrowIfInvalid(FakeExists), w => w.Code == "OAuthOverPlaintext");
        Assert.Contains(OAuthBearer(o => o with { TokenEndpoint = new Uri("http://idp.example.com/token") }).ThrowIfInvalid(FakeExists), w => w.Code == "OAuthTokenEndpointNotHttps");
        Assert.Empty(OAuthBearer(o => o with { TokenEndpoint = new Uri("http://127.0.0.1:8080/token") }).ThrowIfInvalid(FakeExists));
    }

    [Fact]
    public void Exception_lists_every_error()
    {
        var options = Fixtures.Valid() with { BootstrapServers = "", SecurityProtocol = KafkaSecurityProtocol.SaslSsl, SslCaLocation = "/nope/ca.pem" };
        var ex = Assert.Throws<KafkaConnectionException>(() => options.ThrowIfInvalid(FakeExists));
        Assert.Equal("BootstrapServersMissing", ex.ErrorId);
        Assert.Equal(3, ex.Problems.Count);
        Assert.Contains("3 problems", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_file_probe_uses_the_real_file_system()
    {
        using var folder = new TempFolder();
        var ca = folder.Write("ca.pem", Pem.Certificate);
        Assert.Empty((Tls() with { SslCaLocation = ca }).Validate());
        var missing = Path.Combine(folder.Path, "missing.pem");
        Assert.Contains((Tls() with { SslCaLocation = missing }).Validate(), p => p.Code == "FileNotFound" && p.Message.Contains(missing, StringComparison.Ordinal));
    }
}
