using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka;

/// <summary>Which topics a <see cref="TopicQuery"/> selects: name patterns, internal topics, health filters.</summary>
internal static class TopicSelection
{
    private static IReadOnlySet<string> InternalTopics => TopicService.InternalTopics;

    internal static IReadOnlyList<NamePattern> ParsePatterns(IReadOnlyList<string> names)
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

    internal static bool Selected(string topic, IReadOnlyList<NamePattern> patterns, bool includeInternal)
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

    /// <summary>Whether a topic matches any of the query's health filters.</summary>
    internal static bool IsUnhealthy(KafkaTopic topic, TopicQuery query, IReadOnlyDictionary<string, string?>? config)
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
}
