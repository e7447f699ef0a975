using System.Text.Json.Nodes;

namespace KafkaCatalog.TestKit.Atlan;

/// <summary>One stored entity. Attributes hold plain attributes; relationships are kept as target qualifiedNames.</summary>
public sealed class AtlanEntity
{
    public required string Guid { get; init; }
    public required string TypeName { get; init; }
    public required string QualifiedName { get; init; }
    public string Status { get; internal set; } = "ACTIVE";
    public JsonObject Attributes { get; internal set; } = new();
    /// <summary>kafkaTopics of a consumer group: topic qualifiedNames.</summary>
    public List<string> KafkaTopics { get; internal set; } = new();
    public long CreateTime { get; init; }
    public long UpdateTime { get; internal set; }
    public int Version { get; internal set; } = 1;
    /// <summary>Monotonic creation order, used as __timestamp for sorting.</summary>
    public long Sequence { get; init; }
    public string CreatedBy { get; init; } = "service-account-apikey";
    /// <summary>For connections: requests touching it get 403 until then (access policies not ready).</summary>
    public DateTimeOffset AccessibleFrom { get; internal set; }
    /// <summary>For connections: created by someone else, so this token never gets access.</summary>
    public bool Foreign { get; internal set; }

    public string Name => Attributes["name"]?.GetValue<string>() ?? string.Empty;

    public string? ConnectionQualifiedName => TypeName == "Connection" ? QualifiedName : Attributes["connectionQualifiedName"]?.GetValue<string>();
}

/// <summary>The emulator's entities, thread-safe. Tests read it to assert what reached the "tenant".</summary>
public sealed class AtlanStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, AtlanEntity> _byGuid = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string Qn), AtlanEntity> _byQn = new();
    private long _sequence;
    private long _lastCreateTime;

    internal object Gate => _gate;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byGuid.Count;
            }
        }
    }

    public IReadOnlyList<AtlanEntity> All
    {
        get
        {
            lock (_gate)
            {
                return _byGuid.Values.OrderBy(e => e.Sequence).ToList();
            }
        }
    }

    public IReadOnlyList<AtlanEntity> OfType(string typeName, string? status = null) =>
        All.Where(e => e.TypeName == typeName && (status is null || e.Status == status)).ToList();

    public AtlanEntity? Find(string typeName, string qualifiedName)
    {
        lock (_gate)
        {
            return _byQn.TryGetValue((typeName, qualifiedName), out var e) ? e : null;
        }
    }

    public AtlanEntity? FindByGuid(string guid)
    {
        lock (_gate)
        {
            return _byGuid.TryGetValue(guid, out var e) ? e : null;
        }
    }

    /// <summary>Adds a connection directly (e.g. one created by another user that this token cannot access).</summary>
    public AtlanEntity SeedConnection(string name, string qualifiedName, bool foreign = false, string? connectorName = null)
    {
        var attributes = new JsonObject
        {
            ["name"] = name,
            ["qualifiedName"] = qualifiedName,
            ["connectorName"] = connectorName ?? qualifiedName.Split('/')[1],
            ["category"] = "eventbus",
            ["adminUsers"] = new JsonArray("someone-else"),
            ["adminRoles"] = new JsonArray(),
            ["adminGroups"] = new JsonArray(),
        };
        lock (_gate)
        {
            var e = NewEntity("Connection", qualifiedName, attributes, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            e.Foreign = foreign;
            return e;
        }
    }

    internal AtlanEntity NewEntity(string typeName, string qualifiedName, JsonObject attributes, long now)
    {
        // Each entity gets its own creation millisecond, so __timestamp order is creation order and
        // paging tests are deterministic (a real tenant may give several entities one millisecond,
        // which pyatlan's timestamp paging handles by falling back to an offset).
        _lastCreateTime = Math.Max(now, _lastCreateTime + 1);
        var e = new AtlanEntity
        {
            Guid = System.Guid.NewGuid().ToString(),
            TypeName = typeName,
            QualifiedName = qualifiedName,
            Attributes = attributes,
            CreateTime = _lastCreateTime,
            UpdateTime = _lastCreateTime,
            Sequence = ++_sequence,
        };
        _byGuid[e.Guid] = e;
        _byQn[(typeName, qualifiedName)] = e;
        return e;
    }

    internal void Remove(AtlanEntity e)
    {
        _byGuid.Remove(e.Guid);
        _byQn.Remove((e.TypeName, e.QualifiedName));
    }

    internal AtlanEntity? FindUnlocked(string typeName, string qualifiedName) =>
        _byQn.TryGetValue((typeName, qualifiedName), out var e) ? e : null;

    internal AtlanEntity? FindByGuidUnlocked(string guid) => _byGuid.TryGetValue(guid, out var e) ? e : null;
}
