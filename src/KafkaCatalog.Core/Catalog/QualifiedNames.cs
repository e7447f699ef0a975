using System.Text.RegularExpressions;

namespace KafkaCatalog.Core.Catalog;

/// <summary>
/// Atlan qualified names for Kafka assets: connection <c>default/kafka/&lt;epoch&gt;</c>, topic
/// <c>&lt;connection&gt;/topic/&lt;name&gt;</c>, group <c>&lt;connection&gt;/consumer-group/&lt;name&gt;</c>.
/// The SDKs require a topic qualifiedName to have exactly five '/'-separated segments, so a name
/// with '/' (or one Kafka itself would refuse) is rejected before anything is sent.
/// </summary>
public static partial class QualifiedNames
{
    /// <summary>The connector New-CatalogKafkaConnection creates (pyatlan AtlanConnectorType.KAFKA).</summary>
    public const string ConnectorName = "kafka";
    public const int MaxNameLength = 249;

    /// <summary>
    /// Atlan's Kafka connectors (pyatlan model/enums.py AtlanConnectorType, category eventbus): the
    /// custom-publisher one and those of Atlan's own crawlers. A connection of any of them holds
    /// KafkaTopic and KafkaConsumerGroup assets.
    /// </summary>
    public static readonly IReadOnlyList<string> KafkaConnectorNames = new[] { "kafka", "apache-kafka", "confluent-kafka", "amazon-msk", "aiven-kafka", "redpanda-kafka" };

    /// <summary>The connector of a connection qualifiedName (its second segment), or null when it is not a Kafka one.</summary>
    public static string? ConnectorOf(string? connectionQualifiedName)
    {
        if (connectionQualifiedName is null || !ConnectionPattern().IsMatch(connectionQualifiedName))
        {
            return null;
        }

        var connector = connectionQualifiedName.Split('/')[1];
        return KafkaConnectorNames.Contains(connector, StringComparer.Ordinal) ? connector : null;
    }

    public static string Connection(long epochSeconds) =>
        epochSeconds > 0 ? $"default/{ConnectorName}/{epochSeconds}" : throw new ArgumentOutOfRangeException(nameof(epochSeconds));

    public static string Topic(string connectionQualifiedName, string topicName) =>
        $"{connectionQualifiedName}/topic/{topicName}";

    public static string ConsumerGroup(string connectionQualifiedName, string groupId) =>
        $"{connectionQualifiedName}/consumer-group/{groupId}";

    public static bool IsConnection(string? qualifiedName) => ConnectorOf(qualifiedName) is not null;

    /// <summary>The connection part of a topic or group qualifiedName, or null.</summary>
    public static string? ConnectionOf(string qualifiedName)
    {
        var parts = qualifiedName.Split('/');
        return parts.Length >= 3 ? string.Join('/', parts, 0, 3) : null;
    }

    /// <summary>Null when the connection qualifiedName is usable, else why not.</summary>
    public static string? ValidateConnection(string? qualifiedName) =>
        IsConnection(qualifiedName)
            ? null
            : $"'{qualifiedName}' is not a Kafka connection qualifiedName; expected default/<connector>/<epoch> with a Kafka connector ({string.Join(", ", KafkaConnectorNames)}), as New-CatalogKafkaConnection returns it.";

    /// <summary>Null when Atlan would accept the topic name, else why not.</summary>
    public static string? ValidateTopicName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "The topic name is empty.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"The topic name is {name.Length} characters long; Kafka and Atlan accept at most {MaxNameLength}.";
        }

        if (name is "." or "..")
        {
            return $"'{name}' is not a valid topic name.";
        }

        if (!TopicNamePattern().IsMatch(name))
        {
            return $"'{name}' contains characters other than letters, digits, '.', '_' and '-'; its qualifiedName would not have the topic/<name> form Atlan requires.";
        }

        return null;
    }

    /// <summary>Null when the group id can be a qualifiedName segment, else why not.</summary>
    public static string? ValidateGroupId(string? groupId)
    {
        if (string.IsNullOrWhiteSpace(groupId))
        {
            return "The consumer group id is empty.";
        }

        if (groupId.Contains('/'))
        {
            return $"'{groupId}' contains '/', which would split its qualifiedName; Atlan cannot hold it as one consumer group.";
        }

        if (groupId.Any(char.IsControl))
        {
            return "The consumer group id contains control characters.";
        }

        return groupId.Length > 10_000 ? "The consumer group id is longer than 10000 characters." : null;
    }

    [GeneratedRegex("^default/[a-z0-9-]+/[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionPattern();

    [GeneratedRegex("^[a-zA-Z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TopicNamePattern();
}

/// <summary>PowerShell-style wildcards (* and ?) for -Topic/-GroupId/-Name filters, without PowerShell.</summary>
public sealed class NameFilter
{
    private readonly Regex[] _patterns;

    public NameFilter(IEnumerable<string>? patterns)
    {
        var list = (patterns ?? Array.Empty<string>()).Where(p => !string.IsNullOrEmpty(p)).ToArray();
        _patterns = list.Length == 0
            ? new[] { new Regex("^.*$", RegexOptions.Singleline) }
            : list.Select(p => new Regex("^" + Regex.Escape(p).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)).ToArray();
        Patterns = list;
    }

    public IReadOnlyList<string> Patterns { get; }

    public bool MatchesAll => Patterns.Count == 0;

    /// <summary>A single pattern without wildcards: the server can filter on it exactly.</summary>
    public string? ExactName => Patterns.Count == 1 && Patterns[0].IndexOfAny(['*', '?']) < 0 ? Patterns[0] : null;

    public bool IsMatch(string name) => _patterns.Any(p => p.IsMatch(name));
}
