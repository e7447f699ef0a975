using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using KafkaCatalog.Core.Errors;

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

    /// <summary>
    /// Above this many hits (approximateCount) paging switches from from/size to timestamp paging, as
    /// pyatlan's IndexSearchResults does (_MASS_EXTRACT_THRESHOLD = 100 000 - 300): from/size cannot
    /// reach past the search index's result window.
    /// </summary>
    internal int MassExtractThreshold { get; init; } = 100_000 - 300;
}

/// <summary>
/// Index search (POST /api/meta/search/indexsearch) over a connection's topics and groups, sorted by
/// __timestamp then __guid as the SDKs do, streamed page by page. Paged with from/size; above
/// <see cref="CatalogAssetQuery.MassExtractThreshold"/> hits, with pyatlan's timestamp paging
/// (client/asset.py IndexSearchResults): each page after the first asks for __timestamp at or after
/// the last hit's createTime from offset 0, and hits already returned are dropped; when a page's first
/// and last createTime are equal the window cannot move, and the offset becomes the number returned so far.
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
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidConnectionQualifiedName, why, query.ConnectionQualifiedName);
        }

        if (query.PageSize is < 1 or > 1000)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidPageSize, $"Page size {query.PageSize} is outside 1..1000.", query.PageSize);
        }

        var filter = new NameFilter(query.Names);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var from = 0;
        long? since = null;
        var timestampPaging = false;
        while (true)
        {
            var body = BuildRequest(query, filter.ExactName, from, since);
            var response = await catalog.Api.PostAsync("api/meta/search/indexsearch", body, sink, ct).ConfigureAwait(false);
            var entities = (response?["entities"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
            var approximate = response?["approximateCount"] is JsonValue c && c.TryGetValue<long>(out var n) ? n : 0;
            if (!timestampPaging && approximate > query.MassExtractThreshold)
            {
                timestampPaging = true;
                sink.Verbose($"Catalog: {approximate} hits, more than {query.MassExtractThreshold}: paging by __timestamp as pyatlan does.");
            }

            var fresh = entities.Where(hit => hit["guid"]?.GetValue<string>() is { } guid && !seen.Contains(guid)).ToList();
            foreach (var hit in fresh)
            {
                seen.Add(hit["guid"]!.GetValue<string>());
                if (filter.IsMatch(hit["attributes"]?["name"]?.GetValue<string>() ?? hit["displayText"]?.GetValue<string>() ?? string.Empty))
                {
                    yield return hit;
                }
            }

            sink.Progress(new OperationProgress(ProgressId, "Searching the catalog", $"{seen.Count} of {approximate} assets", approximate > 0 ? (int)Math.Min(100, 100L * seen.Count / approximate) : -1));
            var done = timestampPaging ? fresh.Count == 0 : entities.Count < query.PageSize;
            if (done)
            {
                sink.Progress(new OperationProgress(ProgressId, "Searching the catalog", "Done", 100, Completed: true));
                yield break;
            }

            if (timestampPaging)
            {
                var first = fresh.Count > 1 ? CreateTime(fresh[0]) : null;
                var last = fresh.Count > 1 ? CreateTime(fresh[^1]) : null;
                if (first is not null && last is not null && first != last)
                {
                    since = last;
                    from = 0;
                }
                else
                {
                    since = null;
                    from = seen.Count;
                }
            }
            else
            {
                from += entities.Count;
            }
        }
    }

    private static long? CreateTime(JsonObject hit) =>
        hit["createTime"] is JsonValue v && v.TryGetValue<long>(out var ms) ? ms : null;

    /// <param name="since">Timestamp paging: only hits whose __timestamp is at or after this (epoch ms).</param>
    public static JsonObject BuildRequest(CatalogAssetQuery query, string? exactName, int from, long? since = null)
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

        if (since is { } ms)
        {
            filters.Add(new JsonObject { ["range"] = new JsonObject { ["__timestamp"] = new JsonObject { ["gte"] = ms } } });
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
