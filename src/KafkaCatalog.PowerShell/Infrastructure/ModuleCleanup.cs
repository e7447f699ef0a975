using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>Releases the Kafka clients of the runspace the module is removed from (Remove-Module, Import-Module -Force).</summary>
/// <remarks>
/// The dependency load context is set up by KafkaCatalog.Loader, the nested module imported before this assembly.
/// Other runspaces of the process keep their own sessions (ModuleState); a closing runspace releases its own.
/// </remarks>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo module)
    {
        try
        {
            ModuleState.Release(Runspace.DefaultRunspace);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or TypeInitializationException)
        {
            // Core never loaded in this session: there is nothing to dispose.
        }
    }
}
