using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace KafkaCatalog.Core.Catalog;

/// <summary>Which assets of a Kafka connection to find.</summary>
public sealed record CatalogAssetQuery
{
    public required string ConnectionQualifiedName { get; init; }
    /// <summary>KafkaTopic and/or KafkaConsumerGroup (both when empty).</summary>
    public IReadOnlyList<string> TypeNames { get; init; } = Array.Empty<string>();
    /// <summary>Name filters with * and ? (all when empty). One exact name is filtered server-side.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();
    /// <summary>Also return archived (soft-deleted) assets.</summary>
    public bool IncludeArchived { get; init; }
    /// <summary>Hits per index-search page.</summary>
    public int PageSize { get; init; } = 100;
}

/// <summary>
/// Index search (POST /api/meta/search/indexsearch) over a connection's topics and groups, paged
/// with from/size and a stable sort (__timestamp, then __guid as the SDKs do), streamed page by page.
/// </summary>
public static class CatalogAssetSearch
{
    internal const int ProgressId = 5102;

    /// <summary>The attributes asked for on each hit: everything this module writes.</summary>
    public static readonly IReadOnlyList<string> Attributes = new[]
    {
        "name", "qualifiedName", "connectionQualifiedName", "connectorName", "description", "ownerUsers", "ownerGroups",
        "certificateStatus", "certificateStatusMessage",
        "kafkaTopicPartitionsCount", "kafkaTopicReplicationFactor", "kafkaTopicIsInternal", "kafkaTopicRetentionTimeInMs",
        "kafkaTopicRetentionBytes", "kafkaTopicSegmentBytes", "kafkaTopicCleanupPolicy", "kafkaTopicLogCleanupPolicy",
        "kafkaTopicCompressionType", "kafkaTopicSizeInBytes", "kafkaTopicRecordCount",
        "kafkaConsumerGroupMemberCount", "kafkaConsumerGroupState", "kafkaTopicNames", "kafkaTopicQualifiedNames",
        "kafkaConsumerGroupTopicConsumptionProperties", "kafkaConsumerGroupAssignedPartitions",
    };

    public static async IAsyncEnumerable<CatalogKafkaAsset> SearchAsync(CatalogConnection catalog, CatalogAssetQuery query, IOperationSink? sink = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var hit in SearchRawAsync(catalog, query, sink, cancellationToken).ConfigureAwait(false))
        {
            yield return ToAsset(hit);
        }
    }

    /// <summary>The raw hits (entity headers with attributes), for the sync planner.</summary>
    internal static async IAsyncEnumerable<JsonObject> SearchRawAsync(CatalogConnection catalog, CatalogAssetQuery query, IOperationSink? sink, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(query);
        sink ??= NullOperationSink.Instance;
        if (QualifiedNames.ValidateConnection(query.ConnectionQualifiedName) is { } why)
        {
            throw new KafkaCatalogException("CatalogInvalidConnectionQualifiedName", FailureKind.InvalidArgument, why, query.ConnectionQualifiedName);
        }

        if (query.PageSize is < 1 or > 1000)
        {
            throw new KafkaCatalogException("CatalogInvalidPageSize", FailureKind.InvalidArgument, $"Page size {query.PageSize} is outside 1..1000.", query.PageSize);
        }

        var filter = new NameFilter(query.Names);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var from = 0;
        while (true)
        {
            var body = BuildRequest(query, filter.ExactName, from);
            var response = await catalog.Api.PostAsync("api/meta/search/indexsearch", body, sink, ct).ConfigureAwait(false);
            var entities = response?["entities"] as JsonArray;
            var count = entities?.Count ?? 0;
            var approximate = response?["approximateCount"]?.GetValue<long>() ?? 0;
            sink.Progress(new OperationProgress(ProgressId, "Searching the catalog", $"{from + count} of {approximate} assets", approximate > 0 ? (int)Math.Min(100, 100L * (from + count) / approximate) : -1));
            if (entities is not null)
            {
                foreach (var node in entities)
                {
                    if (node is JsonObject hit && hit["guid"]?.GetValue<string>() is { } guid && seen.Add(guid)
                        && filter.IsMatch(hit["attributes"]?["name"]?.GetValue<string>() ?? hit["displayText"]?.GetValue<string>() ?? string.Empty))
                    {
                        yield return hit;
                    }
                }
            }

            if (count < query.PageSize)
            {
                sink.Progress(new OperationProgress(ProgressId, "Searching the catalog", "Done", 100, Completed: true));
                yield break;
            }

            from += count;
        }
    }

    public static JsonObject BuildRequest(CatalogAssetQuery query, string? exactName, int from)
    {
        var types = query.TypeNames.Count == 0 ? new[] { CatalogTypeNames.KafkaTopic, CatalogTypeNames.KafkaConsumerGroup } : query.TypeNames.ToArray();
        var filters = new JsonArray
        {
            query.IncludeArchived
                ? new JsonObject { ["terms"] = new JsonObject { ["__state"] = new JsonArray("ACTIVE", "DELETED") } }
                : new JsonObject { ["term"] = new JsonObject { ["__state"] = new JsonObject { ["value"] = "ACTIVE" } } },
            new JsonObject { ["terms"] = new JsonObject { ["__typeName.keyword"] = new JsonArray(types.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()) } },
            new JsonObject { ["term"] = new JsonObject { ["connectionQualifiedName"] = new JsonObject { ["value"] = query.ConnectionQualifiedName } } },
        };
        if (exactName is not null)
        {
            filters.Add(new JsonObject { ["term"] = new JsonObject { ["name.keyword"] = new JsonObject { ["value"] = exactName } } });
        }

        return new JsonObject
        {
            ["dsl"] = new JsonObject
            {
                ["from"] = from,
                ["size"] = query.PageSize,
                ["track_total_hits"] = true,
                ["query"] = new JsonObject { ["bool"] = new JsonObject { ["filter"] = filters } },
                ["sort"] = new JsonArray(
                    new JsonObject { ["__timestamp"] = new JsonObject { ["order"] = "asc" } },
                    new JsonObject { ["__guid"] = new JsonObject { ["order"] = "asc" } }),
            },
            ["attributes"] = new JsonArray(Attributes.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
            ["relationAttributes"] = new JsonArray("qualifiedName"),
            ["suppressLogs"] = true,
            ["requestMetadata"] = new JsonObject { ["saveSearchLog"] = false, ["utmTags"] = new JsonArray("kafkacatalog") },
        };
    }

    internal static CatalogKafkaAsset ToAsset(JsonObject hit)
    {
        var a = hit["attributes"] as JsonObject ?? new JsonObject();
        var consumption = a["kafkaConsumerGroupTopicConsumptionProperties"] as JsonArray;
        long? totalLag = consumption is null ? null : consumption.Sum(row => Long(Unwrap(row)?["topicLag"]) ?? 0);
        return new CatalogKafkaAsset
        {
            TypeName = hit["typeName"]?.GetValue<string>() ?? string.Empty,
            Guid = hit["guid"]?.GetValue<string>() ?? string.Empty,
            Status = hit["status"]?.GetValue<string>() ?? "ACTIVE",
            QualifiedName = Str(a["qualifiedName"]) ?? string.Empty,
            Name = Str(a["name"]) ?? hit["displayText"]?.GetValue<string>() ?? string.Empty,
            ConnectionQualifiedName = Str(a["connectionQualifiedName"]),
            Description = Str(a["description"]),
            OwnerUsers = Strings(a["ownerUsers"]),
            OwnerGroups = Strings(a["ownerGroups"]),
            CertificateStatus = Str(a["certificateStatus"]),
            PartitionCount = Long(a["kafkaTopicPartitionsCount"]),
            ReplicationFactor = Long(a["kafkaTopicReplicationFactor"]),
            RetentionMs = Long(a["kafkaTopicRetentionTimeInMs"]),
            RetentionBytes = Long(a["kafkaTopicRetentionBytes"]),
            SegmentBytes = Long(a["kafkaTopicSegmentBytes"]),
            CleanupPolicy = Str(a["kafkaTopicLogCleanupPolicy"]) ?? Str(a["kafkaTopicCleanupPolicy"]),
            CompressionType = Str(a["kafkaTopicCompressionType"]),
            IsInternal = a["kafkaTopicIsInternal"] is JsonValue b && b.TryGetValue<bool>(out var isInternal) ? isInternal : null,
            SizeInBytes = Long(a["kafkaTopicSizeInBytes"]),
            RecordCount = Long(a["kafkaTopicRecordCount"]),
            MemberCount = Long(a["kafkaConsumerGroupMemberCount"]),
            GroupState = Str(a["kafkaConsumerGroupState"]),
            TopicNames = Strings(a["kafkaTopicNames"]),
            TopicQualifiedNames = Strings(a["kafkaTopicQualifiedNames"]),
            TotalLag = totalLag,
            UpdateTime = hit["updateTime"] is JsonValue t && t.TryGetValue<long>(out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
        };
    }

    /// <summary>Structs come back as {typeName, attributes{...}}; they are sent flat.</summary>
    internal static JsonNode? Unwrap(JsonNode? node) =>
        node is JsonObject o && o["attributes"] is JsonObject inner && o.ContainsKey("typeName") ? inner : node;

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Long(JsonNode? n)
    {
        if (n is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }

        return v.TryGetValue<double>(out var d) ? (long)d : null;
    }

    private static IReadOnlyList<string> Strings(JsonNode? n) =>
        n is JsonArray arr ? arr.Select(Str).Where(s => s is not null).Select(s => s!).ToList() : Array.Empty<string>();
}
