using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.PowerShell.Tests.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Acknowledgements arrive after the record that sent them has ended; the per-record worker's end must
/// not cancel them (found by the Pester suites after the bounded bridge landed).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PublishTests(EngineFixture fx)
{
    [Fact]
    public void Every_piped_value_is_acknowledged_after_its_record_ended()
    {
        using var engine = fx.Open();
        var topic = "publish-" + Guid.NewGuid().ToString("N")[..8];
        engine.Run($"New-KafkaTopic -BootstrapServer $bs -Name {topic} -Partitions 1 -Confirm:$false").AssertNoErrors();
        var run = engine.Run($"'a', 'b', 'c' | Publish-KafkaMessage -BootstrapServer $bs -Topic {topic} -Confirm:$false").AssertNoErrors();
        Assert.Equal([0L, 1L, 2L], run.Objects<KafkaDeliveryResult>().Select(r => r.Offset));
        var one = engine.Run($"Publish-KafkaMessage -BootstrapServer $bs -Topic {topic} -Key k -Value v -Confirm:$false").AssertNoErrors();
        Assert.Equal(3L, Assert.Single(one.Objects<KafkaDeliveryResult>()).Offset);
    }
}
