using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.TopicState;

/// <summary>One change of Sync-KafkaTopic: its result, and the error when it failed.</summary>
public sealed record TopicSyncOutcome(KafkaTopicSyncResult Result, KafkaCatalogException? Error);

/// <summary>
/// Desired-state topics: reads the cluster once and plans the differences (<see cref="TopicStatePlanner"/>),
/// then applies a plan through <see cref="TopicService"/> and <see cref="ConfigService"/>.
/// </summary>
public sealed class TopicStateService
{
    private readonly KafkaCalls _calls;

    public TopicStateService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>
    /// Reads the cluster (one metadata request for the topics; DescribeConfigs, batched, for the desired
    /// topics that exist and list configs) and returns the differences. Reads only.
    /// </summary>
    public async Task<IReadOnlyList<KafkaTopicDifference>> PlanAsync(TopicStateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        TopicStatePlanner.ParsePatterns(request);
        var topicService = new TopicService(_calls.Factory, _calls.Sink, _calls.Retry);
        var topics = new List<KafkaTopic>();
        await foreach (var topic in topicService.ListAsync(new TopicQuery(), null, cancellationToken).ConfigureAwait(false))
        {
            topics.Add(topic);
        }

        var existing = topics.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var withConfigs = TopicStatePlanner.Selected(request).Where(t => t.Config is not null && existing.Contains(t.Name)).Select(t => t.Name).ToArray();
        var configs = new Dictionary<string, IReadOnlyList<KafkaConfigEntry>>(StringComparer.Ordinal);
        if (withConfigs.Length > 0)
        {
            KafkaCatalogException? failure = null;
            var configService = new ConfigService(_calls.Factory, _calls.Sink, _calls.Retry);
            await foreach (var (name, entries) in configService.DescribeTopicsAsync(withConfigs, e => failure ??= e, cancellationToken).ConfigureAwait(false))
            {
                configs[name] = entries;
            }

            if (failure is not null)
            {
                // A plan without a topic's configs would set every desired config and reset none: refuse it.
                throw failure;
            }
        }

        var plan = TopicStatePlanner.Plan(request, topics, configs, _calls.Factory.Connection.Name, _calls.Factory.BootstrapServers);
        _calls.Sink.Verbose($"Desired state: {request.Topics.Count} topic(s); cluster: {topics.Count} topic(s); {plan.Count} difference(s).");
        return plan;
    }

    /// <summary>
    /// Applies <paramref name="changes"/> (the plan, or the part of it that was confirmed) and returns one
    /// outcome per change: creates first (with their configs), then partitions, then one incremental config
    /// change per topic (its SetConfig and ResetConfig together), then, with <paramref name="removeMissing"/>,
    /// the deletion of the Missing topics. ReplicationFactorDiffers, PartitionsDecreaseRequested and Missing
    /// without <paramref name="removeMissing"/> are NotApplied. A failed change does not stop the others;
    /// a cluster that stops answering ends the whole call (the exception).
    /// </summary>
    public async Task<IReadOnlyList<TopicSyncOutcome>> ApplyAsync(IReadOnlyList<KafkaTopicDifference> changes, bool removeMissing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var outcomes = new List<TopicSyncOutcome>(changes.Count);
        var topics = new TopicService(_calls.Factory, _calls.Sink, _calls.Retry);
        var configs = new ConfigService(_calls.Factory, _calls.Sink, _calls.Retry);

        foreach (var change in changes.Where(c => !c.CanApply || (c.Kind == KafkaTopicDifferenceKind.Missing && !removeMissing)))
        {
            var reason = change.Kind == KafkaTopicDifferenceKind.Missing
                ? $"Topic '{change.Topic}' is not in the desired state; it is deleted only with -RemoveMissing."
                : change.Description;
            outcomes.Add(new TopicSyncOutcome(Result(change, KafkaTopicSyncStatus.NotApplied, reason, null), null));
        }

        foreach (var change in changes.Where(c => c.Kind == KafkaTopicDifferenceKind.Create))
        {
            var desired = change.DesiredTopic ?? new DesiredTopic { Name = change.Topic };
            var spec = new NewTopicSpec
            {
                Name = desired.Name,
                Partitions = desired.Partitions,
                ReplicationFactor = desired.ReplicationFactor,
                Config = desired.Config ?? new Dictionary<string, string>(StringComparer.Ordinal),
            };
            outcomes.Add(await RunAsync(change, () => topics.CreateAsync(spec, validateOnly: false, cancellationToken)).ConfigureAwait(false));
        }

        foreach (var change in changes.Where(c => c.Kind == KafkaTopicDifferenceKind.AddPartitions))
        {
            var total = int.Parse(change.Desired!, System.Globalization.CultureInfo.InvariantCulture);
            outcomes.Add(await RunAsync(change, () => topics.AddPartitionsAsync(change.Topic, total, validateOnly: false, cancellationToken)).ConfigureAwait(false));
        }

        foreach (var group in changes.Where(c => c.Kind is KafkaTopicDifferenceKind.SetConfig or KafkaTopicDifferenceKind.ResetConfig).GroupBy(c => c.Topic, StringComparer.Ordinal))
        {
            var rows = group.ToArray();
            var change = new ConfigChange
            {
                Set = rows.Where(r => r.Kind == KafkaTopicDifferenceKind.SetConfig).ToDictionary(r => r.Setting!, r => r.Desired ?? string.Empty, StringComparer.Ordinal),
                Remove = rows.Where(r => r.Kind == KafkaTopicDifferenceKind.ResetConfig).Select(r => r.Setting!).ToArray(),
            };
            var outcome = await RunAsync(rows[0], () => configs.AlterTopicAsync(group.Key, change, validateOnly: false, cancellationToken)).ConfigureAwait(false);
            outcomes.AddRange(rows.Select(r => new TopicSyncOutcome(outcome.Result with { Kind = r.Kind, Setting = r.Setting, Current = r.Current, Desired = r.Desired }, outcome.Error)));
        }

        var missing = removeMissing ? changes.Where(c => c.Kind == KafkaTopicDifferenceKind.Missing).ToArray() : [];
        if (missing.Length > 0)
        {
            IReadOnlyList<KafkaTopicChange> deleted;
            KafkaCatalogException? failure = null;
            try
            {
                deleted = await topics.DeleteAsync(missing.Select(m => m.Topic).ToArray(), cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaCatalogException ex) when (!EndsCommand(ex))
            {
                deleted = [];
                failure = ex;
            }

            var byTopic = deleted.ToDictionary(d => d.Topic, StringComparer.Ordinal);
            foreach (var change in missing)
            {
                var error = failure ?? (byTopic.TryGetValue(change.Topic, out var report) ? report.Error : null);
                outcomes.Add(new TopicSyncOutcome(
                    Result(change, error is null ? KafkaTopicSyncStatus.Applied : KafkaTopicSyncStatus.Failed, error?.Message, error?.ErrorId), error));
            }
        }

        return outcomes;
    }

    /// <summary>A failure of the command as a whole (the cluster, the client, credentials), not of one change.</summary>
    public static bool EndsCommand(KafkaCatalogException ex) =>
        ex.Kind is FailureKind.ConnectionError or FailureKind.NotInstalled or FailureKind.AuthenticationError or FailureKind.SecurityError;

    private async Task<TopicSyncOutcome> RunAsync(KafkaTopicDifference change, Func<Task> apply)
    {
        try
        {
            await apply().ConfigureAwait(false);
            _calls.Sink.Verbose($"Applied: {change.Description}");
            return new TopicSyncOutcome(Result(change, KafkaTopicSyncStatus.Applied, null, null), null);
        }
        catch (KafkaCatalogException ex) when (!EndsCommand(ex))
        {
            return new TopicSyncOutcome(Result(change, KafkaTopicSyncStatus.Failed, ex.Message, ex.ErrorId), ex);
        }
    }

    private KafkaTopicSyncResult Result(KafkaTopicDifference change, string status, string? message, string? errorId) => new()
    {
        Topic = change.Topic,
        Kind = change.Kind,
        Setting = change.Setting,
        Current = change.Current,
        Desired = change.Desired,
        Status = status,
        Message = message,
        ErrorId = errorId,
        ConnectionName = _calls.Factory.Connection.Name,
    };
}
