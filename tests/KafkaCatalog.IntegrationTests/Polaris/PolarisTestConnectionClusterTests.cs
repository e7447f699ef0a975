using KafkaCatalog.Core.Polaris;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Polaris;
using static KafkaCatalog.IntegrationTests.Polaris.PolarisTest;

namespace KafkaCatalog.IntegrationTests.Polaris;

/// <summary>test-connection against the TestKit Kafka cluster: the emulator really speaks Kafka to it.</summary>
public sealed class PolarisTestConnectionClusterTests : IAsyncLifetime
{
    private KafkaTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        _cluster.State.CreateTopic("clicks", 3, 2);
        _cluster.State.CreateTopic("events-1", 1, 1);
        _cluster.State.CreateTopic("events-22", 1, 1);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Existing_topic_passes()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "clicks", BootstrapServers = _cluster.BootstrapServers, TopicName = "clicks" });

        var result = await client.TestKafkaConnectionAsync("clicks");

        Assert.True(result.Succeeded, result.Reason);
        Assert.Null(result.Reason);
        Assert.True(_cluster.RequestCount(18) >= 1, "the emulator sent ApiVersions");
        Assert.True(_cluster.RequestCount(3) >= 1, "the emulator sent Metadata");
    }

    [Fact]
    public async Task Unknown_topic_fails_with_the_reason()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "orders", BootstrapServers = _cluster.BootstrapServers, TopicName = "orders" });

        var result = await client.TestKafkaConnectionAsync("orders");

        Assert.False(result.Succeeded);
        Assert.Equal("PolarisConnectionTestFailed", result.ErrorId);
        Assert.Contains("Topic 'orders' does not exist", result.Reason);
        Assert.DoesNotContain(_cluster.State.Topics, t => t.Name == "orders");
    }

    [Fact]
    public async Task Pattern_matches_topics_on_the_cluster()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "events", BootstrapServers = _cluster.BootstrapServers, TopicPattern = "events-[0-9]+" });
        await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "none", BootstrapServers = _cluster.BootstrapServers, TopicPattern = "audit-.*" });

        Assert.True((await client.TestKafkaConnectionAsync("events")).Succeeded);
        var none = await client.TestKafkaConnectionAsync("none");
        Assert.False(none.Succeeded);
        Assert.Contains("No topic on the cluster matches the pattern 'audit-.*'", none.Reason);
    }

    [Fact]
    public async Task One_dead_bootstrap_server_is_skipped()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        var servers = $"127.0.0.1:{PolarisTestConnectionTests.ClosedPort()},{_cluster.BootstrapServers}";
        await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "clicks", BootstrapServers = servers, TopicName = "clicks" });

        Assert.True((await client.TestKafkaConnectionAsync("clicks")).Succeeded);
    }

    [Fact]
    public async Task Sasl_secrets_against_a_broker_without_sasl_fail_with_the_reason()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks", bootstrap: _cluster.BootstrapServers));

        var result = await client.TestKafkaConnectionAsync("clicks");

        Assert.False(result.Succeeded);
        Assert.Contains("SASL", result.Reason);
        Assert.DoesNotContain(KafkaPassword, result.Reason);
    }
}
