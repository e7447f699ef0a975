using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Tests.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests;

[Collection(EngineCollection.Name)]
public sealed class SmokeTests(EngineFixture fx)
{
    [Fact]
    public void Lists_topics_through_the_imported_module()
    {
        using var engine = fx.Open();
        var run = engine.Run("Get-KafkaTopic -BootstrapServer $bs -Name orders").AssertNoErrors();
        Assert.Equal("orders", Assert.Single(run.Objects<KafkaTopic>()).Name);
        var module = engine.Run("(Get-Module KafkaCatalog).ModuleBase").AssertNoErrors();
        Assert.Equal(AppContext.BaseDirectory.TrimEnd('/'), module.Output.Single().ToString()!.TrimEnd('/'));
    }
}
