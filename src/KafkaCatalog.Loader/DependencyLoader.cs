using System.Management.Automation;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;

namespace KafkaCatalog.Loader;

/// <summary>
/// Loads the module's dependencies in their own <see cref="AssemblyLoadContext"/> when the
/// packaged layout is used (KafkaCatalog/dependencies/). PowerShell loads the cmdlet assembly into
/// the default context; the default context asks here for KafkaCatalog.Core, and the module's
/// context resolves Core's own dependencies (Confluent.Kafka, Polly, YamlDotNet...) from
/// dependencies/, so another module's copy of those assemblies cannot clash with ours. Core
/// points Confluent.Kafka at the librdkafka under dependencies/runtimes/ itself.
/// In the flat build-output layout (no dependencies/ folder) nothing is hooked: everything sits
/// next to the cmdlet assembly and the default context finds it.
/// </summary>
/// <remarks>
/// This is a nested module of its own because Import-Module reflects over the cmdlet assembly's
/// types (and so needs Core) before that assembly's IModuleAssemblyInitializer could run.
/// </remarks>
public sealed class DependencyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string CmdletAssemblyFile = "KafkaCatalog.PowerShell.dll";

    private static readonly object Gate = new();
    private static DependencyLoadContext? _context;
    private static HashSet<string> _isolatedRoots = new(StringComparer.Ordinal);
    private static bool _hooked;

    /// <summary>The folder that holds the isolated dependencies, when the module is packaged.</summary>
    public static string DependencyDirectory =>
        Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? AppContext.BaseDirectory, "dependencies");

    public void OnImport()
    {
        lock (Gate)
        {
            if (_hooked || !Directory.Exists(DependencyDirectory))
            {
                return;
            }

            // One context per process: a module imported again (Import-Module -Force) must find the
            // Core it already loaded, since the cmdlet assembly in the default context stays bound to it.
            _context ??= new DependencyLoadContext(DependencyDirectory);
            _isolatedRoots = IsolatedRoots(Path.Combine(Path.GetDirectoryName(DependencyDirectory)!, CmdletAssemblyFile), DependencyDirectory);
            AssemblyLoadContext.Default.Resolving += Resolve;
            _hooked = true;
        }
    }

    public void OnRemove(PSModuleInfo module)
    {
        lock (Gate)
        {
            if (_hooked)
            {
                AssemblyLoadContext.Default.Resolving -= Resolve;
                _hooked = false;
            }
        }
    }

    /// <summary>
    /// The assemblies the cmdlet assembly references that ship in dependencies/ (KafkaCatalog.Core,
    /// and Confluent.Kafka where a parameter uses its types): the default context asks for these, and
    /// they load into the module's context; everything they need follows them there. Read from the
    /// cmdlet assembly's metadata without loading it, so the list cannot drift from the code.
    /// </summary>
    public static HashSet<string> IsolatedRoots(string cmdletAssemblyPath, string dependencyDirectory)
    {
        using var stream = File.OpenRead(cmdletAssemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var roots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.AssemblyReferences)
        {
            var name = metadata.GetString(metadata.GetAssemblyReference(handle).Name);
            if (File.Exists(Path.Combine(dependencyDirectory, name + ".dll")))
            {
                roots.Add(name);
            }
        }

        return roots;
    }

    // Only what the cmdlet assembly itself references: another module's failed lookups are not answered with our copies.
    private static Assembly? Resolve(AssemblyLoadContext defaultContext, AssemblyName name) =>
        _context is { } context && name.Name is { } simpleName && _isolatedRoots.Contains(simpleName)
            ? context.LoadFromAssemblyName(name)
            : null;

    /// <summary>Resolves managed dependencies from the module's dependencies/ folder.</summary>
    private sealed class DependencyLoadContext(string directory) : AssemblyLoadContext("KafkaCatalog", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
