using System.Net;
using System.Text.Json;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class KafkaClientFactoryTests
{
    private static KafkaConnection Connection(string password = "s3cr3t-P@ss") => new("prod", new KafkaConnectionOptions
    {
        BootstrapServers = "b1:9092,b2:9092",
        ClientId = "ops",
        SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
        SaslMechanism = KafkaSaslMechanism.ScramSha512,
        SaslUsername = "alice",
        SaslPassword = new NetworkCredential(string.Empty, password).SecurePassword,
        RequestTimeout = TimeSpan.FromSeconds(7),
        Properties = new Dictionary<string, string> { ["socket.keepalive.enable"] = "true" },
    });

    [Fact]
    public void Admin_config_carries_the_connection()
    {
        using var factory = new KafkaClientFactory(Connection());
        var config = factory.CreateAdminConfig();

        Assert.Equal("b1:9092,b2:9092", config.BootstrapServers);
        Assert.Equal("ops", config.ClientId);
        Assert.Equal(Confluent.Kafka.SecurityProtocol.SaslSsl, config.SecurityProtocol);
        Assert.Equal(Confluent.Kafka.SaslMechanism.ScramSha512, config.SaslMechanism);
        Assert.Equal("alice", config.SaslUsername);
        Assert.Equal("7000", config.Get("socket.timeout.ms"));
        Assert.Equal("true", config.Get("socket.keepalive.enable"));
        Assert.Equal(TimeSpan.FromSeconds(7), factory.RequestTimeout);
    }

    [Fact]
    public void Consumers_never_commit_and_get_a_throwaway_group_unless_asked()
    {
        using var factory = new KafkaClientFactory(Connection());
        var first = factory.CreateConsumerConfig();
        var second = factory.CreateConsumerConfig();

        Assert.False(first.EnableAutoCommit);
        Assert.False(first.EnableAutoOffsetStore);
        Assert.False(first.AllowAutoCreateTopics);
        Assert.StartsWith("kafkacatalog-reader-", first.GroupId);
        Assert.NotEqual(first.GroupId, second.GroupId);
        Assert.Equal("billing", factory.CreateConsumerConfig("billing").GroupId);
        Assert.False(factory.CreateConsumerConfig("billing").EnableAutoCommit);
    }

    [Fact]
    public void Producer_messages_time_out_with_the_request_timeout()
    {
        using var factory = new KafkaClientFactory(Connection());
        Assert.Equal(7000, factory.CreateProducerConfig().MessageTimeoutMs);
    }

    [Fact]
    public void Producer_config_carries_the_request_timeout_and_admin_and_consumer_configs_do_not()
    {
        using var factory = new KafkaClientFactory(Connection());

        Assert.Equal(7000, factory.CreateProducerConfig().RequestTimeoutMs);
        Assert.Equal("7000", factory.CreateProducerConfig().Get("request.timeout.ms"));
        Assert.Null(factory.CreateAdminConfig().Get("request.timeout.ms"));
        Assert.Null(factory.CreateConsumerConfig().Get("request.timeout.ms"));
    }

    [Fact]
    public void Producer_request_timeout_follows_the_options()
    {
        var options = Connection().GetOptions() with { RequestTimeout = TimeSpan.FromMilliseconds(12345) };
        using var factory = new KafkaClientFactory(new KafkaConnection("other", options));

        Assert.Equal(12345, factory.CreateProducerConfig().RequestTimeoutMs);
    }

    [Fact]
    public void No_client_asks_the_broker_to_auto_create_topics_unless_a_property_says_so()
    {
        using var factory = new KafkaClientFactory(Connection());
        Assert.Equal(("false", "false", "false"),
            (factory.CreateAdminConfig().Get("allow.auto.create.topics"), factory.CreateProducerConfig().Get("allow.auto.create.topics"),
             factory.CreateConsumerConfig().Get("allow.auto.create.topics")));

        var options = Connection().GetOptions() with { Properties = new Dictionary<string, string> { ["allow.auto.create.topics"] = "true" } };
        using var overridden = new KafkaClientFactory(new KafkaConnection("auto", options));
        Assert.Equal(("true", "true"), (overridden.CreateAdminConfig().Get("allow.auto.create.topics"), overridden.CreateProducerConfig().Get("allow.auto.create.topics")));
    }

    [Fact]
    public void The_admin_client_connects_to_every_broker_at_once_unless_a_property_says_so()
    {
        using var factory = new KafkaClientFactory(Connection());
        Assert.Equal("false", factory.CreateAdminConfig().Get("enable.sparse.connections"));
        Assert.Null(factory.CreateProducerConfig().Get("enable.sparse.connections"));

        var options = Connection().GetOptions() with { Properties = new Dictionary<string, string> { ["enable.sparse.connections"] = "true" } };
        using var overridden = new KafkaClientFactory(new KafkaConnection("sparse", options));
        Assert.Equal("true", overridden.CreateAdminConfig().Get("enable.sparse.connections"));
    }

    [Fact]
    public void Redact_hides_secret_values()
    {
        using var factory = new KafkaClientFactory(Connection("hunter2-secret"));
        Assert.Equal("failed: *** rejected", factory.Redact("failed: hunter2-secret rejected"));
    }

    [Theory]
    [InlineData("sasl.password", true)]
    [InlineData("ssl.key.password", true)]
    [InlineData("sasl.oauthbearer.client.secret", true)]
    [InlineData("ssl.key.pem", true)]
    [InlineData("bootstrap.servers", false)]
    [InlineData("sasl.username", false)]
    public void Sensitive_keys_are_recognised(string key, bool sensitive) =>
        Assert.Equal(sensitive, KafkaClientFactory.IsSensitiveKey(key));

    [Fact]
    public void Secrets_never_show_in_ToString_or_json_of_the_connection()
    {
        var connection = Connection("hunter2-secret");
        Assert.DoesNotContain("hunter2", connection.ToString());
        Assert.DoesNotContain("hunter2", JsonSerializer.Serialize(connection));
        Assert.DoesNotContain("hunter2", new KafkaOAuthBearerToken("hunter2-token", DateTimeOffset.UtcNow, "p").ToString());
    }

    [Fact]
    public void Sinks_receive_client_lines_until_detached()
    {
        using var factory = new KafkaClientFactory(Connection());
        var sink = new RecordingSink();
        var lease = factory.AttachSink(sink);
        lease.Dispose();
        Assert.Empty(sink.Verbose);
    }

    [Fact]
    public void Cache_gives_one_factory_per_connection_object_and_releases_it()
    {
        using var cache = new KafkaClientCache();
        var a = Connection();
        var b = Connection();

        var fa = cache.GetOrCreate(a);
        Assert.Same(fa, cache.GetOrCreate(a));
        Assert.NotSame(fa, cache.GetOrCreate(b));
        Assert.Equal(2, cache.Count);

        Assert.True(cache.Release(a));
        Assert.False(cache.Release(a));
        Assert.Throws<ObjectDisposedException>(() => fa.AdminClient);
        Assert.Equal(1, cache.Count);
    }
}
