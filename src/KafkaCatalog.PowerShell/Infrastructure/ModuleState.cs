using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// The module's session state, one per runspace (as AWS.Tools keeps its defaults in session
/// state): each runspace has its own default connections, registries, client caches and
/// completion caches, so <c>ForEach-Object -Parallel</c>, <c>Start-ThreadJob</c> and hosted runbook
/// workers in one process never see or overwrite each other's defaults. A runspace's clients are
/// disposed when it closes, and when the module is removed from it (ModuleCleanup).
/// </summary>
public static class ModuleState
{
    private static readonly ConditionalWeakTable<Runspace, ModuleSession> Sessions = new();

    /// <summary>For code running without a runspace on its thread (none of the module's own paths: they resolve on the pipeline thread).</summary>
    private static readonly ModuleSession Detached = new();

    /// <summary>The session of the runspace running on this thread (the pipeline thread of a command or completer).</summary>
    public static ModuleSession Current => For(Runspace.DefaultRunspace);

    /// <summary>The session of <paramref name="runspace"/>, created on first use.</summary>
    public static ModuleSession For(Runspace? runspace)
    {
        if (runspace is null)
        {
            return Detached;
        }

        return Sessions.GetValue(runspace, r =>
        {
            var session = new ModuleSession();
            r.StateChanged += (_, e) =>
            {
                if (e.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken)
                {
                    session.Dispose();
                }
            };
            return session;
        });
    }

    /// <summary>Disposes the clients of <paramref name="runspace"/>'s session and forgets it (module removal).</summary>
    public static void Release(Runspace? runspace)
    {
        if (runspace is null)
        {
            Detached.Dispose();
            return;
        }

        if (Sessions.TryGetValue(runspace, out var session))
        {
            Sessions.Remove(runspace);
            session.Dispose();
        }
    }
}

/// <summary>
/// One runspace's state. Each area adds its registry in its own partial file
/// (ModuleState.Catalog.cs, ModuleState.Polaris.cs, ...).
/// </summary>
public sealed partial class ModuleSession : IDisposable
{
    /// <summary>Kafka connections opened with Connect-KafkaCluster, and the session default.</summary>
    public ConnectionRegistry<KafkaConnection> Kafka { get; } = new();

    /// <summary>The clients (one admin client each) of the registered Kafka connections.</summary>
    public KafkaClientCache KafkaClients { get; } = new();

    /// <summary>
    /// The shared client factory of <paramref name="connection"/> when it is the one registered under its name,
    /// else null (a one-off connection: its user owns a factory of its own).
    /// </summary>
    public KafkaClientFactory? SharedKafkaClient(KafkaConnection connection) => KafkaClients.Shared(connection, Kafka.Get(connection.Name));

    /// <summary>A client factory for <paramref name="connection"/>: shared when it is registered, else owned by the lease.</summary>
    public KafkaClientLease LeaseKafkaClient(KafkaConnection connection) => KafkaClients.Lease(connection, Kafka.Get(connection.Name));

    /// <summary>Names for tab completion (topics, group ids...), per connection, kept 60 s.</summary>
    public CompletionCache Completions { get; } = new();

    /// <summary>Releases the Kafka clients (connections stay registered; a later command builds new clients).</summary>
    public void Dispose() => KafkaClients.Dispose();
}
