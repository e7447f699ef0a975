using System.Runtime.InteropServices;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class NativeLibraryLoaderTests
{
    [Fact]
    public void Loads_the_librdkafka_the_build_expects_not_the_system_one()
    {
        NativeLibraryLoader.EnsureLoaded();

        Assert.Equal("2.15.1", NativeLibraryLoader.ExpectedVersion);
        Assert.Equal("2.15.1", NativeLibraryLoader.LoadedVersion);
        Assert.Equal("2.15.1", Confluent.Kafka.Library.VersionString);
        Assert.NotNull(NativeLibraryLoader.LoadedPath);
        // librdkafka.redist's glibc x64 build, which needs only libc (its plain librdkafka.so needs libsasl2.so.3).
        Assert.EndsWith(Path.Combine("runtimes", "linux-x64", "native", "centos8-librdkafka.so"), NativeLibraryLoader.LoadedPath);
        Assert.StartsWith(AppContext.BaseDirectory.TrimEnd('/'), NativeLibraryLoader.LoadedPath);
    }

    [Fact]
    public void Is_idempotent()
    {
        NativeLibraryLoader.EnsureLoaded();
        var path = NativeLibraryLoader.LoadedPath;
        NativeLibraryLoader.EnsureLoaded();
        Assert.Equal(path, NativeLibraryLoader.LoadedPath);
    }

    [Theory]
    [InlineData("librdkafka", true)]
    [InlineData("centos8-librdkafka", true)]
    [InlineData("alpine-librdkafka", true)]
    [InlineData("librdkafka.so.1", true)]
    [InlineData("libdl", false)]
    [InlineData("kernel32", false)]
    public void Recognises_every_import_name_Confluent_uses(string name, bool expected) =>
        Assert.Equal(expected, NativeLibraryLoader.IsLibrdkafkaImport(name));

    [Fact]
    public void Environment_path_comes_first_then_runtimes_folder_then_assembly_folder()
    {
        var candidates = NativeLibraryLoader.CandidatePaths("/opt/custom/librdkafka.so", "/mod/deps", "linux-x64", musl: false);

        Assert.Equal(
            new[]
            {
                "/opt/custom/librdkafka.so",
                "/mod/deps/runtimes/linux-x64/native/centos8-librdkafka.so",
                "/mod/deps/runtimes/linux-x64/native/librdkafka.so",
                "/mod/deps/centos8-librdkafka.so",
                "/mod/deps/librdkafka.so",
            },
            candidates);
    }

    [Fact]
    public void Without_environment_path_only_module_locations_are_candidates()
    {
        var candidates = NativeLibraryLoader.CandidatePaths(null, "/mod");
        Assert.NotEmpty(candidates);
        Assert.All(candidates, c => Assert.StartsWith("/mod", c));
    }

    [Theory]
    [InlineData("linux-x64", false, "centos8-librdkafka.so")]
    [InlineData("linux-x64", true, "alpine-librdkafka.so")]
    [InlineData("linux-arm64", false, "librdkafka.so")]
    [InlineData("linux-arm64", true, "alpine-librdkafka.so")]
    [InlineData("win-x64", false, "librdkafka.dll")]
    [InlineData("win-x86", false, "librdkafka.dll")]
    [InlineData("osx-x64", false, "librdkafka.dylib")]
    [InlineData("osx-arm64", false, "librdkafka.dylib")]
    public void Picks_the_redist_file_of_each_runtime(string rid, bool musl, string expected) =>
        Assert.Equal(expected, NativeLibraryLoader.NativeFileNames(rid, musl)[0]);

    [Fact]
    public void Every_first_choice_of_a_shipped_runtime_exists_in_the_build_output()
    {
        // The build output carries librdkafka.redist's runtimes/ folder; each runtime the package ships must have its file.
        foreach (var (rid, musl) in new[] { ("linux-x64", false), ("linux-x64", true), ("linux-arm64", false), ("win-x64", false), ("osx-x64", false), ("osx-arm64", false) })
        {
            var path = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", NativeLibraryLoader.NativeFileNames(rid, musl)[0]);
            Assert.True(File.Exists(path), $"{rid}{(musl ? " (musl)" : "")}: {path} is missing");
        }
    }

    [Fact]
    public void Runtime_identifier_matches_this_machine()
    {
        var expectedArch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        Assert.Equal($"linux-{expectedArch}", NativeLibraryLoader.RuntimeIdentifier());
        Assert.False(NativeLibraryLoader.IsMusl());
    }

    [Fact]
    public void Wrong_version_is_refused_with_the_fix()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => NativeLibraryLoader.CheckVersion("2.0.2", "/usr/lib/x86_64-linux-gnu/librdkafka.so.1"));

        Assert.Equal("LibrdkafkaVersionMismatch", ex.ErrorId);
        Assert.Equal(FailureKind.NotInstalled, ex.Kind);
        Assert.Contains("found 2.0.2 at /usr/lib/x86_64-linux-gnu/librdkafka.so.1", ex.Message);
        Assert.Contains("2.15.1", ex.Message);
        Assert.Contains(NativeLibraryLoader.PathEnvironmentVariable, ex.Message);
        Assert.Contains("LibrdkafkaFromSource", ex.Message);
    }

    [Fact]
    public void Right_version_passes_the_check() =>
        NativeLibraryLoader.CheckVersion("2.15.1", "/x/librdkafka.so");
}
