using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Polaris;

/// <summary>Options of <see cref="PolarisClient"/>.</summary>
public sealed record PolarisClientOptions
{
    public PolarisResilienceOptions Resilience { get; init; } = new();
    /// <summary>For tests and proxies; the client owns a SocketsHttpHandler otherwise.</summary>
    public HttpMessageHandler? Handler { get; init; }
}

/// <summary>
/// The Polaris Connections v1 and Jobs v1 API for Kafka ingestion, over HttpClient with the
/// <see cref="PolarisHttpResilience"/> pipeline. Every failure becomes a
/// <see cref="KafkaCatalogException"/> with a stable id; no message carries the API key or a
/// Kafka password (Polaris never echoes them, and request bodies are never quoted).
/// </summary>
public sealed class PolarisClient : IDisposable
{
    private readonly PolarisConnection _connection;
    private readonly PolarisTransport _transport;
    private readonly IOperationSink _sink;

    public PolarisClient(PolarisConnection connection, PolarisClientOptions? options = null, IOperationSink? sink = null)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _sink = sink ?? NullOperationSink.Instance;
        _transport = new PolarisTransport(connection, options ?? new PolarisClientOptions(), _sink);
    }

    public PolarisConnection Connection => _connection;

    public void Dispose() => _transport.Dispose();

    /// <summary>Checks that the API key and project work (one read of the connection list).</summary>
    public async Task VerifyAsync(CancellationToken ct = default)
    {
        var reply = await _transport.SendAsync(HttpMethod.Get, "connections", null, ct).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            throw _transport.Failure(reply, _connection.ProjectUri, null, null, (ErrorCatalog.PolarisProjectNotFound, $"Polaris project {_connection.ProjectId} does not exist at {_connection.BaseUri}. Check the project id."));
        }
    }

    // ---------------------------------------------------------------- connections

    /// <summary>Validates the parameters and creates the connection (POST).</summary>
    public Task<PolarisKafkaConnection> CreateKafkaConnectionAsync(PolarisKafkaConnectionParameters parameters, CancellationToken ct = default) =>
        CreateKafkaConnectionAsync(PolarisKafkaConnectionSpecBuilder.Build(parameters), ct);

    public async Task<PolarisKafkaConnection> CreateKafkaConnectionAsync(PolarisKafkaConnectionSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reply = await _transport.SendAsync(HttpMethod.Post, "connections", PolarisJson.WriteConnection(spec), ct).ConfigureAwait(false);
        if (reply.Status == HttpStatusCode.Conflict && reply.Attempts > 1)
        {
            // An earlier attempt got through before the failure we retried: it exists now.
            _sink.Verbose($"Polaris connection '{spec.Name}' was created by an earlier attempt; reading it back.");
            return await GetKafkaConnectionAsync(spec.Name, ct).ConfigureAwait(false);
        }

        return reply.IsSuccess
            ? PolarisJson.ReadConnection(reply.Root, _connection)
            : throw _transport.Failure(reply, spec.Name, conflict: (ErrorCatalog.PolarisConnectionExists, $"Polaris connection '{spec.Name}' already exists in project {_connection.ProjectId}. Use Set-PolarisKafkaConnection to replace it, or Remove-PolarisKafkaConnection first."), badRequest: ErrorCatalog.PolarisInvalidConnectionSpec, notFound: null);
    }

    /// <summary>Validates the parameters and replaces the whole connection (PUT); secrets must be given again.</summary>
    public Task<PolarisKafkaConnection> ReplaceKafkaConnectionAsync(PolarisKafkaConnectionParameters parameters, CancellationToken ct = default) =>
        ReplaceKafkaConnectionAsync(PolarisKafkaConnectionSpecBuilder.Build(parameters), ct);

    public async Task<PolarisKafkaConnection> ReplaceKafkaConnectionAsync(PolarisKafkaConnectionSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reply = await _transport.SendAsync(HttpMethod.Put, "connections/" + Uri.EscapeDataString(spec.Name), PolarisJson.WriteConnection(spec), ct).ConfigureAwait(false);
        return reply.IsSuccess
            ? PolarisJson.ReadConnection(reply.Root, _connection)
            : throw _transport.Failure(reply, spec.Name, conflict: null, badRequest: ErrorCatalog.PolarisInvalidConnectionSpec, notFound: (ErrorCatalog.PolarisConnectionNotFound, NotFoundMessage(spec.Name) + " Use New-PolarisKafkaConnection to create it."));
    }

    public async Task<PolarisKafkaConnection> GetKafkaConnectionAsync(string name, CancellationToken ct = default)
    {
        PolarisNameRules.ValidateConnectionName(name);
        var reply = await _transport.SendAsync(HttpMethod.Get, "connections/" + Uri.EscapeDataString(name), null, ct).ConfigureAwait(false);
        return reply.IsSuccess
            ? PolarisJson.ReadConnection(reply.Root, _connection)
            : throw _transport.Failure(reply, name, null, null, (ErrorCatalog.PolarisConnectionNotFound, NotFoundMessage(name)));
    }

    public async Task<IReadOnlyList<PolarisKafkaConnection>> ListKafkaConnectionsAsync(CancellationToken ct = default)
    {
        var reply = await _transport.SendAsync(HttpMethod.Get, "connections", null, ct).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            throw _transport.Failure(reply, null, null, null, null);
        }

        return PolarisJson.Items(reply.Root)
            .Where(e => e.TryGetProperty("type", out var t) && t.GetString() is "kafka" or "confluent")
            .Select(e => PolarisJson.ReadConnection(e, _connection))
            .ToList();
    }

    public async Task RemoveKafkaConnectionAsync(string name, CancellationToken ct = default)
    {
        PolarisNameRules.ValidateConnectionName(name);
        var reply = await _transport.SendAsync(HttpMethod.Delete, "connections/" + Uri.EscapeDataString(name), null, ct).ConfigureAwait(false);
        if (reply.IsSuccess || (reply.Status == HttpStatusCode.NotFound && reply.Attempts > 1))
        {
            return;
        }

        throw _transport.Failure(
            reply,
            name,
            conflict: (ErrorCatalog.PolarisConnectionInUse, $"Polaris connection '{name}' is used by an ingestion job. Stop the job with Stop-PolarisIngestionJob first."),
            badRequest: null,
            notFound: (ErrorCatalog.PolarisConnectionNotFound, NotFoundMessage(name)));
    }

    /// <summary>Asks Polaris to reach the cluster with the connection's settings. A failed test is a result, not an exception.</summary>
    public async Task<PolarisConnectionTestResult> TestKafkaConnectionAsync(string name, CancellationToken ct = default)
    {
        PolarisNameRules.ValidateConnectionName(name);
        var reply = await _transport.SendAsync(HttpMethod.Post, "connections/" + Uri.EscapeDataString(name) + "/test", null, ct).ConfigureAwait(false);
        if (reply.IsSuccess)
        {
            return new PolarisConnectionTestResult { ConnectionName = name, Succeeded = true };
        }

        return reply.Status switch
        {
            HttpStatusCode.NotFound => new PolarisConnectionTestResult
            {
                ConnectionName = name,
                Succeeded = false,
                ErrorId = ErrorCatalog.PolarisConnectionNotFound.Id,
                Reason = NotFoundMessage(name),
            },
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.FailedDependency => new PolarisConnectionTestResult
            {
                ConnectionName = name,
                Succeeded = false,
                ErrorId = ErrorCatalog.PolarisConnectionTestFailed.Id,
                Reason = $"Polaris could not use connection '{name}': {reply.Message ?? "no reason given"}",
            },
            _ => throw _transport.Failure(reply, name, null, null, null),
        };
    }

    // ---------------------------------------------------------------- jobs

    /// <summary>Creates the streaming job (POST). A 409 after a retried create returns the job the earlier attempt made.</summary>
    public async Task<PolarisIngestionJob> StartIngestionJobAsync(PolarisIngestionJobSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.UseSchemaDiscovery)
        {
            await EnsureSchemaDiscoveryAllowedAsync(spec, ct).ConfigureAwait(false);
        }

        var reply = await _transport.SendAsync(HttpMethod.Post, "jobs", PolarisJson.WriteJob(spec), ct).ConfigureAwait(false);
        if (reply.IsSuccess)
        {
            return PolarisJson.ReadJob(reply.Root, _connection);
        }

        if (reply.Status == HttpStatusCode.Conflict)
        {
            var existing = await FindActiveJobAsync(spec.TableName, ct).ConfigureAwait(false);
            if (reply.Attempts > 1 && existing is not null && string.Equals(existing.ConnectionName, spec.ConnectionName, StringComparison.Ordinal))
            {
                _sink.Verbose($"The streaming job into '{spec.TableName}' was created by an earlier attempt ({existing.JobId}).");
                return existing;
            }

            throw new KafkaCatalogException(
                ErrorCatalog.PolarisTableHasStreamingJob,
                $"Table '{spec.TableName}' already has a streaming job{(existing is null ? string.Empty : $" ({existing.JobId}, from connection '{existing.ConnectionName}')")}; Polaris allows one per table. Stop it with Stop-PolarisIngestionJob first.",
                spec.TableName);
        }

        if (reply.Status == HttpStatusCode.NotFound)
        {
            var connection = await _transport.SendAsync(HttpMethod.Get, "connections/" + Uri.EscapeDataString(spec.ConnectionName), null, ct).ConfigureAwait(false);
            if (connection.Status == HttpStatusCode.NotFound)
            {
                throw new KafkaCatalogException(ErrorCatalog.PolarisConnectionNotFound, NotFoundMessage(spec.ConnectionName) + " Create it with New-PolarisKafkaConnection.", spec.ConnectionName);
            }

            throw new KafkaCatalogException(
                ErrorCatalog.PolarisTableNotFound,
                $"Table '{spec.TableName}' does not exist in project {_connection.ProjectId}: {reply.Message}. Use -CreateTable to create it from the job.",
                spec.TableName);
        }

        throw _transport.Failure(reply, spec.TableName, null, ErrorCatalog.PolarisInvalidJobSpec, null);
    }

    /// <summary>
    /// Schema discovery needs a table the job creates or one in flexible schema mode; a strict table
    /// would refuse the discovered columns. Read (GET tables/{name}) before anything is created.
    /// </summary>
    private async Task EnsureSchemaDiscoveryAllowedAsync(PolarisIngestionJobSpec spec, CancellationToken ct)
    {
        var table = await _transport.SendAsync(HttpMethod.Get, "tables/" + Uri.EscapeDataString(spec.TableName), null, ct).ConfigureAwait(false);
        if (table.Status == HttpStatusCode.NotFound)
        {
            if (!spec.CreateTableIfNotExists)
            {
                throw new KafkaCatalogException(ErrorCatalog.PolarisTableNotFound, $"Table '{spec.TableName}' does not exist in project {_connection.ProjectId}. Use -CreateTable to create it from the job.", spec.TableName);
            }

            return;
        }

        if (!table.IsSuccess)
        {
            throw _transport.Failure(table, spec.TableName, null, null, null);
        }

        var mode = table.Root is JsonElement { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("schemaMode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (!string.Equals(mode, "flexible", StringComparison.OrdinalIgnoreCase))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisSchemaDiscoveryNotAllowed,
                $"Table '{spec.TableName}' exists in {(mode ?? "strict")} schema mode, so Polaris cannot discover its columns from the topic. Pass -InputSchema and -Mapping for its columns, or ingest into a new table (-CreateTable) or a flexible one.",
                spec.TableName);
        }
    }

    public async Task<PolarisIngestionJob> GetIngestionJobAsync(string jobId, CancellationToken ct = default)
    {
        ValidateJobId(jobId);
        var reply = await _transport.SendAsync(HttpMethod.Get, "jobs/" + Uri.EscapeDataString(jobId), null, ct).ConfigureAwait(false);
        return reply.IsSuccess
            ? PolarisJson.ReadJob(reply.Root, _connection)
            : throw _transport.Failure(reply, jobId, null, null, (ErrorCatalog.PolarisJobNotFound, JobNotFoundMessage(jobId)));
    }

    /// <summary>Lists jobs, optionally only streaming ones into <paramref name="tableName"/>.</summary>
    public async IAsyncEnumerable<PolarisIngestionJob> ListIngestionJobsAsync(string? tableName = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var reply = await _transport.SendAsync(HttpMethod.Get, "jobs?type=streaming", null, ct).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            throw _transport.Failure(reply, null, null, null, null);
        }

        foreach (var item in PolarisJson.Items(reply.Root))
        {
            var job = PolarisJson.ReadJob(item, _connection);
            if (tableName is null || string.Equals(job.TableName, tableName, StringComparison.Ordinal))
            {
                yield return job;
            }
        }
    }

    /// <summary>Cancels a job (PUT desiredExecutionStatus=canceled); idempotent.</summary>
    public async Task<PolarisIngestionJob> StopIngestionJobAsync(string jobId, CancellationToken ct = default)
    {
        ValidateJobId(jobId);
        var reply = await _transport.SendAsync(HttpMethod.Put, "jobs/" + Uri.EscapeDataString(jobId), PolarisJson.WriteCancel(), ct).ConfigureAwait(false);
        return reply.IsSuccess
            ? PolarisJson.ReadJob(reply.Root, _connection)
            : throw _transport.Failure(reply, jobId, null, ErrorCatalog.PolarisInvalidJobUpdate, (ErrorCatalog.PolarisJobNotFound, JobNotFoundMessage(jobId)));
    }

    private async Task<PolarisIngestionJob?> FindActiveJobAsync(string tableName, CancellationToken ct)
    {
        await foreach (var job in ListIngestionJobsAsync(tableName, ct).ConfigureAwait(false))
        {
            if (job.DesiredExecutionStatus != "canceled" && job.ExecutionStatus is not ("canceled" or "failed"))
            {
                return job;
            }
        }

        return null;
    }

    // ---------------------------------------------------------------- plumbing

    private static void ValidateJobId(string jobId)
    {
        if (string.IsNullOrWhiteSpace(jobId) || jobId.Contains('/') || jobId.Length > 128)
        {
            throw new KafkaCatalogException(ErrorCatalog.PolarisInvalidJobId, $"'{jobId}' is not a Polaris job id.", jobId);
        }
    }

    private string NotFoundMessage(string name) => $"Polaris connection '{name}' does not exist in project {_connection.ProjectId}.";

    private string JobNotFoundMessage(string id) => $"Polaris ingestion job '{id}' does not exist in project {_connection.ProjectId}.";
}
