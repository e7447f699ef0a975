using KafkaCatalog.Module.Tests.Infrastructure;

namespace KafkaCatalog.Module.Tests.Catalog;

/// <summary>
/// The catalog cmdlets' own contract where a runtime test cannot see it: exports, the session
/// parameter's type and alias, parameter types, no secrets on output types. Pipeline bindings and
/// confirmation run in the real engine (KafkaCatalog.PowerShell.Tests: PipelineTests,
/// MorePipelineTests, ShouldProcessTests).
/// </summary>
public sealed class CatalogCmdletContractTests
{
    private static readonly string[] CatalogCmdlets =
    [
        "Connect-Catalog", "New-CatalogKafkaConnection", "Publish-CatalogKafkaAsset",
        "Get-CatalogKafkaAsset", "Remove-CatalogKafkaAsset", "Sync-CatalogKafkaAsset",
    ];

    private static ModuleUnderTest Module => ModuleUnderTest.Real;

    public static TheoryData<string> Cmdlets => new(CatalogCmdlets);

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Exists_and_is_exported(string name)
    {
        Assert.NotNull(Module.Assembly.Find(name));
        Assert.Contains(name, Module.Manifest.Strings("CmdletsToExport"));
    }

    [Theory]
    [InlineData("New-CatalogKafkaConnection")]
    [InlineData("Publish-CatalogKafkaAsset")]
    [InlineData("Get-CatalogKafkaAsset")]
    [InlineData("Remove-CatalogKafkaAsset")]
    [InlineData("Sync-CatalogKafkaAsset")]
    public void Takes_the_catalog_session_as_CatalogConnection_with_alias_Catalog(string name)
    {
        var parameter = Module.Cmdlet(name).Parameter("CatalogConnection");
        Assert.NotNull(parameter);
        Assert.Equal("KafkaCatalog.Core.Catalog.CatalogConnection", parameter!.Type.FullName);
        Assert.Contains("Catalog", parameter.Aliases);
        Assert.False(parameter.Mandatory);
    }

    /// <summary>Publish-CatalogKafkaAsset's binding runs in the engine (PipelineTests); Sync's group binding does not yet.</summary>
    [Theory]
    [InlineData("Sync-CatalogKafkaAsset")]
    public void Takes_topics_and_groups_from_the_pipeline_by_value(string name)
    {
        var cmdlet = Module.Cmdlet(name);
        var topic = cmdlet.Parameter("KafkaTopic")!;
        var group = cmdlet.Parameter("KafkaConsumerGroup")!;
        Assert.True(topic.ByValue);
        Assert.True(group.ByValue);
        Assert.Equal("KafkaCatalog.Core.Kafka.KafkaTopic[]", topic.Type.FullName);
        Assert.Equal("KafkaCatalog.Core.Kafka.KafkaConsumerGroup[]", group.Type.FullName);
        Assert.True(cmdlet.SupportsShouldProcess);
    }

    /// <summary>ConfirmImpact, -Force and the by-property-name binding run in the engine (ShouldProcessTests, MorePipelineTests).</summary>
    [Fact]
    public void Remove_takes_a_typed_delete_type_and_needs_a_qualified_name()
    {
        var remove = Module.Cmdlet("Remove-CatalogKafkaAsset");
        Assert.Equal("KafkaCatalog.Core.Catalog.CatalogDeleteType", remove.Parameter("DeleteType")!.Type.FullName);
        Assert.True(remove.Parameter("QualifiedName")!.Mandatory);
    }

    [Fact]
    public void No_catalog_output_type_exposes_a_secret()
    {
        var outputs = CatalogCmdlets.SelectMany(c => Module.Cmdlet(c).OutputTypes).Where(o => o.Type is not null).Select(o => o.Type!).Distinct().ToList();
        Assert.Contains(outputs, t => t.FullName == "KafkaCatalog.Core.Catalog.CatalogConnection");
        foreach (var type in outputs)
        {
            foreach (var property in type.GetProperties())
            {
                Assert.NotEqual("System.Security.SecureString", property.PropertyType.FullName);
                Assert.DoesNotContain("Token", property.Name, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Key", property.Name, StringComparison.Ordinal);
            }
        }
    }
}
