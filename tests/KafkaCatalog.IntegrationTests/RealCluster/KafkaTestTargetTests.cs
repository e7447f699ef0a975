using System.Runtime.InteropServices;
using Confluent.Kafka;
using KafkaCatalog.Core.Connections;

namespace KafkaCatalog.IntegrationTests.RealCluster;

/// <summary>The real-cluster switch: variable parsing, client settings, and that CI (variable unset) runs TestKit tests.</summary>
public sealed class KafkaTestTargetTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void Unset_or_blank_bootstrap_means_TestKit()
    {
        Assert.Null(RealClusterSettings.FromEnvironment(Env()));
        Assert.Null(RealClusterSettings.FromEnvironment(Env(("KAFKACATALOG_TEST_BOOTSTRAP", "  "), ("KAFKACATALOG_TEST_SECURITY_PROTOCOL", "SSL"))));
    }

    [Fact]
    public void Security_variables_map_to_core_options_and_librdkafka_settings()
    {
        var s = RealClusterSettings.FromEnvironment(Env(
            ("KAFKACATALOG_TEST_BOOTSTRAP", " kafka-1:9093,kafka-2:9093 "),
            ("KAFKACATALOG_TEST_SECURITY_PROTOCOL", "SASL_SSL"),
            ("KAFKACATALOG_TEST_SASL_MECHANISM", "SCRAM-SHA-512"),
            ("KAFKACATALOG_TEST_SASL_USERNAME", "ci"),
            ("KAFKACATALOG_TEST_SASL_PASSWORD", "p@ss word"),
            ("KAFKACATALOG_TEST_SSL_CA_LOCATION", "/etc/ssl/kafka-ca.pem")))!;

        var o = s.ConnectionOptions("it", TimeSpan.FromSeconds(7));
        Assert.Equal(("kafka-1:9093,kafka-2:9093", KafkaSecurityProtocol.SaslSsl, KafkaSaslMechanism.ScramSha512, "ci", "/etc/ssl/kafka-ca.pem"),
            (o.BootstrapServers, o.SecurityProtocol, o.SaslMechanism, o.SaslUsername, o.SslCaLocation));
        Assert.Equal(TimeSpan.FromSeconds(7), o.RequestTimeout);
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(o.SaslPassword!);
        try
        {
            Assert.Equal("p@ss word", Marshal.PtrToStringUni(ptr));
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(ptr);
        }

        var c = new AdminClientConfig();
        s.Apply(c);
        Assert.Equal(("SASL_SSL", "SCRAM-SHA-512", "ci", "p@ss word", "/etc/ssl/kafka-ca.pem"),
            (c.Get("security.protocol"), c.Get("sasl.mechanism"), c.SaslUsername, c.SaslPassword, c.SslCaLocation));
        Assert.DoesNotContain("p@ss", s.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PLAINTEXT", null, KafkaSecurityProtocol.Plaintext, KafkaSaslMechanism.None)]
    [InlineData("ssl", null, KafkaSecurityProtocol.Ssl, KafkaSaslMechanism.None)]
    [InlineData("sasl_plaintext", "PLAIN", KafkaSecurityProtocol.SaslPlaintext, KafkaSaslMechanism.Plain)]
    [InlineData("SASL_SSL", "OAUTHBEARER", KafkaSecurityProtocol.SaslSsl, KafkaSaslMechanism.OAuthBearer)]
    [InlineData(null, "scram-sha-256", KafkaSecurityProtocol.Plaintext, KafkaSaslMechanism.ScramSha256)]
    public void Protocol_and_mechanism_names_are_read_as_Kafka_spells_them(string? protocol, string? mechanism, KafkaSecurityProtocol p, KafkaSaslMechanism m)
    {
        var values = new List<(string, string)> { ("KAFKACATALOG_TEST_BOOTSTRAP", "broker:9092") };
        if (protocol is not null)
        {
            values.Add(("KAFKACATALOG_TEST_SECURITY_PROTOCOL", protocol));
        }

        if (mechanism is not null)
        {
            values.Add(("KAFKACATALOG_TEST_SASL_MECHANISM", mechanism));
        }

        var s = RealClusterSettings.FromEnvironment(Env(values.ToArray()))!;
        Assert.Equal((p, m), (s.Protocol, s.Mechanism));
    }

    [Fact]
    public void TestKit_only_attributes_skip_exactly_when_a_real_cluster_is_configured()
    {
        var configured = KafkaTestTarget.Configured is not null;
        var expected = configured ? "needs TestKit fault injection; KAFKACATALOG_TEST_BOOTSTRAP points at a real cluster" : null;
        Assert.Equal(expected, new TestKitFactAttribute().Skip);
        Assert.Equal(expected, new TestKitTheoryAttribute().Skip);
        Assert.IsAssignableFrom<FactAttribute>(new TestKitFactAttribute());
        Assert.IsAssignableFrom<TheoryAttribute>(new TestKitTheoryAttribute());
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("yes", null)]
    public void Acl_variable_says_whether_the_real_cluster_has_an_authorizer(string? value, bool? expected) =>
        Assert.Equal(expected, KafkaTestTarget.ParseAcls(value));

    [Fact]
    public void Acl_attributes_skip_exactly_as_the_variables_say()
    {
        var real = KafkaTestTarget.Configured is not null;
        var acls = KafkaTestTarget.RealClusterAcls;
        Assert.Equal(real && acls != true ? KafkaTestTarget.NeedsAuthorizerReason : null, new AclFactAttribute().Skip);
        Assert.Equal(real && acls != false ? KafkaTestTarget.NeedsNoAuthorizerReason : null, new NoAuthorizerFactAttribute().Skip);
        Assert.Equal(real ? "changes broker state; KAFKACATALOG_TEST_BOOTSTRAP points at a real cluster" : null,
            new TestKitFactAttribute { Because = "changes broker state" }.Skip);
    }

    [TestKitFact(Because = "checks the mode used when the variable is unset")]
    public async Task Without_the_variable_a_real_capable_target_is_a_TestKit_cluster()
    {
        await using var t = await KafkaTestTarget.StartAsync(() => new KafkaCatalog.TestKit.Kafka.KafkaTestClusterOptions { Brokers = 1 }, allowReal: true);
        Assert.False(t.IsReal);
        Assert.NotNull(t.TestKit);
        Assert.Equal(t.TestKit!.BootstrapServers, t.BootstrapServers);
        Assert.Equal(t.BootstrapServers, t.Apply(new ProducerConfig()).BootstrapServers);
        Assert.Equal(KafkaSecurityProtocol.Plaintext, t.ConnectionOptions().SecurityProtocol);
    }
}
