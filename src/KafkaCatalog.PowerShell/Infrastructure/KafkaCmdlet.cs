using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet that talks to a Kafka cluster. Finds the connection in this order:
/// -Connection, -BootstrapServer, the ConnectionName of a piped object, the session default
/// (Connect-KafkaCluster), the KAFKA_BOOTSTRAP_SERVERS environment variable; otherwise a
/// terminating error. Also makes sure the native client is loadable before any work.
/// </summary>
public abstract class KafkaCmdlet : AsyncCmdlet
{
    private readonly Dictionary<string, KafkaClientLease> _ownedFactories = new(StringComparer.Ordinal);
    private readonly ClusterReachabilityCheck _reachability = new();

    /// <summary>The process environment, read once per invocation (not once per piped record: it is the last fallback).</summary>
    private System.Collections.IDictionary? _environment;

    /// <summary>The connection to use (from Connect-KafkaCluster or Get-KafkaConnection).</summary>
    [Parameter]
    [ValidateNotNull]
    public KafkaConnection? Connection { get; set; }

    /// <summary>Bootstrap servers for a one-off connection (no session state needed).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? BootstrapServer { get; set; }

    /// <summary>Bound from piped objects (KafkaTopic, KafkaConsumerGroup, ...) so downstream cmdlets reuse their connection.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? ConnectionName { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        EnsureKafkaClientLoaded();
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        ReleaseOwnedFactories();
    }

    protected override void OnDispose() => ReleaseOwnedFactories();

    /// <summary>The connection for the current record (see the class remarks for the order).</summary>
    protected KafkaConnection ResolveConnection()
    {
        return KafkaConnectionSelector.Resolve(
            Connection,
            BootstrapServer,
            ConnectionName,
            Session.Kafka.Get,
            Session.Kafka.Default,
            _environment ??= Environment.GetEnvironmentVariables());
    }

    /// <summary>The client factory of the current record's connection.</summary>
    protected KafkaClientFactory ResolveClientFactory() => GetClientFactory(ResolveConnection());

    protected KafkaClientFactory GetClientFactory(KafkaConnection connection)
    {
        if (Session.SharedKafkaClient(connection) is { } shared)
        {
            return shared;
        }

        // One-off connections (-BootstrapServer, -Connection not registered, environment) live as long as this
        // cmdlet, and every record of one invocation shares one client: -BootstrapServer and the environment
        // resolve to a new connection object per record, so they are keyed by what they hold (a client per
        // record would reorder piped messages and prove reachability again for each). A -Connection object
        // is keyed by identity, since two objects may share a name and servers but not their settings.
        lock (_ownedFactories)
        {
            var key = connection.Name + "\n" + connection.BootstrapServers + "\n" +
                (Connection is null ? string.Empty : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(connection).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!_ownedFactories.TryGetValue(key, out var lease))
            {
                lease = Session.LeaseKafkaClient(connection);
                _ownedFactories[key] = lease;
            }

            return lease.Factory;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> with the factory's librdkafka log routed to this cmdlet's verbose
    /// stream, after proving (once per invocation and cluster) that the cluster answers: an
    /// unreachable cluster is one terminating KafkaClusterUnreachable before any per-item work.
    /// </summary>
    /// <param name="body">The work, given the factory, the operation sink and the cancellation token.</param>
    /// <param name="proveReachable">
    /// False for a command that proves reachability itself (Test-KafkaCluster -Quiet answers False
    /// instead of the terminating KafkaClusterUnreachable).
    /// </param>
    protected void RunWithClient(Func<KafkaClientFactory, IOperationSink, CancellationToken, Task> body, bool proveReachable = true)
    {
        KafkaClientFactory factory;
        try
        {
            factory = ResolveClientFactory();
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var sink = CreateSink();
        var log = CreateLogSink();
        RunAsync(async token =>
        {
            using var lease = factory.AttachSink(log);
            if (proveReachable)
            {
                await _reachability.EnsureAsync(factory, sink, token).ConfigureAwait(false);
            }

            await body(factory, sink, token).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// A failure that ends the whole command (the cluster is unreachable, the client cannot load,
    /// credentials are refused) rather than one item.
    /// </summary>
    protected static bool IsTerminating(KafkaCatalogException ex) =>
        ex.Kind is FailureKind.ConnectionError or FailureKind.NotInstalled or FailureKind.AuthenticationError or FailureKind.SecurityError
        || ex.Is(ErrorCatalog.InvalidKafkaClientSetting);

    /// <summary>Reports a per-item failure, or rethrows it when it ends the command.</summary>
    protected void EmitItemError(KafkaCatalogException ex)
    {
        if (IsTerminating(ex))
        {
            throw ex;
        }

        EmitError(ex);
    }

    /// <summary>
    /// Writes the output of per-item results in hand-overs of what is ready: the results <paramref name="results"/>
    /// yields without waiting (a completed batch of groups) go to the pipeline thread together, handed over before the
    /// stream waits and at its end, so a batch of 64 groups is one bridge post, not 64. A failed item is written (or
    /// ends the command, see <see cref="EmitItemError"/>) after the output before it, so the order holds.
    /// </summary>
    /// <param name="results">Per-item results, in output order.</param>
    /// <param name="output">The output objects of one successful item.</param>
    /// <param name="cancellationToken">The worker's token.</param>
    protected async Task EmitReadyAsync<T>(IAsyncEnumerable<GroupResult<T>> results, Func<T, IEnumerable<object?>> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(output);
        var ready = new List<object?>();
        void HandOver()
        {
            if (ready.Count > 0)
            {
                EmitAll(ready);
                ready = [];
            }
        }

        var items = results.GetAsyncEnumerator(cancellationToken);
        await using (items.ConfigureAwait(false))
        {
            try
            {
                while (true)
                {
                    var next = items.MoveNextAsync();
                    if (!next.IsCompleted)
                    {
                        HandOver();
                    }

                    if (!await next.ConfigureAwait(false))
                    {
                        break;
                    }

                    var result = items.Current;
                    if (result.IsSuccess)
                    {
                        ready.AddRange(output(result.Value!));
                    }
                    else
                    {
                        HandOver();
                        EmitItemError(result.Error!);
                    }
                }
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested && ready.Count > 0)
            {
                // What came before the failure still goes out, ahead of it.
                HandOver();
                throw;
            }
        }

        HandOver();
    }

    /// <summary>The one-off factories go when the workers using them have ended (see AsyncCmdlet.WhenWorkersEnd).</summary>
    private void ReleaseOwnedFactories()
    {
        KafkaClientLease[] owned;
        lock (_ownedFactories)
        {
            owned = _ownedFactories.Values.ToArray();
            _ownedFactories.Clear();
        }

        if (owned.Length > 0)
        {
            WhenWorkersEnd(() =>
            {
                foreach (var lease in owned)
                {
                    lease.Dispose();
                }
            });
        }
    }
}
