using KafkaCatalog.Core.Catalog;

namespace KafkaCatalog.PowerShell.Infrastructure;

public static partial class ModuleState
{
    /// <summary>Catalog (Atlan) sessions opened with Connect-Catalog, and the session default.</summary>
    public static ConnectionRegistry<CatalogConnection> Catalog { get; } = new();
}
