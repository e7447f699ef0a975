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
        Assert.EndsWith(Path.Combine("runtimes", "linux-x64", "native", "librdkafka.so"), NativeLibraryLoader.LoadedPath);
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
        var candidates = NativeLibraryLoader.CandidatePaths("/opt/custom/librdkafka.so", "/mod/deps");

        Assert.Equal(
            new[]
            {
                "/opt/custom/librdkafka.so",
                Path.Combine("/mod/deps", "runtimes", NativeLibraryLoader.RuntimeIdentifier(), "native", NativeLibraryLoader.NativeFileName()),
                Path.Combine("/mod/deps", NativeLibraryLoader.NativeFileName()),
            },
            candidates);
    }

    [Fact]
    public void Without_environment_path_only_module_locations_are_candidates()
    {
        var candidates = NativeLibraryLoader.CandidatePaths(null, "/mod");
        Assert.Equal(2, candidates.Count);
        Assert.All(candidates, c => Assert.StartsWith("/mod", c));
    }

    [Fact]
    public void Runtime_identifier_matches_this_machine()
    {
        var expectedArch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        Assert.Equal($"linux-{expectedArch}", NativeLibraryLoader.RuntimeIdentifier());
        Assert.Equal("librdkafka.so", NativeLibraryLoader.NativeFileName());
    }

    [Fact]
    public void Wrong_version_is_refused_with_the_fix()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => NativeLibraryLoader.CheckVersion("2.0.2", "/usr/lib/x86_64-linux-gnu/librdkafka.so.1"));

        Assert.Equal("LibrdkafkaVersionMismatch", ex.ErrorId);
        Assert.Equal(FailureKind.NotInstalled, ex.Kind);
        Assert.Contains("found 2.0.2 at /usr/lib/x86_64-linux-gnu/librdkafka.so.1", ex.Message);
        Assert.Contains("2.15.1", ex.Message);
        Assert.Contains(".ci/build-librdkafka.sh", ex.Message);
        Assert.Contains("UseLibrdkafkaRedist", ex.Message);
    }

    [Fact]
    public void Right_version_passes_the_check() =>
        NativeLibraryLoader.CheckVersion("2.15.1", "/x/librdkafka.so");
}
