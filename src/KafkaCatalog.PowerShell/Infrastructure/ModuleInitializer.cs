using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// Loads the module's dependencies in their own <see cref="AssemblyLoadContext"/> when the
/// packaged layout is used (out/KafkaCatalog/dependencies/): PowerShell loads this assembly into
/// the default context, the default context asks here for KafkaCatalog.Core, and the module's
/// context resolves Core's dependencies (Confluent.Kafka, Polly, YamlDotNet...) and librdkafka
/// from dependencies/ — so another module's copy of those assemblies cannot clash with ours.
/// In the flat build-output layout (no dependencies/ folder) nothing is hooked: everything is
/// next to this assembly and the default context finds it.
/// </summary>
/// <remarks>This type must not mention Core's types: they may only load after the hook is in place.</remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string CoreAssemblyName = "KafkaCatalog.Core";

    private static readonly object Gate = new();
    private static DependencyLoadContext? _context;

    /// <summary>The folder that holds the isolated dependencies, when the module is packaged.</summary>
    public static string DependencyDirectory =>
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory, "dependencies");

    public void OnImport()
    {
        lock (Gate)
        {
            if (_context is not null || !Directory.Exists(DependencyDirectory))
            {
                return;
            }

            _context = new DependencyLoadContext(DependencyDirectory);
            AssemblyLoadContext.Default.Resolving += ResolveCore;
        }
    }

    public void OnRemove(PSModuleInfo module)
    {
        lock (Gate)
        {
            if (_context is not null)
            {
                AssemblyLoadContext.Default.Resolving -= ResolveCore;
            }
        }

        DisposeClients();
    }

    private static void DisposeClients()
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

    private static Assembly? ResolveCore(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name == CoreAssemblyName && _context is { } context ? context.LoadFromAssemblyName(name) : null;

    /// <summary>Resolves managed dependencies and librdkafka from the module's dependencies/ folder.</summary>
    internal sealed class DependencyLoadContext(string directory) : AssemblyLoadContext("KafkaCatalog", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            if (!unmanagedDllName.Contains("rdkafka", StringComparison.OrdinalIgnoreCase))
            {
                return IntPtr.Zero;
            }

            var fileName = OperatingSystem.IsWindows() ? "librdkafka.dll" : OperatingSystem.IsMacOS() ? "librdkafka.dylib" : "librdkafka.so";
            var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            var path = Path.Combine(directory, "runtimes", $"{os}-{arch}", "native", fileName);
            return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
        }
    }
}
