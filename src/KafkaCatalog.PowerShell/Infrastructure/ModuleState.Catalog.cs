using KafkaCatalog.Core.Catalog;

namespace KafkaCatalog.PowerShell.Infrastructure;

public sealed partial class ModuleSession
{
    /// <summary>Catalog (Atlan) sessions opened with Connect-Catalog, and the session default.</summary>
    public ConnectionRegistry<CatalogConnection> Catalog { get; } = new();
}
