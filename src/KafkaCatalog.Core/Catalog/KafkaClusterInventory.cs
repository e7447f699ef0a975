using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.Core.Catalog;

/// <summary>
/// Sync's view of a live cluster: topics (with their configs and message counts) read through <see cref="TopicService"/>;
/// consumer groups (with offsets and lag) through <see cref="ConsumerGroupService"/>, or from a
/// source the caller gives (records piped in).
/// A topic or group that cannot be read fails the whole read instead of being skipped, because sync
/// would otherwise archive it. Made with <see cref="ForCluster"/>, the first read proves that the
/// cluster answers (<see cref="ClusterReachabilityCheck"/>): an unreachable cluster is one
/// KafkaClusterUnreachable naming the bootstrap servers and the timeout, before anything is read.
/// </summary>
public sealed class KafkaClusterInventory : IKafkaInventory
{
    private readonly TopicService _topics;
    private readonly bool _includeInternal;
    private readonly Func<CancellationToken, Task<IReadOnlyList<KafkaConsumerGroup>>> _groups;
    private Func<CancellationToken, Task> _ensureReachable = _ => Task.CompletedTask;

    public KafkaClusterInventory(TopicService topics, Func<CancellationToken, Task<IReadOnlyList<KafkaConsumerGroup>>>? groups = null, bool includeInternal = false)
    {
        _topics = topics ?? throw new ArgumentNullException(nameof(topics));
        _includeInternal = includeInternal;
        _groups = groups ?? (_ => Task.FromResult<IReadOnlyList<KafkaConsumerGroup>>(Array.Empty<KafkaConsumerGroup>()));
    }

    /// <summary>Topics and consumer groups (with per-partition offsets and lag) both read from the cluster.</summary>
    public KafkaClusterInventory(TopicService topics, ConsumerGroupService groups, bool includeInternal = false)
        : this(topics, ct => ReadGroupsAsync(groups ?? throw new ArgumentNullException(nameof(groups)), ct), includeInternal)
    {
    }

    /// <summary>
    /// The whole cluster read through <paramref name="factory"/>: topics and consumer groups, after one
    /// reachability proof shared by both reads.
    /// </summary>
    public static KafkaClusterInventory ForCluster(KafkaClientFactory factory, IOperationSink? sink = null, bool includeInternal = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var operations = sink ?? NullOperationSink.Instance;
        var reachability = new ClusterReachabilityCheck();
        return new KafkaClusterInventory(new TopicService(factory, operations), new ConsumerGroupService(factory, operations), includeInternal)
        {
            _ensureReachable = ct => reachability.EnsureAsync(factory, operations, ct),
        };
    }

    public async Task<IReadOnlyList<KafkaTopic>> ListTopicsAsync(CancellationToken cancellationToken)
    {
        await _ensureReachable(cancellationToken).ConfigureAwait(false);
        var list = new List<KafkaTopic>();
        await foreach (var topic in _topics.ListAsync(new TopicQuery { IncludeConfig = true, IncludeMessageCount = true, IncludeInternal = _includeInternal }, ex => throw ex, cancellationToken).ConfigureAwait(false))
        {
            list.Add(topic);
        }

        return list;
    }

    public async Task<IReadOnlyList<KafkaConsumerGroup>> ListConsumerGroupsAsync(CancellationToken cancellationToken)
    {
        await _ensureReachable(cancellationToken).ConfigureAwait(false);
        return await _groups(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<KafkaConsumerGroup>> ReadGroupsAsync(ConsumerGroupService groups, CancellationToken ct)
    {
        // Every group or its error, in order: the first error ends the read (a group sync cannot see would be archived).
        var list = new List<KafkaConsumerGroup>();
        await foreach (var result in groups.Offsets.ReadWithOffsetsAsync(new ConsumerGroupQuery { IncludeOffsets = true }, ct).ConfigureAwait(false))
        {
            list.Add(result.IsSuccess ? result.Value! : throw result.Error!);
        }

        return list;
    }
}
