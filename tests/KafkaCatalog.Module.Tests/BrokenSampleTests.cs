using KafkaCatalog.HelpGenerator;
using KafkaCatalog.Module.Tests.Infrastructure;
using KafkaCatalog.Module.Tests.Rules;

namespace KafkaCatalog.Module.Tests;

/// <summary>
/// Proves the rules bite: run over tests/KafkaCatalog.Module.Tests.BrokenSample, each rule reports
/// the specific violation planted there, and accepts the sample's well-formed control cmdlets.
/// </summary>
[Collection(MetadataLoadContextCollection.Name)]
public sealed class BrokenSampleTests
{
    private static ModuleUnderTest Sample => ModuleUnderTest.Sample;

    private static CmdletDescriptor Cmdlet(string name) => Sample.Cmdlet(name);

    public static readonly string[] Controls = ["Connect-KafkaWidgetCluster", "Get-KafkaWidget", "Remove-KafkaWidget", "New-KafkaWidget"];

    public static TheoryData<string, string> ControlsTimesRules
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var control in Controls)
            {
                foreach (var rule in CmdletRules.All.Keys)
                {
                    data.Add(control, rule);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ControlsTimesRules))]
    public void WellFormedControlCmdletPassesEveryRule(string cmdlet, string rule) =>
        Violations.AssertNone(CmdletRules.All[rule](Sample, Cmdlet(cmdlet)));

    [Fact]
    public void ReaderFindsEveryConcreteCmdletAndSkipsAbstractOnes()
    {
        Assert.Equal(
            ["Connect-KafkaWidgetCluster", "Get-KafkaGadget", "Get-KafkaGauge", "Get-KafkaGizmo", "Get-KafkaSprocket",
             "Get-KafkaWidget", "Get-KafkaWidgets", "Get-Widget", "Grab-KafkaWidget", "New-KafkaGadget", "New-KafkaWidget",
             "Remove-KafkaGadget", "Remove-KafkaWidget", "Reset-KafkaGadget", "Set-KafkaGadget", "Start-KafkaGadget"],
            Sample.Cmdlets.Select(c => c.Name));
    }

    [Fact]
    public void ReaderReadsCmdletAndParameterAttributes()
    {
        var get = Cmdlet("Get-KafkaWidget");
        Assert.Equal("Name", get.DefaultParameterSetName);
        Assert.Equal(["gkw"], get.Aliases);
        Assert.Equal("KafkaCatalog.Sample.KafkaWidget", Assert.Single(get.OutputTypes).Type!.FullName);
        Assert.Equal(["Name", "Tag"], get.ParameterSetNames);
        var name = get.Parameter("WidgetName")!;
        Assert.Equal("Name", name.Name);
        Assert.Equal("System.String[]", name.Type.FullName);
        Assert.True(name.SupportsWildcards);
        var binding = Assert.Single(name.Bindings);
        Assert.Equal(("Name", false, (int?)0, true, true), (binding.ParameterSetName, binding.Mandatory, binding.Position, binding.ValueFromPipeline, binding.ValueFromPipelineByPropertyName));
        Assert.Equal(["hot", "cold"], get.Parameter("Tag")!.ValidateSet);
        Assert.True(get.Parameter("Tag")!.Mandatory);
        Assert.Null(get.Parameter("Connection")!.Bindings[0].Position);
        Assert.Equal(ParameterBinding.AllParameterSets, get.Parameter("Connection")!.Bindings[0].ParameterSetName);

        var remove = Cmdlet("Remove-KafkaWidget");
        Assert.True(remove.SupportsShouldProcess);
        Assert.Equal("High", remove.ConfirmImpact);
        Assert.True(remove.Parameter("Force")!.IsSwitch);
        Assert.Equal("Medium", Cmdlet("New-KafkaWidget").ConfirmImpact);
        Assert.False(Cmdlet("Get-KafkaWidget").SupportsShouldProcess);
    }

    /// <summary>The class that declares <paramref name="parameter"/> of <paramref name="cmdlet"/> (the fixture's own claim, checked so the base-class proofs cannot go stale).</summary>
    private static string DeclaringClass(string cmdlet, string parameter) =>
        Cmdlet(cmdlet).ImplementingType.GetProperty(parameter)!.DeclaringType!.Name;

    [Fact]
    public void ReaderReadsParametersDeclaredOnBaseClasses()
    {
        // PowerShell binds public [Parameter] properties of base classes: Reset-KafkaGadget has
        // -Name and -Connection from KafkaGadgetCmdletBase next to its own -Force.
        var reset = Cmdlet("Reset-KafkaGadget");
        Assert.Equal("KafkaGadgetCmdletBase", DeclaringClass("Reset-KafkaGadget", "Name"));
        Assert.Equal("ResetKafkaGadgetCommand", DeclaringClass("Reset-KafkaGadget", "Force"));
        Assert.Equal(["Force", "Name", "Connection"], reset.Parameters.Select(p => p.Name));
        var name = reset.Parameter("Name")!;
        Assert.Equal("System.String", name.Type.FullName);
        Assert.True(name.Mandatory);
        Assert.True(name.ByPropertyName);
        Assert.Equal(["Name", "Connection"], Cmdlet("Remove-KafkaGadget").Parameters.Select(p => p.Name));
        Violations.AssertNone(ContractRules.ConnectionParameter(Cmdlet("Remove-KafkaGadget")));
    }

    [Fact]
    public void UnapprovedVerbIsReported() =>
        Violations.AssertReported(ContractRules.ApprovedVerb(Cmdlet("Grab-KafkaWidget")), "Grab-KafkaWidget", "not an approved verb");

    [Fact]
    public void NounWithoutPrefixIsReported() =>
        Violations.AssertReported(ContractRules.NounConvention(Cmdlet("Get-Widget")), "Get-Widget", "does not start with Kafka, Catalog, Polaris");

    [Fact]
    public void PluralNounIsReported() =>
        Violations.AssertReported(ContractRules.NounConvention(Cmdlet("Get-KafkaWidgets")), "Get-KafkaWidgets", "plural");

    [Theory]
    [InlineData("KafkaAcl", true)]
    [InlineData("KafkaAcls", false)]
    [InlineData("KafkaTopicConfig", true)]
    [InlineData("KafkaConsumerGroupOffsets", false)]
    [InlineData("CatalogKafkaAsset", true)]
    [InlineData("Polaris", true)]
    [InlineData("Catalog", true)]
    [InlineData("KafkaAccess", true)]
    [InlineData("KafkaClusterStatus", true)]
    [InlineData("PolarisIngestionJobs", false)]
    public void NounSingularRule(string noun, bool singular)
    {
        var cmdlet = Cmdlet("Get-KafkaWidget") with { Noun = noun };
        Assert.Equal(singular, !ContractRules.NounConvention(cmdlet).Any(v => v.Contains("plural")));
    }

    [Fact]
    public void MissingOutputTypeIsReported() =>
        Violations.AssertReported(ContractRules.OutputTypeDeclared(Cmdlet("Get-KafkaGadget")), "Get-KafkaGadget", "no [OutputType]");

    [Fact]
    public void UnresolvableOutputTypeIsReported() =>
        Violations.AssertReported(ContractRules.OutputTypeDeclared(Cmdlet("Get-KafkaGizmo")), "KafkaCatalog.Sample.DoesNotExist", "does not resolve");

    [Fact]
    public void RemoveWithoutShouldProcessIsReported()
    {
        var violations = ContractRules.ShouldProcess(Cmdlet("Remove-KafkaGadget"));
        Violations.AssertReported(violations, "Remove-KafkaGadget", "SupportsShouldProcess");
        Violations.AssertReported(violations, "Remove-KafkaGadget", "ConfirmImpact.High");
    }

    [Fact]
    public void ResetWithoutHighImpactIsReported() =>
        Violations.AssertReported(ContractRules.ShouldProcess(Cmdlet("Reset-KafkaGadget")), "Reset-KafkaGadget", "ConfirmImpact.High", "Medium");

    [Fact]
    public void RemoveWithoutForceIsReported() =>
        Violations.AssertReported(ContractRules.ForceParameter(Cmdlet("Remove-KafkaGadget")), "Remove-KafkaGadget", "-Force");

    [Fact]
    public void MissingConnectionParameterIsReported() =>
        Violations.AssertReported(ContractRules.ConnectionParameter(Cmdlet("Set-KafkaGadget")), "Set-KafkaGadget", "-Connection");

    [Theory]
    [InlineData("Get-KafkaTopic", "Connection")]
    [InlineData("Publish-CatalogKafkaAsset", "CatalogConnection")]
    [InlineData("Start-PolarisIngestionJob", "PolarisConnection")]
    [InlineData("Connect-Catalog", null)]
    [InlineData("Disconnect-KafkaCluster", null)]
    [InlineData("Get-KafkaConnection", null)]
    public void ConnectionParameterTableByNounPrefix(string name, string? expected)
    {
        var parts = name.Split('-');
        var cmdlet = Cmdlet("Get-KafkaWidget") with { Verb = parts[0], Noun = parts[1] };
        Assert.Equal(expected, ContractRules.ExpectedConnectionParameters(cmdlet)?.First());
    }

    [Fact]
    public void FilterWithoutArrayOrWildcardsIsReported()
    {
        var violations = ContractRules.FilterParametersTakeArraysAndWildcards(Cmdlet("Get-KafkaGizmo"));
        Violations.AssertReported(violations, "Get-KafkaGizmo", "-Name is String", "array");
        Violations.AssertReported(violations, "Get-KafkaGizmo", "-Name has no [SupportsWildcards]");
    }

    [Fact]
    public void PlainStringSecretParameterIsReported()
    {
        Assert.Equal("KafkaSecretCmdletBase", DeclaringClass("Set-KafkaGadget", "Password")); // a fault in a base class is still reported
        var violations = ContractRules.SecretsAreSecure(Cmdlet("Set-KafkaGadget"));
        Violations.AssertReported(violations, "Set-KafkaGadget", "-Password", "SecureString or PSCredential");
        Assert.DoesNotContain(violations, v => v.Contains("NoSecret"));
    }

    [Fact]
    public void PlainStringSecretOnOutputTypeIsReported() =>
        Violations.AssertReported(ContractRules.SecretsAreSecure(Cmdlet("Get-KafkaGauge")), "KafkaCatalog.Sample.KafkaGauge", "ApiKey", "plain String");

    [Fact]
    public void CmdletMissingFromManifestIsReported() =>
        Violations.AssertReported(ContractRules.ExportedByManifest(Sample, Cmdlet("Start-KafkaGadget")), "Start-KafkaGadget", "CmdletsToExport");

    [Fact]
    public void UnexportedAliasIsReported() =>
        Violations.AssertReported(ContractRules.ExportedByManifest(Sample, Cmdlet("Get-KafkaGizmo")), "'gkg'", "AliasesToExport");

    [Fact]
    public void ManifestFaultsAreReported()
    {
        var violations = ContractRules.ManifestExportsExist(Sample);
        Violations.AssertReported(violations, "CmdletsToExport lists 'Get-KafkaGhost'");
        Violations.AssertReported(violations, "AliasesToExport lists 'ghost'");
        Violations.AssertReported(violations, "FormatsToProcess lists 'Missing.format.ps1xml'", "does not exist");
        Assert.Equal(3, violations.Count);
    }

    [Fact]
    public void ManifestParserReadsNestedHashtablesArraysAndQuotes()
    {
        var manifest = Sample.Manifest;
        Assert.Equal("KafkaCatalog.Module.Tests.BrokenSample.dll", manifest.String("RootModule"));
        Assert.Equal(["Core"], manifest.Strings("CompatiblePSEditions"));
        Assert.Equal(16, manifest.Strings("CmdletsToExport").Count);
        Assert.Equal(["Sample.format.ps1xml", "Missing.format.ps1xml"], manifest.Strings("FormatsToProcess"));
        var psData = (Dictionary<string, object>)((Dictionary<string, object>)manifest.Values["PrivateData"])["PSData"];
        Assert.Equal(["Sample", "Quoted \"double\" tag", "It's"], ((List<object>)psData["Tags"]).Cast<string>());
        Assert.Empty(manifest.Strings("FunctionsToExport"));
    }

    [Fact]
    public void ShippedPowerShellReferenceAssemblyIsReported() =>
        Violations.AssertReported(ContractRules.NoPowerShellReferenceAssemblyShipped(Sample), "System.Management.Automation.dll", "must never ship");

    [Fact]
    public void MissingDocPageIsReported() =>
        Violations.AssertReported(ContractRules.DocPage(Sample, Cmdlet("Start-KafkaGadget")), "docs/Start-KafkaGadget.md does not exist");

    [Fact]
    public void IncompleteDocPageIsReported()
    {
        var violations = ContractRules.DocPage(Sample, Cmdlet("Get-KafkaGadget"));
        Violations.AssertReported(violations, "does not document -Id");
        Violations.AssertReported(violations, "documents -Bogus", "does not have");
        Violations.AssertReported(violations, "no '## OUTPUTS' section");
        Violations.AssertReported(violations, "no '## NOTES' section");
        Violations.AssertReported(violations, "1 example(s)", "at least 2");
        Violations.AssertReported(violations, "example 'Example 1: Only one' has no ```powershell block");
    }

    [Fact]
    public void SyntaxNotMatchingParameterSetsIsReported()
    {
        var get = Cmdlet("Get-KafkaWidget");
        var tag = get.Parameter("Tag")!;
        var extraSet = get with
        {
            Parameters = [.. get.Parameters.Where(p => p.Name != "Tag"), tag with { Bindings = [tag.Bindings[0] with { ParameterSetName = "Other" }] }],
        };
        var violations = ContractRules.DocPage(Sample, extraSet);
        Violations.AssertReported(violations, "SYNTAX has no '### Other' entry");
        Violations.AssertReported(violations, "SYNTAX has '### Tag', which is not a parameter set");
        Violations.AssertReported(ContractRules.DocPage(Sample, get with { DefaultParameterSetName = "Tag" }), "marks 'Name' as (Default)", "'Tag'");

        // Connect-KafkaWidgetCluster.md has a bare SYNTAX block (one set): fine until the cmdlet has two sets.
        var connect = Cmdlet("Connect-KafkaWidgetCluster");
        var credential = connect.Parameter("Credential")!;
        var twoSets = connect with
        {
            Parameters = [.. connect.Parameters.Where(p => p.Name != "Credential"), credential with { Bindings = [credential.Bindings[0] with { ParameterSetName = "WithCredential" }] }],
            DefaultParameterSetName = "Plain",
        };
        var bare = ContractRules.DocPage(Sample, twoSets);
        Violations.AssertReported(bare, "SYNTAX has bare code blocks", "Plain, WithCredential", "'### Plain (Default)'");
        Assert.Single(bare, v => v.Contains("SYNTAX"));
    }

    [Fact]
    public void ShouldProcessCmdletMustDocumentWhatIfAndConfirm()
    {
        var start = Cmdlet("Remove-KafkaWidget") with { Parameters = [] };
        var violations = ContractRules.DocPage(Sample, start);
        Violations.AssertReported(violations, "documents -Name", "does not have");
        var noShouldProcess = Cmdlet("Remove-KafkaWidget") with { SupportsShouldProcess = false, Verb = "Remove" };
        Violations.AssertReported(ContractRules.DocPage(Sample, noShouldProcess), "documents -WhatIf", "does not have");
    }

    [Fact]
    public void DocParameterMetadataDisagreementsAreReported()
    {
        Assert.Equal("KafkaGadgetCmdletBase", DeclaringClass("Reset-KafkaGadget", "Name")); // a fault in a base class is still reported
        var violations = ContractRules.DocParameterMetadata(Sample, Cmdlet("Reset-KafkaGadget"));
        Violations.AssertReported(violations, "-Name", "'Type: Int32'", "String");
        Violations.AssertReported(violations, "-Name", "'Required: False'", "mandatory");
        Violations.AssertReported(violations, "-Name", "'Position: 3'");
        Violations.AssertReported(violations, "-Name", "'Accept pipeline input: True (ByValue)'", "ByPropertyName");
        Violations.AssertReported(violations, "-Name", "'Accept wildcard characters: True'");
        Violations.AssertReported(violations, "-Name", "'Aliases: GadgetName'");
        Assert.Equal(6, violations.Count);
    }

    [Fact]
    public void ExampleWithUnknownParameterIsReported()
    {
        var violations = ContractRules.DocExamplesUseExistingParameters(Sample, Cmdlet("Reset-KafkaGadget"));
        Violations.AssertReported(violations, "Reset-KafkaGadget -Forse", "not a parameter of Reset-KafkaGadget");
        Violations.AssertReported(violations, "Remove-KafkaWidget -Purge");
        Assert.Equal(2, violations.Count); // -Nam is a prefix of -Name; -Confirm:$false is common with ShouldProcess
    }

    [Fact]
    public void OrphanDocPageIsReported() =>
        Violations.AssertReported(ContractRules.NoOrphanDocPages(Sample), "docs/Get-KafkaPhantom.md");

    [Fact]
    public void OutputTypeWithoutTableViewIsReported() =>
        Violations.AssertReported(ContractRules.FormatView(Sample, Cmdlet("Get-KafkaGauge")), "KafkaCatalog.Sample.KafkaGauge", "no table view");

    [Fact]
    public void TableViewWiderThan120ColumnsIsReported()
    {
        Violations.AssertReported(ContractRules.FormatView(Sample, Cmdlet("Get-KafkaSprocket")), "KafkaSprocketWide", "131 columns");
        Violations.AssertReported(ContractRules.FormatFilesWellFormed(Sample), "KafkaSprocketWide", "131 columns");
    }

    [Fact]
    public void FormatViewReadingMissingPropertyIsReported()
    {
        var violations = ContractRules.FormatViewPropertiesExist(Sample);
        Violations.AssertReported(violations, "KafkaSprocketWide", "'Description'", "KafkaCatalog.Sample.KafkaSprocket does not have");
        Violations.AssertReported(violations, "'Ghost'", "KafkaCatalog.Sample.KafkaGhost", "no assembly");
        Assert.Equal(2, violations.Count);
    }

    [Fact]
    public void TableViewExactly120ColumnsWideIsAccepted() =>
        Assert.Equal(120, Sample.FormatViews.Single(v => v.Name == "KafkaWidget").GivenWidth);

    [Fact]
    public void TableViewWithMismatchedColumnsIsReported() =>
        Violations.AssertReported(ContractRules.FormatFilesWellFormed(Sample), "KafkaWidgetMismatch", "2 headers", "1 items");

    [Fact]
    public void HelpMismatchesAreReported()
    {
        var help = MamlHelpWriter.Build(MamlHelpWriter.LoadCmdletPages(Sample.DocsDirectory));
        var violations = ContractRules.HelpMatchesAssembly(Sample, help);
        Violations.AssertReported(violations, "no command:command for Start-KafkaGadget");
        Violations.AssertReported(violations, "'Get-KafkaPhantom' is not a cmdlet");
        Violations.AssertReported(violations, "Get-KafkaGadget has no command:parameter for -Id");
        Assert.DoesNotContain(violations, v => v.Contains("ConnectionName"));
        Violations.AssertReported(violations, "Get-KafkaGadget has a command:parameter -Bogus");
        Assert.DoesNotContain(violations, v => v.Contains("Remove-KafkaWidget") || v.Contains("New-KafkaWidget") || v.Contains("Get-KafkaWidget "));
    }

    // ------------------------------------------------------------ pipelines

    private static IReadOnlyList<string> Pipeline(PipelineRow row, List<string>? bindings = null) =>
        PipelineRules.Check(Sample, row, bindings ?? []);

    [Fact]
    public void BindingPipelinesPass()
    {
        var bindings = new List<string>();
        Violations.AssertNone(Pipeline(PipelineRow.Of("Get-KafkaWidget", "Remove-KafkaWidget"), bindings));
        Violations.AssertReported(bindings, "-Name <String[]> ByPropertyName from KafkaWidget.Name <String>");
        Violations.AssertNone(Pipeline(PipelineRow.Of("Get-KafkaWidget", "Get-KafkaWidget")));
        Violations.AssertNone(Pipeline(PipelineRow.Of("Get-KafkaWidget", "Set-KafkaGadget", "Id")));
        Violations.AssertNone(Pipeline(PipelineRow.Of("Get-KafkaWidget", "Set-KafkaGadget", PipelineRow.AnyOther)));
        bindings.Clear();
        Violations.AssertNone(Pipeline(PipelineRow.Csv("New-KafkaWidget", ["Name", "PartitionCount", "ReplicationFactor"]), bindings));
        Violations.AssertReported(bindings, "-Partitions <Int32> ByPropertyName from CSV column 'PartitionCount'");
    }

    [Fact]
    public void PipelineThatDoesNotBindIsReported() =>
        Violations.AssertReported(Pipeline(PipelineRow.Of("Get-KafkaWidget", "Get-KafkaGadget")), "no parameter of Get-KafkaGadget binds", "only hidden -ConnectionName");

    [Fact]
    public void HiddenParameterIsNeitherRequiredInDocsNorHelp()
    {
        var remove = Cmdlet("Remove-KafkaWidget");
        Assert.True(remove.Parameter("ConnectionName")!.Hidden);
        Assert.DoesNotContain("ConnectionName", ContractRules.DocumentableParameters(remove));
        Assert.Equal(["Name", "Force", "PassThru", "Connection", "Confirm", "WhatIf"], ContractRules.DocumentableParameters(remove));
        Assert.Contains("ConnectionName", ContractRules.AllowedDocumentedParameters(remove));
    }

    [Fact]
    public void PipelineWithIncompatiblePropertyTypeIsReported()
    {
        var violations = Pipeline(PipelineRow.Of("Get-KafkaGauge", "Set-KafkaGadget", "Id"));
        Violations.AssertReported(violations, "no parameter of Set-KafkaGadget binds");
        Violations.AssertReported(violations, "KafkaGauge.Level is Hashtable", "-Level <Int32>");
    }

    [Fact]
    public void PipelineMissingAMandatoryParameterIsReported() =>
        Violations.AssertReported(Pipeline(PipelineRow.Of("Get-KafkaWidget", "Set-KafkaGadget")), "mandatory -Id");

    [Fact]
    public void PipelineWithMissingCmdletIsReported() =>
        Violations.AssertReported(Pipeline(PipelineRow.Of("Get-KafkaWidget", "Remove-KafkaNothing")), "Remove-KafkaNothing does not exist");

    [Fact]
    public void PipelineSupplyingUnknownParameterIsReported() =>
        Violations.AssertReported(Pipeline(PipelineRow.Of("Get-KafkaWidget", "Remove-KafkaWidget", "Nope")), "supplies -Nope");

    [Fact]
    public void ImportCsvIntoCmdletThatCannotTakeStringsIsReported()
    {
        var violations = Pipeline(PipelineRow.Csv("New-KafkaGadget", PipelineContractTests.TopicCsvColumns));
        Violations.AssertReported(violations, "column 'Partitions' binds -Partitions", "Hashtable", "cannot convert from a string");
        Violations.AssertReported(violations, "column 'ReplicationFactor' binds to no ValueFromPipelineByPropertyName parameter");
    }

    [Theory]
    [InlineData("System.String", "System.String", true)]
    [InlineData("System.Int32", "System.String", true)]
    [InlineData("System.Int64", "System.Int32", true)]
    [InlineData("System.String", "System.String[]", true)]
    [InlineData("System.String[]", "System.String[]", true)]
    [InlineData("System.Int32[]", "System.String[]", true)]
    [InlineData("System.Collections.Generic.List`1[System.String]", "System.String[]", true)]
    [InlineData("System.Collections.Hashtable", "System.Object", true)]
    [InlineData("System.Boolean", "System.Management.Automation.SwitchParameter", true)]
    [InlineData("System.Collections.Hashtable", "System.Int32", false)]
    [InlineData("System.String", "System.Int32", false)]
    [InlineData("System.Collections.Hashtable", "System.String", false)]
    [InlineData("System.Collections.Generic.List`1[System.Collections.Hashtable]", "System.String[]", false)]
    public void PropertyToParameterTypeCompatibility(string property, string parameter, bool compatible) =>
        Assert.Equal(compatible, TypeCompatibility.Compatible(Sample.Assembly.ResolveType(property)!, Sample.Assembly.ResolveType(parameter)!));

    [Theory]
    [InlineData("System.String", true)]
    [InlineData("System.Int32", true)]
    [InlineData("System.Int16", true)]
    [InlineData("System.String[]", true)]
    [InlineData("System.TimeSpan", true)]
    [InlineData("System.Collections.Hashtable", false)]
    [InlineData("System.Boolean", false)]
    [InlineData("System.Management.Automation.SwitchParameter", false)]
    public void CsvStringConvertibility(string parameter, bool convertible) =>
        Assert.Equal(convertible, TypeCompatibility.ConvertibleFromString(Sample.Assembly.ResolveType(parameter)!));
}
