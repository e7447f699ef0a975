using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Get-KafkaConsumerGroup writes the groups of a batch read together in one hand-over to the pipeline thread
/// (KafkaCmdlet.EmitReadyAsync), not one bridge post per group, and a failed group still comes out where it stands:
/// after the groups before it, before the groups after it.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ReadyHandOverTests(EngineFixture fx)
{
    private const int Groups = 12;

    [Fact]
    public void The_groups_of_a_batch_go_to_the_pipeline_in_fewer_posts_than_groups()
    {
        var prefix = Seed();
        using var engine = fx.Open();
        using var bridges = new BridgeObserver(engine.Runspace);
        var run = engine.Run($"Get-KafkaConsumerGroup -GroupId '{prefix}-*' -BootstrapServer $bs").AssertNoErrors();

        Assert.Equal(Enumerable.Range(0, Groups).Select(g => $"{prefix}-{g:D5}"), run.Objects<KafkaConsumerGroup>().Select(g => g.GroupId).Order(StringComparer.Ordinal));
        // One post per group would be 12.
        Assert.InRange(bridges.Bridges.Sum(b => b.Posted), 1, Groups - 1);
    }

    [Fact]
    public void A_missing_group_is_written_between_the_groups_around_it()
    {
        var prefix = Seed();
        var missing = EngineFixture.Unique("handover-missing");
        using var engine = fx.Open();
        engine.SetVariable("ids", new[] { $"{prefix}-00000", missing, $"{prefix}-00001" });

        // 2>&1 merges the error into the output where it was written.
        var run = engine.Run("Get-KafkaConsumerGroup -GroupId $ids -BootstrapServer $bs 2>&1");

        var items = run.Output.Select(o => o.BaseObject).ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal($"{prefix}-00000", Assert.IsType<KafkaConsumerGroup>(items[0]).GroupId);
        var error = Assert.IsType<ErrorRecord>(items[1]);
        Assert.StartsWith("ConsumerGroupNotFound", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(missing, error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal($"{prefix}-00001", Assert.IsType<KafkaConsumerGroup>(items[2]).GroupId);
    }

    private string Seed()
    {
        var prefix = EngineFixture.Unique("handover");
        BenchmarkSeeder.SeedLag(fx.Cluster, prefix, Groups, partitions: 2, topics: 3);
        return prefix;
    }
}
