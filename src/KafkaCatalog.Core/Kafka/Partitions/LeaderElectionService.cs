using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Partitions;

/// <summary>
/// Leader elections (ElectLeaders, sent by librdkafka to the controller): plan from the topics' metadata,
/// then elect, one outcome per partition.
/// </summary>
public sealed class LeaderElectionService
{
    private readonly KafkaCalls _calls;

    public LeaderElectionService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>
    /// The partitions in scope with their current and preferred leaders (one metadata request). A plain
    /// topic name that does not exist goes to <paramref name="onItemError"/> as TopicNotFound.
    /// </summary>
    public async Task<IReadOnlyList<KafkaLeaderElectionResult>> PlanAsync(LeaderElectionRequest request, Action<KafkaCatalogException>? onItemError, CancellationToken cancellationToken = default)
    {
        LeaderElectionPlanner.Validate(request);
        var topics = new List<KafkaTopic>();
        await foreach (var topic in new TopicService(_calls.Factory, _calls.Sink, _calls.Retry).ListAsync(new TopicQuery { Names = request.Topics }, onItemError, cancellationToken).ConfigureAwait(false))
        {
            topics.Add(topic);
        }

        return LeaderElectionPlanner.Plan(request, topics, _calls.Factory.Connection.Name);
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
        _calls.Sink.Verbose($"ElectLeaders ({type}) for {plan.Count} partition(s) on {_calls.Factory.BootstrapServers}.");
        var answers = await _calls.RunAsync(
            new KafkaCall("ElectLeaders", KafkaCallKind.IdempotentWrite, $"elect leaders for {plan.Count} partition(s)", plan[0].Topic),
            async _ =>
            {
                try
                {
                    var result = await _calls.Factory.AdminClient.ElectLeadersAsync(electionType, partitions, new ElectLeadersOptions { RequestTimeout = _calls.Factory.RequestTimeout, OperationTimeout = _calls.Factory.RequestTimeout }).ConfigureAwait(false);
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
        var topics = new TopicService(_calls.Factory, _calls.Sink, _calls.Retry);
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

        _calls.Sink.Warning("The cluster elected the leaders, but its metadata does not show some of them yet; their NewLeader is empty. Run Get-KafkaTopic in a moment.");
    }
}
