using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace KafkaCatalog.TestKit.Atlan;

public sealed record AtlanRole(string Id, string Name, string Description = "");

public sealed record AtlanEmulatorOptions
{
    /// <summary>The bearer token the emulator accepts (random when not given).</summary>
    public string ApiToken { get; init; } = "atlan-emulator-" + Guid.NewGuid().ToString("N");
    /// <summary>How long after its creation a connection (and its assets) answers 403: Atlan creates access policies asynchronously.</summary>
    public TimeSpan ConnectionAccessDelay { get; init; } = TimeSpan.Zero;
    /// <summary>Added to every request (benchmarks use 50 ms).</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;
    /// <summary>Server-side cap on entities per bulk request (Atlan: 10 000).</summary>
    public int MaxEntitiesPerRequest { get; init; } = 10_000;
    /// <summary>The username the token acts as; appended to every new connection's adminUsers.</summary>
    public string ServiceUser { get; init; } = "service-account-apikey-emulator";
    /// <summary>Usernames GET /api/service/users lists (pyatlan validates adminUsers against them).</summary>
    public IReadOnlyList<string> Users { get; init; } = new[] { "jsmith", "admin" };

    /// <summary>Group names GET /api/service/groups lists (pyatlan validates adminGroups against them).</summary>
    public IReadOnlyList<string> Groups { get; init; } = new[] { "data-platform", "data-engineers", "orders-team" };

    /// <summary>
    /// Index search refuses from + size beyond this (null: no limit). Unbacked as a number: pyatlan switches
    /// to timestamp paging above 100 000 - 300 hits (IndexSearchResults._MASS_EXTRACT_THRESHOLD), which
    /// implies such a window; the server's own cap (ATLAS-400-00-103) is off by default (specs/atlan.md §7).
    /// </summary>
    public int? MaxResultWindow { get; init; }

    /// <summary>
    /// Report updates in the top-level partialUpdatedEntities list (and mutatedEntities.PARTIAL_UPDATE)
    /// instead of UPDATE, as partial-update endpoints do (pyatlan AssetMutationResponse reads both).
    /// </summary>
    public bool ReportUpdatesAsPartial { get; init; }

    public IReadOnlyList<AtlanRole> Roles { get; init; } = new[]
    {
        new AtlanRole("e7ae0295-c60a-469a-bd2c-fb903943aa02", "$admin", "Admins"),
        new AtlanRole("1c4f2b6a-7a4d-4b8e-9d4e-0f3a2b1c5d6e", "$member", "Members"),
        new AtlanRole("9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "$guest", "Guests"),
    };
}

/// <summary>Request counters: everything, and per "METHOD /route".</summary>
public sealed class AtlanRequestCounters
{
    private readonly ConcurrentDictionary<string, long> _byRoute = new(StringComparer.Ordinal);
    private long _total;
    private long _entitiesReceived;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Entities received in bulk upserts that were processed (faulted requests excluded).</summary>
    public long EntitiesReceived => Interlocked.Read(ref _entitiesReceived);

    public long this[string route] => _byRoute.TryGetValue(route, out var n) ? n : 0;

    public long BulkUpserts => this["POST /api/meta/entity/bulk"];

    public long BulkDeletes => this["DELETE /api/meta/entity/bulk"];

    public long IndexSearches => this["POST /api/meta/search/indexsearch"];

    public IReadOnlyDictionary<string, long> ByRoute => new Dictionary<string, long>(_byRoute);

    public void Reset()
    {
        _byRoute.Clear();
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _entitiesReceived, 0);
    }

    internal void Count(string route)
    {
        Interlocked.Increment(ref _total);
        _byRoute.AddOrUpdate(route, 1, (_, n) => n + 1);
    }

    internal void Entities(int n) => Interlocked.Add(ref _entitiesReceived, n);
}

/// <summary>
/// An Atlan metastore emulator over real HTTP on 127.0.0.1, following specs/atlan.md: bearer
/// auth, roles, bulk upsert by qualifiedName with placeholder GUIDs and CREATE/UPDATE lists,
/// reads by GUID and qualifiedName, index search, bulk delete (SOFT/HARD/PURGE), restore via
/// status ACTIVE, delayed connection access, and fault injection.
/// </summary>
public sealed partial class AtlanEmulator : IAsyncDisposable
{
    private static readonly HashSet<string> LongAttributes = new(StringComparer.Ordinal)
    {
        "kafkaTopicPartitionsCount", "kafkaTopicReplicationFactor", "kafkaTopicRetentionTimeInMs", "kafkaTopicRetentionBytes",
        "kafkaTopicSegmentBytes", "kafkaTopicSizeInBytes", "kafkaTopicRecordCount", "kafkaConsumerGroupMemberCount", "kafkaTopicConsumerCount",
    };

    private static readonly HashSet<string> BoolAttributes = new(StringComparer.Ordinal) { "kafkaTopicIsInternal", "kafkaTopicIsSchemaManaged" };
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal) { "Connection", "KafkaTopic", "KafkaConsumerGroup" };

    private readonly WebApplication _app;
    private readonly AtlanEmulatorOptions _options;

    private AtlanEmulator(WebApplication app, AtlanEmulatorOptions options, Uri baseUri)
    {
        _app = app;
        _options = options;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public string ApiToken => _options.ApiToken;

    public AtlanEmulatorOptions Options => _options;

    public AtlanStore Store { get; } = new();

    public AtlanFaults Faults { get; } = new();

    public AtlanRequestCounters Requests { get; } = new();

    /// <summary>Requests refused with 401 (missing or wrong bearer token).</summary>
    public long UnauthorizedRequests => Interlocked.Read(ref _unauthorized);

    private long _unauthorized;

    public static async Task<AtlanEmulator> StartAsync(AtlanEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AtlanEmulatorOptions();
        AtlanEmulator? emulator = null;
        var (app, baseUri) = await LoopbackHttpHost.StartAsync(a => a.Run(context => emulator!.HandleAsync(context)), cancellationToken).ConfigureAwait(false);
        emulator = new AtlanEmulator(app, options, baseUri);
        return emulator;
    }

    public ValueTask DisposeAsync() => LoopbackHttpHost.StopAsync(_app);

    private async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        Requests.Count($"{method} {Route(path)}");
        if (_options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_options.Latency, context.RequestAborted).ConfigureAwait(false);
        }

        if (Faults.Next(new AtlanRequestInfo(method, path)) is { } fault)
        {
            switch (fault.Kind)
            {
                case AtlanFaultKind.ConnectionReset:
                    context.Abort();
                    return;
                case AtlanFaultKind.Slow:
                    await Task.Delay(fault.Delay ?? TimeSpan.FromSeconds(5), context.RequestAborted).ConfigureAwait(false);
                    break;
                case AtlanFaultKind.TooManyRequests:
                    var seconds = (fault.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds;
                    context.Response.Headers["Retry-After"] = Math.Max(0, (int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
                    await WriteAsync(context, 429, new JsonObject { ["code"] = 429, ["message"] = "Too many requests: rate limit exceeded" }).ConfigureAwait(false);
                    return;
                default:
                    await WriteAsync(context, fault.StatusCode, Error($"ATLAS-{fault.StatusCode}-00-001", "Injected server error")).ConfigureAwait(false);
                    return;
            }
        }

        if (context.Request.Headers.Authorization.ToString() != "Bearer " + _options.ApiToken)
        {
            Interlocked.Increment(ref _unauthorized);
            await WriteAsync(context, 401, new JsonObject { ["code"] = 401, ["message"] = "Unauthorized: the API token is missing, invalid or expired" }).ConfigureAwait(false);
            return;
        }

        try
        {
            var (status, body) = await DispatchAsync(context, method, path).ConfigureAwait(false);
            await WriteAsync(context, status, body).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteAsync(context, 400, Error("ATLAS-400-00-01A", "Invalid JSON: " + ex.Message)).ConfigureAwait(false);
        }
    }

    private async Task<(int, JsonNode)> DispatchAsync(HttpContext context, string method, string path)
    {
        var query = context.Request.Query;
        switch (method)
        {
            case "GET" when path == "/api/service/roles":
                return Roles(query["filter"].ToString(), Int(query["offset"].ToString(), 0), Int(query["limit"].ToString(), 100));
            case "GET" when path == "/api/service/users":
                return Page(_options.Users.Select(u => (JsonNode)new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = u, ["email"] = u + "@example.com" }).ToList(), query);
            case "GET" when path == "/api/service/groups":
                return Page(_options.Groups.Select(g => (JsonNode)new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = g, ["alias"] = g.Replace('-', ' ') }).ToList(), query);
            case "GET" when path == "/api/service/apikeys":
                return ApiKeys(query["filter"].ToString());
            case "POST" when path == "/api/meta/entity/bulk":
                return Upsert(await ReadAsync(context).ConfigureAwait(false));
            case "DELETE" when path == "/api/meta/entity/bulk":
                return Delete(query["guid"].Where(g => g is not null).Select(g => g!).ToList(), query["deleteType"].ToString());
            case "GET" when path.StartsWith("/api/meta/entity/guid/", StringComparison.Ordinal):
                return GetByGuid(Uri.UnescapeDataString(path["/api/meta/entity/guid/".Length..]));
            case "GET" when path.StartsWith("/api/meta/entity/uniqueAttribute/type/", StringComparison.Ordinal):
                return GetByQualifiedName(Uri.UnescapeDataString(path["/api/meta/entity/uniqueAttribute/type/".Length..]), query["attr:qualifiedName"].ToString());
            case "POST" when path == "/api/meta/search/indexsearch":
                return Search(await ReadAsync(context).ConfigureAwait(false));
            default:
                return (404, Error("ATLAS-404-00-001", $"No such endpoint: {method} {path}"));
        }
    }

    private (int, JsonNode) Roles(string filter, int offset, int limit)
    {
        IEnumerable<AtlanRole> roles = _options.Roles;
        if (!string.IsNullOrEmpty(filter) && JsonNode.Parse(filter)?["name"] is { } nameFilter)
        {
            if (nameFilter is JsonObject op && op["$ilike"]?.GetValue<string>() is { } like)
            {
                var regex = new Regex("^" + Regex.Escape(like).Replace("%", ".*").Replace("_", ".") + "$", RegexOptions.IgnoreCase);
                roles = roles.Where(r => regex.IsMatch(r.Name));
            }
            else if (nameFilter is JsonValue exact)
            {
                roles = roles.Where(r => r.Name == exact.GetValue<string>());
            }
        }

        var filtered = roles.ToList();
        var page = filtered.Skip(offset).Take(limit).Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["name"] = r.Name,
            ["description"] = r.Description,
            ["clientRole"] = false,
            ["level"] = "workspace",
            ["memberCount"] = "1",
            ["userCount"] = "1",
        }).ToArray();
        return (200, new JsonObject { ["totalRecord"] = _options.Roles.Count, ["filterRecord"] = filtered.Count, ["records"] = new JsonArray(page) });
    }

    private static (int, JsonNode) Page(List<JsonNode> records, IQueryCollection query)
    {
        var offset = Int(query["offset"].ToString(), 0);
        var limit = Int(query["limit"].ToString(), 20);
        var page = records.Skip(offset).Take(limit).ToArray();
        return (200, new JsonObject { ["totalRecord"] = records.Count, ["filterRecord"] = records.Count, ["records"] = new JsonArray(page) });
    }

    /// <summary>API tokens by clientId (pyatlan TokenGetById: filter {"clientId": ...}): the emulator's own token's service account.</summary>
    private (int, JsonNode) ApiKeys(string filter)
    {
        const string prefix = "service-account-";
        var clientId = _options.ServiceUser.StartsWith(prefix, StringComparison.Ordinal) ? _options.ServiceUser[prefix.Length..] : _options.ServiceUser;
        var wanted = string.IsNullOrEmpty(filter) ? null : JsonNode.Parse(filter)?["clientId"]?.GetValue<string>();
        var records = new JsonArray();
        if (wanted is null || wanted == clientId)
        {
            records.Add(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["clientId"] = clientId, ["displayName"] = "emulator token" });
        }

        return (200, new JsonObject { ["totalRecord"] = records.Count, ["filterRecord"] = records.Count, ["records"] = records });
    }

    private (int, JsonNode) Upsert(JsonNode? body)
    {
        if (body?["entities"] is not JsonArray entities || entities.Count == 0)
        {
            return (400, Error("ATLAS-400-00-01A", "invalid parameters: no entities to create/update."));
        }

        if (entities.Count > _options.MaxEntitiesPerRequest)
        {
            return (400, Error("ATLAS-400-00-212", $"Too many entities in the request: {entities.Count}, limit {_options.MaxEntitiesPerRequest}"));
        }

        var now = DateTimeOffset.UtcNow;
        var nowMs = now.ToUnixTimeMilliseconds();
        lock (Store.Gate)
        {
            var placeholders = new HashSet<string>(StringComparer.Ordinal);
            var parsed = new List<(string Guid, string Type, string Qn, JsonObject Attributes, List<string>? Topics, string? Status)>();
            for (var i = 0; i < entities.Count; i++)
            {
                var e = entities[i] as JsonObject;
                var guid = e?["guid"]?.GetValue<string>() ?? "-" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture);
                placeholders.Add(guid);
                var type = e?["typeName"]?.GetValue<string>();
                if (type is null || !KnownTypes.Contains(type))
                {
                    return (400, Error("ATLAS-400-00-014", $"{type ?? "(null)"}: invalid typeName", guid));
                }

                if (e!["attributes"] is not JsonObject attributes)
                {
                    return (404, Error("ATLAS-404-00-007", $"Invalid instance creation/updation parameters passed : {type}: no attributes", guid));
                }

                if (Validate(type, attributes, now) is { } problem)
                {
                    return (problem.Status, Error(problem.Code, problem.Message, guid));
                }

                // A qualifiedName twice in one request is not refused: neither SDK de-duplicates, and no
                // server rule for it is known (specs/atlan.md §6). The emulator applies them in order.
                var qn = attributes["qualifiedName"]!.GetValue<string>();

                var attrs = (JsonObject)attributes.DeepClone();
                List<string>? topics = null;
                if (attrs.Remove("kafkaTopics", out var refs))
                {
                    topics = new List<string>();
                    foreach (var r in refs as JsonArray ?? new JsonArray())
                    {
                        topics.Add(r?["uniqueAttributes"]?["qualifiedName"]?.GetValue<string>() ?? "guid:" + r?["guid"]?.GetValue<string>());
                    }
                }

                parsed.Add((guid, type, qn, attrs, topics, e["status"]?.GetValue<string>()));
            }

            // References: by qualifiedName only to stored topics; by GUID to stored ones or placeholders of this request.
            foreach (var p in parsed.Where(p => p.Topics is not null))
            {
                for (var i = 0; i < p.Topics!.Count; i++)
                {
                    var target = p.Topics[i];
                    if (target.StartsWith("guid:", StringComparison.Ordinal))
                    {
                        var g = target[5..];
                        var inRequest = parsed.FirstOrDefault(x => x.Guid == g && x.Type == "KafkaTopic");
                        var stored = Store.FindByGuidUnlocked(g);
                        if (inRequest.Qn is null && stored is null)
                        {
                            return (404, Error("ATLAS-404-00-00A", $"Referenced entity AtlasObjectId{{guid='{g}', typeName='KafkaTopic'}} is not found", p.Guid));
                        }

                        p.Topics[i] = inRequest.Qn ?? stored!.QualifiedName;
                    }
                    else if (Store.FindUnlocked("KafkaTopic", target) is null)
                    {
                        return (404, Error("ATLAS-404-00-00A", $"Referenced entity AtlasObjectId{{typeName='KafkaTopic', uniqueAttributes={{qualifiedName:{target}}}}} is not found", p.Guid));
                    }
                }
            }

            var created = new JsonArray();
            var updated = new JsonArray();
            var assignments = new JsonObject();
            foreach (var p in parsed)
            {
                var existing = Store.FindUnlocked(p.Type, p.Qn);
                if (existing is null)
                {
                    var entity = Store.NewEntity(p.Type, p.Qn, p.Attributes, nowMs);
                    entity.KafkaTopics = p.Topics ?? new List<string>();
                    if (p.Type == "Connection")
                    {
                        var admins = entity.Attributes["adminUsers"] as JsonArray ?? new JsonArray();
                        if (!admins.Any(a => a?.GetValue<string>() == _options.ServiceUser))
                        {
                            admins.Add(_options.ServiceUser);
                        }

                        entity.Attributes["adminUsers"] = admins;
                        entity.AccessibleFrom = now + _options.ConnectionAccessDelay;
                    }

                    created.Add(Header(entity));
                    assignments[p.Guid] = entity.Guid;
                    continue;
                }

                var merged = (JsonObject)existing.Attributes.DeepClone();
                foreach (var (key, value) in p.Attributes)
                {
                    merged[key] = value?.DeepClone();
                }

                var topics = p.Topics ?? existing.KafkaTopics;
                var restore = existing.Status == "DELETED" && p.Status == "ACTIVE";
                var changed = restore || !JsonNode.DeepEquals(merged, existing.Attributes) || !topics.SequenceEqual(existing.KafkaTopics);
                if (changed)
                {
                    existing.Attributes = merged;
                    existing.KafkaTopics = topics.ToList();
                    existing.UpdateTime = nowMs;
                    existing.Version++;
                    if (restore)
                    {
                        existing.Status = "ACTIVE";
                    }

                    updated.Add(Header(existing));
                }

                assignments[p.Guid] = existing.Guid;
            }

            Requests.Entities(parsed.Count);
            var mutated = new JsonObject();
            if (created.Count > 0)
            {
                mutated["CREATE"] = created;
            }

            var response = new JsonObject { ["guidAssignments"] = assignments };
            if (updated.Count > 0 && _options.ReportUpdatesAsPartial)
            {
                mutated["PARTIAL_UPDATE"] = updated.DeepClone();
                response["partialUpdatedEntities"] = updated;
            }
            else if (updated.Count > 0)
            {
                mutated["UPDATE"] = updated;
            }

            if (mutated.Count > 0)
            {
                response["mutatedEntities"] = mutated;
            }

            return (200, response);
        }
    }

    private (int Status, string Code, string Message)? Validate(string type, JsonObject a, DateTimeOffset now)
    {
        string Invalid(string what) => $"Invalid instance creation/updation parameters passed : {type}.{what}";
        foreach (var required in new[] { "qualifiedName", "name" })
        {
            if (a[required] is not JsonValue v || !v.TryGetValue<string>(out var s) || string.IsNullOrWhiteSpace(s))
            {
                return (404, "ATLAS-404-00-007", Invalid($"{required}: mandatory attribute value missing in type {type}"));
            }
        }

        foreach (var (key, value) in a)
        {
            if (LongAttributes.Contains(key) && value is not null && (value is not JsonValue n || !n.TryGetValue<long>(out _)))
            {
                return (404, "ATLAS-404-00-007", Invalid($"{key}={value?.ToJsonString()}: invalid value for type long"));
            }

            if (BoolAttributes.Contains(key) && value is not null && (value is not JsonValue b || !b.TryGetValue<bool>(out _)))
            {
                return (404, "ATLAS-404-00-007", Invalid($"{key}={value?.ToJsonString()}: invalid value for type boolean"));
            }

            if (value is JsonValue sv && sv.TryGetValue<string>(out var str) && str.Length > 100_000)
            {
                return (400, "ATLAS-400-00-01A", $"invalid parameters: value of attribute {key} is longer than 100000 characters");
            }
        }

        var qn = a["qualifiedName"]!.GetValue<string>();
        var name = a["name"]!.GetValue<string>();
        if (type == "Connection")
        {
            var connector = a["connectorName"]?.GetValue<string>();
            // The connector slug pattern and the QN's second segment are the SDKs' rules (pyatlan
            // _CONNECTOR_TYPE_VALUE_PATTERN, atlan-java INVALID_CONNECTION_QN), kept because both SDKs enforce them.
            if (connector is null || !ConnectorPattern().IsMatch(connector) || !ConnectionQnPattern().IsMatch(qn) || qn.Split('/')[1] != connector)
            {
                return (404, "ATLAS-404-00-007", Invalid($"qualifiedName {qn}: must be default/<connector>/<epoch> with a valid connectorName"));
            }

            // No "at least one admin" rule: that check is client-side in both SDKs, and the server
            // appends the creating user to adminUsers anyway (MS ConnectionPreProcessor, specs/atlan.md §3.1).
            return null;
        }

        var connectionQn = a["connectionQualifiedName"]?.GetValue<string>();
        if (connectionQn is null)
        {
            return (404, "ATLAS-404-00-007", Invalid("connectionQualifiedName: mandatory attribute value missing"));
        }

        var connection = Store.FindUnlocked("Connection", connectionQn);
        if (connection is null || connection.Foreign || now < connection.AccessibleFrom)
        {
            return (403, "ATLAS-403-00-001", $"{_options.ServiceUser} is not authorized to perform create on entity: {type}:{qn}");
        }

        var segment = type == "KafkaTopic" ? "topic" : "consumer-group";
        if (qn != $"{connectionQn}/{segment}/{name}" || (type == "KafkaTopic" && name.Contains('/')))
        {
            return (404, "ATLAS-404-00-007", Invalid($"qualifiedName {qn}: expected {connectionQn}/{segment}/<name> with a name without '/'"));
        }

        return null;
    }

    private (int, JsonNode) Delete(IReadOnlyList<string> guids, string deleteType)
    {
        deleteType = string.IsNullOrEmpty(deleteType) ? "SOFT" : deleteType.ToUpperInvariant();
        if (deleteType is not ("SOFT" or "HARD" or "PURGE"))
        {
            return (400, Error("ATLAS-400-00-01A", $"invalid parameters: deleteType {deleteType}"));
        }

        if (guids.Count == 0)
        {
            return (400, Error("ATLAS-400-00-01A", "invalid parameters: no guid given"));
        }

        var now = DateTimeOffset.UtcNow;
        lock (Store.Gate)
        {
            var targets = guids.Distinct().Select(Store.FindByGuidUnlocked).Where(e => e is not null).Select(e => e!).ToList();
            if (targets.FirstOrDefault(e => !Accessible(e, now)) is { } denied)
            {
                return (403, Error("ATLAS-403-00-001", $"{_options.ServiceUser} is not authorized to perform delete on entity: {denied.TypeName}:{denied.QualifiedName}", denied.Guid));
            }

            var deleted = new JsonArray();
            foreach (var e in targets)
            {
                if (deleteType == "SOFT")
                {
                    if (e.Status == "DELETED")
                    {
                        continue;
                    }

                    e.Status = "DELETED";
                    e.UpdateTime = now.ToUnixTimeMilliseconds();
                }
                else
                {
                    Store.Remove(e);
                    e.Status = "DELETED";
                }

                var header = Header(e);
                header["deleteHandler"] = deleteType;
                deleted.Add(header);
            }

            var response = new JsonObject();
            if (deleted.Count > 0)
            {
                response["mutatedEntities"] = new JsonObject { ["DELETE"] = deleted };
            }

            return (200, response);
        }
    }

    private (int, JsonNode) GetByGuid(string guid)
    {
        lock (Store.Gate)
        {
            var e = Store.FindByGuidUnlocked(guid);
            if (e is null)
            {
                return (404, Error("ATLAS-404-00-005", $"Given instance guid {guid} is invalid/not found"));
            }

            return Read(e);
        }
    }

    private (int, JsonNode) GetByQualifiedName(string type, string qn)
    {
        lock (Store.Gate)
        {
            var e = Store.FindUnlocked(type, qn);
            if (e is null)
            {
                return (404, Error("ATLAS-404-00-009", $"Instance {type} with unique attribute {{qualifiedName={qn}}} does not exist"));
            }

            return Read(e);
        }
    }

    private (int, JsonNode) Read(AtlanEntity e)
    {
        if (!Accessible(e, DateTimeOffset.UtcNow))
        {
            return (403, Error("ATLAS-403-00-001", $"{_options.ServiceUser} is not authorized to perform read on entity: {e.TypeName}:{e.QualifiedName}", e.Guid));
        }

        var json = Full(e);
        return (200, new JsonObject { ["entity"] = json, ["referredEntities"] = new JsonObject() });
    }

    private (int, JsonNode) Search(JsonNode? body)
    {
        var dsl = body?["dsl"] as JsonObject ?? new JsonObject();
        var from = dsl["from"]?.GetValue<int>() ?? 0;
        var size = dsl["size"]?.GetValue<int>() ?? 10;
        var filters = dsl["query"]?["bool"]?["filter"] as JsonArray ?? new JsonArray();
        var predicates = new List<Func<AtlanEntity, bool>>();
        foreach (var f in filters.OfType<JsonObject>())
        {
            var (kind, spec) = f.First();
            if (spec is not JsonObject clause || clause.Count != 1)
            {
                return (400, Error("ATLAS-400-00-01A", "invalid parameters: unsupported filter " + f.ToJsonString()));
            }

            var (field, value) = clause.First();
            var accessor = Field(field);
            if (accessor is null && kind != "range")
            {
                return (400, Error("ATLAS-400-00-01A", $"invalid parameters: field {field} is not supported by the emulator"));
            }

            if (kind == "range")
            {
                // Only what timestamp paging sends: {"range": {"__timestamp": {"gte": <epoch ms>}}}.
                if (field != "__timestamp" || value?["gte"] is not JsonValue gte || !gte.TryGetValue<long>(out var since))
                {
                    return (400, Error("ATLAS-400-00-01A", "invalid parameters: the emulator supports only range __timestamp gte"));
                }

                predicates.Add(e => e.CreateTime >= since);
                continue;
            }

            switch (kind)
            {
                case "term":
                    var term = (value is JsonObject o ? o["value"] : value)?.ToString();
                    predicates.Add(e => accessor!(e) == term);
                    break;
                case "terms":
                    var set = (value as JsonArray ?? new JsonArray()).Select(v => v?.ToString()).ToHashSet();
                    predicates.Add(e => set.Contains(accessor!(e)));
                    break;
                case "prefix":
                    var prefix = (value is JsonObject po ? po["value"] : value)?.ToString() ?? string.Empty;
                    predicates.Add(e => accessor!(e)?.StartsWith(prefix, StringComparison.Ordinal) == true);
                    break;
                default:
                    return (400, Error("ATLAS-400-00-01A", $"invalid parameters: query type {kind} is not supported by the emulator"));
            }
        }

        var wanted = (body?["attributes"] as JsonArray ?? new JsonArray()).Select(a => a!.GetValue<string>()).ToList();
        lock (Store.Gate)
        {
            if (_options.MaxResultWindow is { } window && from + size > window)
            {
                return (400, Error("ATLAS-400-00-103", $"invalid parameters: from + size must be at most {window} (the result window); page by __timestamp beyond it"));
            }

            // The sort every SDK request carries: __timestamp (createTime) ascending, then __guid.
            var hits = Store.All.Where(e => !ForeignScope(e) && predicates.All(p => p(e))).OrderBy(e => e.CreateTime).ThenBy(e => e.Guid, StringComparer.Ordinal).ToList();
            var page = hits.Skip(from).Take(size).Select(e => (JsonNode)Hit(e, wanted)).ToArray();
            var response = new JsonObject { ["queryType"] = "INDEX", ["approximateCount"] = hits.Count };
            if (page.Length > 0)
            {
                response["entities"] = new JsonArray(page);
            }

            return (200, response);
        }
    }

    private static Func<AtlanEntity, string?>? Field(string field) => field switch
    {
        "__state" => e => e.Status,
        "__typeName.keyword" => e => e.TypeName,
        "__guid" => e => e.Guid,
        "qualifiedName" => e => e.QualifiedName,
        "name.keyword" => e => e.Name,
        "connectionQualifiedName" => e => e.ConnectionQualifiedName,
        "connectorName" => e => e.Attributes["connectorName"]?.GetValue<string>(),
        _ => null,
    };

    private bool ForeignScope(AtlanEntity e)
    {
        var connection = e.TypeName == "Connection" ? e : (e.ConnectionQualifiedName is { } c ? Store.FindUnlocked("Connection", c) : null);
        return connection?.Foreign == true;
    }

    private bool Accessible(AtlanEntity e, DateTimeOffset now)
    {
        var connection = e.TypeName == "Connection" ? e : (e.ConnectionQualifiedName is { } c ? Store.FindUnlocked("Connection", c) : null);
        return connection is null || (!connection.Foreign && now >= connection.AccessibleFrom);
    }

    private static JsonObject Header(AtlanEntity e) => new()
    {
        ["typeName"] = e.TypeName,
        ["guid"] = e.Guid,
        ["status"] = e.Status,
        ["displayText"] = e.Name,
        ["attributes"] = new JsonObject { ["qualifiedName"] = e.QualifiedName, ["name"] = e.Name },
        ["createTime"] = e.CreateTime,
        ["updateTime"] = e.UpdateTime,
    };

    private JsonObject Hit(AtlanEntity e, IReadOnlyList<string> wanted)
    {
        var hit = Header(e);
        var attributes = (JsonObject)hit["attributes"]!;
        foreach (var name in wanted)
        {
            if (e.Attributes[name] is { } value)
            {
                attributes[name] = WrapStructs(name, value.DeepClone());
            }
        }

        return hit;
    }

    private JsonObject Full(AtlanEntity e)
    {
        var attributes = new JsonObject();
        foreach (var (key, value) in e.Attributes)
        {
            attributes[key] = WrapStructs(key, value?.DeepClone());
        }

        var relationships = new JsonObject();
        if (e.TypeName == "KafkaConsumerGroup")
        {
            relationships["kafkaTopics"] = new JsonArray(e.KafkaTopics.Select(qn => Store.FindUnlocked("KafkaTopic", qn)).Where(t => t is not null).Select(t => (JsonNode)RelationshipHeader(t!)).ToArray());
        }
        else if (e.TypeName == "KafkaTopic")
        {
            relationships["kafkaConsumerGroups"] = new JsonArray(Store.All.Where(g => g.TypeName == "KafkaConsumerGroup" && g.KafkaTopics.Contains(e.QualifiedName)).Select(g => (JsonNode)RelationshipHeader(g)).ToArray());
        }

        return new JsonObject
        {
            ["typeName"] = e.TypeName,
            ["guid"] = e.Guid,
            ["status"] = e.Status,
            ["attributes"] = attributes,
            ["relationshipAttributes"] = relationships,
            ["createTime"] = e.CreateTime,
            ["updateTime"] = e.UpdateTime,
            ["createdBy"] = e.CreatedBy,
            ["updatedBy"] = e.CreatedBy,
            ["version"] = e.Version,
        };
    }

    private static JsonObject RelationshipHeader(AtlanEntity target) => new()
    {
        ["guid"] = target.Guid,
        ["typeName"] = target.TypeName,
        ["entityStatus"] = target.Status,
        ["displayText"] = target.Name,
        ["relationshipStatus"] = "ACTIVE",
        ["uniqueAttributes"] = new JsonObject { ["qualifiedName"] = target.QualifiedName },
    };

    /// <summary>Structs are stored flat and returned wrapped, as Atlan does.</summary>
    private static JsonNode? WrapStructs(string attribute, JsonNode? value)
    {
        if (attribute != "kafkaConsumerGroupTopicConsumptionProperties" || value is not JsonArray rows)
        {
            return value;
        }

        return new JsonArray(rows.Select(r => (JsonNode)new JsonObject { ["typeName"] = "KafkaTopicConsumption", ["attributes"] = r?.DeepClone() }).ToArray());
    }

    private static JsonObject Error(string code, string message, string? entityGuid = null)
    {
        var error = new JsonObject { ["errorCode"] = code, ["errorMessage"] = message };
        if (entityGuid is not null)
        {
            error["entityGuid"] = entityGuid;
        }

        return error;
    }

    private static async Task<JsonNode?> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static string Route(string path) =>
        path.StartsWith("/api/meta/entity/guid/", StringComparison.Ordinal) ? "/api/meta/entity/guid/{guid}"
        : path.StartsWith("/api/meta/entity/uniqueAttribute/type/", StringComparison.Ordinal) ? "/api/meta/entity/uniqueAttribute/type/{type}"
        : path;

    private static int Int(string text, int fallback) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex ConnectorPattern();

    [GeneratedRegex("^default/[a-z0-9-]+/[0-9]+$")]
    private static partial Regex ConnectionQnPattern();
}
