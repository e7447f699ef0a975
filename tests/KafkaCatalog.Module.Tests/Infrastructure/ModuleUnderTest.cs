using System.Reflection;
using KafkaCatalog.HelpGenerator;

namespace KafkaCatalog.Module.Tests.Infrastructure;

/// <summary>
/// Everything the contract rules look at for one module: the compiled cmdlet assembly, its
/// manifest, its docs pages, its format files and its MAML help. <see cref="Real"/> is
/// KafkaCatalog; <see cref="Sample"/> is the deliberately broken sample that proves the rules bite.
/// </summary>
public sealed class ModuleUnderTest
{
    private readonly Lazy<CmdletAssembly> _assembly;
    private readonly Lazy<ModuleManifest> _manifest;
    private readonly Lazy<IReadOnlyList<FormatView>> _views;
    private readonly Lazy<IReadOnlyDictionary<string, PlatyPsDocument>> _docs;

    public string DisplayName { get; }
    public string AssemblyPath { get; }
    public string ManifestPath { get; }
    public string DocsDirectory { get; }
    /// <summary>The folder holding format files, about_ topics and en-US/ help (module/ in the repository).</summary>
    public string ModuleDirectory { get; }
    public string HelpPath => Path.Combine(ModuleDirectory, "en-US", Path.GetFileName(AssemblyPath) + "-Help.xml");
    public string AssemblyDirectory => Path.GetDirectoryName(AssemblyPath)!;

    public ModuleUnderTest(string displayName, string assemblyPath, string manifestPath, string docsDirectory, string moduleDirectory)
    {
        DisplayName = displayName;
        AssemblyPath = Path.GetFullPath(assemblyPath);
        ManifestPath = manifestPath;
        DocsDirectory = docsDirectory;
        ModuleDirectory = moduleDirectory;
        _assembly = new(() => CmdletAssembly.Load(AssemblyPath, TestEnvironment.PowerShellStandardAssembly));
        _manifest = new(() => ModuleManifest.Load(ManifestPath));
        _views = new(() => FormatFiles.Find(ModuleDirectory).SelectMany(FormatFiles.ReadViews).ToList());
        _docs = new(() => MamlHelpWriter.LoadCmdletPages(DocsDirectory)
            .ToDictionary(d => Path.GetFileNameWithoutExtension(d.Path), StringComparer.OrdinalIgnoreCase));
    }

    public CmdletAssembly Assembly => _assembly.Value;
    public IReadOnlyList<CmdletDescriptor> Cmdlets => Assembly.Cmdlets;
    public ModuleManifest Manifest => _manifest.Value;
    public IReadOnlyList<FormatView> FormatViews => _views.Value;
    /// <summary>Cmdlet pages by file name (Verb-Noun), about_ topics excluded.</summary>
    public IReadOnlyDictionary<string, PlatyPsDocument> DocPages => _docs.Value;

    public CmdletDescriptor Cmdlet(string name) =>
        Assembly.Find(name) ?? throw new Xunit.Sdk.XunitException(
            $"{DisplayName}: no cmdlet '{name}' in {Path.GetFileName(AssemblyPath)} (found: {string.Join(", ", Cmdlets.Select(c => c.Name))}).");

    public override string ToString() => DisplayName;

    public static ModuleUnderTest Real { get; } = new(
        "KafkaCatalog",
        Path.Combine(TestEnvironment.CmdletAssemblyDirectory, "KafkaCatalog.PowerShell.dll"),
        Path.Combine(TestEnvironment.RepoRoot, "KafkaCatalog.psd1"),
        Path.Combine(TestEnvironment.RepoRoot, "docs"),
        Path.Combine(TestEnvironment.RepoRoot, "module"));

    public static ModuleUnderTest Sample { get; } = new(
        "BrokenSample",
        Path.Combine(TestEnvironment.BrokenSampleAssemblyDirectory, "KafkaCatalog.Module.Tests.BrokenSample.dll"),
        Path.Combine(TestEnvironment.BrokenSampleRoot, "BrokenSample.psd1"),
        Path.Combine(TestEnvironment.BrokenSampleRoot, "docs"),
        Path.Combine(TestEnvironment.BrokenSampleRoot, "module"));
}

/// <summary>Paths the test project's build stamps into its assembly metadata.</summary>
public static class TestEnvironment
{
    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' missing: see KafkaCatalog.Module.Tests.csproj.");

    public static string RepoRoot => Metadata("RepoRoot");
    public static string PowerShellStandardAssembly => Metadata("PowerShellStandardAssembly");
    public static string CmdletAssemblyDirectory => Metadata("CmdletAssemblyDirectory");
    public static string BrokenSampleAssemblyDirectory => Metadata("BrokenSampleAssemblyDirectory");
    public static string BrokenSampleRoot => Path.Combine(RepoRoot, "tests", "KafkaCatalog.Module.Tests.BrokenSample", "Sample");
}
