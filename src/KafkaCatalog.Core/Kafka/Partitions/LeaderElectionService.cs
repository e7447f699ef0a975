using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Leader elections (ElectLeaders, sent by librdkafka to the controller): plan from the topics' metadata,
/// then elect, one outcome per partition.
/// </summary>
public sealed class LeaderElectionService
{
    private readonly KafkaClientFactory _factory;
    private readonly IOperationSink _sink;
    private readonly KafkaRetry _retry;

    public LeaderElectionService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _sink = sink ?? NullOperationSink.Instance;
        _retry = retry ?? new KafkaRetry();
    }

    /// <summary>
    /// The partitions in scope with their current and preferred leaders (one metadata request). A plain
    /// topic name that does not exist goes to <paramref name="onItemError"/> as TopicNotFound.
    /// </summary>
    public async Task<IReadOnlyList<KafkaLeaderElectionResult>> PlanAsync(LeaderElectionRequest request, Action<KafkaCatalogException>? onItemError, CancellationToken cancellationToken = default)
    {
        LeaderElectionPlanner.Validate(request);
        var topics = new List<KafkaTopic>();
        await foreach (var topic in new TopicService(_factory, _sink, _retry).ListAsync(new TopicQuery { Names = request.Topics }, onItemError, cancellationToken).ConfigureAwait(false))
        {
            topics.Add(topic);
        }

        return LeaderElectionPlanner.Plan(request, topics, _factory.Connection.Name);
    }

    /// <summary>
    /// Runs the election for every row of <paramref name="plan"/> (all of them: the cluster, not the plan,
    /// decides what needs no election) and returns one outcome per row, in the plan's order.
    /// </summary>
    public async Task<IReadOnlyList<LeaderElectionOutcome>> ElectAsync(IReadOnlyList<KafkaLeaderElectionResult> plan, KafkaElectionType type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Count == 0)
        {
            return [];
        }

        var partitions = plan.Select(r => new TopicPartition(r.Topic, r.Partition)).ToList();
        var electionType = type == KafkaElectionType.Unclean ? ElectionType.Unclean : ElectionType.Preferred;
        _sink.Verbose($"ElectLeaders ({type}) for {plan.Count} partition(s) on {_factory.BootstrapServers}.");
        var answers = await new KafkaCalls(_factory, _sink, _retry).RunAsync(
            new KafkaCall("ElectLeaders", KafkaCallKind.IdempotentWrite, $"elect leaders for {plan.Count} partition(s)", plan[0].Topic),
            async _ =>
            {
                try
                {
                    var result = await _factory.AdminClient.ElectLeadersAsync(electionType, partitions, new ElectLeadersOptions { RequestTimeout = _factory.RequestTimeout, OperationTimeout = _factory.RequestTimeout }).ConfigureAwait(false);
                    return result.TopicPartitions;
                }
                catch (ElectLeadersException ex)
                {
                    // Per-partition answers (ELECTION_NOT_NEEDED among them) are outcomes, not a failed call.
                    return ex.Results.TopicPartitions;
                }
            },
            cancellationToken).ConfigureAwait(false);

        var byPartition = answers.GroupBy(a => (a.Topic, a.Partition.Value)).ToDictionary(g => g.Key, g => g.First().Error);
        var outcomes = plan.Select(row => byPartition.TryGetValue((row.Topic, row.Partition), out var error)
            ? LeaderElectionPlanner.Outcome(row, error.Code, error.Reason)
            : LeaderElectionPlanner.Outcome(row, ErrorCode.Unknown, "the cluster's answer did not mention this partition")).ToList();

        if (outcomes.Any(o => o.Result is { Outcome: "Elected", NewLeader: null }))
        {
            await FillNewLeadersAsync(outcomes, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    /// <summary>An unclean election's new leader is only in metadata, which reaches the brokers shortly after the answer.</summary>
    private async Task FillNewLeadersAsync(List<LeaderElectionOutcome> outcomes, CancellationToken cancellationToken)
    {
        var topics = new TopicService(_factory, _sink, _retry);
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            var metadata = await topics.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
            var leaders = metadata.Topics.SelectMany(t => t.Partitions.Select(p => (t.Topic, p.PartitionId, p.Leader))).ToDictionary(x => (x.Topic, x.PartitionId), x => x.Leader);
            for (var i = 0; i < outcomes.Count; i++)
            {
                var r = outcomes[i].Result;
                if (r is { Outcome: "Elected", NewLeader: null } && leaders.TryGetValue((r.Topic, r.Partition), out var leader) && leader >= 0)
                {
                    outcomes[i] = outcomes[i] with { Result = r with { NewLeader = leader } };
                }
            }

            if (!outcomes.Any(o => o.Result is { Outcome: "Elected", NewLeader: null }))
            {
                return;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }

        _sink.Warning("The cluster elected the leaders, but its metadata does not show some of them yet; their NewLeader is empty. Run Get-KafkaTopic in a moment.");
    }
}
