using System.Text.Json.Nodes;

namespace KafkaCatalog.TestKit.Polaris;

/// <summary>A streaming job inside the emulator. Mutable under the store's lock.</summary>
public sealed class PolarisEmulatedJob
{
    internal PolarisEmulatedJob(string id, string tableName, string connectionName, JsonObject spec, DateTimeOffset now)
    {
        Id = id;
        TableName = tableName;
        ConnectionName = connectionName;
        Spec = spec;
        CreatedOn = now;
        LastUpdatedOn = now;
    }

    public string Id { get; }
    public string TableName { get; }
    public string ConnectionName { get; }
    /// <summary>The job spec as submitted.</summary>
    public JsonObject Spec { get; }
    public string ExecutionStatus { get; internal set; } = "pending";
    public string DesiredExecutionStatus { get; internal set; } = "running";
    public string HealthStatus { get; internal set; } = "ok";
    public string? HealthMessage { get; internal set; }
    public long RowsProcessed { get; internal set; }
    public long RowsProcessedWithWarnings { get; internal set; }
    public long RowsSkippedByFilter { get; internal set; }
    public long RowsSkippedByError { get; internal set; }
    public DateTimeOffset CreatedOn { get; }
    public DateTimeOffset LastUpdatedOn { get; internal set; }
    public DateTimeOffset? StartedOn { get; internal set; }
    public DateTimeOffset? CompletedOn { get; internal set; }
    /// <summary>GET requests seen for this job (drives the automatic progression).</summary>
    public int Reads { get; internal set; }

    public bool IsActive => DesiredExecutionStatus != "canceled" && ExecutionStatus is not ("canceled" or "failed");
}

/// <summary>The emulator's state: connections (with their secrets, never served), tables and jobs.</summary>
public sealed class PolarisStore
{
    private readonly Dictionary<string, JsonObject> _connections = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tables = new(StringComparer.Ordinal);
    private readonly List<PolarisEmulatedJob> _jobs = new();

    internal object Gate { get; } = new();

    public IReadOnlyList<string> ConnectionNames
    {
        get
        {
            lock (Gate)
            {
                return _connections.Keys.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    public IReadOnlyList<string> TableNames
    {
        get
        {
            lock (Gate)
            {
                return _tables.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    public IReadOnlyList<PolarisEmulatedJob> Jobs
    {
        get
        {
            lock (Gate)
            {
                return _jobs.ToList();
            }
        }
    }

    /// <summary>The stored connection spec INCLUDING secrets, for assertions on what the client sent.</summary>
    public JsonObject? GetConnectionSpec(string name)
    {
        lock (Gate)
        {
            return _connections.TryGetValue(name, out var spec) ? (JsonObject)spec.DeepClone() : null;
        }
    }

    public PolarisEmulatedJob? GetJob(string id)
    {
        lock (Gate)
        {
            return _jobs.FirstOrDefault(j => j.Id == id);
        }
    }

    /// <summary>Creates a table, as if made in the Polaris console, in "flexible" or "strict" schema mode.</summary>
    public void AddTable(string name, string schemaMode = "flexible")
    {
        lock (Gate)
        {
            _tables.Add(name);
            SchemaModes[name] = schemaMode;
        }
    }

    /// <summary>Schema mode per table; tables without an entry (created by a job) are flexible.</summary>
    internal Dictionary<string, string> SchemaModes { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, JsonObject> Connections => _connections;

    internal HashSet<string> Tables => _tables;

    internal List<PolarisEmulatedJob> JobList => _jobs;
}
