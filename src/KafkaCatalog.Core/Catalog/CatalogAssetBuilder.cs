using System.Globalization;
using System.Text.Json.Nodes;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Catalog;

/// <summary>Descriptive attributes a publisher sets on every asset it sends (from cmdlet parameters).</summary>
public sealed record CatalogAssetDecoration
{
    public string? Description { get; init; }
    public IReadOnlyList<string> OwnerUsers { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> OwnerGroups { get; init; } = Array.Empty<string>();
    /// <summary>VERIFIED, DRAFT or DEPRECATED.</summary>
    public string? CertificateStatus { get; init; }
    public string? CertificateStatusMessage { get; init; }

    public static readonly IReadOnlyList<string> CertificateStatuses = new[] { "VERIFIED", "DRAFT", "DEPRECATED" };
}

/// <summary>One asset ready to send: its identity, its attributes, and the topics it references.</summary>
public sealed record PlannedAsset
{
    public required string TypeName { get; init; }
    public required string QualifiedName { get; init; }
    public required string Name { get; init; }
    public required JsonObject Attributes { get; init; }
    /// <summary>For groups: the topic qualifiedNames the group points at.</summary>
    public IReadOnlyList<string> ReferencedTopics { get; init; } = Array.Empty<string>();
    /// <summary>Set by sync when the asset is archived in the catalog and comes back.</summary>
    public bool Restore { get; init; }

    public bool IsTopic => TypeName == CatalogTypeNames.KafkaTopic;
}

/// <summary>What a publish will send: topics and groups (de-duplicated) and the inputs refused up front.</summary>
public sealed record CatalogPublishSet
{
    public required string ConnectionQualifiedName { get; init; }
    public IReadOnlyList<PlannedAsset> Topics { get; init; } = Array.Empty<PlannedAsset>();
    public IReadOnlyList<PlannedAsset> Groups { get; init; } = Array.Empty<PlannedAsset>();
    public IReadOnlyList<CatalogAssetResult> Rejected { get; init; } = Array.Empty<CatalogAssetResult>();
    public int Count => Topics.Count + Groups.Count;
}

/// <summary>
/// Turns Kafka records into Atlan entities (attribute names per specs/atlan.md §4–§5), validates
/// names Atlan would refuse, and de-duplicates by qualifiedName (the last record wins, as neither
/// SDK de-duplicates and the server's behaviour for duplicates is unconfirmed).
/// </summary>
public static class CatalogAssetBuilder
{
    private static readonly HashSet<string> GroupStates = new(StringComparer.Ordinal) { "Stable", "Empty", "PreparingRebalance", "CompletingRebalance", "Dead" };
    private static readonly HashSet<string> CompressionTypes = new(StringComparer.Ordinal) { "uncompressed", "zstd", "lz4", "snappy", "gzip", "producer" };

    public static CatalogPublishSet Build(string connectionQualifiedName, IEnumerable<object> items, CatalogAssetDecoration? decoration = null)
    {
        if (QualifiedNames.ValidateConnection(connectionQualifiedName) is { } why)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidConnectionQualifiedName, why, connectionQualifiedName);
        }

        ValidateDecoration(decoration);
        var topics = new Dictionary<string, PlannedAsset>(StringComparer.Ordinal);
        var groups = new Dictionary<string, PlannedAsset>(StringComparer.Ordinal);
        var rejected = new List<CatalogAssetResult>();
        foreach (var item in items)
        {
            switch (item)
            {
                case KafkaTopic topic:
                    if (QualifiedNames.ValidateTopicName(topic.Name) is { } badTopic)
                    {
                        rejected.Add(Reject(CatalogTypeNames.KafkaTopic, connectionQualifiedName, topic.Name ?? string.Empty, QualifiedNames.Topic(connectionQualifiedName, topic.Name ?? string.Empty), ErrorCatalog.CatalogInvalidTopicName, badTopic));
                        continue;
                    }

                    var t = Topic(connectionQualifiedName, topic, decoration);
                    topics.Remove(t.QualifiedName);
                    topics[t.QualifiedName] = t;
                    break;
                case KafkaConsumerGroup group:
                    if (QualifiedNames.ValidateGroupId(group.GroupId) is { } badGroup)
                    {
                        rejected.Add(Reject(CatalogTypeNames.KafkaConsumerGroup, connectionQualifiedName, group.GroupId ?? string.Empty, QualifiedNames.ConsumerGroup(connectionQualifiedName, group.GroupId ?? string.Empty), ErrorCatalog.CatalogInvalidGroupId, badGroup));
                        continue;
                    }

                    var badTopicOfGroup = group.Topics.Select(QualifiedNames.ValidateTopicName).FirstOrDefault(e => e is not null);
                    if (badTopicOfGroup is not null)
                    {
                        rejected.Add(Reject(CatalogTypeNames.KafkaConsumerGroup, connectionQualifiedName, group.GroupId, QualifiedNames.ConsumerGroup(connectionQualifiedName, group.GroupId), ErrorCatalog.CatalogInvalidTopicName, "The group consumes a topic Atlan would refuse: " + badTopicOfGroup));
                        continue;
                    }

                    var g = Group(connectionQualifiedName, group, decoration);
                    groups.Remove(g.QualifiedName);
                    groups[g.QualifiedName] = g;
                    break;
                case null:
                    break;
                default:
                    rejected.Add(Reject("Unknown", connectionQualifiedName, item.ToString() ?? string.Empty, string.Empty, ErrorCatalog.CatalogUnsupportedInput, $"A {item.GetType().Name} is neither a KafkaTopic nor a KafkaConsumerGroup."));
                    break;
            }
        }

        return new CatalogPublishSet
        {
            ConnectionQualifiedName = connectionQualifiedName,
            Topics = topics.Values.ToList(),
            Groups = groups.Values.ToList(),
            Rejected = rejected,
        };
    }

    public static PlannedAsset Topic(string connectionQualifiedName, KafkaTopic topic, CatalogAssetDecoration? decoration = null)
    {
        var qn = QualifiedNames.Topic(connectionQualifiedName, topic.Name);
        var a = Identity(topic.Name, qn, connectionQualifiedName);
        a["kafkaTopicPartitionsCount"] = (long)topic.PartitionCount;
        a["kafkaTopicReplicationFactor"] = (long)topic.ReplicationFactor;
        a["kafkaTopicIsInternal"] = topic.IsInternal;
        if (topic.Config is { } config)
        {
            SetLong(a, "kafkaTopicRetentionTimeInMs", config, "retention.ms");
            SetLong(a, "kafkaTopicRetentionBytes", config, "retention.bytes");
            SetLong(a, "kafkaTopicSegmentBytes", config, "segment.bytes");
            if (config.TryGetValue("cleanup.policy", out var cleanup) && !string.IsNullOrWhiteSpace(cleanup))
            {
                var policies = cleanup.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                // The full value goes into the string attribute, as Atlan's own Kafka crawler fills it.
                a["kafkaTopicLogCleanupPolicy"] = string.Join(',', policies);
                // The enum (pyatlan KafkaTopicCleanupPolicy: compact | delete) holds one policy; for
                // "compact,delete" no value is true, so it is cleared rather than half right.
                a["kafkaTopicCleanupPolicy"] = policies.Distinct(StringComparer.Ordinal).ToArray() switch
                {
                    ["compact"] => "compact",
                    ["delete"] => "delete",
                    _ => null,
                };
            }

            if (config.TryGetValue("compression.type", out var compression) && compression is not null && CompressionTypes.Contains(compression))
            {
                a["kafkaTopicCompressionType"] = compression;
            }
        }

        // kafkaTopicSizeInBytes is never sent: log sizes need DescribeLogDirs, which Confluent.Kafka
        // does not offer, and an invented size would be worse than none.
        if (topic.MessageCount is { } count)
        {
            a["kafkaTopicRecordCount"] = count;
        }

        Decorate(a, decoration);
        return new PlannedAsset { TypeName = CatalogTypeNames.KafkaTopic, QualifiedName = qn, Name = topic.Name, Attributes = a };
    }

    public static PlannedAsset Group(string connectionQualifiedName, KafkaConsumerGroup group, CatalogAssetDecoration? decoration = null)
    {
        var qn = QualifiedNames.ConsumerGroup(connectionQualifiedName, group.GroupId);
        var a = Identity(group.GroupId, qn, connectionQualifiedName);
        var topicNames = group.Topics
            .Concat(group.Offsets?.Select(o => o.Topic) ?? Enumerable.Empty<string>())
            .Concat(group.Members.SelectMany(m => m.Assignment).Select(p => p.Topic))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        var topicQns = topicNames.Select(n => QualifiedNames.Topic(connectionQualifiedName, n)).ToList();
        a["kafkaConsumerGroupMemberCount"] = (long)group.MemberCount;
        if (GroupStates.Contains(group.State))
        {
            a["kafkaConsumerGroupState"] = group.State;
        }

        // No known topic is no knowledge, not "consumes nothing": the topic attributes and links are
        // then left out, so the catalog keeps what an earlier publish set.
        var topicsKnown = topicNames.Count > 0;
        if (topicsKnown)
        {
            a["kafkaTopicNames"] = new JsonArray(topicNames.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());
            a["kafkaTopicQualifiedNames"] = new JsonArray(topicQns.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray());
        }
        if (group.Offsets is { } offsets)
        {
            var consumption = new JsonArray();
            foreach (var o in offsets.OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition))
            {
                var row = new JsonObject
                {
                    ["topicName"] = o.Topic,
                    ["topicPartition"] = o.Partition.ToString(CultureInfo.InvariantCulture),
                    ["topicLag"] = o.Lag,
                };
                if (o.CommittedOffset is { } committed)
                {
                    row["topicCurrentOffset"] = committed;
                }

                consumption.Add(row);
            }

            a["kafkaConsumerGroupTopicConsumptionProperties"] = consumption;
        }

        var assigned = group.Members.SelectMany(m => m.Assignment)
            .OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)
            .Select(p => (JsonNode)JsonValue.Create($"{p.Topic}-{p.Partition.ToString(CultureInfo.InvariantCulture)}")!)
            .ToArray();
        if (assigned.Length > 0)
        {
            a["kafkaConsumerGroupAssignedPartitions"] = new JsonArray(assigned);
        }

        // In attributes (not appendRelationshipAttributes): the group's topic set, read from its
        // committed offsets and assignments, is replaced, so a topic the group stopped consuming is
        // unlinked. Left out when no topic is known, so links are never replaced by less knowledge.
        if (topicsKnown)
        {
            a["kafkaTopics"] = new JsonArray(topicQns.Select(q => (JsonNode)new JsonObject
            {
                ["typeName"] = CatalogTypeNames.KafkaTopic,
                ["uniqueAttributes"] = new JsonObject { ["qualifiedName"] = q },
            }).ToArray());
        }
        Decorate(a, decoration);
        return new PlannedAsset { TypeName = CatalogTypeNames.KafkaConsumerGroup, QualifiedName = qn, Name = group.GroupId, Attributes = a, ReferencedTopics = topicQns };
    }

    /// <summary>The entity JSON as it goes into POST /entity/bulk.</summary>
    public static JsonObject Entity(PlannedAsset asset, string placeholderGuid) => new()
    {
        ["typeName"] = asset.TypeName,
        ["guid"] = placeholderGuid,
        ["attributes"] = asset.Attributes.DeepClone(),
        // Restores the asset if it was archived; no effect on an active one (specs §8).
        ["status"] = "ACTIVE",
    };

    /// <summary>The whole bulk request body for a batch; placeholders are -1, -2, ... in order.</summary>
    public static JsonObject BulkBody(IReadOnlyList<PlannedAsset> batch)
    {
        var entities = new JsonArray();
        for (var i = 0; i < batch.Count; i++)
        {
            entities.Add(Entity(batch[i], Placeholder(i)));
        }

        return new JsonObject { ["entities"] = entities };
    }

    public static string Placeholder(int index) => "-" + (index + 1).ToString(CultureInfo.InvariantCulture);

    private static JsonObject Identity(string name, string qualifiedName, string connectionQualifiedName) => new()
    {
        ["name"] = name,
        ["qualifiedName"] = qualifiedName,
        ["connectionQualifiedName"] = connectionQualifiedName,
        // Derived from the connection's qualifiedName, as the SDKs derive it (its second segment).
        ["connectorName"] = QualifiedNames.ConnectorOf(connectionQualifiedName) ?? QualifiedNames.ConnectorName,
    };

    private static void SetLong(JsonObject a, string attribute, IReadOnlyDictionary<string, string?> config, string key)
    {
        if (config.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            a[attribute] = value;
        }
    }

    private static void ValidateDecoration(CatalogAssetDecoration? d)
    {
        if (d?.CertificateStatus is { } cert && !CatalogAssetDecoration.CertificateStatuses.Contains(cert))
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidCertificate, $"'{cert}' is not a certificate status Atlan knows; use VERIFIED, DRAFT or DEPRECATED.", cert);
        }
    }

    private static void Decorate(JsonObject a, CatalogAssetDecoration? d)
    {
        if (d is null)
        {
            return;
        }

        if (d.Description is not null)
        {
            a["description"] = d.Description;
        }

        if (d.OwnerUsers.Count > 0)
        {
            a["ownerUsers"] = new JsonArray(d.OwnerUsers.Select(u => (JsonNode)JsonValue.Create(u)!).ToArray());
        }

        if (d.OwnerGroups.Count > 0)
        {
            a["ownerGroups"] = new JsonArray(d.OwnerGroups.Select(u => (JsonNode)JsonValue.Create(u)!).ToArray());
        }

        if (d.CertificateStatus is not null)
        {
            a["certificateStatus"] = d.CertificateStatus;
            if (d.CertificateStatusMessage is not null)
            {
                a["certificateStatusMessage"] = d.CertificateStatusMessage;
            }
        }
    }

    private static CatalogAssetResult Reject(string type, string connection, string name, string qn, ErrorDefinition errorId, string error) => new()
    {
        TypeName = type,
        QualifiedName = qn,
        Name = name,
        Status = CatalogAssetStatus.Failed,
        Error = error,
        ErrorId = errorId.Id,
        ConnectionQualifiedName = connection,
    };
}
