using Confluent.Kafka;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.IntegrationTests.TestKit;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>A 3-broker TestKit cluster and our own client factory on it (the product's client stack).</summary>
public class GroupsFixture : ClusterFixture, IAsyncLifetime
{
    private readonly List<KafkaClientFactory> _factories = [];

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        NativeLibraryLoader.EnsureLoaded();
    }

    public KafkaClientFactory Factory(TimeSpan? requestTimeout = null)
    {
        var factory = new KafkaClientFactory(new KafkaConnection("it", Target.ConnectionOptions("kafkacatalog", requestTimeout)));
        lock (_factories)
        {
            _factories.Add(factory);
        }

        return factory;
    }

    public new async Task DisposeAsync()
    {
        lock (_factories)
        {
            foreach (var f in _factories)
            {
                f.Dispose();
            }
        }

        await base.DisposeAsync();
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A new topic (through the TestKit state, or CreateTopics on a real cluster).</summary>
    public string Topic(int partitions = 3)
    {
        var name = Unique("t");
        Target.CreateTopicAsync(name, partitions).GetAwaiter().GetResult();
        return name;
    }

    /// <summary>Gives a fresh partition the log [start, end) by producing and deleting records (real client calls, both modes).</summary>
    public Task SetLogAsync(string topic, int partition, long start, long end) => Target.SetLogAsync(topic, partition, start, end);

    /// <summary>Commits a group's offsets for partitions 0..n-1 with AlterConsumerGroupOffsets (the group must have no members).</summary>
    public Task CommitAsync(string group, string topic, params long[] offsets) => Target.CommitAsync(group, topic, offsets);

    /// <summary>Commits one partition's offset for a group.</summary>
    public Task CommitAsync(string group, string topic, int partition, long offset) => Target.CommitAsync(group, topic, partition, offset);

    /// <summary>A real consumer that joins <paramref name="group"/> and is polled until it owns every partition.</summary>
    public IConsumer<string?, string?> JoinedConsumer(string group, string topic, int partitions, string clientId = "it-consumer")
    {
        var assigned = new List<TopicPartition>();
        var consumer = new ConsumerBuilder<string?, string?>(Target.Apply(new ConsumerConfig
        {
            GroupId = group,
            ClientId = clientId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        }))
            .SetPartitionsAssignedHandler((_, parts) => { lock (assigned) { assigned.Clear(); assigned.AddRange(parts); } })
            .Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            lock (assigned)
            {
                if (assigned.Count == partitions)
                {
                    break;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "the consumer did not get its assignment");
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        return consumer;
    }
}

/// <summary>
/// <see cref="GroupsFixture"/> that runs against the real cluster named by KAFKACATALOG_TEST_BOOTSTRAP when it is set
/// (tests using it mark TestKit-only cases with [TestKitFact] / [TestKitTheory]).
/// </summary>
public sealed class RealCapableGroupsFixture : GroupsFixture
{
    protected override bool RealClusterCapable => true;
}

/// <summary>Collects what a service reports through its sink and error callback.</summary>
public sealed class Recorder : IOperationSink
{
    public List<KafkaCatalogException> Errors { get; } = [];

    public List<string> Verbose { get; } = [];

    public List<string> Warnings { get; } = [];

    public void OnError(KafkaCatalogException ex)
    {
        lock (Errors)
        {
            Errors.Add(ex);
        }
    }

    void IOperationSink.Verbose(string message)
    {
        lock (Verbose)
        {
            Verbose.Add(message);
        }
    }

    void IOperationSink.Warning(string message)
    {
        lock (Warnings)
        {
            Warnings.Add(message);
        }
    }

    void IOperationSink.Progress(OperationProgress progress)
    {
    }
}

public static class AsyncEnumerableExtensions
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
