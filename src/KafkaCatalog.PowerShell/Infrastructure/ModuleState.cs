using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// The module's session state. Each area adds its registry in its own partial file
/// (ModuleState.Catalog.cs, ModuleState.Polaris.cs, ...).
/// </summary>
public static partial class ModuleState
{
    /// <summary>Kafka connections opened with Connect-KafkaCluster, and the session default.</summary>
    public static ConnectionRegistry<KafkaConnection> Kafka { get; } = new();

    /// <summary>The clients (one admin client each) of the registered Kafka connections.</summary>
    public static KafkaClientCache KafkaClients { get; } = new();

    /// <summary>Names for tab completion (topics, group ids...), per connection, kept 60 s.</summary>
    public static CompletionCache Completions { get; } = new();
}
