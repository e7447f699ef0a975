using System.Collections;
using System.Text.Json;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.Profiles;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Conformance;

/// <summary>
/// Profile files read by KafkaCatalog and by the tools that own the format: a properties file both kcat -F and
/// -ProfilePath read, and kafka-python 2.0.2's own KafkaAdminClient.DEFAULT_CONFIG as a kafka-python profile.
/// </summary>
public sealed class ProfileConformanceTests(ConformanceCluster fx) : IClassFixture<ConformanceCluster>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kc-conformance-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<int> BrokersThroughKafkaCatalogAsync(string profilePath)
    {
        var resolution = KafkaConnectionResolver.Resolve(null, profilePath, new Hashtable());
        NativeLibraryLoader.EnsureLoaded();
        using var factory = new KafkaClientFactory(new KafkaConnection("conformance", resolution.Options));
        return (await new ClusterService(factory).DescribeAsync()).Brokers.Count;
    }

    [Fact]
    public async Task A_properties_file_reads_the_same_in_kcat_and_KafkaCatalog()
    {
        var path = Path.Combine(_folder, "kcat.conf");
        await File.WriteAllTextAsync(path, $"# comments, blank lines and indentation as kcat reads them\n\n   bootstrap.servers={fx.Bootstrap}\nclient.id=conformance-kcat\n# any librdkafka property passes through\nbroker.address.family=v4\ntopic.metadata.refresh.interval.ms=60000\n");

        var kcat = ExternalTools.RunKcat(null, "-F", path, "-L", "-J", "-m", "30");
        Assert.True(kcat.ExitCode == 0, kcat.ToString());
        using var metadata = JsonDocument.Parse(kcat.Stdout);
        var kcatBrokers = metadata.RootElement.GetProperty("brokers").GetArrayLength();

        var profile = KafkaProfileReader.Read(path, new Hashtable());
        Assert.Equal(KafkaProfileFormat.LibrdkafkaProperties, profile.Format);
        Assert.Equal(fx.Bootstrap, profile.Settings.BootstrapServers);
        Assert.Equal("conformance-kcat", profile.Settings.ClientId);
        Assert.Equal(kcatBrokers, await BrokersThroughKafkaCatalogAsync(path));
    }

    [Fact]
    public void A_line_without_equals_is_refused_by_kcat_and_by_KafkaCatalog()
    {
        var path = Path.Combine(_folder, "broken.conf");
        File.WriteAllText(path, $"bootstrap.servers={fx.Bootstrap}\nsecurity.protocol\n");

        var kcat = ExternalTools.RunKcat(null, "-F", path, "-L", "-m", "5");
        Assert.NotEqual(0, kcat.ExitCode);
        Assert.Contains(":2: expected property=value", kcat.Stderr, StringComparison.Ordinal);

        var ex = Assert.Throws<ProfileFormatException>(() => KafkaProfileReader.Read(path, new Hashtable()));
        Assert.Equal(("ProfileSyntaxError", 2L), (ex.ErrorId, ex.Line!.Value));
    }

    [Fact]
    public async Task Kafka_pythons_own_admin_default_config_is_a_profile_KafkaCatalog_connects_with()
    {
        var path = Path.Combine(_folder, "kafka-python-defaults.json");
        var run = ExternalTools.RunPythonScript("admin_default_config.py", "--bootstrap", fx.Bootstrap, "--out", path);
        Assert.True(run.ExitCode == 0, run.ToString());
        var keys = JsonSerializer.Deserialize<string[]>(Assert.Single(run.Results, r => r.StartsWith("keys ", StringComparison.Ordinal))["keys ".Length..])!;
        Assert.Contains("metric_reporters", keys);
        Assert.Contains("metrics_sample_window_ms", keys);

        var profile = KafkaProfileReader.Read(path, new Hashtable());
        Assert.Equal(KafkaProfileFormat.KafkaPythonJson, profile.Format);
        Assert.Equal(3, await BrokersThroughKafkaCatalogAsync(path));
    }
}
