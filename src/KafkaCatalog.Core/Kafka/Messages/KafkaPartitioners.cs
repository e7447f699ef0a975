using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Messages;

/// <summary>
/// librdkafka's <c>partitioner</c> values (CONFIGURATION.md, topic property, librdkafka 2.15.1) and the one
/// KafkaCatalog's producers use. librdkafka's own default, consistent_random, hashes keys with CRC32, so keyed
/// messages land on other partitions than those of the Java client, kafka-python (DefaultPartitioner) and so Mage,
/// which all use murmur2: per-key ordering and co-partitioning with the rest of the estate would break.
/// </summary>
public static class KafkaPartitioners
{
    /// <summary>Java producer compatible: murmur2 of the key; messages without a key go to a random partition.</summary>
    public const string Default = "murmur2_random";

    /// <summary>The librdkafka property name.</summary>
    public const string PropertyName = "partitioner";

    /// <summary>Every value librdkafka 2.15.1 accepts for <c>partitioner</c>.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "murmur2_random", "murmur2", "consistent_random", "consistent", "fnv1a_random", "fnv1a", "random",
    ];

    /// <summary>
    /// The partitioner a producer uses: <paramref name="requested"/> (-Partitioner) when given, else a
    /// <c>partitioner</c> the connection already sets (-Property, a .properties profile), else <see cref="Default"/>.
    /// </summary>
    /// <exception cref="KafkaCatalogException">PartitionerInvalid: <paramref name="requested"/> is not a librdkafka partitioner.</exception>
    public static string Resolve(string? requested, IReadOnlyDictionary<string, string>? connectionProperties)
    {
        if (requested is not null)
        {
            var match = Names.FirstOrDefault(n => string.Equals(n, requested.Trim(), StringComparison.OrdinalIgnoreCase));
            return match ?? throw new KafkaCatalogException(
                ErrorCatalog.PartitionerInvalid,
                $"'{requested}' is not a librdkafka partitioner. Use one of {string.Join(", ", Names)} (murmur2_random, the default, places keys as the Java client and kafka-python do).",
                requested);
        }

        return connectionProperties is not null && connectionProperties.TryGetValue(PropertyName, out var configured) && !string.IsNullOrWhiteSpace(configured)
            ? configured
            : Default;
    }
}
