using System.Collections;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.Profiles;

namespace KafkaCatalog.Core.Tests.Connections;

public class EnvironmentAndMergeTests
{
    private static string Reveal(System.Security.SecureString? s) => new System.Net.NetworkCredential(string.Empty, s).Password;

    [Fact]
    public void Environment_variables_map_to_settings()
    {
        var env = Env.Of(
            ("KAFKA_BOOTSTRAP_SERVERS", " b1:9092 , b2:9092 "),
            ("KAFKA_SECURITY_PROTOCOL", "sasl_ssl"),
            ("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256"),
            ("KAFKA_SASL_USERNAME", "svc"),
            ("KAFKA_SASL_PASSWORD", Secrets.Password),
            ("KAFKA_CLIENT_ID", "runbook"),
            ("UNRELATED", "x"));
        var s = KafkaEnvironment.Read(env);
        Assert.Equal("b1:9092,b2:9092", s.BootstrapServers);
        Assert.Equal(KafkaSecurityProtocol.SaslSsl, s.SecurityProtocol);
        Assert.Equal(KafkaSaslMechanism.ScramSha256, s.SaslMechanism);
        Assert.Equal("svc", s.SaslUsername);
        Assert.Equal(Secrets.Password, Reveal(s.SaslPassword));
        Assert.Equal("runbook", s.ClientId);
    }

    [Fact]
    public void Empty_environment_variables_count_as_unset()
    {
        var s = KafkaEnvironment.Read(Env.Of(("KAFKA_BOOTSTRAP_SERVERS", ""), ("KAFKA_SECURITY_PROTOCOL", "  ")));
        Assert.Null(s.BootstrapServers);
        Assert.Null(s.SecurityProtocol);
    }

    [Fact]
    public void Username_without_mechanism_defaults_to_plain_on_sasl_protocols()
    {
        var options = KafkaEnvironment.Read(Env.Of(("KAFKA_BOOTSTRAP_SERVERS", "b:9092"), ("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), ("KAFKA_SASL_USERNAME", "u"), ("KAFKA_SASL_PASSWORD", "p"))).ToOptions();
        Assert.Equal(KafkaSaslMechanism.Plain, options.SaslMechanism);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("KAFKA_SECURITY_PROTOCOL", "TLS", "not a security protocol")]
    [InlineData("KAFKA_SECURITY_PROTOCOL", "SASL", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")]
    [InlineData("KAFKA_SASL_MECHANISM", "SCRAM", "not a SASL mechanism")]
    [InlineData("KAFKA_SASL_MECHANISM", "kerberos", "GSSAPI")]
    [InlineData("KAFKA_BOOTSTRAP_SERVERS", "a:9092,,b:9092", "doubled or trailing comma")]
    [InlineData("KAFKA_BOOTSTRAP_SERVERS", "https://kafka:9092", "does not speak HTTP")]
    [InlineData("KAFKA_BOOTSTRAP_SERVERS", "kafka:99999", "1 to 65535")]
    public void Bad_environment_values_name_the_variable(string name, string value, string fragment)
    {
        var ex = Assert.Throws<KafkaConnectionException>(() => KafkaEnvironment.Read(Env.Of((name, value))));
        Assert.Equal("EnvironmentValueInvalid", ex.ErrorId);
        Assert.Equal(name, ex.Option);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_without_username_is_rejected_without_showing_it()
    {
        var ex = Assert.Throws<KafkaConnectionException>(() => KafkaEnvironment.Read(Env.Of(("KAFKA_SASL_PASSWORD", Secrets.Password))));
        Assert.Equal("KAFKA_SASL_USERNAME", ex.Option);
        Secrets.AssertNoSecret(ex.Message, "exception");
    }

    [Fact]
    public void Merge_takes_each_setting_from_the_highest_layer_that_has_it()
    {
        var explicitLayer = new KafkaConnectionSettings { BootstrapServers = "explicit:9092", RequestTimeout = TimeSpan.FromSeconds(5) };
        var profile = new KafkaConnectionSettings { BootstrapServers = "profile:9092", ClientId = "from-profile", SecurityProtocol = KafkaSecurityProtocol.SaslSsl, RequestTimeout = TimeSpan.FromSeconds(9) };
        var env = new KafkaConnectionSettings { BootstrapServers = "env:9092", ClientId = "from-env", SaslMechanism = KafkaSaslMechanism.ScramSha512, SecurityProtocol = KafkaSecurityProtocol.Plaintext };
        var merged = KafkaConnectionSettings.Merge(explicitLayer, profile, env);
        Assert.Equal("explicit:9092", merged.BootstrapServers);
        Assert.Equal(TimeSpan.FromSeconds(5), merged.RequestTimeout);
        Assert.Equal("from-profile", merged.ClientId);
        Assert.Equal(KafkaSecurityProtocol.SaslSsl, merged.SecurityProtocol);
        Assert.Equal(KafkaSaslMechanism.ScramSha512, merged.SaslMechanism);
    }

    [Fact]
    public void Merge_keeps_the_credential_pair_together()
    {
        var explicitLayer = new KafkaConnectionSettings { SaslUsername = "alice" };
        var env = new KafkaConnectionSettings { SaslUsername = "bob", SaslPassword = Secrets.Secure("bobs") };
        var merged = KafkaConnectionSettings.Merge(explicitLayer, null, env);
        Assert.Equal("alice", merged.SaslUsername);
        Assert.Null(merged.SaslPassword);
    }

    [Fact]
    public void Merge_lets_an_explicit_pem_replace_a_profile_file()
    {
        var explicitLayer = new KafkaConnectionSettings { SslCaPem = Pem.Certificate };
        var profile = new KafkaConnectionSettings { SslCaLocation = "/etc/ca.pem", SslCertificateLocation = "/etc/c.pem" };
        var merged = KafkaConnectionSettings.Merge(explicitLayer, profile);
        Assert.Equal(Pem.Certificate, merged.SslCaPem);
        Assert.Null(merged.SslCaLocation);
        Assert.Equal("/etc/c.pem", merged.SslCertificateLocation);
    }

    [Fact]
    public void Merge_keeps_a_key_and_its_password_together()
    {
        var profile = new KafkaConnectionSettings { SslKeyLocation = "/etc/k.pem", SslKeyPassword = Secrets.Secure("profile-pw") };
        var newKey = KafkaConnectionSettings.Merge(new KafkaConnectionSettings { SslKeyPem = Secrets.Secure(Secrets.KeyPem) }, profile);
        Assert.Null(newKey.SslKeyLocation);
        Assert.Null(newKey.SslKeyPassword);

        var newPassword = KafkaConnectionSettings.Merge(new KafkaConnectionSettings { SslKeyPassword = Secrets.Secure("explicit-pw") }, profile);
        Assert.Equal("/etc/k.pem", newPassword.SslKeyLocation);
        Assert.Equal("explicit-pw", Reveal(newPassword.SslKeyPassword));

        var inherited = KafkaConnectionSettings.Merge(new KafkaConnectionSettings { ClientId = "x" }, profile);
        Assert.Equal("profile-pw", Reveal(inherited.SslKeyPassword));
    }

    [Fact]
    public void Merge_combines_properties_key_by_key()
    {
        var merged = KafkaConnectionSettings.Merge(
            new KafkaConnectionSettings { Properties = new Dictionary<string, string> { ["a"] = "explicit" } },
            new KafkaConnectionSettings { Properties = new Dictionary<string, string> { ["a"] = "profile", ["b"] = "profile" } });
        Assert.Equal("explicit", merged.Properties!["a"]);
        Assert.Equal("profile", merged.Properties["b"]);
    }

    [Fact]
    public void Merge_of_nothing_is_empty_and_needs_bootstrap()
    {
        var options = KafkaConnectionSettings.Merge().ToOptions();
        Assert.Equal(string.Empty, options.BootstrapServers);
        Assert.Contains(options.Validate(), p => p.Code == "BootstrapServersMissing");
    }

    [Fact]
    public void Defaults_fill_in_after_merge()
    {
        var options = new KafkaConnectionSettings { BootstrapServers = "b:9092" }.ToOptions();
        Assert.Equal("kafkacatalog", options.ClientId);
        Assert.Equal(KafkaSecurityProtocol.Plaintext, options.SecurityProtocol);
        Assert.Equal(KafkaSaslMechanism.None, options.SaslMechanism);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.True(options.EnableHostnameVerification);
        Assert.False(options.SkipCertificateCheck);
        Assert.Null(options.OAuth);
    }

    [Fact]
    public void OAuth_settings_imply_oauthbearer()
    {
        var options = new KafkaConnectionSettings
        {
            BootstrapServers = "b:9092",
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            OAuthTokenEndpoint = new Uri("https://idp/token"),
            OAuthClientId = "c",
            OAuthClientSecret = Secrets.Secure(Secrets.ClientSecret),
        }.ToOptions();
        Assert.Equal(KafkaSaslMechanism.OAuthBearer, options.SaslMechanism);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void OAuth_credentials_without_endpoint_are_reported()
    {
        var options = new KafkaConnectionSettings { BootstrapServers = "b:9092", SecurityProtocol = KafkaSecurityProtocol.SaslSsl, OAuthClientId = "c", OAuthClientSecret = Secrets.Secure("s") }.ToOptions();
        var ex = Assert.Throws<KafkaConnectionException>(() => options.ThrowIfInvalid());
        Assert.Equal("OAuthTokenEndpointMissing", ex.ErrorId);
        Assert.Contains("-OAuthTokenEndpoint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_precedence_is_parameters_then_profile_then_environment()
    {
        var env = Env.Of(("KAFKA_BOOTSTRAP_SERVERS", "env:9092"), ("KAFKA_CLIENT_ID", "env-client"), ("KAFKA_SASL_USERNAME", "env-user"), ("KAFKA_SASL_PASSWORD", "env-pw"));
        var parameters = new KafkaConnectionSettings { SaslUsername = "param-user", SaslPassword = Secrets.Secure(Secrets.Password) };
        var resolution = KafkaConnectionResolver.Resolve(parameters, Fixtures.PathOf("mage-sasl-scram.yaml"), env);
        var o = resolution.Options;
        Assert.Equal("b-1.example:9096", o.BootstrapServers);
        Assert.Equal("env-client", o.ClientId);
        Assert.Equal("param-user", o.SaslUsername);
        Assert.Equal(Secrets.Password, Reveal(o.SaslPassword));
        Assert.Equal(KafkaSaslMechanism.ScramSha512, o.SaslMechanism);
        Assert.NotNull(resolution.Profile);
        Assert.Equal("billing", resolution.Profile!.ConsumerGroup);
        Assert.Equal("billing", o.ConsumerGroup);
        Assert.Contains(resolution.Warnings, w => w.Code == "ProfileTopicsNotDefault");
    }

    [Fact]
    public void Resolver_works_from_environment_alone()
    {
        var env = Env.Of(("KAFKA_BOOTSTRAP_SERVERS", "env:9092"));
        var resolution = KafkaConnectionResolver.Resolve(null, null, env);
        Assert.Equal("env:9092", resolution.Options.BootstrapServers);
        Assert.Empty(resolution.Warnings);
        Assert.Null(resolution.Profile);
    }

    [Fact]
    public void Resolver_ignores_environment_when_null()
    {
        var ex = Assert.Throws<KafkaConnectionException>(() => KafkaConnectionResolver.Resolve(new KafkaConnectionSettings(), null, null));
        Assert.Equal("BootstrapServersMissing", ex.ErrorId);
    }

    [Fact]
    public void Resolver_reports_skip_certificate_check_as_warning()
    {
        var parameters = new KafkaConnectionSettings { BootstrapServers = "b:9093", SecurityProtocol = KafkaSecurityProtocol.Ssl, SkipCertificateCheck = true };
        var resolution = KafkaConnectionResolver.Resolve(parameters, null, new Hashtable());
        Assert.Contains(resolution.Warnings, w => w.Code == "CertificateCheckSkipped");
    }

    [Fact]
    public void Resolver_fails_on_missing_profile_file_with_the_profile_error()
    {
        var ex = Assert.Throws<ProfileFormatException>(() => KafkaConnectionResolver.Resolve(null, "/nonexistent/kafka.yaml", new Hashtable()));
        Assert.Equal("ProfileNotFound", ex.ErrorId);
    }

    [Fact]
    public void Resolver_validates_files_named_in_a_profile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("p.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SSL\nssl_config:\n  cafile: missing-ca.pem\n  check_hostname: true\n");
        var ex = Assert.Throws<KafkaConnectionException>(() => KafkaConnectionResolver.Resolve(null, path, new Hashtable()));
        Assert.Equal("FileNotFound", ex.ErrorId);
        Assert.Contains(Path.Combine(folder.Path, "missing-ca.pem"), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_reports_credential_without_sasl_protocol()
    {
        var parameters = new KafkaConnectionSettings { BootstrapServers = "b:9092", SaslUsername = "u", SaslPassword = Secrets.Secure(Secrets.Password) };
        var ex = Assert.Throws<KafkaConnectionException>(() => KafkaConnectionResolver.Resolve(parameters, null, null));
        Assert.Equal("SaslCredentialNotUsed", ex.ErrorId);
        Assert.Contains("-SecurityProtocol SaslSsl", ex.Message, StringComparison.Ordinal);
        Secrets.AssertNoSecret(ex.Message, "exception");
    }

    [Fact]
    public void Environment_credential_does_not_break_an_explicit_mechanism_without_passwords()
    {
        var env = Env.Of(("KAFKA_SASL_USERNAME", "u"), ("KAFKA_SASL_PASSWORD", "p"));
        var parameters = new KafkaConnectionSettings { BootstrapServers = "b:9092", SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext, SaslMechanism = KafkaSaslMechanism.Gssapi };
        var resolution = KafkaConnectionResolver.Resolve(parameters, null, env);
        Assert.Null(resolution.Options.SaslUsername);
        Assert.Null(resolution.Options.SaslPassword);
        var warning = Assert.Single(resolution.Warnings);
        Assert.Equal("EnvironmentCredentialIgnored", warning.Code);
        Assert.Contains("GSSAPI", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_credential_with_environment_gssapi_mechanism_is_still_an_error()
    {
        var env = Env.Of(("KAFKA_BOOTSTRAP_SERVERS", "b:9092"), ("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), ("KAFKA_SASL_MECHANISM", "GSSAPI"), ("KAFKA_SASL_USERNAME", "u"), ("KAFKA_SASL_PASSWORD", "p"));
        var ex = Assert.Throws<KafkaConnectionException>(() => KafkaConnectionResolver.Resolve(null, null, env));
        Assert.Equal("SaslCredentialNotUsed", ex.ErrorId);
    }
}
