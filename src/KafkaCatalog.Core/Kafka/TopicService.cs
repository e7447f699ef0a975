using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>What Get-KafkaTopic asks for.</summary>
public sealed record TopicQuery
{
    /// <summary>Names or wildcard patterns; empty means every topic.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>Include internal topics (__consumer_offsets, __transaction_state) matched by a wildcard.</summary>
    public bool IncludeInternal { get; init; }
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
        foreach (var topic in metadata.Topics.OrderBy(t => t.Topic, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Selected(topic.Topic, patterns, query.IncludeInternal))
            {
                continue;
            }

            seen.Add(topic.Topic);
            yield return ToTopic(topic);
        }

        foreach (var pattern in patterns)
        {
            if (!pattern.HasWildcards && !seen.Contains(pattern.Literal))
            {
                onItemError?.Invoke(KafkaErrors.ForTopic(ErrorCode.UnknownTopicOrPart, null, pattern.Literal, "describe"));
            }
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
            throw new KafkaCatalogException("InvalidTopicName", FailureKind.InvalidArgument,
                $"Cannot create topic '{spec.Name}': {nameProblem}. " + KafkaErrors.TopicNameRules, spec.Name);
        }

        if (spec.Partitions is < 1)
        {
            throw new KafkaCatalogException("InvalidPartitions", FailureKind.InvalidArgument,
                $"Cannot create topic '{spec.Name}': the partition count must be at least 1 (got {spec.Partitions}). Omit -Partitions to use the broker's default.", spec.Name);
        }

        if (spec.ReplicationFactor is < 1 or > short.MaxValue)
        {
            throw new KafkaCatalogException("InvalidReplicationFactor", FailureKind.InvalidArgument,
                $"Cannot create topic '{spec.Name}': the replication factor must be between 1 and the number of brokers (got {spec.ReplicationFactor}). Omit -ReplicationFactor to use the broker's default.", spec.Name);
        }

        foreach (var (key, value) in spec.Config)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new KafkaCatalogException("InvalidConfig", FailureKind.InvalidArgument,
                    $"Cannot create topic '{spec.Name}': a config entry has an empty name.", spec.Name);
            }

            if (value is null)
            {
                throw new KafkaCatalogException("InvalidConfig", FailureKind.InvalidArgument,
                    $"Cannot create topic '{spec.Name}': config '{key}' has no value. Give a value or leave the entry out to use the default.", spec.Name);
            }
        }
    }

    /// <summary>One metadata request for every topic, retried when transient.</summary>
    internal Task<Metadata> GetMetadataAsync(CancellationToken cancellationToken)
    {
        _sink.Verbose($"Metadata request (all topics) to {_factory.BootstrapServers}.");
        return _retry.ExecuteAsync(
            "Metadata",
            KafkaCallKind.Read,
            _factory.BootstrapServers,
            token => Task.Run(() => _factory.AdminClient.GetMetadata(_factory.RequestTimeout), token),
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
                throw new KafkaCatalogException("InvalidNamePattern", FailureKind.InvalidArgument, ex.Message, name, ex);
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
            var metadata = await _retry.ExecuteAsync(
                "Metadata",
                KafkaCallKind.Read,
                _factory.BootstrapServers,
                token => Task.Run(() => _factory.AdminClient.GetMetadata(name, _factory.RequestTimeout), token),
                _sink,
                cancellationToken).ConfigureAwait(false);
            var topic = metadata.Topics.FirstOrDefault(t => t.Topic == name);
            if (topic is not null && !topic.Error.IsError && topic.Partitions.Count > 0)
            {
                return ToTopic(topic);
            }

            if (attempt >= 8)
            {
                throw new KafkaCatalogException("TopicNotYetVisible", FailureKind.ResourceUnavailable,
                    $"Topic '{name}' was created, but the cluster does not show it yet ({topic?.Error.Reason ?? "not in metadata"}). Run Get-KafkaTopic -Name '{name}' in a moment.", name);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }
}
