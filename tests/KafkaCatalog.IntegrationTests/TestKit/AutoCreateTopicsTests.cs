using Confluent.Kafka;
using KafkaCatalog.TestKit;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>A TestKit cluster that auto-creates topics like a default-configured Kafka broker (opt-in).</summary>
public sealed class AutoCreatingClusterFixture : ClusterFixture
{
    protected override KafkaTestClusterOptions CreateOptions() => new() { Brokers = 3, AutoCreateTopics = true, DefaultPartitions = 2 };
}

/// <summary>
/// KafkaTestClusterOptions.AutoCreateTopics (serve --auto-create-topics): a metadata request naming a missing topic creates
/// it when the client allows auto-creation, which librdkafka's admin client (a producer underneath) does by default.
/// </summary>
public sealed class AutoCreateTopicsTests(AutoCreatingClusterFixture fx) : IClassFixture<AutoCreatingClusterFixture>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private IAdminClient Admin(bool? allowAutoCreate)
    {
        var config = new AdminClientConfig { BootstrapServers = fx.Cluster.BootstrapServers };
        if (allowAutoCreate is { } allow)
        {
            config.AllowAutoCreateTopics = allow;
        }

        return new AdminClientBuilder(config).Build();
    }

    [Fact]
    public void Asking_for_a_missing_topic_with_the_admin_client_defaults_creates_it_with_the_broker_defaults()
    {
        var name = Unique("typo");
        using var admin = Admin(allowAutoCreate: null);

        var first = admin.GetMetadata(name, TimeSpan.FromSeconds(10)).Topics.Single();

        // The broker answers LEADER_NOT_AVAILABLE for the topic it just created; librdkafka may ask again before returning.
        Assert.Contains(first.Error.Code, new[] { ErrorCode.LeaderNotAvailable, ErrorCode.NoError });
        var created = fx.Cluster.State.GetTopic(name);
        Assert.NotNull(created);
        Assert.Equal(2, created!.Partitions.Count);
    }

    [Fact]
    public void A_client_that_disallows_auto_creation_only_learns_the_topic_is_missing()
    {
        var name = Unique("typo");
        using var admin = Admin(allowAutoCreate: false);

        var topic = admin.GetMetadata(name, TimeSpan.FromSeconds(10)).Topics.Single();

        Assert.Equal(ErrorCode.UnknownTopicOrPart, topic.Error.Code);
        Assert.Null(fx.Cluster.State.GetTopic(name));
    }

    [Fact]
    public async Task Off_by_default()
    {
        await using var plain = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 1 });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = plain.BootstrapServers }).Build();
        var name = Unique("typo");

        Assert.Equal(ErrorCode.UnknownTopicOrPart, admin.GetMetadata(name, TimeSpan.FromSeconds(10)).Topics.Single().Error.Code);
        Assert.Null(plain.State.GetTopic(name));
    }

    [Fact]
    public void The_sandbox_flag_turns_it_on()
    {
        Assert.True(Cli.Parse(["serve", "--auto-create-topics"]).Options!.AutoCreateTopics);
        Assert.False(Cli.Parse(["serve"]).Options!.AutoCreateTopics);
        Assert.Contains("[--auto-create-topics]", Cli.Usage);
    }
}
