using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.Conformance;

/// <summary>One 3-broker TestKit cluster per test class for the independent clients.</summary>
public class ConformanceCluster : IAsyncLifetime
{
    public KafkaTestCluster Cluster { get; private set; } = null!;

    public string Bootstrap => Cluster.BootstrapServers;

    protected virtual KafkaTestClusterOptions CreateOptions() => new() { Brokers = 3 };

    public virtual async Task InitializeAsync() => Cluster = await KafkaTestCluster.StartAsync(CreateOptions());

    public virtual async Task DisposeAsync() => await Cluster.DisposeAsync();

    public static string Prefix(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
}
