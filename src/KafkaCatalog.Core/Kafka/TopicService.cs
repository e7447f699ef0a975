using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>What Get-KafkaTopic asks for.</summary>
public sealed record TopicQuery
{
    /// <summary>Names or wildcard patterns; empty means every topic.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>Include internal topics (__consumer_offsets, __transaction_state) matched by a wildcard.</summary>
    public bool IncludeInternal { get; init; }

    /// <summary>Only topics with a partition whose in-sync replicas are fewer than its replicas.</summary>
    public bool UnderReplicated { get; init; }

    /// <summary>Only topics with a partition that has no leader.</summary>
    public bool Unavailable { get; init; }

    /// <summary>Only topics with a partition whose in-sync replicas are fewer than the topic's min.insync.replicas.</summary>
    public bool UnderMinIsr { get; init; }

    /// <summary>Fill <see cref="KafkaTopic.Config"/> (one batched DescribeConfigs).</summary>
    public bool IncludeConfig { get; init; }

    /// <summary>Fill <see cref="KafkaTopic.MessageCount"/> from the partitions' watermarks (ListOffsets earliest and latest).</summary>
    public bool IncludeMessageCount { get; init; }

    public bool HasHealthFilter => UnderReplicated || Unavailable || UnderMinIsr;
}

/// <summary>A topic to create, as New-KafkaTopic binds it.</summary>
public sealed record NewTopicSpec
{
    public required string Name { get; init; }

    /// <summary>Partition count; null means the broker's default (num.partitions).</summary>
    public int? Partitions { get; init; }

    /// <summary>Replication factor; null means the broker's default (default.replication.factor).</summary>
    public int? ReplicationFactor { get; init; }

    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    public override string ToString()
    {
        var parts = $"partitions={(Partitions?.ToString() ?? "broker default")}, replication factor={(ReplicationFactor?.ToString() ?? "broker default")}";
        if (Config.Count > 0)
        {
            parts += ", config " + string.Join(", ", Config.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
        }

        return $"topic '{Name}' ({parts})";
    }
}

/// <summary>The outcome of a create: the validated spec, and the topic as it now exists unless only validated.</summary>
public sealed record TopicCreationResult
{
    public required NewTopicSpec Spec { get; init; }
    public required bool ValidateOnly { get; init; }

    /// <summary>The created topic (null when <see cref="ValidateOnly"/>).</summary>
    public KafkaTopic? Topic { get; init; }
}

/// <summary>Topics: list and describe with wildcards, create (or validate a creation).</summary>
public sealed class TopicService
{
    /// <summary>Kafka's internal topics (org.apache.kafka.common.internals.Topic).</summary>
    public static readonly IReadOnlySet<string> InternalTopics = new HashSet<string>(StringComparer.Ordinal)
    {
        "__consumer_offsets",
        "__transaction_state",
    };

    private readonly KafkaClientFactory _factory;
    private readonly IOperationSink _sink;
    private readonly KafkaRetry _retry;

    public TopicService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
        _sink = sink ?? NullOperationSink.Instance;
        _retry = retry ?? new KafkaRetry();
    }

    /// <summary>
    /// Streams the topics matching <paramref name="query"/>, ordered by name, from one metadata
    /// request. A plain name (no wildcard) that does not exist is reported through
    /// <paramref name="onItemError"/> as TopicNotFound; a wildcard that matches nothing is not an error.
    /// </summary>
    public async IAsyncEnumerable<KafkaTopic> ListAsync(
        TopicQuery query,
        Action<KafkaCatalogException>? onItemError = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var patterns = ParsePatterns(query.Names);
        var metadata = await GetMetadataAsync(cancellationToken).ConfigureAwait(false);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var selected = new List<TopicMetadata>();
        foreach (var topic in metadata.Topics.OrderBy(t => t.Topic, StringComparer.Ordinal))
        {
            if (Selected(topic.Topic, patterns, query.IncludeInternal))
            {
                seen.Add(topic.Topic);
                selected.Add(topic);
            }
        }

        foreach (var pattern in patterns)
        {
            if (!pattern.HasWildcards && !seen.Contains(pattern.Literal))
            {
                onItemError?.Invoke(KafkaErrors.ForTopic(ErrorCode.UnknownTopicOrPart, null, pattern.Literal, "describe"));
            }
        }

        IReadOnlyDictionary<string, long>? counts = null;
        if (query.IncludeMessageCount)
        {
            counts = await CountMessagesAsync(selected.Select(ToTopic).ToList(), cancellationToken).ConfigureAwait(false);
        }

        KafkaTopic WithCount(KafkaTopic item) =>
            counts is not null && counts.TryGetValue(item.Name, out var count) ? item with { MessageCount = count } : item;

        if (!query.IncludeConfig && !query.UnderMinIsr)
        {
            foreach (var topic in selected)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var item = WithCount(ToTopic(topic));
                if (!query.HasHealthFilter || IsUnhealthy(item, query, null))
                {
                    yield return item;
                }
            }

            yield break;
        }

        // Configs are needed: one DescribeConfigs per batch of topics, topics emitted as each batch completes.
        var configs = new ConfigService(_factory, _sink, _retry);
        var byName = selected.ToDictionary(t => t.Topic, StringComparer.Ordinal);
        await foreach (var (name, entries) in configs.DescribeTopicsAsync(selected.Select(t => t.Topic).ToArray(), onItemError, cancellationToken).ConfigureAwait(false))
        {
            var config = entries.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
            var item = WithCount(ToTopic(byName[name]));
            if (query.IncludeConfig)
            {
                item = item with { Config = config };
            }

            if (!query.HasHealthFilter || IsUnhealthy(item, query, config))
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// Messages per topic: the sum over its partitions of high watermark minus log start offset.
    /// A topic with a partition whose offsets could not be read gets no count (a warning says so):
    /// a partial sum would be an invented number.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CountMessagesAsync(IReadOnlyList<KafkaTopic> topics, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var offsets = new TopicOffsetService(_factory, _sink, _retry);
        _sink.Verbose("Message counts are high watermark minus log start offset per partition (approximate for compacted topics and for transactional topics, whose markers take offsets). Sizes in bytes are not read: they need DescribeLogDirs, which Confluent.Kafka does not offer.");
        await foreach (var row in offsets.GetAsync(topics, null, _ => { }, cancellationToken).ConfigureAwait(false))
        {
            counts[row.Topic] = counts.GetValueOrDefault(row.Topic) + row.MessageCount;
            rows[row.Topic] = rows.GetValueOrDefault(row.Topic) + 1;
        }

        foreach (var topic in topics)
        {
            if (rows.GetValueOrDefault(topic.Name) != topic.Partitions.Count)
            {
                counts.Remove(topic.Name);
                _sink.Warning($"The offsets of some partitions of topic '{topic.Name}' could not be read; its MessageCount is left empty.");
            }
        }

        return counts;
    }

    /// <summary>Whether a topic matches any of the query's health filters.</summary>
    public static bool IsUnhealthy(KafkaTopic topic, TopicQuery query, IReadOnlyDictionary<string, string?>? config)
    {
        if (query.UnderReplicated && topic.Partitions.Any(p => p.IsUnderReplicated))
        {
            return true;
        }

        if (query.Unavailable && topic.Partitions.Any(p => !p.HasLeader))
        {
            return true;
        }

        if (query.UnderMinIsr && config is not null
            && config.TryGetValue("min.insync.replicas", out var text)
            && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var minIsr)
            && topic.Partitions.Any(p => p.InSyncReplicas.Count < minIsr))
        {
            return true;
        }

        return false;
    }

    /// <summary>
    /// Deletes topics in one DeleteTopics request and reports each topic's outcome. Internal
    /// topics are refused before any call.
    /// </summary>
    public async Task<IReadOnlyList<KafkaTopicChange>> DeleteAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<KafkaTopicChange>();
        var toDelete = new List<string>();
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            if (InternalTopics.Contains(topic))
            {
                outcomes.Add(new KafkaTopicChange
                {
                    Topic = topic,
                    Error = new KafkaCatalogException(ErrorCatalog.CannotDeleteInternalTopic,
                        $"Topic '{topic}' is internal to Kafka and is not deleted.", topic),
                });
            }
            else
            {
                toDelete.Add(topic);
            }
        }

        if (toDelete.Count == 0)
        {
            return outcomes;
        }

        _sink.Verbose($"DeleteTopics: {string.Join(", ", toDelete)} on {_factory.BootstrapServers}.");
        try
        {
            await _retry.ExecuteAsync(
                "DeleteTopics",
                KafkaCallKind.NonIdempotentWrite,
                _factory.BootstrapServers,
                _ => _factory.AdminClient.DeleteTopicsAsync(toDelete, new DeleteTopicsOptions { RequestTimeout = _factory.RequestTimeout, OperationTimeout = _factory.RequestTimeout }),
                _sink,
                cancellationToken).ConfigureAwait(false);
            outcomes.AddRange(toDelete.Select(t => new KafkaTopicChange { Topic = t }));
        }
        catch (DeleteTopicsException ex)
        {
            outcomes.AddRange(ex.Results.Select(r => new KafkaTopicChange
            {
                Topic = r.Topic,
                Error = r.Error.IsError ? KafkaErrors.ForTopic(r.Error.Code, r.Error.Reason, r.Topic, "delete") : null,
            }));
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, string.Join(",", toDelete), "delete topics " + string.Join(", ", toDelete), _factory.BootstrapServers, KafkaCallKind.NonIdempotentWrite);
        }

        return outcomes;
    }

    /// <summary>
    /// Raises a topic's partition count to <paramref name="totalCount"/> (or only validates it).
    /// Kafka cannot remove partitions: a total not above the current count is InvalidPartitions.
    /// </summary>
    public async Task<KafkaTopic?> AddPartitionsAsync(string topic, int totalCount, bool validateOnly, CancellationToken cancellationToken = default)
    {
        if (totalCount < 1)
        {
            throw new KafkaCatalogException(ErrorCatalog.InvalidPartitions,
                $"Cannot add partitions to topic '{topic}': the total count must be at least 1 (got {totalCount}).", topic);
        }

        _sink.Verbose($"CreatePartitions{(validateOnly ? " (validate only)" : string.Empty)}: topic '{topic}' to {totalCount} partitions on {_factory.BootstrapServers}.");
        var verb = validateOnly ? "validate adding partitions to" : "add partitions to";
        try
        {
            await _retry.ExecuteAsync(
                "CreatePartitions",
                KafkaCallKind.NonIdempotentWrite,
                _factory.BootstrapServers,
                _ => _factory.AdminClient.CreatePartitionsAsync(
                    [new PartitionsSpecification { Topic = topic, IncreaseTo = totalCount }],
                    new CreatePartitionsOptions { ValidateOnly = validateOnly, RequestTimeout = _factory.RequestTimeout, OperationTimeout = _factory.RequestTimeout }),
                _sink,
                cancellationToken).ConfigureAwait(false);
        }
        catch (CreatePartitionsException ex)
        {
            var report = ex.Results.FirstOrDefault(r => r.Error.IsError) ?? ex.Results[0];
            throw KafkaErrors.ForTopic(report.Error.Code, report.Error.Reason, topic, verb);
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, topic, $"{verb} topic '{topic}'", _factory.BootstrapServers, KafkaCallKind.NonIdempotentWrite);
        }

        if (validateOnly)
        {
            return null;
        }

        // The new partitions appear in metadata shortly after the call returns.
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            var (described, _) = await TryDescribeAsync(topic, cancellationToken).ConfigureAwait(false);
            if (described is not null && described.PartitionCount >= totalCount)
            {
                return described;
            }

            if (attempt >= 8)
            {
                return described;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    /// <summary>
    /// Creates one topic, or with <paramref name="validateOnly"/> asks the cluster to validate
    /// the creation without doing it. Bad input is refused before any call; the cluster's
    /// refusals become TopicAlreadyExists, InvalidTopicName, InvalidPartitions,
    /// InvalidReplicationFactor, InvalidConfig, ... (<see cref="KafkaErrors.ForTopic"/>).
    /// </summary>
    public async Task<TopicCreationResult> CreateAsync(NewTopicSpec spec, bool validateOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);

        var specification = new TopicSpecification
        {
            Name = spec.Name,
            NumPartitions = spec.Partitions ?? -1,
            ReplicationFactor = (short)(spec.ReplicationFactor ?? -1),
            Configs = spec.Config.Count == 0 ? null : new Dictionary<string, string>(spec.Config, StringComparer.Ordinal),
        };
        var options = new CreateTopicsOptions
        {
            ValidateOnly = validateOnly,
            RequestTimeout = _factory.RequestTimeout,
            OperationTimeout = _factory.RequestTimeout,
        };

        var verb = validateOnly ? "validate the creation of" : "create";
        _sink.Verbose($"CreateTopics{(validateOnly ? " (validate only)" : string.Empty)}: {spec} on {_factory.BootstrapServers}.");
        try
        {
            await _retry.ExecuteAsync(
                "CreateTopics",
                KafkaCallKind.NonIdempotentWrite,
                _factory.BootstrapServers,
                _ => _factory.AdminClient.CreateTopicsAsync([specification], options),
                _sink,
                cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException ex)
        {
            var report = ex.Results.FirstOrDefault(r => r.Error.IsError) ?? ex.Results[0];
            var mapped = KafkaErrors.ForTopic(report.Error.Code, report.Error.Reason, spec.Name, verb);
            throw new KafkaCatalogException(mapped.ErrorId, mapped.Kind, mapped.Message, mapped.Target, ex);
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, spec.Name, $"{verb} topic '{spec.Name}'", _factory.BootstrapServers, KafkaCallKind.NonIdempotentWrite);
        }

        if (validateOnly)
        {
            return new TopicCreationResult { Spec = spec, ValidateOnly = true };
        }

        var created = await DescribeCreatedAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        return new TopicCreationResult { Spec = spec, ValidateOnly = false, Topic = created };
    }

    /// <summary>The client-side checks of <see cref="CreateAsync"/> (nothing is sent when they fail).</summary>
    public static void Validate(NewTopicSpec spec)
    {
        var nameProblem = KafkaErrors.ValidateTopicName(spec.Name);
        if (nameProblem is not null)
        {
            throw new KafkaCatalogException(ErrorCatalog.InvalidTopicName,
                $"Cannot create topic '{spec.Name}': {nameProblem}. " + KafkaErrors.TopicNameRules, spec.Name);
        }

        if (spec.Partitions is < 1)
        {
            throw new KafkaCatalogException(ErrorCatalog.InvalidPartitions,
                $"Cannot create topic '{spec.Name}': the partition count must be at least 1 (got {spec.Partitions}). Omit -Partitions to use the broker's default.", spec.Name);
        }

        if (spec.ReplicationFactor is < 1 or > short.MaxValue)
        {
            throw new KafkaCatalogException(ErrorCatalog.InvalidReplicationFactor,
                $"Cannot create topic '{spec.Name}': the replication factor must be between 1 and the number of brokers (got {spec.ReplicationFactor}). Omit -ReplicationFactor to use the broker's default.", spec.Name);
        }

        foreach (var (key, value) in spec.Config)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new KafkaCatalogException(ErrorCatalog.InvalidConfig,
                    $"Cannot create topic '{spec.Name}': a config entry has an empty name.", spec.Name);
            }

            if (value is null)
            {
                throw new KafkaCatalogException(ErrorCatalog.InvalidConfig,
                    $"Cannot create topic '{spec.Name}': config '{key}' has no value. Give a value or leave the entry out to use the default.", spec.Name);
            }
        }
    }

    /// <summary>One metadata request for every topic, retried when transient.</summary>
    internal async Task<Metadata> GetMetadataAsync(CancellationToken cancellationToken)
    {
        _sink.Verbose($"Metadata request (all topics) to {_factory.BootstrapServers}.");
        try
        {
            return await GetMetadataCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaCatalogException ex)
        {
            throw _factory.Refine(ex);
        }
    }

    private Task<Metadata> GetMetadataCoreAsync(CancellationToken cancellationToken)
    {
        return _retry.ExecuteAsync(
            "Metadata",
            KafkaCallKind.Read,
            _factory.BootstrapServers,
            token => _factory.GetMetadataAsync(null, token),
            _sink,
            cancellationToken);
    }

    internal KafkaTopic ToTopic(TopicMetadata topic) => new()
    {
        Name = topic.Topic,
        IsInternal = InternalTopics.Contains(topic.Topic),
        Partitions = topic.Partitions
            .OrderBy(p => p.PartitionId)
            .Select(p => new KafkaPartition
            {
                Topic = topic.Topic,
                Partition = p.PartitionId,
                Leader = p.Leader,
                Replicas = p.Replicas,
                InSyncReplicas = p.InSyncReplicas,
                Error = p.Error is { IsError: true } e ? e.Code.ToString() : null,
            })
            .ToArray(),
        ConnectionName = _factory.Connection.Name,
        ClusterId = _factory.Connection.ClusterId,
        BootstrapServers = _factory.BootstrapServers,
    };

    private static IReadOnlyList<NamePattern> ParsePatterns(IReadOnlyList<string> names)
    {
        var patterns = new List<NamePattern>(names.Count);
        foreach (var name in names)
        {
            try
            {
                patterns.Add(NamePattern.Parse(name));
            }
            catch (ArgumentException ex)
            {
                throw new KafkaCatalogException(ErrorCatalog.InvalidNamePattern, ex.Message, name, ex);
            }
        }

        return patterns;
    }

    private static bool Selected(string topic, IReadOnlyList<NamePattern> patterns, bool includeInternal)
    {
        if (patterns.Count == 0)
        {
            return includeInternal || !InternalTopics.Contains(topic);
        }

        foreach (var pattern in patterns)
        {
            if (!pattern.HasWildcards)
            {
                // Naming an internal topic outright is asking for it.
                if (pattern.IsMatch(topic))
                {
                    return true;
                }
            }
            else if (pattern.IsMatch(topic) && (includeInternal || !InternalTopics.Contains(topic)))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<KafkaTopic> DescribeCreatedAsync(string name, CancellationToken cancellationToken)
    {
        // A new topic reaches every broker's metadata cache shortly after CreateTopics returns;
        // until then a broker answers UNKNOWN_TOPIC_OR_PART or LEADER_NOT_AVAILABLE.
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            var (topic, problem) = await TryDescribeAsync(name, cancellationToken).ConfigureAwait(false);
            if (topic is not null)
            {
                return topic;
            }

            if (attempt >= 8)
            {
                throw new KafkaCatalogException(ErrorCatalog.TopicNotYetVisible,
                    $"Topic '{name}' was created, but the cluster does not show it yet ({problem}). Run Get-KafkaTopic -Name '{name}' in a moment.", name);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    /// <summary>Describes one topic (DescribeTopics: async, with topic id and the cluster's internal flag).</summary>
    internal async Task<(KafkaTopic? Topic, string Problem)> TryDescribeAsync(string name, CancellationToken cancellationToken)
    {
        DescribeTopicsResult result;
        try
        {
            result = await _retry.ExecuteAsync(
                "DescribeTopics",
                KafkaCallKind.Read,
                _factory.BootstrapServers,
                _ => _factory.AdminClient.DescribeTopicsAsync(TopicCollection.OfTopicNames([name]), new DescribeTopicsOptions { RequestTimeout = _factory.RequestTimeout }),
                _sink,
                cancellationToken).ConfigureAwait(false);
        }
        catch (DescribeTopicsException ex)
        {
            var failed = ex.Results.TopicDescriptions.FirstOrDefault(d => d.Error.IsError);
            return (null, failed?.Error.Reason ?? ex.Message);
        }
        catch (KafkaException ex) when (!KafkaRetry.IsClusterUnreachable(ex, KafkaCallKind.Read))
        {
            return (null, ex.Error.Reason);
        }

        var description = result.TopicDescriptions.FirstOrDefault(d => d.Name == name);
        if (description is null || description.Error.IsError || description.Partitions.Count == 0)
        {
            return (null, description?.Error.Reason ?? "not in metadata");
        }

        return (ToTopic(description), string.Empty);
    }

    internal KafkaTopic ToTopic(TopicDescription description) => new()
    {
        Name = description.Name,
        TopicId = description.TopicId?.ToString(),
        IsInternal = description.IsInternal || InternalTopics.Contains(description.Name),
        Partitions = description.Partitions
            .OrderBy(p => p.Partition)
            .Select(p => new KafkaPartition
            {
                Topic = description.Name,
                Partition = p.Partition,
                Leader = p.Leader?.Id ?? -1,
                Replicas = p.Replicas.Select(n => n.Id).ToArray(),
                InSyncReplicas = p.ISR.Select(n => n.Id).ToArray(),
            })
            .ToArray(),
        ConnectionName = _factory.Connection.Name,
        ClusterId = _factory.Connection.ClusterId,
        BootstrapServers = _factory.BootstrapServers,
    };
}
