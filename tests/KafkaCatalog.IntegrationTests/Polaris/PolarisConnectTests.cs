using KafkaCatalog.Core;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.TestKit.Polaris;
using static KafkaCatalog.IntegrationTests.Polaris.PolarisTest;

namespace KafkaCatalog.IntegrationTests.Polaris;

/// <summary>What Connect-Polaris does: build the connection (parameters, then environment) and verify it.</summary>
public sealed class PolarisConnectTests
{
    [Fact]
    public async Task Verify_passes_with_the_right_key_in_either_uri_form()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        var fromUri = PolarisConnectionResolver.Create(null, polaris.ProjectUri, Secure(polaris.ApiKey), null, _ => null);
        var fromParameter = PolarisConnectionResolver.Create("p", polaris.BaseUri, Secure(polaris.ApiKey), polaris.ProjectId, _ => null);

        foreach (var connection in new[] { fromUri, fromParameter })
        {
            using var client = new PolarisClient(connection, new PolarisClientOptions { Resilience = FastRetries });
            await client.VerifyAsync();
        }

        Assert.Equal(2, polaris.Requests.Count(r => r.StatusCode == 200));
    }

    [Fact]
    public async Task Verify_with_a_key_from_the_environment()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        var env = new Dictionary<string, string?>
        {
            ["POLARIS_BASE_URL"] = polaris.BaseUri.ToString(),
            ["POLARIS_API_KEY"] = polaris.ApiKey,
            ["POLARIS_PROJECT_ID"] = polaris.ProjectId,
        };

        var connection = PolarisConnectionResolver.Resolve(null, null, k => env.GetValueOrDefault(k));
        using var client = new PolarisClient(connection, new PolarisClientOptions { Resilience = FastRetries });
        await client.VerifyAsync();

        Assert.Equal(polaris.ProjectId, connection.ProjectId);
    }

    [Fact]
    public async Task Verify_reports_a_wrong_key_and_a_wrong_project()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var wrongKey = Client(polaris, apiKey: "pok_not_the_key");
        var wrongProject = PolarisConnection.Create(null, polaris.BaseUri, Secure(polaris.ApiKey), "no-such-project");
        using var wrongProjectClient = new PolarisClient(wrongProject, new PolarisClientOptions { Resilience = FastRetries });

        var key = await Assert.ThrowsAsync<KafkaCatalogException>(() => wrongKey.VerifyAsync());
        var project = await Assert.ThrowsAsync<KafkaCatalogException>(() => wrongProjectClient.VerifyAsync());

        Assert.Equal("PolarisUnauthorized", key.ErrorId);
        Assert.DoesNotContain("pok_not_the_key", key.Message);
        Assert.Equal("PolarisProjectNotFound", project.ErrorId);
        Assert.Contains("no-such-project", project.Message);
    }

    [Fact]
    public async Task Verbose_lines_name_each_call_without_the_key()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        var sink = new RecordingSink();
        using var client = Client(polaris, sink);

        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        await client.TestKafkaConnectionAsync("clicks");

        Assert.Contains(sink.Verboses, v => v.StartsWith("POST ", StringComparison.Ordinal) && v.EndsWith("/connections", StringComparison.Ordinal));
        Assert.Contains(sink.Verboses, v => v.EndsWith("/connections/clicks/test", StringComparison.Ordinal));
        Assert.DoesNotContain(polaris.ApiKey, sink.All);
        Assert.DoesNotContain(KafkaPassword, sink.All);
    }
}
