using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.PowerShell.Infrastructure;

public static partial class ModuleState
{
    /// <summary>Polaris projects opened with Connect-Polaris, and the session default.</summary>
    public static ConnectionRegistry<PolarisConnection> Polaris { get; } = new();
}
