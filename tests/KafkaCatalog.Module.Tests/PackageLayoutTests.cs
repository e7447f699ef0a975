using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using KafkaCatalog.Module.Tests.Infrastructure;

namespace KafkaCatalog.Module.Tests;

/// <summary>
/// Builds the module package with the same MSBuild target build.ps1 Package calls
/// (PackageModule) into a temporary folder, then checks the layout PowerShell will load.
/// </summary>
public sealed class PackageLayoutTests : IClassFixture<PackageLayoutTests.PackagedModule>
{
    private readonly PackagedModule _package;

    public PackageLayoutTests(PackagedModule package) => _package = package;

    [Fact]
    public void Every_file_the_manifest_names_exists()
    {
        var manifest = ModuleManifest.Load(Path.Combine(_package.ModuleDir, "KafkaCatalog.psd1"));
        var named = new List<string>();
        foreach (var key in new[] { "RootModule", "FormatsToProcess", "TypesToProcess", "RequiredAssemblies", "NestedModules", "FileList", "ScriptsToProcess" })
        {
            named.AddRange(manifest.Strings(key));
        }

        Assert.Contains("KafkaCatalog.PowerShell.dll", named);
        var missing = named.Where(f => !File.Exists(Path.Combine(_package.ModuleDir, f))).ToList();
        Assert.True(missing.Count == 0, "Named by the manifest but missing from the package: " + string.Join(", ", missing));
    }

    [Fact]
    public void Dependencies_are_isolated_under_dependencies_folder()
    {
        var deps = Path.Combine(_package.ModuleDir, "dependencies");
        foreach (var dll in new[] { "KafkaCatalog.Core.dll", "Confluent.Kafka.dll", "Polly.Core.dll", "YamlDotNet.dll" })
        {
            Assert.True(File.Exists(Path.Combine(deps, dll)), $"dependencies/{dll} is missing");
            Assert.False(File.Exists(Path.Combine(_package.ModuleDir, dll)), $"{dll} must not sit next to the cmdlet assembly (it would load into the default context)");
        }

        // The cmdlet assembly and the loader (the nested module that sets up the dependencies' load context).
        var rootDlls = Directory.GetFiles(_package.ModuleDir, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "KafkaCatalog.Loader.dll", "KafkaCatalog.PowerShell.dll" }, rootDlls);
    }

    [Theory]
    [InlineData("linux-x64/native/centos8-librdkafka.so")]
    [InlineData("linux-x64/native/alpine-librdkafka.so")]
    [InlineData("linux-arm64/native/librdkafka.so")]
    [InlineData("linux-arm64/native/alpine-librdkafka.so")]
    [InlineData("win-x64/native/librdkafka.dll")]
    [InlineData("win-x64/native/libssl-3-x64.dll")]
    [InlineData("osx-x64/native/librdkafka.dylib")]
    [InlineData("osx-arm64/native/librdkafka.dylib")]
    public void Native_librdkafka_is_packaged_per_runtime(string file) =>
        Assert.True(File.Exists(Path.Combine(_package.ModuleDir, "dependencies", "runtimes", file)), $"dependencies/runtimes/{file} is missing");

    [Fact]
    public void Runtimes_PowerShell_does_not_run_on_and_unloadable_files_are_left_out()
    {
        var runtimes = Path.Combine(_package.ModuleDir, "dependencies", "runtimes");
        Assert.Equal(
            new[] { "linux-arm64", "linux-x64", "osx-arm64", "osx-x64", "win-x64" },
            Directory.GetDirectories(runtimes).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // The redist's plain linux-x64 librdkafka.so needs libsasl2.so.3 (absent on Debian 12); centos8-librdkafka.so is used there.
        Assert.False(File.Exists(Path.Combine(runtimes, "linux-x64", "native", "librdkafka.so")));
        Assert.Empty(Directory.GetFiles(runtimes, "librdkafkacpp*", SearchOption.AllDirectories));
    }

    [Fact]
    public void PowerShell_reference_assembly_is_never_shipped()
    {
        var found = Directory.GetFiles(_package.ModuleDir, "System.Management.Automation.dll", SearchOption.AllDirectories);
        Assert.Empty(found);
    }

    [Fact]
    public void Manifest_version_comes_from_Directory_Build_props()
    {
        var props = File.ReadAllText(Path.Combine(RepoRoot, "Directory.Build.props"));
        var version = Regex.Match(props, "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(version));
        var manifest = ModuleManifest.Load(Path.Combine(_package.ModuleDir, "KafkaCatalog.psd1"));
        Assert.Equal(version, manifest.Strings("ModuleVersion").Single());
        Assert.True(File.Exists(Path.Combine(_package.PackageRoot, $"KafkaCatalog.{version}.nupkg")), "the nupkg is missing");
    }

    [Fact]
    public void Nupkg_holds_the_module_and_a_nuspec()
    {
        var nupkg = Directory.GetFiles(_package.PackageRoot, "KafkaCatalog.*.nupkg").Single();
        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet();
        Assert.Contains("KafkaCatalog.nuspec", names);
        Assert.Contains("KafkaCatalog.psd1", names);
        Assert.Contains("KafkaCatalog.PowerShell.dll", names);
        Assert.Contains("dependencies/KafkaCatalog.Core.dll", names);
        Assert.DoesNotContain(names, n => n.EndsWith("System.Management.Automation.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void About_help_is_packaged()
    {
        Assert.True(File.Exists(Path.Combine(_package.ModuleDir, "en-US", "about_KafkaCatalog.help.txt")));
    }

    internal static string RepoRoot => typeof(PackageLayoutTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    public sealed class PackagedModule : IDisposable
    {
        public PackagedModule()
        {
            PackageRoot = Path.Combine(Path.GetTempPath(), "kafkacatalog-package-" + Guid.NewGuid().ToString("N"));
            var configuration = typeof(PackageLayoutTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "Configuration").Value!;
            var project = Path.Combine(RepoRoot, "src", "KafkaCatalog.PowerShell", "KafkaCatalog.PowerShell.csproj");
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[] { "build", project, "-t:PackageModule", "-c", configuration, "-nologo", "-v:q", $"-p:ModulePackageRoot={PackageRoot}/" })
            {
                psi.ArgumentList.Add(arg);
            }

            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"PackageModule failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
            }

            ModuleDir = Path.Combine(PackageRoot, "KafkaCatalog");
        }

        public string PackageRoot { get; }

        public string ModuleDir { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(PackageRoot, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
