using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Resilience;
using KafkaCatalog.IntegrationTests.RealCluster;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>
/// A 3-broker TestKit cluster per test class, reached through Core's own client factory. A derived fixture that
/// returns true from <see cref="RealClusterCapable"/> targets the real cluster named by KAFKACATALOG_TEST_BOOTSTRAP
/// instead (then <see cref="Cluster"/> is null and TestKit-only tests are skipped).
/// </summary>
public class KafkaCoreFixture : IAsyncLifetime
{
    public KafkaTestTarget Target { get; private set; } = null!;

    /// <summary>The TestKit cluster; null when <see cref="Target"/> is a real cluster.</summary>
    public KafkaTestCluster Cluster { get; private set; } = null!;

    /// <summary>True: this fixture's tests may run against a real cluster.</summary>
    protected virtual bool RealClusterCapable => false;

    public KafkaConnection Connection { get; private set; } = null!;

    public KafkaClientFactory Factory { get; private set; } = null!;

    /// <summary>Retries without waiting, so fault tests stay quick.</summary>
    public static KafkaRetry FastRetry { get; } = new(new KafkaRetryOptions { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), UseJitter = false });

    protected virtual KafkaTestClusterOptions CreateOptions() => new() { Brokers = 3 };

    public async Task InitializeAsync()
    {
        NativeLibraryLoader.EnsureLoaded();
        Target = await KafkaTestTarget.StartAsync(CreateOptions, RealClusterCapable);
        Cluster = Target.TestKit!;
        Connection = NewConnection("it");
        Factory = new KafkaClientFactory(Connection);
    }

    public KafkaConnection NewConnection(string name, TimeSpan? timeout = null) =>
        new(name, Target.ConnectionOptions("kafkacatalog-it", timeout));

    public TopicService Topics(IOperationSink? sink = null) => new(Factory, sink, FastRetry);

    public async Task DisposeAsync()
    {
        Factory.Dispose();
        await Target.DisposeAsync();
    }
}

/// <summary>
/// <see cref="KafkaCoreFixture"/> that runs against the real cluster named by KAFKACATALOG_TEST_BOOTSTRAP when it is set
/// (tests using it mark TestKit-only cases with [TestKitFact] / [TestKitTheory]).
/// </summary>
public sealed class RealCapableKafkaCoreFixture : KafkaCoreFixture
{
    protected override bool RealClusterCapable => true;
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
