using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Verbose lines nobody asked for are not posted to the pipeline bridge (each one took a bridge slot, and the
/// per-group lines of concurrent offset fetches held a thread-pool thread each while the bridge was full); with
/// -Verbose or $VerbosePreference = 'Continue' they all arrive.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class VerboseTests(EngineFixture fx)
{
    private const int Groups = 12;

    [Fact]
    public void Without_verbose_only_the_rows_are_posted_to_the_bridge()
    {
        var prefix = SeedGroups();
        using var engine = fx.Open();
        using var bridges = new BridgeObserver(engine.Runspace);
        var run = engine.Run($"Get-KafkaConsumerGroupOffset -GroupId '{prefix}-*' -BootstrapServer $bs").AssertNoErrors();
        var rows = run.Objects<KafkaConsumerGroupOffset>();
        Assert.Equal(Groups * 2, rows.Count);
        Assert.Empty(run.Verbose);
        Assert.Empty(run.Warnings);
        // Nothing but rows, and the rows of the groups read together in one hand-over (12 groups are one batch): fewer
        // posts than groups (one per row, or one per group, would be 24 or 12).
        Assert.InRange(bridges.Bridges.Sum(b => b.Posted), 1, Groups - 1);
    }

    [Theory]
    [InlineData("Get-KafkaConsumerGroupOffset -GroupId '{0}-*' -BootstrapServer $bs -Verbose")]
    [InlineData("$VerbosePreference = 'Continue'; Get-KafkaConsumerGroupOffset -GroupId '{0}-*' -BootstrapServer $bs")]
    public void With_verbose_every_group_line_arrives(string script)
    {
        var prefix = SeedGroups();
        using var engine = fx.Open();
        var run = engine.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, script, prefix)).AssertNoErrors();
        Assert.Equal(Groups * 2, run.Objects<KafkaConsumerGroupOffset>().Count);
        for (var g = 0; g < Groups; g++)
        {
            Assert.Contains($"ListConsumerGroupOffsets for '{prefix}-{g:D5}'.", run.Verbose);
        }
    }

    private string SeedGroups()
    {
        var prefix = EngineFixture.Unique("verbose");
        BenchmarkSeeder.SeedLag(fx.Cluster, prefix, Groups, partitions: 2, topics: 3);
        return prefix;
    }
}
