using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Catalog;

/// <summary>What sync reads from the cluster. The Kafka services implement it; tests feed it.</summary>
public interface IKafkaInventory
{
    Task<IReadOnlyList<KafkaTopic>> ListTopicsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<KafkaConsumerGroup>> ListConsumerGroupsAsync(CancellationToken cancellationToken);
}

/// <summary>An inventory over records already read (pipeline input, tests).</summary>
public sealed class InMemoryKafkaInventory(IEnumerable<KafkaTopic> topics, IEnumerable<KafkaConsumerGroup> groups) : IKafkaInventory
{
    private readonly IReadOnlyList<KafkaTopic> _topics = topics.ToList();
    private readonly IReadOnlyList<KafkaConsumerGroup> _groups = groups.ToList();

    public Task<IReadOnlyList<KafkaTopic>> ListTopicsAsync(CancellationToken cancellationToken) => Task.FromResult(_topics);

    public Task<IReadOnlyList<KafkaConsumerGroup>> ListConsumerGroupsAsync(CancellationToken cancellationToken) => Task.FromResult(_groups);
}

public enum CatalogSyncActionKind
{
    Create,
    Update,
    Restore,
    Archive,
    Unchanged,
}

/// <summary>One line of the sync plan.</summary>
public sealed record CatalogSyncAction
{
    public required CatalogSyncActionKind Kind { get; init; }
    public required string TypeName { get; init; }
    public required string QualifiedName { get; init; }
    public required string Name { get; init; }
    public string? Guid { get; init; }
    /// <summary>Attributes that differ (Update only).</summary>
    public IReadOnlyList<string> ChangedAttributes { get; init; } = Array.Empty<string>();
    internal PlannedAsset? Desired { get; init; }

    public string Describe() => Kind switch
    {
        CatalogSyncActionKind.Update => $"Update {TypeName} '{Name}' ({string.Join(", ", ChangedAttributes)})",
        _ => $"{Kind} {TypeName} '{Name}'",
    };
}

public sealed record CatalogSyncPlan
{
    public required string ConnectionQualifiedName { get; init; }
    public required IReadOnlyList<CatalogSyncAction> Actions { get; init; }
    /// <summary>Cluster records Atlan would refuse (bad names): reported Failed, never sent.</summary>
    public IReadOnlyList<CatalogAssetResult> Rejected { get; init; } = Array.Empty<CatalogAssetResult>();

    public int Count(CatalogSyncActionKind kind) => Actions.Count(a => a.Kind == kind);
}

/// <summary>Which kinds of catalog asset a sync may archive when the input no longer has them.</summary>
[Flags]
public enum CatalogSyncArchive
{
    /// <summary>Archive nothing: the input is a subset, so a missing asset proves nothing.</summary>
    None = 0,
    Topics = 1,
    ConsumerGroups = 2,
    All = Topics | ConsumerGroups,
}

public sealed record CatalogSyncOptions
{
    /// <summary>Topic name filters (* ?); all topics when empty. Only matching catalog topics can be archived.</summary>
    public IReadOnlyList<string> Topics { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> GroupIds { get; init; } = Array.Empty<string>();
    public bool IncludeTopics { get; init; } = true;
    public bool IncludeGroups { get; init; } = true;
    public CatalogAssetDecoration? Decoration { get; init; }
    public CatalogPublishOptions Publish { get; init; } = new();

    /// <summary>
    /// Which kinds may be archived when missing from the input. None by default: only a read of the
    /// whole cluster (or an explicit -ArchiveMissing) proves that an asset is gone.
    /// </summary>
    public CatalogSyncArchive Archive { get; init; } = CatalogSyncArchive.None;
}

/// <summary>
/// Sync: read the cluster and the catalog (archived assets included), plan, apply. Create what is
/// new, update what changed, restore archived assets that came back, archive (SOFT) assets whose
/// topic or group is gone (only for the kinds <see cref="CatalogSyncOptions.Archive"/> allows), leave the rest. Applying publishes topics before groups and archives
/// groups before topics.
/// </summary>
public static class CatalogSynchronizer
{
    public static async Task<CatalogSyncPlan> PlanAsync(CatalogConnection catalog, string connectionQualifiedName, IKafkaInventory inventory, CatalogSyncOptions? options = null, IOperationSink? sink = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(inventory);
        options ??= new CatalogSyncOptions();
        sink ??= NullOperationSink.Instance;
        await CatalogKafkaConnections.GetAsync(catalog, connectionQualifiedName, sink, cancellationToken).ConfigureAwait(false);
        var topicFilter = new NameFilter(options.Topics);
        var groupFilter = new NameFilter(options.GroupIds);
        var items = new List<object>();
        if (options.IncludeTopics)
        {
            items.AddRange((await inventory.ListTopicsAsync(cancellationToken).ConfigureAwait(false)).Where(t => topicFilter.IsMatch(t.Name ?? string.Empty)));
        }

        if (options.IncludeGroups)
        {
            items.AddRange((await inventory.ListConsumerGroupsAsync(cancellationToken).ConfigureAwait(false)).Where(g => groupFilter.IsMatch(g.GroupId ?? string.Empty)));
        }

        var desired = CatalogAssetBuilder.Build(connectionQualifiedName, items, options.Decoration);
        var types = new List<string>();
        if (options.IncludeTopics)
        {
            types.Add(CatalogTypeNames.KafkaTopic);
        }

        if (options.IncludeGroups)
        {
            types.Add(CatalogTypeNames.KafkaConsumerGroup);
        }

        var existing = new List<JsonObject>();
        if (types.Count > 0)
        {
            await foreach (var hit in CatalogAssetSearch.SearchRawAsync(catalog, new CatalogAssetQuery { ConnectionQualifiedName = connectionQualifiedName, TypeNames = types, IncludeArchived = true }, sink, cancellationToken).ConfigureAwait(false))
            {
                var name = hit["attributes"]?["name"]?.GetValue<string>() ?? string.Empty;
                var type = hit["typeName"]?.GetValue<string>();
                if ((type == CatalogTypeNames.KafkaTopic && topicFilter.IsMatch(name)) || (type == CatalogTypeNames.KafkaConsumerGroup && groupFilter.IsMatch(name)))
                {
                    existing.Add(hit);
                }
            }
        }

        return Plan(connectionQualifiedName, desired, existing, options.Archive);
    }

    /// <summary>
    /// The pure planning step: desired assets against catalog hits. A catalog asset missing from
    /// <paramref name="desired"/> is archived only when <paramref name="archive"/> names its kind.
    /// </summary>
    public static CatalogSyncPlan Plan(string connectionQualifiedName, CatalogPublishSet desired, IEnumerable<JsonObject> catalogHits, CatalogSyncArchive archive = CatalogSyncArchive.None)
    {
        var byKey = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var hit in catalogHits)
        {
            var key = Key(hit["typeName"]?.GetValue<string>() ?? string.Empty, hit["attributes"]?["qualifiedName"]?.GetValue<string>() ?? string.Empty);
            // An ACTIVE entity wins over an archived one of the same name.
            if (!byKey.TryGetValue(key, out var seen) || seen["status"]?.GetValue<string>() == "DELETED")
            {
                byKey[key] = hit;
            }
        }

        var actions = new List<CatalogSyncAction>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var asset in desired.Topics.Concat(desired.Groups))
        {
            var key = Key(asset.TypeName, asset.QualifiedName);
            wanted.Add(key);
            if (!byKey.TryGetValue(key, out var hit))
            {
                actions.Add(Action(CatalogSyncActionKind.Create, asset, null, asset));
                continue;
            }

            var guid = hit["guid"]?.GetValue<string>();
            if (hit["status"]?.GetValue<string>() == "DELETED")
            {
                actions.Add(Action(CatalogSyncActionKind.Restore, asset, guid, asset with { Restore = true }));
                continue;
            }

            var changed = ChangedAttributes(asset.Attributes, hit["attributes"] as JsonObject ?? new JsonObject());
            actions.Add(changed.Count == 0
                ? Action(CatalogSyncActionKind.Unchanged, asset, guid, null)
                : Action(CatalogSyncActionKind.Update, asset, guid, asset) with { ChangedAttributes = changed });
        }

        foreach (var (key, hit) in byKey.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var type = hit["typeName"]?.GetValue<string>();
            var mayArchive = type switch
            {
                CatalogTypeNames.KafkaTopic => archive.HasFlag(CatalogSyncArchive.Topics),
                CatalogTypeNames.KafkaConsumerGroup => archive.HasFlag(CatalogSyncArchive.ConsumerGroups),
                _ => false,
            };
            if (mayArchive && !wanted.Contains(key) && hit["status"]?.GetValue<string>() != "DELETED")
            {
                actions.Add(new CatalogSyncAction
                {
                    Kind = CatalogSyncActionKind.Archive,
                    TypeName = hit["typeName"]!.GetValue<string>(),
                    QualifiedName = hit["attributes"]?["qualifiedName"]?.GetValue<string>() ?? string.Empty,
                    Name = hit["attributes"]?["name"]?.GetValue<string>() ?? string.Empty,
                    Guid = hit["guid"]?.GetValue<string>(),
                });
            }
        }

        return new CatalogSyncPlan { ConnectionQualifiedName = connectionQualifiedName, Actions = actions, Rejected = desired.Rejected };
    }

    /// <summary>Applies (the approved part of) a plan; one result per action and per rejected record.</summary>
    public static async IAsyncEnumerable<CatalogAssetResult> ApplyAsync(CatalogConnection catalog, CatalogSyncPlan plan, CatalogSyncOptions? options = null, IOperationSink? sink = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new CatalogSyncOptions();
        sink ??= NullOperationSink.Instance;
        foreach (var r in plan.Rejected)
        {
            yield return r;
        }

        foreach (var a in plan.Actions.Where(a => a.Kind == CatalogSyncActionKind.Unchanged))
        {
            yield return new CatalogAssetResult { TypeName = a.TypeName, QualifiedName = a.QualifiedName, Name = a.Name, Guid = a.Guid, Status = CatalogAssetStatus.Unchanged, ConnectionQualifiedName = plan.ConnectionQualifiedName };
        }

        var send = plan.Actions.Where(a => a.Desired is not null).Select(a => a.Desired!).ToList();
        var set = new CatalogPublishSet
        {
            ConnectionQualifiedName = plan.ConnectionQualifiedName,
            Topics = send.Where(a => a.IsTopic).ToList(),
            Groups = send.Where(a => !a.IsTopic).ToList(),
        };
        await foreach (var r in CatalogPublisher.PublishAsync(catalog, set, options.Publish with { SkipConnectionCheck = true }, sink, null, cancellationToken).ConfigureAwait(false))
        {
            yield return r;
        }

        var archive = plan.Actions.Where(a => a.Kind == CatalogSyncActionKind.Archive).Select(a => new CatalogAssetReference(a.TypeName, a.QualifiedName, a.Guid, a.Name)).ToList();
        if (archive.Count > 0)
        {
            await foreach (var r in CatalogAssetDeleter.DeleteAsync(catalog, archive, new CatalogDeleteOptions { DeleteType = CatalogDeleteType.Soft }, sink, null, cancellationToken).ConfigureAwait(false))
            {
                yield return r;
            }
        }
    }

    public static CatalogSyncSummary Summarize(string connectionQualifiedName, IEnumerable<CatalogAssetResult> results, TimeSpan duration) =>
        Count(connectionQualifiedName, results.Select(r => r.Status).ToList(), duration, whatIf: false);

    /// <summary>The counts a plan would produce (for -WhatIf).</summary>
    public static CatalogSyncSummary Summarize(CatalogSyncPlan plan) => new()
    {
        ConnectionQualifiedName = plan.ConnectionQualifiedName,
        Created = plan.Count(CatalogSyncActionKind.Create),
        Updated = plan.Count(CatalogSyncActionKind.Update),
        Restored = plan.Count(CatalogSyncActionKind.Restore),
        Archived = plan.Count(CatalogSyncActionKind.Archive),
        Unchanged = plan.Count(CatalogSyncActionKind.Unchanged),
        Failed = plan.Rejected.Count,
        IsWhatIf = true,
    };

    /// <summary>The attribute names whose desired value differs from the catalog's (relationship refs are compared through kafkaTopicQualifiedNames).</summary>
    public static IReadOnlyList<string> ChangedAttributes(JsonObject desired, JsonObject stored)
    {
        var changed = new List<string>();
        foreach (var (name, value) in desired)
        {
            if (name == "kafkaTopics")
            {
                continue;
            }

            if (!SameValue(value, stored[name]))
            {
                changed.Add(name);
            }
        }

        return changed;
    }

    public static bool SameValue(JsonNode? a, JsonNode? b)
    {
        a = CatalogAssetSearch.Unwrap(a);
        b = CatalogAssetSearch.Unwrap(b);
        switch (a)
        {
            case null:
                return b is null;
            case JsonArray arrayA:
                if (b is not JsonArray arrayB || arrayA.Count != arrayB.Count)
                {
                    return false;
                }

                if (arrayA.All(x => x is JsonValue) && arrayB.All(x => x is JsonValue))
                {
                    // Sets of strings (kafkaTopicNames, owners): order is not meaningful.
                    var left = arrayA.Select(x => x!.ToJsonString()).OrderBy(x => x, StringComparer.Ordinal);
                    var right = arrayB.Select(x => x!.ToJsonString()).OrderBy(x => x, StringComparer.Ordinal);
                    return left.SequenceEqual(right);
                }

                return arrayA.Zip(arrayB).All(p => SameValue(p.First, p.Second));
            case JsonObject objectA:
                if (b is not JsonObject objectB || objectA.Count != objectB.Count)
                {
                    return false;
                }

                return objectA.All(p => objectB.TryGetPropertyValue(p.Key, out var other) && SameValue(p.Value, other));
            case JsonValue valueA:
                if (b is not JsonValue valueB)
                {
                    return false;
                }

                if (valueA.TryGetValue<double>(out var da) && valueB.TryGetValue<double>(out var db))
                {
                    return da.Equals(db);
                }

                return valueA.ToJsonString() == valueB.ToJsonString();
            default:
                return false;
        }
    }

    private static CatalogSyncSummary Count(string qn, IReadOnlyList<CatalogAssetStatus> statuses, TimeSpan duration, bool whatIf) => new()
    {
        ConnectionQualifiedName = qn,
        Created = statuses.Count(s => s == CatalogAssetStatus.Created),
        Updated = statuses.Count(s => s == CatalogAssetStatus.Updated),
        Restored = statuses.Count(s => s == CatalogAssetStatus.Restored),
        Archived = statuses.Count(s => s == CatalogAssetStatus.Archived),
        Unchanged = statuses.Count(s => s == CatalogAssetStatus.Unchanged),
        Failed = statuses.Count(s => s == CatalogAssetStatus.Failed),
        IsWhatIf = whatIf,
        Duration = duration,
    };

    private static CatalogSyncAction Action(CatalogSyncActionKind kind, PlannedAsset asset, string? guid, PlannedAsset? desired) => new()
    {
        Kind = kind,
        TypeName = asset.TypeName,
        QualifiedName = asset.QualifiedName,
        Name = asset.Name,
        Guid = guid,
        Desired = desired,
    };

    private static string Key(string type, string qn) => type + "\n" + qn;

    internal static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
