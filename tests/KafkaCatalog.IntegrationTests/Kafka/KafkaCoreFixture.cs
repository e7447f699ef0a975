using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Resilience;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>A 3-broker TestKit cluster per test class, reached through Core's own client factory.</summary>
public class KafkaCoreFixture : IAsyncLifetime
{
    public KafkaTestCluster Cluster { get; private set; } = null!;

    public KafkaConnection Connection { get; private set; } = null!;

    public KafkaClientFactory Factory { get; private set; } = null!;

    /// <summary>Retries without waiting, so fault tests stay quick.</summary>
    public static KafkaRetry FastRetry { get; } = new(new KafkaRetryOptions { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), UseJitter = false });

    protected virtual KafkaTestClusterOptions CreateOptions() => new() { Brokers = 3 };

    public async Task InitializeAsync()
    {
        NativeLibraryLoader.EnsureLoaded();
        Cluster = await KafkaTestCluster.StartAsync(CreateOptions());
        Connection = NewConnection("it");
        Factory = new KafkaClientFactory(Connection);
    }

    public KafkaConnection NewConnection(string name, TimeSpan? timeout = null) =>
        new(name, new KafkaConnectionOptions { BootstrapServers = Cluster.BootstrapServers, ClientId = "kafkacatalog-it", RequestTimeout = timeout ?? TimeSpan.FromSeconds(10) });

    public TopicService Topics(IOperationSink? sink = null) => new(Factory, sink, FastRetry);

    public async Task DisposeAsync()
    {
        Factory.Dispose();
        await Cluster.DisposeAsync();
    }
}

/// <summary>Collects what a service reports, thread-safe.</summary>
public sealed class CollectingSink : IOperationSink
{
    private readonly object _gate = new();
    private readonly List<string> _lines = new();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }
    }

    public void Verbose(string message)
    {
        lock (_gate)
        {
            _lines.Add(message);
        }
    }

    public void Warning(string message) => Verbose("WARNING: " + message);

    public void Progress(OperationProgress progress) => Verbose($"PROGRESS {progress.ActivityId} {progress.Status} {progress.PercentComplete} {progress.Completed}");
}

internal static class AsyncEnumerableExtensions
{
    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
