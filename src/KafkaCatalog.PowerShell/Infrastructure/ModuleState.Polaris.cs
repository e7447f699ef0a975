using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.PowerShell.Infrastructure;

public sealed partial class ModuleSession
{
    /// <summary>Polaris projects opened with Connect-Polaris, and the session default.</summary>
    public ConnectionRegistry<PolarisConnection> Polaris { get; } = new();
}
