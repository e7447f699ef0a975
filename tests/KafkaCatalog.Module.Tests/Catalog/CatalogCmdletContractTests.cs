using KafkaCatalog.Module.Tests.Infrastructure;
using KafkaCatalog.Module.Tests.Rules;

namespace KafkaCatalog.Module.Tests.Catalog;

/// <summary>The catalog cmdlets' own contract: pipeline bindings, confirmation, session parameter, no secrets on output types.</summary>
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

    [Theory]
    [InlineData("Publish-CatalogKafkaAsset")]
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

    [Fact]
    public void Remove_asks_for_confirmation_and_binds_assets_by_property_name()
    {
        var remove = Module.Cmdlet("Remove-CatalogKafkaAsset");
        Assert.Equal("High", remove.ConfirmImpact);
        Assert.NotNull(remove.Parameter("Force"));
        foreach (var name in new[] { "QualifiedName", "TypeName", "Guid" })
        {
            Assert.True(remove.Parameter(name)!.ByPropertyName, name);
        }

        Assert.Equal("KafkaCatalog.Core.Catalog.CatalogDeleteType", remove.Parameter("DeleteType")!.Type.FullName);
        Assert.True(remove.Parameter("QualifiedName")!.Mandatory);
    }

    public static TheoryData<string, string> Pipelines => new()
    {
        { "Get-CatalogKafkaAsset", "Remove-CatalogKafkaAsset" },
        { "Publish-CatalogKafkaAsset", "Remove-CatalogKafkaAsset" },
        { "New-CatalogKafkaConnection", "Get-CatalogKafkaAsset" },
    };

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void Catalog_pipelines_bind(string source, string target)
    {
        var bindings = new List<string>();
        var violations = PipelineRules.Check(Module, PipelineRow.Of(source, target), bindings);
        Violations.AssertNone(violations);
        Assert.NotEmpty(bindings);
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
