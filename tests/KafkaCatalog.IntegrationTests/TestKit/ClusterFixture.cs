using Confluent.Kafka;
using KafkaCatalog.IntegrationTests.RealCluster;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>
/// One 3-broker TestKit cluster per test class, with helpers for Confluent.Kafka clients. A derived fixture that
/// returns true from <see cref="RealClusterCapable"/> targets the real cluster named by KAFKACATALOG_TEST_BOOTSTRAP
/// instead (then <see cref="Cluster"/> is null and TestKit-only tests are skipped).
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public KafkaTestTarget Target { get; private set; } = null!;

    /// <summary>The TestKit cluster; null when <see cref="Target"/> is a real cluster.</summary>
    public KafkaTestCluster Cluster { get; private set; } = null!;

    protected virtual KafkaTestClusterOptions CreateOptions() => new() { Brokers = 3 };

    /// <summary>True: this fixture's tests may run against a real cluster.</summary>
    protected virtual bool RealClusterCapable => false;

    public async Task InitializeAsync()
    {
        KafkaCatalog.Core.Kafka.NativeLibraryLoader.EnsureLoaded();
        Target = await KafkaTestTarget.StartAsync(CreateOptions, RealClusterCapable);
        Cluster = Target.TestKit!;
    }

    public async Task DisposeAsync() => await Target.DisposeAsync();

    public IAdminClient Admin() => new AdminClientBuilder(Target.Apply(new AdminClientConfig
    {
        SocketTimeoutMs = 10000,
    })).Build();

    public IProducer<string?, string?> Producer(Action<ProducerConfig>? configure = null)
    {
        var config = Target.Apply(new ProducerConfig { Acks = Acks.All, LingerMs = 0 });
        configure?.Invoke(config);
        return new ProducerBuilder<string?, string?>(config).Build();
    }

    public IConsumer<string?, string?> Consumer(Action<ConsumerConfig>? configure = null)
    {
        var config = Target.Apply(new ConsumerConfig
        {
            GroupId = "testkit-unused",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        });
        configure?.Invoke(config);
        return new ConsumerBuilder<string?, string?>(config).Build();
    }
}
