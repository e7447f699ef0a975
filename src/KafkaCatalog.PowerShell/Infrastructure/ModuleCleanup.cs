using System.Management.Automation;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>Releases the module's Kafka clients when the module is removed (Remove-Module, Import-Module -Force).</summary>
/// <remarks>The dependency load context is set up by KafkaCatalog.Loader, the nested module imported before this assembly.</remarks>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo module)
    {
        try
        {
            ModuleState.KafkaClients.Dispose();
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or TypeInitializationException)
        {
            // Core never loaded in this session: there is nothing to dispose.
        }
    }
}
