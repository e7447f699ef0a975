using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>Creates one topic (or validates its creation): client-side checks, CreateTopics, then waits until the cluster shows it.</summary>
internal sealed class TopicCreator
{
    private readonly KafkaCalls _calls;
    private readonly TopicService _topics;

    internal TopicCreator(KafkaCalls calls, TopicService topics)
    {
        _calls = calls;
        _topics = topics;
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
            RequestTimeout = _calls.Factory.RequestTimeout,
            OperationTimeout = _calls.Factory.RequestTimeout,
        };

        var verb = validateOnly ? "validate the creation of" : "create";
        _calls.Sink.Verbose($"CreateTopics{(validateOnly ? " (validate only)" : string.Empty)}: {spec} on {_calls.Factory.BootstrapServers}.");
        await _calls.RunAsync(
            new KafkaCall("CreateTopics", KafkaCallKind.NonIdempotentWrite, $"{verb} topic '{spec.Name}'", spec.Name)
            {
                Map = ex => ex is CreateTopicsException refused && (refused.Results.FirstOrDefault(r => r.Error.IsError) ?? refused.Results[0]) is { } report
                    ? new KafkaCatalogException(KafkaErrors.ForTopic(report.Error.Code, report.Error.Reason, spec.Name, verb), ex)
                    : null,
            },
            _ => _calls.Factory.AdminClient.CreateTopicsAsync([specification], options),
            cancellationToken).ConfigureAwait(false);

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

    private async Task<KafkaTopic> DescribeCreatedAsync(string name, CancellationToken cancellationToken)
    {
        // A new topic reaches every broker's metadata cache shortly after CreateTopics returns;
        // until then a broker answers UNKNOWN_TOPIC_OR_PART or LEADER_NOT_AVAILABLE.
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            var (topic, problem) = await _topics.TryDescribeAsync(name, cancellationToken).ConfigureAwait(false);
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
}
