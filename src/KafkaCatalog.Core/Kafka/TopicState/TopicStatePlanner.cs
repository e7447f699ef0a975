using System.Globalization;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.TopicState;

/// <summary>
/// Compares a desired topic state with the cluster's topics and configs and lists the differences,
/// ordered by topic, then kind, then setting. Pure: the cluster is read by <see cref="TopicStateService"/>.
/// </summary>
/// <remarks>
/// <para>Scope. The desired state speaks for the topics it names and for the topics matching
/// <see cref="TopicStateRequest.Scope"/>, nothing else: a file for some topics never plans the
/// deletion of others. A cluster topic is Missing only when it matches -Scope, is not desired, is not
/// internal, and matches -Name when -Name is given. Without -Scope nothing is Missing.</para>
/// <para>Configs. A desired value that differs from the cluster's effective value (whatever its source)
/// is SetConfig. ResetConfig is opt-in per topic: only an entry that lists configs (even an empty map)
/// owns them, and then each topic-level override (source DYNAMIC_TOPIC_CONFIG) it does not name is
/// reset to the default. An entry without configs leaves them alone, so a file that only lists
/// partitions never wipes the retention someone tuned by hand.</para>
/// </remarks>
public static class TopicStatePlanner
{
    /// <summary>The source of a topic-level override: the only kind of config a reset removes.</summary>
    public const string TopicOverrideSource = "DYNAMIC_TOPIC_CONFIG";

    /// <summary>The -Name and -Scope patterns, parsed (InvalidNamePattern when one is malformed).</summary>
    public static (IReadOnlyList<NamePattern> Names, IReadOnlyList<NamePattern> Scope) ParsePatterns(TopicStateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (Parse(request.Names), Parse(request.Scope));
    }

    /// <summary>The desired topics that -Name selects.</summary>
    public static IReadOnlyList<DesiredTopic> Selected(TopicStateRequest request)
    {
        var (names, _) = ParsePatterns(request);
        return request.Topics.Where(t => NamePattern.MatchesAny(names, t.Name)).ToArray();
    }

    /// <param name="request">The desired state, -Name and -Scope.</param>
    /// <param name="topics">The cluster's topics (one metadata read).</param>
    /// <param name="configs">The configs of the desired topics that exist, by topic (DescribeConfigs).</param>
    /// <param name="connectionName">Stamped on each difference.</param>
    /// <param name="bootstrapServers">Stamped on each difference.</param>
    public static IReadOnlyList<KafkaTopicDifference> Plan(
        TopicStateRequest request,
        IReadOnlyList<KafkaTopic> topics,
        IReadOnlyDictionary<string, IReadOnlyList<KafkaConfigEntry>> configs,
        string? connectionName = null,
        string? bootstrapServers = null)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(configs);
        var (names, scope) = ParsePatterns(request);
        var byName = topics.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var desired = Selected(request);
        // Every desired name, also those -Name leaves out: a desired topic is never Missing.
        var desiredNames = request.Topics.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var plan = new List<KafkaTopicDifference>();

        KafkaTopicDifference Difference(string topic, KafkaTopicDifferenceKind kind, string? setting, string? current, string? wanted, string description, DesiredTopic? create = null) => new()
        {
            Topic = topic,
            Kind = kind,
            Setting = setting,
            Current = current,
            Desired = wanted,
            Description = description,
            DesiredTopic = create,
            ConnectionName = connectionName,
            BootstrapServers = bootstrapServers,
        };

        foreach (var want in desired)
        {
            if (!byName.TryGetValue(want.Name, out var topic))
            {
                plan.Add(Difference(want.Name, KafkaTopicDifferenceKind.Create, null, null, DescribeCreate(want),
                    $"Create topic '{want.Name}' ({DescribeCreate(want)}).", want));
                continue;
            }

            var currentPartitions = topic.PartitionCount;
            if (want.Partitions is { } partitions && partitions != currentPartitions)
            {
                plan.Add(partitions > currentPartitions
                    ? Difference(want.Name, KafkaTopicDifferenceKind.AddPartitions, "Partitions", Text(currentPartitions), Text(partitions),
                        $"Add partitions to topic '{want.Name}': {currentPartitions} -> {partitions}.")
                    : Difference(want.Name, KafkaTopicDifferenceKind.PartitionsDecreaseRequested, "Partitions", Text(currentPartitions), Text(partitions),
                        $"Topic '{want.Name}' has {currentPartitions} partitions and the desired state asks for {partitions}: Kafka cannot remove partitions (recreate the topic to have fewer). Not changed."));
            }

            if (want.ReplicationFactor is { } replication && replication != topic.ReplicationFactor)
            {
                plan.Add(Difference(want.Name, KafkaTopicDifferenceKind.ReplicationFactorDiffers, "ReplicationFactor", Text(topic.ReplicationFactor), Text(replication),
                    $"Topic '{want.Name}' has replication factor {topic.ReplicationFactor} and the desired state asks for {replication}: changing it takes a partition reassignment (kafka-reassign-partitions), which Sync-KafkaTopic never does. Not changed."));
            }

            if (want.Config is null)
            {
                continue;
            }

            var entries = configs.TryGetValue(want.Name, out var described) ? described : Array.Empty<KafkaConfigEntry>();
            var current = entries.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var changes = new List<KafkaTopicDifference>();
            foreach (var (name, value) in want.Config)
            {
                current.TryGetValue(name, out var entry);
                if (entry is not null && !entry.IsSensitive && string.Equals(entry.Value?.Trim(), value.Trim(), StringComparison.Ordinal))
                {
                    continue;
                }

                var from = entry is null ? "(not set)" : entry.IsSensitive ? "(sensitive)" : entry.Value ?? "(none)";
                changes.Add(Difference(want.Name, KafkaTopicDifferenceKind.SetConfig, name, entry?.Value, value,
                    $"Set config '{name}' of topic '{want.Name}': {from} -> {value}."));
            }

            foreach (var entry in entries)
            {
                if (entry.Source == TopicOverrideSource && !want.Config.ContainsKey(entry.Name))
                {
                    changes.Add(Difference(want.Name, KafkaTopicDifferenceKind.ResetConfig, entry.Name, entry.Value, null,
                        $"Reset config '{entry.Name}' of topic '{want.Name}' to the default: the topic overrides it ({(entry.IsSensitive ? "(sensitive)" : entry.Value)}) and its desired entry lists configs without it."));
                }
            }

            plan.AddRange(changes);
        }

        if (scope.Count > 0)
        {
            foreach (var topic in topics)
            {
                if (!topic.IsInternal && !TopicService.InternalTopics.Contains(topic.Name)
                    && !desiredNames.Contains(topic.Name)
                    && NamePattern.MatchesAny(scope, topic.Name)
                    && NamePattern.MatchesAny(names, topic.Name))
                {
                    plan.Add(Difference(topic.Name, KafkaTopicDifferenceKind.Missing, null,
                        $"{topic.PartitionCount} partitions, replication factor {topic.ReplicationFactor}", null,
                        $"Topic '{topic.Name}' ({topic.PartitionCount} partitions, replication factor {topic.ReplicationFactor}) is in scope ({string.Join(", ", scope)}) but not in the desired state: deleted only with -RemoveMissing."));
                }
            }
        }

        return plan
            .OrderBy(d => d.Topic, StringComparer.Ordinal)
            .ThenBy(d => d.Kind)
            .ThenBy(d => d.Setting, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>"6 partitions, replication factor 3, config retention.ms=..." (broker defaults named as such).</summary>
    public static string DescribeCreate(DesiredTopic topic)
    {
        var text = $"{(topic.Partitions is { } p ? Text(p) + " partitions" : "the broker's default partitions")}, " +
            $"replication factor {(topic.ReplicationFactor is { } r ? Text(r) : "of the broker's default")}";
        if (topic.Config is { Count: > 0 } config)
        {
            text += ", config " + string.Join(", ", config.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
        }

        return text;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyList<NamePattern> Parse(IReadOnlyList<string> patterns)
    {
        var parsed = new List<NamePattern>(patterns.Count);
        foreach (var pattern in patterns)
        {
            try
            {
                parsed.Add(NamePattern.Parse(pattern));
            }
            catch (ArgumentException ex)
            {
                throw new KafkaCatalogException(ErrorCatalog.InvalidNamePattern, ex.Message, pattern, ex);
            }
        }

        return parsed;
    }
}
