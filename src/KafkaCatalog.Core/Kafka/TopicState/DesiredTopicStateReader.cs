using System.Collections;
using System.Globalization;
using KafkaCatalog.Core.Connections.Profiles;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.TopicState;

/// <summary>
/// Reads a desired topic state from a YAML or JSON file, or from pipeline objects (Import-Csv rows,
/// Get-KafkaTopic output, hashtables). Everything is checked before anything is planned: a bad
/// entry is a <see cref="KafkaCatalogException"/> with a DesiredState* error id, and nothing is read
/// from or sent to the cluster.
/// </summary>
/// <remarks>
/// File layout: a map with a <c>topics</c> list, or the list itself; each entry has <c>name</c> and
/// optionally <c>partitions</c>, <c>replicationFactor</c> and <c>configs</c> (a map of config name to
/// value). Keys are case-insensitive; <c>topic</c>, <c>partitionCount</c>/<c>numPartitions</c>,
/// <c>replication_factor</c>/<c>replicas</c> and <c>config</c> are accepted too. An unknown key in a
/// file is an error (a typo such as <c>partitons</c> would otherwise be ignored silently); unknown
/// properties of pipeline objects are ignored (Get-KafkaTopic output carries many).
/// </remarks>
public static class DesiredTopicStateReader
{
    private static readonly string[] NameKeys = ["name", "topic", "topicName"];
    private static readonly string[] PartitionKeys = ["partitions", "partitionCount", "numPartitions", "num_partitions"];
    private static readonly string[] ReplicationKeys = ["replicationFactor", "replication_factor", "replicas", "rf"];
    private static readonly string[] ConfigKeys = ["configs", "config"];

    /// <summary>Reads a .yaml, .yml or .json file (the format follows the extension).</summary>
    public static IReadOnlyList<DesiredTopic> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var isYaml = extension is ".yaml" or ".yml";
        if (!isYaml && extension != ".json")
        {
            throw new KafkaCatalogException(ErrorCatalog.DesiredStateUnknownFormat,
                $"Cannot read the desired state from '{path}': the format is chosen by the extension, and '{extension}' is neither .yaml, .yml nor .json. Rename the file, or pipe objects instead (Import-Csv topics.csv | Compare-KafkaTopic).", path);
        }

        if (!File.Exists(path))
        {
            throw new KafkaCatalogException(ErrorCatalog.DesiredStateFileNotFound,
                $"The desired-state file '{path}' does not exist. Check the path (relative paths are resolved from the current location).", path);
        }

        var text = File.ReadAllText(path);
        ProfileNode? root;
        try
        {
            root = isYaml ? ProfileNode.FromYaml(text, path) : (string.IsNullOrWhiteSpace(text) ? null : ProfileNode.FromJson(text, path));
        }
        catch (ProfileFormatException ex)
        {
            var where = ex.Line is { } line ? $" at line {line}{(ex.Column is { } column ? $", column {column}" : string.Empty)}" : string.Empty;
            var fix = ex.Problem.Contains("YAML documents", StringComparison.Ordinal) ? "Keep one document per file (remove the extra '---')." : ex.Fix;
            throw new KafkaCatalogException(ErrorCatalog.DesiredStateSyntaxError,
                $"The desired-state file '{path}'{(ex.Key is null ? string.Empty : $", key '{ex.Key}'")}{where} cannot be read: {ex.Problem} {fix}", path, ex);
        }

        if (root is null || root.Kind == ProfileNodeKind.Null)
        {
            throw new KafkaCatalogException(ErrorCatalog.DesiredStateEmpty,
                $"The desired-state file '{path}' is empty. List the topics under 'topics:' (an explicit empty list 'topics: []' is accepted).", path);
        }

        var fileName = Path.GetFileName(path);
        ProfileNode list;
        if (root.Kind == ProfileNodeKind.List)
        {
            list = root;
        }
        else if (root.Kind == ProfileNodeKind.Map)
        {
            foreach (var (key, _) in root.Entries)
            {
                if (!key.Equals("topics", StringComparison.OrdinalIgnoreCase))
                {
                    throw Invalid(path, $"{fileName}{At(root)}", $"the key '{key}' is not known at the top level; the file holds a 'topics' list");
                }
            }

            var topics = root.Entries.FirstOrDefault(e => e.Key.Equals("topics", StringComparison.OrdinalIgnoreCase)).Value;
            if (topics is null || topics.Kind is not (ProfileNodeKind.List or ProfileNodeKind.Null))
            {
                throw Invalid(path, $"{fileName}{At(topics ?? root)}", "'topics' must be a list of topics (each with a name)");
            }

            list = topics;
        }
        else
        {
            throw Invalid(path, $"{fileName}{At(root)}", "the file must hold a 'topics' list (or be the list)");
        }

        var result = new List<DesiredTopic>();
        var index = 0;
        foreach (var item in list.Items)
        {
            index++;
            var origin = item.Line is null ? $"{fileName}, topic {index}" : $"{fileName}{At(item)}";
            result.Add(FromNode(item, path, origin));
        }

        return Checked(result, path);
    }

    /// <summary>
    /// Reads pipeline objects, each given as its properties (name to value; PowerShell wrappers
    /// removed). Recognised: Name (or Topic/TopicName), Partitions (a number, text, or a partition
    /// list whose count is used) or PartitionCount, ReplicationFactor, Config (a dictionary or text
    /// 'key=value;key2=value2'), and columns whose name contains a dot (retention.ms,
    /// cleanup.policy, ...) as configs; empty cells are not listed, other properties are ignored.
    /// </summary>
    public static IReadOnlyList<DesiredTopic> ReadObjects(IReadOnlyList<IReadOnlyDictionary<string, object?>> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var result = new List<DesiredTopic>(objects.Count);
        for (var i = 0; i < objects.Count; i++)
        {
            result.Add(FromProperties(objects[i], $"pipeline object {i + 1}"));
        }

        return Checked(result, "the pipeline input");
    }

    private static DesiredTopic FromNode(ProfileNode node, string path, string origin)
    {
        if (node.Kind != ProfileNodeKind.Map)
        {
            throw Invalid(path, origin, "each topic must be a map with at least a 'name'");
        }

        string? name = null;
        int? partitions = null;
        int? replication = null;
        Dictionary<string, string>? config = null;
        foreach (var (key, value) in node.Entries)
        {
            if (Is(key, NameKeys))
            {
                name = value.IsScalar ? value.Text : throw Invalid(path, origin, "'name' must be a topic name");
            }
            else if (Is(key, PartitionKeys))
            {
                partitions = value.Kind == ProfileNodeKind.Null ? null : Count(value.IsScalar ? value.Text : null, ErrorCatalog.DesiredStateInvalidPartitions, "partition count", path, origin);
            }
            else if (Is(key, ReplicationKeys))
            {
                replication = value.Kind == ProfileNodeKind.Null ? null : Count(value.IsScalar ? value.Text : null, ErrorCatalog.DesiredStateInvalidReplicationFactor, "replication factor", path, origin);
            }
            else if (Is(key, ConfigKeys))
            {
                config = new Dictionary<string, string>(StringComparer.Ordinal);
                if (value.Kind == ProfileNodeKind.Null)
                {
                    continue;
                }

                if (value.Kind != ProfileNodeKind.Map)
                {
                    throw Invalid(path, origin, "'configs' must be a map of config name to value (retention.ms: 604800000)");
                }

                foreach (var (configName, configValue) in value.Entries)
                {
                    config[configName] = ConfigValue(configName, configValue, path, origin);
                }
            }
            else
            {
                throw Invalid(path, origin, $"the key '{key}' is not known; a topic has name, partitions, replicationFactor and configs");
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid(path, origin, "the topic has no 'name'");
        }

        return new DesiredTopic { Name = name, Partitions = partitions, ReplicationFactor = replication, Config = config, Origin = origin };
    }

    private static string ConfigValue(string name, ProfileNode value, string path, string origin)
    {
        if (value.IsScalar)
        {
            return value.Text ?? string.Empty;
        }

        if (value.Kind == ProfileNodeKind.List && value.Items.All(i => i.IsScalar))
        {
            // List-valued configs (cleanup.policy: [compact, delete]) are comma-separated in Kafka.
            return string.Join(",", value.Items.Select(i => i.Text));
        }

        throw Invalid(path, origin, value.Kind == ProfileNodeKind.Null
            ? $"config '{name}' has no value; give one, or leave the config out to use the default"
            : $"config '{name}' must be a single value");
    }

    private static DesiredTopic FromProperties(IReadOnlyDictionary<string, object?> properties, string origin)
    {
        string? name = null;
        object? partitionsValue = null;
        object? partitionCountValue = null;
        object? replicationValue = null;
        object? configValue = null;
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, raw) in properties)
        {
            if (Is(key, NameKeys))
            {
                name ??= raw as string;
            }
            else if (key.Equals("PartitionCount", StringComparison.OrdinalIgnoreCase))
            {
                partitionCountValue = raw;
            }
            else if (Is(key, PartitionKeys))
            {
                partitionsValue ??= raw;
            }
            else if (Is(key, ReplicationKeys))
            {
                replicationValue ??= raw;
            }
            else if (Is(key, ConfigKeys))
            {
                configValue = raw;
            }
            else if (key.Contains('.', StringComparison.Ordinal) && raw is not null)
            {
                var text = Convert.ToString(raw, CultureInfo.InvariantCulture)?.Trim();
                if (!string.IsNullOrEmpty(text))
                {
                    columns[key.Trim()] = text;
                }
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid("the pipeline input", origin, "the object has no Name (or Topic) property with a topic name");
        }

        var partitions = PipelineCount(partitionCountValue ?? partitionsValue, ErrorCatalog.DesiredStateInvalidPartitions, "partition count", origin);
        var replication = PipelineCount(replicationValue, ErrorCatalog.DesiredStateInvalidReplicationFactor, "replication factor", origin);

        Dictionary<string, string>? config = null;
        switch (configValue)
        {
            case null:
                break;
            case string text when string.IsNullOrWhiteSpace(text):
                break;
            case IDictionary dictionary:
                // A dictionary, even empty, lists the topic's configs. Null values are skipped: Get-KafkaTopic
                // -IncludeConfig reports sensitive values as null, and those cannot be copied.
                var withValues = new Hashtable(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Value is not null)
                    {
                        withValues[entry.Key] = entry.Value;
                    }
                }

                config = Parse(withValues, origin);
                break;
            default:
                config = Parse(configValue, origin);
                break;
        }

        if (columns.Count > 0)
        {
            config ??= new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in columns)
            {
                config[key] = value;
            }
        }

        return new DesiredTopic { Name = name.Trim(), Partitions = partitions, ReplicationFactor = replication, Config = config, Origin = origin };
    }

    private static Dictionary<string, string> Parse(object value, string origin)
    {
        try
        {
            return ConfigText.Parse(value, $"Config of {origin}");
        }
        catch (KafkaCatalogException ex)
        {
            throw new KafkaCatalogException(ErrorCatalog.DesiredStateInvalidEntry, ex.Message, origin, ex);
        }
    }

    private static int? PipelineCount(object? value, ErrorDefinition errorId, string what, string origin)
    {
        switch (value)
        {
            case null:
                return null;
            case string text when string.IsNullOrWhiteSpace(text):
                return null;
            case string text:
                return Count(text, errorId, what, "the pipeline input", origin);
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                return Count(Convert.ToString(value, CultureInfo.InvariantCulture), errorId, what, "the pipeline input", origin);
            case ICollection collection:
                // Get-KafkaTopic's Partitions: the partition list.
                return collection.Count;
            default:
                return Count(Convert.ToString(value, CultureInfo.InvariantCulture), errorId, what, "the pipeline input", origin);
        }
    }

    private static int Count(string? text, ErrorDefinition errorId, string what, string source, string origin)
    {
        if (!int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || (ReferenceEquals(errorId, ErrorCatalog.DesiredStateInvalidReplicationFactor) && count > short.MaxValue))
        {
            throw new KafkaCatalogException(errorId,
                $"Desired state ({source}), {origin}: the {what} '{text}' is not a whole number of at least 1. Fix it, or leave it out to keep the cluster's value (the broker's default on create).", origin);
        }

        return count;
    }

    private static IReadOnlyList<DesiredTopic> Checked(List<DesiredTopic> topics, string source)
    {
        var seen = new Dictionary<string, DesiredTopic>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var problem = KafkaErrors.ValidateTopicName(topic.Name);
            if (problem is not null)
            {
                throw new KafkaCatalogException(ErrorCatalog.DesiredStateInvalidTopicName,
                    $"Desired state ({source}), {topic.Origin}: '{topic.Name}' is not a valid topic name: {problem}. " + KafkaErrors.TopicNameRules, topic.Name);
            }

            if (TopicService.InternalTopics.Contains(topic.Name))
            {
                throw new KafkaCatalogException(ErrorCatalog.DesiredStateInternalTopic,
                    $"Desired state ({source}), {topic.Origin}: '{topic.Name}' is internal to Kafka, which manages it; leave it out of the desired state.", topic.Name);
            }

            if (seen.TryGetValue(topic.Name, out var first))
            {
                throw new KafkaCatalogException(ErrorCatalog.DesiredStateDuplicateTopic,
                    $"Desired state ({source}): topic '{topic.Name}' is declared twice ({first.Origin} and {topic.Origin}). Keep one entry per topic.", topic.Name);
            }

            seen[topic.Name] = topic;
            foreach (var key in topic.Config?.Keys ?? Enumerable.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(key))
                {
                    throw new KafkaCatalogException(ErrorCatalog.DesiredStateInvalidEntry,
                        $"Desired state ({source}), {topic.Origin}: a config of topic '{topic.Name}' has an empty name.", topic.Name);
                }
            }
        }

        return topics;
    }

    private static bool Is(string key, string[] names) => names.Any(n => n.Equals(key.Trim(), StringComparison.OrdinalIgnoreCase));

    private static string At(ProfileNode node) => node.Line is { } line ? $", line {line}" : string.Empty;

    private static KafkaCatalogException Invalid(string source, string origin, string problem) =>
        new(ErrorCatalog.DesiredStateInvalidEntry, $"Desired state ({source}), {origin}: {problem}.", origin);
}
