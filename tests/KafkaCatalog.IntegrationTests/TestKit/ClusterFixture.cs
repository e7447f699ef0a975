using Confluent.Kafka;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>One 3-broker TestKit cluster per test class, with helpers for Confluent.Kafka clients.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public KafkaTestCluster Cluster { get; private set; } = null!;

    protected virtual KafkaTestClusterOptions CreateOptions() => new() { Brokers = 3 };

    public async Task InitializeAsync()
    {
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
        Cluster = await KafkaTestCluster.StartAsync(CreateOptions());
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig
    {
        BootstrapServers = Cluster.BootstrapServers,
        SocketTimeoutMs = 10000,
    }).Build();

    public IProducer<string?, string?> Producer(Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig { BootstrapServers = Cluster.BootstrapServers, Acks = Acks.All, LingerMs = 0 };
        configure?.Invoke(config);
        return new ProducerBuilder<string?, string?>(config).Build();
    }

    public IConsumer<string?, string?> Consumer(Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = "testkit-unused",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<string?, string?>(config).Build();
    }
}
