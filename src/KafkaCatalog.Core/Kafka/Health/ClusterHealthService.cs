using System.Runtime.CompilerServices;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Health;

/// <summary>
/// Test-KafkaCluster: one <see cref="KafkaHealthCheck"/> per check, streamed as each is known.
/// Reads only: one DescribeCluster, one DescribeConfigs per broker (proves each broker answers),
/// one metadata request and one DescribeConfigs per batch of topics (min.insync.replicas), and, for
/// the group checks, the consumer groups with their offsets (as Get-KafkaConsumerGroup -IncludeOffsets).
/// Every call is bounded by the connection's request timeout through the services it uses.
/// </summary>
public sealed class ClusterHealthService
{
    private readonly KafkaCalls _calls;

    public ClusterHealthService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>Streams the checks asked for (all by default), in <see cref="KafkaHealthChecks.All"/> order.</summary>
    public async IAsyncEnumerable<KafkaHealthCheck> TestAsync(ClusterHealthOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = ClusterHealthEvaluator.ResolveChecks(options.Checks);
        const int progressId = 4301;
        var cluster = await new ClusterService(_calls.Factory, _calls.Sink, _calls.Retry).DescribeAsync(cancellationToken).ConfigureAwait(false);
        var needsTopics = checks.Any(c => c is not KafkaHealthChecks.ControllerPresent and not KafkaHealthChecks.GroupsLaggingWithoutMembers and not KafkaHealthChecks.CommittedOffsetsBelowLogStart);
        IReadOnlyList<KafkaTopic> topics = [];
        if (needsTopics)
        {
            _calls.Sink.Progress(new OperationProgress(progressId, "Testing the Kafka cluster", "Reading topics and their min.insync.replicas", 10));
            var list = new List<KafkaTopic>();
            var query = new TopicQuery { IncludeInternal = !options.ExcludeInternalTopics, IncludeConfig = checks.Contains(KafkaHealthChecks.UnderMinIsrPartitions) };
            await foreach (var topic in new TopicService(_calls.Factory, _calls.Sink, _calls.Retry).ListAsync(query, e => _calls.Sink.Warning(e.Message), cancellationToken).ConfigureAwait(false))
            {
                list.Add(topic);
            }

            topics = list;
        }

        foreach (var check in checks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (check)
            {
                case KafkaHealthChecks.BrokersReachable:
                    yield return Named(ClusterHealthEvaluator.Brokers(cluster, topics, await UnansweredBrokersAsync(cluster, cancellationToken).ConfigureAwait(false)));
                    break;
                case KafkaHealthChecks.ControllerPresent:
                    yield return Named(ClusterHealthEvaluator.Controller(cluster));
                    break;
                case KafkaHealthChecks.OfflinePartitions:
                    yield return Named(ClusterHealthEvaluator.Offline(topics));
                    break;
                case KafkaHealthChecks.UnderReplicatedPartitions:
                    yield return Named(ClusterHealthEvaluator.UnderReplicated(topics));
                    break;
                case KafkaHealthChecks.UnderMinIsrPartitions:
                    yield return Named(ClusterHealthEvaluator.UnderMinIsr(topics));
                    break;
                case KafkaHealthChecks.PreferredLeaderImbalance:
                    yield return Named(ClusterHealthEvaluator.PreferredLeader(topics));
                    break;
                default:
                    break;
            }
        }

        if (checks.Contains(KafkaHealthChecks.GroupsLaggingWithoutMembers) || checks.Contains(KafkaHealthChecks.CommittedOffsetsBelowLogStart))
        {
            _calls.Sink.Progress(new OperationProgress(progressId, "Testing the Kafka cluster", "Reading consumer groups and their offsets", 60));
            var groups = new List<KafkaConsumerGroup>();
            await foreach (var group in new ConsumerGroupService(_calls.Factory, _calls.Sink, _calls.Retry).ListAsync(new ConsumerGroupQuery { IncludeOffsets = true }, e => _calls.Sink.Warning(e.Message), cancellationToken).ConfigureAwait(false))
            {
                groups.Add(group);
            }

            if (checks.Contains(KafkaHealthChecks.GroupsLaggingWithoutMembers))
            {
                yield return Named(ClusterHealthEvaluator.IdleLaggingGroups(groups));
            }

            if (checks.Contains(KafkaHealthChecks.CommittedOffsetsBelowLogStart))
            {
                yield return Named(ClusterHealthEvaluator.BelowLogStart(groups));
            }
        }

        _calls.Sink.Progress(new OperationProgress(progressId, "Testing the Kafka cluster", "Done", 100, Completed: true));
    }

    /// <summary>
    /// -Quiet: true only when no check fails. A cluster that does not answer the bounded reachability
    /// proof is false (a runbook's <c>if (-not (Test-KafkaCluster -Quiet))</c> must take its unhealthy
    /// branch, not skip the statement on a terminating error); other failures (bad credentials, TLS) still throw.
    /// </summary>
    public async Task<bool> TestQuietAsync(ClusterHealthOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ClusterHealthEvaluator.ResolveChecks(options.Checks);
        try
        {
            await NativeCallGate.Abandonable(ProveAsync(), cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaCatalogException ex) when (ex.Is(ErrorCatalog.KafkaClusterUnreachable))
        {
            _calls.Sink.Verbose($"{ex.Message} Test-KafkaCluster -Quiet returns False.");
            return false;
        }

        var healthy = true;
        await foreach (var check in TestAsync(options, cancellationToken).ConfigureAwait(false))
        {
            _calls.Sink.Verbose($"{check.Check}: {check.Status}. {check.Message}");
            healthy &= check.Status != KafkaHealthStatus.Fail;
        }

        return healthy;
    }

    private async Task<bool> ProveAsync()
    {
        await ClusterReachabilityCheck.ProveAsync(_calls.Factory, _calls.Sink).ConfigureAwait(false);
        return true;
    }

    /// <summary>Brokers that did not answer a DescribeConfigs addressed to them (each broker answers for itself).</summary>
    private async Task<IReadOnlyCollection<int>> UnansweredBrokersAsync(KafkaCluster cluster, CancellationToken cancellationToken)
    {
        var ids = cluster.Brokers.Select(b => b.BrokerId).ToArray();
        var answered = new HashSet<int>();
        if (ids.Length == 0)
        {
            return answered;
        }

        var configs = new ConfigService(_calls.Factory, _calls.Sink, _calls.Retry);
        await foreach (var (broker, _) in configs.DescribeBrokersAsync(ids, e => _calls.Sink.Verbose($"A broker did not answer: {e.Message}"), cancellationToken).ConfigureAwait(false))
        {
            answered.Add(int.Parse(broker, System.Globalization.CultureInfo.InvariantCulture));
        }

        return ids.Where(id => !answered.Contains(id)).ToArray();
    }

    private KafkaHealthCheck Named(KafkaHealthCheck check) => check with { ConnectionName = _calls.Factory.Connection.Name };
}
