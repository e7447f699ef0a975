using System.Security;
using System.Text;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.Core.Tests.Polaris;

public sealed class PolarisSpecBuilderTests
{
    private const string Password = "kafka-Pa55!";

    internal static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    private static KafkaConnection Kafka(KafkaSaslMechanism mechanism, string? user = "svc", string? password = Password) =>
        new("prod", new KafkaConnectionOptions
        {
            BootstrapServers = "b1:9096,b2:9096",
            SecurityProtocol = mechanism == KafkaSaslMechanism.None ? KafkaSecurityProtocol.Plaintext : KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = mechanism,
            SaslUsername = user,
            SaslPassword = password is null ? null : Secure(password),
        });

    private static KafkaTopic Topic(string name, string? servers = "t1:9092") =>
        new() { Name = name, Partitions = Array.Empty<KafkaPartition>(), BootstrapServers = servers, ConnectionName = "prod" };

    private static string Json(PolarisKafkaConnectionSpec spec) => Encoding.UTF8.GetString(PolarisJson.WriteConnection(spec));

    [Fact]
    public void Topic_gives_name_topic_and_servers()
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks") });

        Assert.Equal("clicks", spec.Name);
        Assert.Equal("clicks", spec.TopicName);
        Assert.False(spec.TopicNameIsPattern);
        Assert.Equal("t1:9092", spec.BootstrapServers);
        Assert.Null(spec.Secrets);
    }

    [Fact]
    public void Explicit_values_win_over_topic_and_kafka_connection()
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters
        {
            Name = "c",
            Topic = Topic("clicks"),
            KafkaConnection = Kafka(KafkaSaslMechanism.None),
            BootstrapServers = " x:1 , y:2 ",
            TopicName = "other",
        });

        Assert.Equal("x:1,y:2", spec.BootstrapServers);
        Assert.Equal("other", spec.TopicName);
    }

    [Fact]
    public void Topic_without_servers_falls_back_to_the_kafka_connection()
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks", null), KafkaConnection = Kafka(KafkaSaslMechanism.None) });

        Assert.Equal("b1:9096,b2:9096", spec.BootstrapServers);
    }

    [Fact]
    public void Long_topic_names_are_cut_to_64_characters()
    {
        var topic = new string('t', 200);
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic(topic) });

        Assert.Equal(64, spec.Name.Length);
        Assert.Equal(topic, spec.TopicName);
    }

    [Theory]
    [InlineData(KafkaSaslMechanism.Plain, PolarisKafkaSecretType.SaslPlain, null)]
    [InlineData(KafkaSaslMechanism.ScramSha256, PolarisKafkaSecretType.SaslScram, PolarisScramMechanism.ScramSha256)]
    [InlineData(KafkaSaslMechanism.ScramSha512, PolarisKafkaSecretType.SaslScram, PolarisScramMechanism.ScramSha512)]
    public void Kafka_connection_sasl_maps_to_polaris_secrets(KafkaSaslMechanism mechanism, PolarisKafkaSecretType type, PolarisScramMechanism? scram)
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), KafkaConnection = Kafka(mechanism) });

        Assert.Equal(type, spec.Secrets!.Type);
        Assert.Equal(scram, spec.Secrets.Mechanism);
        Assert.Equal("svc", spec.Secrets.Username);
        using var doc = JsonDocument.Parse(Json(spec));
        var secrets = doc.RootElement.GetProperty("secrets");
        Assert.Equal(PolarisKafkaSecrets.ToWireType(type), secrets.GetProperty("type").GetString());
        Assert.Equal(Password, secrets.GetProperty("password").GetString());
        if (scram is not null)
        {
            Assert.Equal(PolarisKafkaSecrets.ToWireMechanism(scram.Value), secrets.GetProperty("mechanism").GetString());
        }
        else
        {
            Assert.False(secrets.TryGetProperty("mechanism", out _));
        }
    }

    [Theory]
    [InlineData(KafkaSaslMechanism.OAuthBearer)]
    [InlineData(KafkaSaslMechanism.Gssapi)]
    public void Unsupported_sasl_mechanisms_are_refused(KafkaSaslMechanism mechanism)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() =>
            PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), KafkaConnection = Kafka(mechanism) }));

        Assert.Equal("PolarisUnsupportedSaslMechanism", ex.ErrorId);
        Assert.Contains("-AwsAssumedRoleArn", ex.Message);
    }

    [Fact]
    public void Oauth_cluster_can_still_use_explicit_credentials()
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters
        {
            Topic = Topic("clicks"),
            KafkaConnection = Kafka(KafkaSaslMechanism.OAuthBearer),
            Username = "u",
            Password = Secure("p"),
            ScramMechanism = PolarisScramMechanism.ScramSha512,
        });

        Assert.Equal(PolarisKafkaSecretType.SaslScram, spec.Secrets!.Type);
        Assert.Equal(PolarisScramMechanism.ScramSha512, spec.Secrets.Mechanism);
    }

    [Fact]
    public void Missing_password_is_a_specific_error()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() =>
            PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), KafkaConnection = Kafka(KafkaSaslMechanism.Plain, password: null) }));

        Assert.Equal("PolarisSecretMissing", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Missing_user_is_a_specific_error()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() =>
            PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), SecretType = PolarisKafkaSecretType.SaslPlain }));

        Assert.Equal("PolarisSecretMissing", ex.ErrorId);
    }

    [Fact]
    public void Scram_without_a_mechanism_is_a_specific_error()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() =>
            PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), SecretType = PolarisKafkaSecretType.SaslScram, Username = "u", Password = Secure("p") }));

        Assert.Equal("PolarisSecretMissing", ex.ErrorId);
        Assert.Contains("-ScramMechanism", ex.Message);
    }

    [Fact]
    public void Aws_iam_role_goes_inside_secrets()
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), AwsAssumedRoleArn = "arn:aws:iam::123456789012:role/msk_client_role" });

        using var doc = JsonDocument.Parse(Json(spec));
        var secrets = doc.RootElement.GetProperty("secrets");
        Assert.Equal("aws_iam", secrets.GetProperty("type").GetString());
        Assert.Equal("arn:aws:iam::123456789012:role/msk_client_role", secrets.GetProperty("awsAssumedRoleArn").GetString());
        Assert.False(secrets.TryGetProperty("password", out _));
    }

    [Theory]
    [InlineData("arn:aws:iam::12345:role/x")]
    [InlineData("role/msk")]
    [InlineData("arn:aws:s3:::bucket")]
    public void Bad_role_arns_are_refused(string arn)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() =>
            PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), AwsAssumedRoleArn = arn }));

        Assert.Equal("PolarisInvalidRoleArn", ex.ErrorId);
    }

    [Fact]
    public void Role_and_credentials_together_are_refused()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() =>
            PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), AwsAssumedRoleArn = "arn:aws:iam::123456789012:role/r", Username = "u" }));

        Assert.Equal("PolarisConflictingSecrets", ex.ErrorId);
    }

    [Fact]
    public void NoSecret_drops_the_kafka_connections_sasl()
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), KafkaConnection = Kafka(KafkaSaslMechanism.Plain), SecretType = PolarisKafkaSecretType.None });

        Assert.Null(spec.Secrets);
        Assert.DoesNotContain("secrets", Json(spec));
    }

    [Fact]
    public void Pattern_needs_a_name_and_a_valid_regex()
    {
        var noName = Assert.Throws<KafkaCatalogException>(() => PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { BootstrapServers = "h:1", TopicPattern = "a.*" }));
        var badRegex = Assert.Throws<KafkaCatalogException>(() => PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Name = "n", BootstrapServers = "h:1", TopicPattern = "a[" }));
        var both = Assert.Throws<KafkaCatalogException>(() => PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Name = "n", BootstrapServers = "h:1", TopicPattern = "a.*", TopicName = "a" }));
        var ok = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Name = "n", BootstrapServers = "h:1", TopicPattern = "topic[0-9]*" });

        Assert.Equal("PolarisConnectionNameMissing", noName.ErrorId);
        Assert.Equal("PolarisInvalidTopicPattern", badRegex.ErrorId);
        Assert.Equal("PolarisConflictingTopic", both.ErrorId);
        Assert.True(ok.TopicNameIsPattern);
        Assert.Contains("\"topicNameIsPattern\":true", Json(ok));
    }

    [Theory]
    [InlineData("host")]
    [InlineData("host:")]
    [InlineData(":9092")]
    [InlineData("host:70000")]
    [InlineData("h:1,,nope")]
    public void Bad_bootstrap_servers_are_refused(string servers)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() =>
            PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { TopicName = "t", BootstrapServers = servers }));

        Assert.Equal("PolarisInvalidBootstrapServers", ex.ErrorId);
    }

    [Fact]
    public void Nothing_to_go_on_is_a_specific_error()
    {
        Assert.Equal("PolarisTopicMissing", Assert.Throws<KafkaCatalogException>(() => PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { BootstrapServers = "h:1" })).ErrorId);
        Assert.Equal("PolarisBootstrapServersMissing", Assert.Throws<KafkaCatalogException>(() => PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { TopicName = "t" })).ErrorId);
    }

    [Fact]
    public void Ca_file_keeps_only_certificates()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\r\n-----BEGIN CERTIFICATE-----\r\nTUlJQg==\r\n-----END CERTIFICATE-----\r\n-----BEGIN CERTIFICATE-----\nTUlJQw==\n-----END CERTIFICATE-----\n");

            var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("t"), CaFile = path });

            Assert.Equal("-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nTUlJQw==\n-----END CERTIFICATE-----", spec.TruststoreCertificates);
            Assert.DoesNotContain("PRIVATE", Json(spec));
            Assert.Contains("\"type\":\"pem\"", Json(spec));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Ca_file_problems_are_specific()
    {
        var missing = Assert.Throws<KafkaCatalogException>(() => PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("t"), CaFile = "/nonexistent/ca.pem" }));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate");
            var invalid = Assert.Throws<KafkaCatalogException>(() => PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("t"), CaFile = path }));
            Assert.Equal("PolarisInvalidCaFile", invalid.ErrorId);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal("PolarisCaFileNotFound", missing.ErrorId);
    }

    [Fact]
    public void Spec_and_secrets_ToString_never_show_the_password()
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = Topic("clicks"), KafkaConnection = Kafka(KafkaSaslMechanism.ScramSha512) });

        Assert.DoesNotContain(Password, spec.ToString());
        Assert.DoesNotContain(Password, spec.Secrets!.ToString());
        Assert.Contains("sasl_scram SCRAM-SHA-512 (svc)", spec.ToString());
    }
}
