using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace KafkaCatalog.TestKit.Polaris;

/// <summary>Settings of a <see cref="PolarisEmulator"/>.</summary>
public sealed record PolarisEmulatorOptions
{
    public string ApiKey { get; init; } = "pok_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
    public string ProjectId { get; init; } = Guid.NewGuid().ToString();
    /// <summary>When true (default), every GET of a job moves it on: pending → running, then +<see cref="RowsPerRead"/> rows.</summary>
    public bool AdvanceJobsOnRead { get; init; } = true;
    public long RowsPerRead { get; init; } = 100;
    /// <summary>Time limit of one test-connection probe against the Kafka cluster.</summary>
    public TimeSpan KafkaProbeTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>One request the emulator served, with both bodies (for secret-leak assertions).</summary>
public sealed record PolarisRequestRecord(string Method, string Path, int StatusCode, string RequestBody, string ResponseBody, bool Faulted);

/// <summary>
/// An Imply Polaris regional API (Connections v1, Tables, Jobs v1) on 127.0.0.1 for tests: Basic
/// auth with the API key, Polaris' name rules, 409 on duplicates, secrets never returned,
/// test-connection that really talks Kafka to the given bootstrap servers, streaming jobs whose
/// status and row totals move deterministically, and fault injection.
/// <code>
/// await using var polaris = await PolarisEmulator.StartAsync(new PolarisEmulatorOptions());
/// // polaris.ProjectUri, polaris.ApiKey, polaris.Store, polaris.Faults, polaris.AdvanceJob(id, rows: 10)
/// </code>
/// </summary>
public sealed partial class PolarisEmulator : IAsyncDisposable
{
    private static readonly HashSet<string> Formats = new(StringComparer.Ordinal) { "nd-json", "kafka", "csv", "tsv", "avro_stream", "protobuf", "regex" };
    private readonly WebApplication _app;
    private readonly PolarisEmulatorOptions _options;
    private readonly List<PolarisRequestRecord> _requests = new();
    private readonly string _userName;
    private readonly string _userId = Guid.NewGuid().ToString();

    private PolarisEmulator(WebApplication app, PolarisEmulatorOptions options)
    {
        _app = app;
        _options = options;
        _userName = "api-key-" + options.ApiKey[..Math.Min(9, options.ApiKey.Length)] + "...";
    }

    /// <summary>The regional base, e.g. http://127.0.0.1:5123/.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The project-scoped root: BaseUri + v1/projects/{ProjectId}/.</summary>
    public Uri ProjectUri => new(BaseUri, $"v1/projects/{ProjectId}/");

    public string ApiKey => _options.ApiKey;

    public string ProjectId => _options.ProjectId;

    public PolarisStore Store { get; } = new();

    public PolarisFaults Faults { get; } = new();

    public IReadOnlyList<PolarisRequestRecord> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public static async Task<PolarisEmulator> StartAsync(PolarisEmulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new PolarisEmulatorOptions();
        PolarisEmulator? emulator = null;
        var (app, baseUri) = await LoopbackHttpHost.StartAsync(a => a.Run(context => emulator!.HandleAsync(context)), ct).ConfigureAwait(false);
        emulator = new PolarisEmulator(app, options) { BaseUri = baseUri };
        return emulator;
    }

    /// <summary>Moves a job on: pending becomes running; counters grow by the given amounts; status/health change when given.</summary>
    public void AdvanceJob(string jobId, long rows = 0, long rowsWithWarnings = 0, long skippedByFilter = 0, long skippedByError = 0, string? executionStatus = null, string? healthStatus = null, string? healthMessage = null)
    {
        lock (Store.Gate)
        {
            var job = Store.JobList.FirstOrDefault(j => j.Id == jobId) ?? throw new ArgumentException($"No job {jobId}.", nameof(jobId));
            var now = DateTimeOffset.UtcNow;
            if (job.ExecutionStatus == "pending")
            {
                job.ExecutionStatus = "running";
                job.StartedOn = now;
            }

            job.RowsProcessed += rows;
            job.RowsProcessedWithWarnings += rowsWithWarnings;
            job.RowsSkippedByFilter += skippedByFilter;
            job.RowsSkippedByError += skippedByError;
            if (executionStatus is not null)
            {
                job.ExecutionStatus = executionStatus;
                if (executionStatus is "failed" or "canceled")
                {
                    job.CompletedOn = now;
                }
            }

            if (healthStatus is not null)
            {
                job.HealthStatus = healthStatus;
                job.HealthMessage = healthMessage;
            }

            job.LastUpdatedOn = now;
        }
    }

    public ValueTask DisposeAsync() => LoopbackHttpHost.StopAsync(_app);

    private async Task HandleAsync(HttpContext ctx)
    {
        string requestBody;
        using (var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8))
        {
            requestBody = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
        }

        var method = ctx.Request.Method;
        var path = ctx.Request.Path.Value ?? "/";
        var fault = Faults.Take(method, path);
        if (fault is not null)
        {
            switch (fault.Kind)
            {
                case PolarisFaultKind.Reset:
                    Log(method, path, 0, requestBody, string.Empty, true);
                    ctx.Abort();
                    return;
                case PolarisFaultKind.Status:
                    await WriteAsync(ctx, fault.StatusCode, Message($"Injected fault: HTTP {fault.StatusCode}"), fault.RetryAfterSeconds, requestBody, true).ConfigureAwait(false);
                    return;
                case PolarisFaultKind.Slow:
                    await Task.Delay(fault.Delay, ctx.RequestAborted).ConfigureAwait(false);
                    break;
            }
        }

        var (status, body) = await RouteAsync(ctx, method, path, requestBody).ConfigureAwait(false);
        if (fault?.Kind == PolarisFaultKind.ResetAfterProcessing)
        {
            Log(method, path, 0, requestBody, string.Empty, true);
            ctx.Abort();
            return;
        }

        if (fault?.Kind == PolarisFaultKind.StatusAfterProcessing)
        {
            await WriteAsync(ctx, fault.StatusCode, Message($"Injected fault after processing: HTTP {fault.StatusCode}"), null, requestBody, true).ConfigureAwait(false);
            return;
        }

        await WriteAsync(ctx, status, body, null, requestBody, false).ConfigureAwait(false);
    }

    private async Task<(int Status, JsonNode? Body)> RouteAsync(HttpContext ctx, string method, string path, string requestBody)
    {
        if (!IsAuthorized(ctx.Request.Headers.Authorization.ToString()))
        {
            return (401, Message("Unauthorized: the API key is missing or invalid."));
        }

        var match = ProjectRoute().Match(path);
        if (!match.Success)
        {
            return (404, Message($"No route for {path}."));
        }

        if (!string.Equals(Uri.UnescapeDataString(match.Groups["project"].Value), ProjectId, StringComparison.OrdinalIgnoreCase))
        {
            return (404, Message($"Project '{match.Groups["project"].Value}' not found."));
        }

        var segments = match.Groups["rest"].Value.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        JsonObject? body = null;
        if (method is "POST" or "PUT" && requestBody.Length > 0)
        {
            try
            {
                body = JsonNode.Parse(requestBody) as JsonObject;
            }
            catch (JsonException)
            {
                return (400, Message("The request body is not valid JSON."));
            }

            if (body is null)
            {
                return (400, Message("The request body must be a JSON object."));
            }
        }

        return (segments, method) switch
        {
            (["connections"], "GET") => ListConnections(),
            (["connections"], "POST") => CreateConnection(body),
            (["connections", var name], "GET") => GetConnection(name),
            (["connections", var name], "PUT") => ReplaceConnection(name, body),
            (["connections", var name], "DELETE") => DeleteConnection(name),
            (["connections", var name, "test"], "POST") => await TestConnectionAsync(name, ctx.RequestAborted).ConfigureAwait(false),
            (["tables"], "GET") => ListTables(),
            (["tables"], "POST") => CreateTable(body),
            (["tables", var name], "GET") => GetTable(name),
            (["jobs"], "GET") => ListJobs(ctx.Request.Query),
            (["jobs"], "POST") => CreateJob(body),
            (["jobs", var id], "GET") => GetJob(id, statusOnly: false),
            (["jobs", var id, "status"], "GET") => GetJob(id, statusOnly: true),
            (["jobs", var id], "PUT") => UpdateJob(id, body),
            _ => (405, Message($"{method} is not supported on {path}.")),
        };
    }

    /// <summary>
    /// Only <c>Authorization: Basic &lt;API key&gt;</c>, the raw key, as Polaris' "Ingest data from Apache
    /// Kafka by API" page sends it. base64("key:") is refused: no Polaris source shows that form.
    /// </summary>
    private bool IsAuthorized(string header) =>
        header.StartsWith("Basic ", StringComparison.Ordinal) && header["Basic ".Length..].Trim() == ApiKey;

    // ------------------------------------------------------------------ connections

    private (int, JsonNode?) ListConnections()
    {
        lock (Store.Gate)
        {
            var values = new JsonArray(Store.Connections.Values.OrderBy(c => (string?)c["name"], StringComparer.Ordinal).Select(c => (JsonNode)Public(c)).ToArray());
            return (200, new JsonObject { ["values"] = values });
        }
    }

    private (int, JsonNode?) GetConnection(string name)
    {
        lock (Store.Gate)
        {
            return Store.Connections.TryGetValue(name, out var c) ? (200, Public(c)) : (404, Message($"Connection '{name}' not found."));
        }
    }

    private (int, JsonNode?) CreateConnection(JsonObject? body)
    {
        if (body is null)
        {
            return (400, Message("A connection spec is required."));
        }

        var problem = ValidateConnection(body);
        if (problem is not null)
        {
            return (400, Message(problem));
        }

        var name = (string)body["name"]!;
        lock (Store.Gate)
        {
            if (Store.Connections.ContainsKey(name))
            {
                return (409, Message($"A connection named '{name}' already exists."));
            }

            var stored = (JsonObject)body.DeepClone();
            var now = Now();
            stored["description"] ??= null;
            stored["submittedByUser"] = User();
            stored["submittedOnTimestamp"] = now;
            stored["modifiedByUser"] = User();
            stored["modifiedOnTimestamp"] = now;
            Store.Connections[name] = stored;
            return (200, Public(stored));
        }
    }

    private (int, JsonNode?) ReplaceConnection(string name, JsonObject? body)
    {
        if (body is null)
        {
            return (400, Message("A connection spec is required."));
        }

        if (body["name"] is { } bodyName && (string?)bodyName != name)
        {
            return (400, Message($"The connection name cannot be changed (path '{name}', body '{(string?)bodyName}')."));
        }

        body["name"] = name;
        var problem = ValidateConnection(body);
        if (problem is not null)
        {
            return (400, Message(problem));
        }

        lock (Store.Gate)
        {
            if (!Store.Connections.TryGetValue(name, out var existing))
            {
                return (404, Message($"Connection '{name}' not found."));
            }

            if ((string?)existing["type"] != (string?)body["type"])
            {
                return (400, Message("The connection type cannot be changed."));
            }

            var stored = (JsonObject)body.DeepClone();
            stored["description"] ??= null;
            stored["submittedByUser"] = existing["submittedByUser"]?.DeepClone();
            stored["submittedOnTimestamp"] = existing["submittedOnTimestamp"]?.DeepClone();
            stored["modifiedByUser"] = User();
            stored["modifiedOnTimestamp"] = Now();
            Store.Connections[name] = stored;
            return (200, Public(stored));
        }
    }

    private (int, JsonNode?) DeleteConnection(string name)
    {
        lock (Store.Gate)
        {
            if (!Store.Connections.ContainsKey(name))
            {
                return (404, Message($"Connection '{name}' not found."));
            }

            var user = Store.JobList.FirstOrDefault(j => j.ConnectionName == name && j.IsActive);
            if (user is not null)
            {
                return (409, Message($"Connection '{name}' is used by running job {user.Id}."));
            }

            Store.Connections.Remove(name);
            return (200, null);
        }
    }

    private async Task<(int, JsonNode?)> TestConnectionAsync(string name, CancellationToken ct)
    {
        JsonObject spec;
        lock (Store.Gate)
        {
            if (!Store.Connections.TryGetValue(name, out var stored))
            {
                return (404, Message($"Connection '{name}' not found."));
            }

            spec = (JsonObject)stored.DeepClone();
        }

        var secrets = spec["secrets"] as JsonObject;
        var mechanism = (string?)secrets?["type"] switch
        {
            "sasl_plain" => "PLAIN",
            "sasl_scram" => (string?)secrets!["mechanism"],
            "aws_iam" => "AWS_MSK_IAM",
            _ => null,
        };
        var result = await KafkaProbe.RunAsync(
            new KafkaProbeSettings
            {
                BootstrapServers = (string)spec["bootstrapServers"]!,
                TopicName = (string)spec["topicName"]!,
                TopicNameIsPattern = (bool?)spec["topicNameIsPattern"] ?? false,
                SaslMechanism = mechanism,
                Username = (string?)secrets?["username"],
                Password = (string?)secrets?["password"],
                TruststorePem = (string?)spec["ssl"]?["truststore"]?["certificates"],
                Timeout = _options.KafkaProbeTimeout,
            },
            ct).ConfigureAwait(false);
        return result.Succeeded
            ? (200, new JsonObject { ["status"] = "ok", ["topics"] = new JsonArray(result.MatchedTopics.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()) })
            : (400, Message(result.Reason!));
    }

    private static string? ValidateConnection(JsonObject body)
    {
        var type = (string?)body["type"];
        if (type is not ("kafka" or "confluent"))
        {
            return $"Unsupported connection type '{type}'. This emulator serves 'kafka' and 'confluent'.";
        }

        var name = body["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !ConnectionName().IsMatch(name))
        {
            return $"Invalid connection name '{name}': use 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'.";
        }

        if (string.IsNullOrWhiteSpace((string?)body["bootstrapServers"]))
        {
            return "bootstrapServers is required.";
        }

        if (string.IsNullOrWhiteSpace((string?)body["topicName"]))
        {
            return "topicName is required.";
        }

        if (body["topicNameIsPattern"] is { } isPattern && isPattern.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return "topicNameIsPattern must be a boolean.";
        }

        if (body["secrets"] is JsonObject secrets)
        {
            var secretType = (string?)secrets["type"];
            switch (secretType)
            {
                case "sasl_plain":
                case "confluent":
                    if (string.IsNullOrEmpty((string?)secrets["username"]) || string.IsNullOrEmpty((string?)secrets["password"]))
                    {
                        return $"secrets of type {secretType} need username and password.";
                    }

                    break;
                case "sasl_scram":
                    if ((string?)secrets["mechanism"] is not ("SCRAM-SHA-256" or "SCRAM-SHA-512"))
                    {
                        return "secrets of type sasl_scram need mechanism SCRAM-SHA-256 or SCRAM-SHA-512.";
                    }

                    if (string.IsNullOrEmpty((string?)secrets["username"]) || string.IsNullOrEmpty((string?)secrets["password"]))
                    {
                        return "secrets of type sasl_scram need username and password.";
                    }

                    break;
                case "aws_iam":
                    if (string.IsNullOrEmpty((string?)secrets["awsAssumedRoleArn"]))
                    {
                        return "secrets of type aws_iam need awsAssumedRoleArn.";
                    }

                    break;
                default:
                    return $"Unsupported secrets type '{secretType}'.";
            }
        }

        if (body["ssl"] is JsonObject ssl)
        {
            var truststore = ssl["truststore"] as JsonObject;
            if ((string?)truststore?["type"] != "pem")
            {
                return "ssl.truststore.type must be 'pem'.";
            }

            var pem = (string?)truststore!["certificates"];
            try
            {
                var certificates = new X509Certificate2Collection();
                certificates.ImportFromPem(pem ?? string.Empty);
                if (certificates.Count == 0)
                {
                    return "ssl.truststore.certificates holds no certificate.";
                }
            }
            catch (CryptographicException ex)
            {
                return $"ssl.truststore.certificates is not valid PEM: {ex.Message}";
            }
        }

        return null;
    }

    /// <summary>The connection as served: everything but the secret values.</summary>
    private static JsonObject Public(JsonObject stored)
    {
        var copy = (JsonObject)stored.DeepClone();
        if (copy["secrets"] is JsonObject secrets)
        {
            secrets.Remove("password");
        }

        return copy;
    }

    // ------------------------------------------------------------------ tables

    private (int, JsonNode?) ListTables()
    {
        lock (Store.Gate)
        {
            return (200, new JsonObject { ["values"] = new JsonArray(Store.Tables.Order(StringComparer.Ordinal).Select(t => (JsonNode)TableJson(t)).ToArray()) });
        }
    }

    private (int, JsonNode?) GetTable(string name)
    {
        lock (Store.Gate)
        {
            return Store.Tables.Contains(name) ? (200, TableJson(name)) : (404, Message($"Table '{name}' not found."));
        }
    }

    private (int, JsonNode?) CreateTable(JsonObject? body)
    {
        var name = (string?)body?["name"];
        if (string.IsNullOrWhiteSpace(name))
        {
            return (400, Message("A table needs a name."));
        }

        lock (Store.Gate)
        {
            if (!Store.Tables.Add(name))
            {
                return (409, Message($"Table '{name}' already exists."));
            }

            return (201, TableJson(name));
        }
    }

    private JsonObject TableJson(string name) => new()
    {
        ["name"] = name,
        ["type"] = "detail",
        ["partitioningGranularity"] = "day",
        ["schemaMode"] = Store.SchemaModes.TryGetValue(name, out var mode) ? mode : "flexible",
    };

    // ------------------------------------------------------------------ jobs

    private (int, JsonNode?) CreateJob(JsonObject? body)
    {
        if (body is null)
        {
            return (400, Message("A job spec is required."));
        }

        if ((string?)body["type"] != "streaming")
        {
            return (400, Message($"Unsupported job type '{(string?)body["type"]}'. This emulator runs streaming jobs."));
        }

        var table = (string?)body["target"]?["tableName"];
        if ((string?)body["target"]?["type"] != "table" || string.IsNullOrWhiteSpace(table))
        {
            return (400, Message("target must be {\"type\":\"table\",\"tableName\":...}."));
        }

        var source = body["source"] as JsonObject;
        var connectionName = (string?)source?["connectionName"];
        if ((string?)source?["type"] != "connection" || string.IsNullOrWhiteSpace(connectionName))
        {
            return (400, Message("source must be {\"type\":\"connection\",\"connectionName\":...}."));
        }

        var format = (string?)source!["formatSettings"]?["format"];
        if (format is null || !Formats.Contains(format))
        {
            return (400, Message($"Unsupported format '{format}'."));
        }

        if (format == "kafka" && KafkaFormatProblem((JsonObject)source["formatSettings"]!) is { } kafkaProblem)
        {
            return (400, Message(kafkaProblem));
        }

        var mappings = body["mappings"] as JsonArray;
        if (mappings is null || !mappings.Any(m => (string?)m?["columnName"] == "__time"))
        {
            return (400, Message("The mappings must include a __time column."));
        }

        var readFrom = (string?)body["readFromPoint"] ?? "latest";
        if (readFrom is not ("earliest" or "latest"))
        {
            return (400, Message($"readFromPoint must be 'earliest' or 'latest', not '{readFrom}'."));
        }

        foreach (var key in new[] { "lateMessageRejectionPeriod", "earlyMessageRejectionPeriod" })
        {
            if (body[key] is { } period && !IsoPeriod().IsMatch((string?)period ?? string.Empty))
            {
                return (400, Message($"{key} '{(string?)period}' is not an ISO-8601 period."));
            }
        }

        lock (Store.Gate)
        {
            if (!Store.Connections.ContainsKey(connectionName!))
            {
                return (404, Message($"Connection '{connectionName}' not found."));
            }

            var createTable = (bool?)body["createTableIfNotExists"] ?? false;
            if (!Store.Tables.Contains(table!) && !createTable)
            {
                return (404, Message($"Table '{table}' not found."));
            }

            // Schema discovery needs a table the job creates or one in flexible schema mode (Polaris
            // docs on schema discovery; the mode is the table's schemaMode).
            if ((bool?)body["useSchemaDiscovery"] == true && Store.Tables.Contains(table!)
                && Store.SchemaModes.TryGetValue(table!, out var mode) && mode != "flexible")
            {
                return (400, Message($"Table '{table}' is in {mode} schema mode; useSchemaDiscovery needs a new table or a flexible one."));
            }

            var active = Store.JobList.FirstOrDefault(j => j.TableName == table && j.IsActive);
            if (active is not null)
            {
                return (409, Message($"Table '{table}' already has a streaming job: {active.Id}."));
            }

            Store.Tables.Add(table!);
            var spec = (JsonObject)body.DeepClone();
            spec["readFromPoint"] = readFrom;
            spec["lateMessageRejectionPeriod"] ??= "P30D";
            spec["earlyMessageRejectionPeriod"] ??= "P2000D";
            spec["createTableIfNotExists"] = createTable;
            var job = new PolarisEmulatedJob(Guid.NewGuid().ToString(), table!, connectionName!, spec, DateTimeOffset.UtcNow);
            Store.JobList.Add(job);
            return (201, JobJson(job));
        }
    }

    /// <summary>
    /// The kafka format as Druid's KafkaInputFormat reads it: valueFormat required; keyFormat and
    /// headerFormat optional (without them the key and headers are not ingested); the header prefix is
    /// headerColumnPrefix. Names Druid does not know (headerLabelPrefix) are refused, so a misspelt
    /// field cannot silently ingest nothing (this strictness is the emulator's: Polaris' own answer to
    /// unknown fields is not documented).
    /// </summary>
    private static string? KafkaFormatProblem(JsonObject settings)
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { "format", "valueFormat", "keyFormat", "headerFormat", "headerColumnPrefix", "keyColumnName", "timestampColumnName", "topicColumnName" };
        if (settings.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            return $"formatSettings.{unknown} is not a field of the kafka format; use {string.Join(", ", known.Where(k => k != "format"))}.";
        }

        if (settings["valueFormat"]?["format"] is null)
        {
            return "The kafka format needs a valueFormat.";
        }

        if (settings["keyFormat"] is { } key && (key["format"] is null || key["columns"] is not JsonArray { Count: > 0 }))
        {
            return "keyFormat needs a format and at least one column (only the first is kept, as kafka.key).";
        }

        if (settings["headerFormat"] is { } header && (string?)header["type"] != "string")
        {
            return "headerFormat must be {\"type\":\"string\",\"encoding\":...}.";
        }

        return null;
    }

    private (int, JsonNode?) ListJobs(IQueryCollection query)
    {
        lock (Store.Gate)
        {
            IEnumerable<PolarisEmulatedJob> jobs = Store.JobList;
            if (query.TryGetValue("type", out var types))
            {
                jobs = jobs.Where(j => types.Contains("streaming"));
            }

            if (query.TryGetValue("healthStatus", out var health))
            {
                jobs = jobs.Where(j => health.Contains(j.HealthStatus));
            }

            return (200, new JsonObject { ["values"] = new JsonArray(jobs.Select(j => (JsonNode)JobJson(j)).ToArray()) });
        }
    }

    private (int, JsonNode?) GetJob(string id, bool statusOnly)
    {
        lock (Store.Gate)
        {
            var job = Store.JobList.FirstOrDefault(j => j.Id == id);
            if (job is null)
            {
                return (404, Message($"Job '{id}' not found."));
            }

            job.Reads++;
            if (_options.AdvanceJobsOnRead && job.IsActive)
            {
                var now = DateTimeOffset.UtcNow;
                if (job.ExecutionStatus == "pending")
                {
                    job.ExecutionStatus = "running";
                    job.StartedOn = now;
                }
                else if (job.ExecutionStatus == "running")
                {
                    job.RowsProcessed += _options.RowsPerRead;
                }

                job.LastUpdatedOn = now;
            }

            return statusOnly
                ? (200, new JsonObject { ["executionStatus"] = job.ExecutionStatus, ["health"] = Health(job) })
                : (200, JobJson(job));
        }
    }

    private (int, JsonNode?) UpdateJob(string id, JsonObject? body)
    {
        lock (Store.Gate)
        {
            var job = Store.JobList.FirstOrDefault(j => j.Id == id);
            if (job is null)
            {
                return (404, Message($"Job '{id}' not found."));
            }

            var desired = (string?)body?["desiredExecutionStatus"];
            switch (desired)
            {
                case "canceled":
                    if (job.DesiredExecutionStatus != "canceled")
                    {
                        job.DesiredExecutionStatus = "canceled";
                        job.ExecutionStatus = "canceled";
                        job.CompletedOn = DateTimeOffset.UtcNow;
                        job.LastUpdatedOn = job.CompletedOn.Value;
                    }

                    return (200, JobJson(job));
                case "running":
                    return job.IsActive ? (200, JobJson(job)) : (400, Message($"Job '{id}' is {job.ExecutionStatus} and cannot be restarted; start a new job."));
                default:
                    return (400, Message($"desiredExecutionStatus must be 'running' or 'canceled', not '{desired}'."));
            }
        }
    }

    private JsonObject JobJson(PolarisEmulatedJob job)
    {
        var json = (JsonObject)job.Spec.DeepClone();
        json["id"] = job.Id;
        json["desiredExecutionStatus"] = job.DesiredExecutionStatus;
        json["executionStatus"] = job.ExecutionStatus;
        json["health"] = Health(job);
        json["totals"] = new JsonObject
        {
            ["numRowsProcessed"] = job.RowsProcessed,
            ["numRowsProcessedWithWarnings"] = job.RowsProcessedWithWarnings,
            ["numRowsSkippedByFilter"] = job.RowsSkippedByFilter,
            ["numRowsSkippedByError"] = job.RowsSkippedByError,
        };
        json["createdBy"] = User();
        json["lastModifiedBy"] = User();
        json["createdTimestamp"] = job.CreatedOn.ToString("O");
        json["lastUpdatedTimestamp"] = job.LastUpdatedOn.ToString("O");
        json["startedTimestamp"] = job.StartedOn?.ToString("O");
        json["completedTimestamp"] = job.CompletedOn?.ToString("O");
        return json;
    }

    private static JsonObject Health(PolarisEmulatedJob job) =>
        job.HealthMessage is null
            ? new JsonObject { ["status"] = job.HealthStatus }
            : new JsonObject { ["status"] = job.HealthStatus, ["message"] = job.HealthMessage };

    // ------------------------------------------------------------------ plumbing

    private JsonObject User() => new() { ["username"] = _userName, ["userId"] = _userId };

    private static string Now() => DateTimeOffset.UtcNow.ToString("O");

    private static JsonObject Message(string message) => new() { ["message"] = message };

    private async Task WriteAsync(HttpContext ctx, int status, JsonNode? body, int? retryAfter, string requestBody, bool faulted)
    {
        var text = body?.ToJsonString() ?? string.Empty;
        Log(ctx.Request.Method, ctx.Request.Path.Value ?? "/", status, requestBody, text, faulted);
        ctx.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            ctx.Response.Headers.RetryAfter = retryAfter.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (body is not null)
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(text, ctx.RequestAborted).ConfigureAwait(false);
        }
    }

    private void Log(string method, string path, int status, string requestBody, string responseBody, bool faulted)
    {
        lock (_requests)
        {
            _requests.Add(new PolarisRequestRecord(method, path, status, requestBody, responseBody, faulted));
        }
    }

    [GeneratedRegex("^/v1/projects/(?<project>[^/]+)/(?<rest>.*)$")]
    private static partial Regex ProjectRoute();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ConnectionName();

    [GeneratedRegex(@"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")]
    private static partial Regex IsoPeriod();
}
