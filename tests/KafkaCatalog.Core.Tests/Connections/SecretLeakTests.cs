using System.Collections;
using System.Text.Json;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.OAuth;
using KafkaCatalog.Core.Connections.Profiles;

namespace KafkaCatalog.Core.Tests.Connections;

/// <summary>No secret reaches ToString, JSON, exceptions or warnings.</summary>
public class SecretLeakTests
{
    private static KafkaConnectionOptions FullOfSecrets() => new()
    {
        BootstrapServers = "broker1:9093",
        SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
        SaslMechanism = KafkaSaslMechanism.OAuthBearer,
        SaslUsername = "svc",
        SaslPassword = Secrets.Secure(Secrets.Password),
        OAuth = new KafkaOAuthOptions
        {
            TokenEndpoint = new Uri("https://idp.example.com/token"),
            ClientId = "kafka-client",
            ClientSecret = Secrets.Secure(Secrets.ClientSecret),
            Extensions = new Dictionary<string, string> { ["logicalCluster"] = "lkc-1" },
        },
        SslCaPem = Pem.Certificate,
        SslCertificatePem = Pem.Certificate,
        SslKeyPem = Secrets.Secure(Secrets.KeyPem),
        SslKeyPassword = Secrets.Secure(Secrets.KeyPassword),
        SkipCertificateCheck = true,
        Properties = new Dictionary<string, string>
        {
            ["sasl.oauthbearer.client.secret"] = Secrets.ClientSecret,
            ["ssl.keystore.password"] = Secrets.KeyPassword,
            ["client.rack"] = "use1-az1",
        },
    };

    [Fact]
    public void Options_connection_and_settings_hide_secrets_in_text_and_json()
    {
        var options = FullOfSecrets();
        var connection = new KafkaConnection("prod", options) { ClusterId = "abc" };
        var settings = new KafkaConnectionSettings
        {
            BootstrapServers = "b:9092",
            SaslPassword = Secrets.Secure(Secrets.Password),
            OAuthClientSecret = Secrets.Secure(Secrets.ClientSecret),
            SslKeyPem = Secrets.Secure(Secrets.KeyPem),
            SslKeyPassword = Secrets.Secure(Secrets.KeyPassword),
            Properties = new Dictionary<string, string> { ["sasl.password"] = Secrets.Password },
        };

        var texts = new Dictionary<string, string>
        {
            ["options.ToString"] = options.ToString(),
            ["connection.ToString"] = connection.ToString(),
            ["oauth.ToString"] = options.OAuth!.ToString(),
            ["settings.ToString"] = settings.ToString(),
            ["options JSON"] = JsonSerializer.Serialize(options),
            ["connection JSON"] = JsonSerializer.Serialize(connection),
            ["oauth JSON"] = JsonSerializer.Serialize(options.OAuth),
            ["settings JSON"] = JsonSerializer.Serialize(settings),
        };
        foreach (var (what, text) in texts)
        {
            Secrets.AssertNoSecret(text, what);
        }

        // The JSON still carries the non-secret parts, so the test would notice a serializer that writes nothing.
        Assert.Contains("broker1:9093", texts["options JSON"], StringComparison.Ordinal);
        Assert.Contains("use1-az1", texts["options JSON"], StringComparison.Ordinal);
        Assert.Contains("\"SecretProperties\":{\"sasl.oauthbearer.client.secret\":\"***\",\"ssl.keystore.password\":\"***\"}", texts["options JSON"], StringComparison.Ordinal);
        Assert.Contains("idp.example.com", texts["connection JSON"], StringComparison.Ordinal);
        Assert.Contains("\"Name\":\"prod\"", texts["connection JSON"], StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_messages_and_warnings_hide_secrets()
    {
        var broken = FullOfSecrets() with { SaslMechanism = KafkaSaslMechanism.Plain, SslKeyPem = Secrets.Secure(Secrets.Password), BootstrapServers = "" };
        var problems = broken.Validate(_ => false);
        Assert.NotEmpty(problems);
        foreach (var problem in problems)
        {
            Secrets.AssertNoSecret(problem.Message, problem.Code);
            Secrets.AssertNoSecret(problem.ToString(), problem.Code);
        }

        var ex = Assert.Throws<KafkaConnectionException>(() => broken.ThrowIfInvalid(_ => false));
        Secrets.AssertNoSecret(ex.Message, "exception");
        Secrets.AssertNoSecret(ex.ToString(), "exception.ToString");
        Secrets.AssertNoSecret(JsonSerializer.Serialize(ex.Problems), "problems JSON");
    }

    [Fact]
    public void Profile_readers_keep_secrets_out_of_warnings_and_json()
    {
        var env = new Hashtable();
        foreach (var fixture in new[] { "mage-ssl.yaml", "mage-sasl-scram.yaml", "mage-oauth.yaml", "polaris-scram.json", "kafka-python.json", "kafka-python-oauth.json" })
        {
            var profile = KafkaProfileReader.Read(Fixtures.PathOf(fixture), env);
            foreach (var warning in profile.Warnings)
            {
                Secrets.AssertNoSecret(warning.Message, fixture);
            }

            Secrets.AssertNoSecret(profile.ToString(), fixture);
            Secrets.AssertNoSecret(JsonSerializer.Serialize(profile), fixture + " JSON");
            Secrets.AssertNoSecret(JsonSerializer.Serialize(profile.ToOptions()), fixture + " options JSON");
        }
    }

    [Fact]
    public void Resolution_warnings_and_options_hide_secrets()
    {
        var env = Env.Of(("KAFKA_SASL_USERNAME", "u"), ("KAFKA_SASL_PASSWORD", Secrets.Password));
        var resolution = KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings { SkipCertificateCheck = true },
            Fixtures.PathOf("mage-oauth.yaml"),
            env);
        Assert.Contains(resolution.Warnings, w => w.Code == "EnvironmentCredentialIgnored");
        Assert.Contains(resolution.Warnings, w => w.Code == "CertificateCheckSkipped");
        Assert.Null(resolution.Options.SaslUsername);
        foreach (var warning in resolution.Warnings)
        {
            Secrets.AssertNoSecret(warning.Message, warning.Code);
        }

        Secrets.AssertNoSecret(JsonSerializer.Serialize(resolution), "resolution JSON");
        Secrets.AssertNoSecret(resolution.ToString(), "resolution.ToString");
    }

    /// <summary>The secret properties of issue 11: the named ones and any key naming a password or secret.</summary>
    public static TheoryData<string> SecretPropertyKeys => new()
    {
        "sasl.password", "ssl.key.password", "ssl.keystore.password", "sasl.oauthbearer.client.secret",
        "ssl.truststore.password", "custom.vault.password", "my.app.secret", "SASL.PASSWORD",
    };

    [Theory]
    [MemberData(nameof(SecretPropertyKeys))]
    public void A_secret_given_as_a_property_is_held_protected_and_only_revealed_for_the_client(string key)
    {
        var options = new KafkaConnectionOptions
        {
            BootstrapServers = "b:9092",
            Properties = new Dictionary<string, string> { [key] = Secrets.Password, ["client.rack"] = "use1-az1" },
        };

        Assert.False(options.Properties.ContainsKey(key));
        Assert.Equal("use1-az1", options.Properties["client.rack"]);
        Assert.True(options.HasProperty(key));
        Assert.Equal(Secrets.Password, new System.Net.NetworkCredential(string.Empty, options.SecretProperties[key]).Password);
        Assert.Equal(Secrets.Password, LibrdkafkaConfig.Build(options)[key]);

        // A copy (with) keeps the secret; text and JSON never show it.
        var copy = options with { BootstrapServers = "c:9092" };
        Assert.Equal(Secrets.Password, LibrdkafkaConfig.Build(copy)[key]);
        Secrets.AssertNoSecret(options.ToString(), "ToString");
        Secrets.AssertNoSecret(JsonSerializer.Serialize(options), "JSON");
        Secrets.AssertNoSecret(string.Join(",", options.Properties.Values), "Properties");
    }

    [Fact]
    public void Properties_that_hold_no_secret_stay_plain()
    {
        var options = new KafkaConnectionOptions
        {
            BootstrapServers = "b:9092",
            Properties = new Dictionary<string, string> { ["socket.keepalive.enable"] = "true", ["sasl.username"] = "svc" },
        };

        Assert.Equal(["sasl.username", "socket.keepalive.enable"], options.Properties.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(options.SecretProperties);
    }

    [Fact]
    public void A_secret_property_with_a_bad_name_is_reported_without_its_value()
    {
        var options = new KafkaConnectionOptions
        {
            BootstrapServers = "b:9092",
            Properties = new Dictionary<string, string> { ["Bad Password"] = Secrets.Password },
        };

        var problem = Assert.Single(options.Validate(), p => p.Code == "PropertyNameInvalid");
        Secrets.AssertNoSecret(problem.Message, "validation message");
    }
}

/// <summary>Connection failures use the project's failure contract so cmdlets map them to ErrorRecords uniformly.</summary>
public class ConnectionFailureContractTests
{
    [Fact]
    public void Exceptions_are_KafkaCatalogExceptions_with_kind_and_target()
    {
        KafkaCatalog.Core.KafkaCatalogException profile = new ProfileFormatException(KafkaCatalog.Core.Errors.ErrorCatalog.ProfileUnknownKey, "/p.yaml", "k", "Unknown key.", "Remove it.");
        Assert.Equal(KafkaCatalog.Core.FailureKind.InvalidData, profile.Kind);
        Assert.Equal("/p.yaml", profile.Target);
        Assert.Equal(KafkaCatalog.Core.FailureKind.ObjectNotFound, new ProfileFormatException(KafkaCatalog.Core.Errors.ErrorCatalog.ProfileNotFound, "/p.yaml", null, "x", "y").Kind);

        var connection = new KafkaConnectionException(KafkaConnectionProblem.Error("SaslUsernameMissing", "SaslUsername", "m"));
        Assert.Equal("SaslUsernameMissing", connection.ErrorId);
        Assert.Equal(KafkaCatalog.Core.FailureKind.InvalidArgument, connection.Kind);
        Assert.Equal("SaslUsername", connection.Target);
        Assert.Throws<ArgumentException>(() => new KafkaConnectionException(Array.Empty<KafkaConnectionProblem>()));

        var endpoint = new Uri("https://idp/token");
        Assert.Equal(KafkaCatalog.Core.FailureKind.AuthenticationError, new OAuthTokenException(KafkaCatalog.Core.Errors.ErrorCatalog.OAuthInvalidClient, endpoint, "m").Kind);
        Assert.Equal(KafkaCatalog.Core.FailureKind.ConnectionError, new OAuthTokenException(KafkaCatalog.Core.Errors.ErrorCatalog.OAuthEndpointUnreachable, endpoint, "m").Kind);
        Assert.Equal(KafkaCatalog.Core.FailureKind.OperationTimeout, new OAuthTokenException(KafkaCatalog.Core.Errors.ErrorCatalog.OAuthTimeout, endpoint, "m").Kind);
        Assert.Equal(KafkaCatalog.Core.FailureKind.ResourceUnavailable, new OAuthTokenException(KafkaCatalog.Core.Errors.ErrorCatalog.OAuthServerError, endpoint, "m").Kind);
        Assert.Equal(KafkaCatalog.Core.FailureKind.InvalidData, new OAuthTokenException(KafkaCatalog.Core.Errors.ErrorCatalog.OAuthResponseNotJson, endpoint, "m").Kind);
        Assert.Equal(endpoint, new OAuthTokenException(KafkaCatalog.Core.Errors.ErrorCatalog.OAuthTimeout, endpoint, "m").Target);
    }
}
