using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Catalog;

/// <summary>New-CatalogKafkaConnection's request.</summary>
public sealed record CatalogKafkaConnectionRequest
{
    public required string Name { get; init; }
    /// <summary>Role names (e.g. $admin) or role GUIDs.</summary>
    public IReadOnlyList<string> AdminRoles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> AdminGroups { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> AdminUsers { get; init; } = Array.Empty<string>();
    public string? Description { get; init; }
    /// <summary>Create a new connection even when one of that name exists.</summary>
    public bool Force { get; init; }
    /// <summary>How long to wait for the connection to become readable (policies are created asynchronously).</summary>
    public TimeSpan AccessTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Clock for the epoch in the qualifiedName (tests).</summary>
    public Func<DateTimeOffset>? Clock { get; init; }
}

/// <summary>Creating, finding and reading the Kafka Connection asset.</summary>
public static class CatalogKafkaConnections
{
    internal const int ProgressId = 5103;

    /// <summary>
    /// Reuses an active Kafka connection of the same name (unless Force), else creates one (null when <paramref name="approveCreate"/> declines) with a
    /// fresh default/kafka/&lt;epoch&gt; qualifiedName; then waits, bounded, until it is readable
    /// (403 until Atlan's access policies exist). Sets the session's default connection.
    /// </summary>
    public static async Task<CatalogKafkaConnection?> EnsureAsync(CatalogConnection catalog, CatalogKafkaConnectionRequest request, IOperationSink? sink = null, Func<string, bool>? approveCreate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        sink ??= NullOperationSink.Instance;
        Validate(request);

        if (!request.Force && await FindByNameAsync(catalog, request.Name, sink, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            sink.Verbose($"Catalog: reusing Kafka connection '{existing.Name}' ({existing.QualifiedName}); use -Force to create another.");
            var readable = await WaitUntilReadableAsync(catalog, existing.Guid, request.AccessTimeout, sink, cancellationToken).ConfigureAwait(false);
            catalog.DefaultConnectionQualifiedName = readable.QualifiedName;
            return readable with { Reused = true, Session = catalog };
        }

        var roleGuids = await ResolveRolesAsync(catalog, request.AdminRoles, sink, cancellationToken).ConfigureAwait(false);
        await ValidateAdminUsersAsync(catalog, Clean(request.AdminUsers), sink, cancellationToken).ConfigureAwait(false);
        await ValidateAdminGroupsAsync(catalog, Clean(request.AdminGroups), sink, cancellationToken).ConfigureAwait(false);
        var epoch = (request.Clock?.Invoke() ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var qn = QualifiedNames.Connection(epoch);
        while (await ExistsAsync(catalog, qn, sink, cancellationToken).ConfigureAwait(false))
        {
            qn = QualifiedNames.Connection(++epoch);
        }

        if (approveCreate is not null && !approveCreate(qn))
        {
            return null;
        }

        var body = new JsonObject
        {
            ["entities"] = new JsonArray(new JsonObject
            {
                ["typeName"] = CatalogTypeNames.Connection,
                ["guid"] = "-1",
                ["attributes"] = BuildAttributes(request, qn, roleGuids),
            }),
        };
        var response = await catalog.Api.PostAsync(CatalogPublisher.BulkPath, body, sink, cancellationToken).ConfigureAwait(false);
        var guid = response?["guidAssignments"]?["-1"]?.GetValue<string>()
            ?? throw new KafkaCatalogException(ErrorCatalog.CatalogNoGuidAssigned, $"The catalog accepted connection '{request.Name}' but assigned it no GUID.", qn);
        sink.Verbose($"Catalog: created Kafka connection '{request.Name}' as {qn} (GUID {guid}); waiting for its access policies.");
        var created = await WaitUntilReadableAsync(catalog, guid, request.AccessTimeout, sink, cancellationToken).ConfigureAwait(false);
        catalog.DefaultConnectionQualifiedName = created.QualifiedName;
        return created with { Session = catalog };
    }

    public static void Validate(CatalogKafkaConnectionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogConnectionNameMissing, "The connection needs a name, such as 'production'.");
        }

        if (Clean(request.AdminRoles).Count + Clean(request.AdminGroups).Count + Clean(request.AdminUsers).Count == 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogConnectionAdminRequired, $"Connection '{request.Name}' needs at least one administrator: pass -AdminRole (e.g. '$admin'), -AdminGroup or -AdminUser.", request.Name);
        }

        if (request.AccessTimeout <= TimeSpan.Zero)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidTimeout, "The access timeout must be positive.", request.AccessTimeout);
        }
    }

    public static JsonObject BuildAttributes(CatalogKafkaConnectionRequest request, string qualifiedName, IReadOnlyList<string> roleGuids)
    {
        var a = new JsonObject
        {
            ["name"] = request.Name,
            ["qualifiedName"] = qualifiedName,
            ["connectorName"] = QualifiedNames.ConnectorName,
            ["category"] = "eventbus",
            ["adminRoles"] = ToArray(roleGuids),
            ["adminGroups"] = ToArray(Clean(request.AdminGroups)),
            ["adminUsers"] = ToArray(Clean(request.AdminUsers)),
        };
        if (request.Description is not null)
        {
            a["description"] = request.Description;
        }

        return a;
    }

    /// <summary>Reads a connection by qualifiedName; a specific error when it does not exist or is not readable.</summary>
    public static async Task<CatalogKafkaConnection> GetAsync(CatalogConnection catalog, string qualifiedName, IOperationSink? sink = null, CancellationToken cancellationToken = default)
    {
        sink ??= NullOperationSink.Instance;
        if (QualifiedNames.ValidateConnection(qualifiedName) is { } why)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidConnectionQualifiedName, why, qualifiedName);
        }

        JsonNode? response;
        try
        {
            response = await catalog.Api.GetAsync($"api/meta/entity/uniqueAttribute/type/Connection?attr:qualifiedName={Uri.EscapeDataString(qualifiedName)}&ignoreRelationships=true&minExtInfo=true", sink, cancellationToken).ConfigureAwait(false);
        }
        catch (CatalogApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogConnectionNotFound, $"The catalog has no connection '{qualifiedName}'. Create one with New-CatalogKafkaConnection, or check -ConnectionQualifiedName.", qualifiedName, ex);
        }

        var connection = FromEntity(response?["entity"] as JsonObject)
            ?? throw new KafkaCatalogException(ErrorCatalog.CatalogConnectionNotFound, $"The catalog returned no connection for '{qualifiedName}'.", qualifiedName);
        if (connection.ConnectorName != QualifiedNames.ConnectorOf(qualifiedName))
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogNotAKafkaConnection, $"Connection '{qualifiedName}' has connectorName '{connection.ConnectorName}', which does not match its qualifiedName; Kafka assets go only into a connection whose connectorName is one of {string.Join(", ", QualifiedNames.KafkaConnectorNames)} and matches its qualifiedName.", qualifiedName);
        }
        if (connection.Status != "ACTIVE")
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogConnectionArchived, $"Connection '{qualifiedName}' is archived; restore it or create a new one with New-CatalogKafkaConnection.", qualifiedName);
        }

        return connection with { Session = catalog };
    }

    /// <summary>An active Kafka connection of that exact name, or null.</summary>
    public static async Task<CatalogKafkaConnection?> FindByNameAsync(CatalogConnection catalog, string name, IOperationSink sink, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["dsl"] = new JsonObject
            {
                ["from"] = 0,
                ["size"] = 10,
                ["query"] = new JsonObject
                {
                    ["bool"] = new JsonObject
                    {
                        ["filter"] = new JsonArray(
                            new JsonObject { ["term"] = new JsonObject { ["__state"] = new JsonObject { ["value"] = "ACTIVE" } } },
                            new JsonObject { ["term"] = new JsonObject { ["__typeName.keyword"] = new JsonObject { ["value"] = CatalogTypeNames.Connection } } },
                            new JsonObject { ["term"] = new JsonObject { ["name.keyword"] = new JsonObject { ["value"] = name } } },
                            new JsonObject { ["term"] = new JsonObject { ["connectorName"] = new JsonObject { ["value"] = QualifiedNames.ConnectorName } } }),
                    },
                },
                ["sort"] = new JsonArray(new JsonObject { ["__timestamp"] = new JsonObject { ["order"] = "asc" } }, new JsonObject { ["__guid"] = new JsonObject { ["order"] = "asc" } }),
            },
            ["attributes"] = new JsonArray("name", "qualifiedName", "connectorName", "category", "adminRoles", "adminGroups", "adminUsers"),
            ["suppressLogs"] = true,
        };
        var response = await catalog.Api.PostAsync("api/meta/search/indexsearch", body, sink, ct).ConfigureAwait(false);
        return (response?["entities"] as JsonArray)?.OfType<JsonObject>().Select(FromEntity).FirstOrDefault(c => c is not null);
    }

    private static async Task<bool> ExistsAsync(CatalogConnection catalog, string qn, IOperationSink sink, CancellationToken ct)
    {
        try
        {
            await catalog.Api.GetAsync($"api/meta/entity/uniqueAttribute/type/Connection?attr:qualifiedName={Uri.EscapeDataString(qn)}&ignoreRelationships=true&minExtInfo=true", sink, ct).ConfigureAwait(false);
            return true;
        }
        catch (CatalogApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (CatalogApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            return true;
        }
    }

    private static async Task<CatalogKafkaConnection> WaitUntilReadableAsync(CatalogConnection catalog, string guid, TimeSpan timeout, IOperationSink sink, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        sink.Progress(new OperationProgress(ProgressId, "Waiting for the catalog connection's access policies", "Reading the connection", 0));
        try
        {
            var response = await catalog.Api.SendAsync(
                HttpMethod.Get,
                $"api/meta/entity/guid/{Uri.EscapeDataString(guid)}?ignoreRelationships=true&minExtInfo=true",
                null,
                sink,
                ct,
                awaitAccessFor: timeout,
                onRetry: info =>
                {
                    var waited = DateTimeOffset.UtcNow - started;
                    sink.Progress(new OperationProgress(ProgressId, "Waiting for the catalog connection's access policies", $"Attempt {info.Attempt}: {info.Reason}; waited {waited.TotalSeconds:0} of {timeout.TotalSeconds:0} s", (int)Math.Min(99, 100 * waited / timeout)));
                }).ConfigureAwait(false);
            return FromEntity(response?["entity"] as JsonObject)
                ?? throw new KafkaCatalogException(ErrorCatalog.CatalogConnectionNotFound, $"The catalog returned no connection for GUID {guid}.", guid);
        }
        catch (CatalogApiException ex) when (ex.Is(ErrorCatalog.CatalogTimeout) || ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogConnectionAccessTimeout, $"Connection {guid} exists but was still not readable after {timeout.TotalSeconds:0} s (Atlan creates its access policies asynchronously). Run the command again later (it reuses the connection), or raise -AccessTimeoutSec.", guid, ex);
        }
        finally
        {
            sink.Progress(new OperationProgress(ProgressId, "Waiting for the catalog connection's access policies", "Done", 100, Completed: true));
        }
    }

    /// <summary>Role names (case-insensitive, e.g. $admin) to GUIDs; GUIDs pass through.</summary>
    public static async Task<IReadOnlyList<string>> ResolveRolesAsync(CatalogConnection catalog, IReadOnlyList<string> roles, IOperationSink sink, CancellationToken ct)
    {
        var wanted = Clean(roles);
        if (wanted.Count == 0)
        {
            return System.Array.Empty<string>();
        }

        if (wanted.All(r => System.Guid.TryParse(r, out _)))
        {
            return wanted;
        }

        var known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var offset = 0;
        const int limit = 100;
        while (true)
        {
            var response = await catalog.Api.GetAsync($"api/service/roles?count=true&offset={offset.ToString(CultureInfo.InvariantCulture)}&limit={limit}&filter={Uri.EscapeDataString("{\"name\":{\"$ilike\":\"$%\"}}")}", sink, ct).ConfigureAwait(false);
            var records = response?["records"] as JsonArray ?? new JsonArray();
            foreach (var r in records.OfType<JsonObject>())
            {
                if (r["name"]?.GetValue<string>() is { } n && r["id"]?.GetValue<string>() is { } id)
                {
                    known[n] = id;
                }
            }

            if (records.Count < limit)
            {
                break;
            }

            offset += records.Count;
        }

        var result = new List<string>();
        foreach (var role in wanted)
        {
            if (System.Guid.TryParse(role, out _))
            {
                result.Add(role);
            }
            else if (known.TryGetValue(role, out var id))
            {
                result.Add(id);
            }
            else
            {
                throw new KafkaCatalogException(ErrorCatalog.CatalogRoleNotFound, $"The catalog has no role '{role}'. Known roles: {string.Join(", ", known.Keys.OrderBy(k => k, StringComparer.Ordinal))}.", role);
            }
        }

        return result;
    }

    /// <summary>
    /// Every admin user must exist, as pyatlan's Connection validator checks (UserCache.validate_names):
    /// a username from GET /api/service/users, or an API token's service account (GET /api/service/apikeys
    /// by clientId, the name without its "service-account-" prefix). CatalogUserNotFound otherwise, before anything is created.
    /// </summary>
    public static async Task ValidateAdminUsersAsync(CatalogConnection catalog, IReadOnlyList<string> users, IOperationSink sink, CancellationToken ct)
    {
        if (users.Count == 0)
        {
            return;
        }

        var known = await ListNamesAsync(catalog, "api/service/users", "username", sink, ct).ConfigureAwait(false);
        foreach (var user in users.Where(u => !known.Contains(u)))
        {
            const string prefix = "service-account-";
            var clientId = user.StartsWith(prefix, StringComparison.Ordinal) ? user[prefix.Length..] : user;
            var filter = new JsonObject { ["clientId"] = clientId }.ToJsonString();
            var tokens = await catalog.Api.GetAsync($"api/service/apikeys?count=true&offset=0&limit=5&filter={Uri.EscapeDataString(filter)}", sink, ct).ConfigureAwait(false);
            if ((tokens?["records"] as JsonArray)?.Count is not > 0)
            {
                throw new KafkaCatalogException(ErrorCatalog.CatalogUserNotFound, $"The catalog has no user '{user}' (nor an API token of that name); -AdminUser takes usernames as Atlan shows them.", user);
            }
        }
    }

    /// <summary>Every admin group must exist by its (internal) name, as pyatlan's GroupCache.validate_aliases checks; CatalogGroupNotFound otherwise.</summary>
    public static async Task ValidateAdminGroupsAsync(CatalogConnection catalog, IReadOnlyList<string> groups, IOperationSink sink, CancellationToken ct)
    {
        if (groups.Count == 0)
        {
            return;
        }

        var known = await ListNamesAsync(catalog, "api/service/groups", "name", sink, ct).ConfigureAwait(false);
        if (groups.FirstOrDefault(g => !known.Contains(g)) is { } missing)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogGroupNotFound, $"The catalog has no group '{missing}'; -AdminGroup takes the group's internal name (for example 'data-engineers'), not its display name.", missing);
        }
    }

    private static async Task<HashSet<string>> ListNamesAsync(CatalogConnection catalog, string path, string field, IOperationSink sink, CancellationToken ct)
    {
        const int limit = 100;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += limit)
        {
            var response = await catalog.Api.GetAsync($"{path}?count=true&offset={offset.ToString(CultureInfo.InvariantCulture)}&limit={limit}", sink, ct).ConfigureAwait(false);
            var records = response?["records"] as JsonArray ?? new JsonArray();
            foreach (var r in records.OfType<JsonObject>())
            {
                if (r[field] is JsonValue v && v.TryGetValue<string>(out var name))
                {
                    names.Add(name);
                }
            }

            if (records.Count < limit)
            {
                return names;
            }
        }
    }

    internal static CatalogKafkaConnection? FromEntity(JsonObject? entity)
    {
        var a = entity?["attributes"] as JsonObject;
        if (entity is null || a is null || a["qualifiedName"]?.GetValue<string>() is not { } qn)
        {
            return null;
        }

        return new CatalogKafkaConnection
        {
            Name = a["name"]?.GetValue<string>() ?? string.Empty,
            QualifiedName = qn,
            Guid = entity["guid"]?.GetValue<string>() ?? string.Empty,
            ConnectorName = a["connectorName"]?.GetValue<string>() ?? QualifiedNames.ConnectorName,
            Category = a["category"]?.GetValue<string>() ?? "eventbus",
            AdminRoles = Strings(a["adminRoles"]),
            AdminGroups = Strings(a["adminGroups"]),
            AdminUsers = Strings(a["adminUsers"]),
            Status = entity["status"]?.GetValue<string>() ?? "ACTIVE",
        };
    }

    private static IReadOnlyList<string> Clean(IReadOnlyList<string>? values) =>
        (values ?? System.Array.Empty<string>()).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToList();

    private static JsonArray ToArray(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    private static IReadOnlyList<string> Strings(JsonNode? n) =>
        n is JsonArray arr ? arr.Select(x => x?.GetValue<string>()).Where(s => s is not null).Select(s => s!).ToList() : System.Array.Empty<string>();
}
