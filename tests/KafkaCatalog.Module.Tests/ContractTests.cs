using System.Reflection;
using KafkaCatalog.Module.Tests.Infrastructure;
using KafkaCatalog.Module.Tests.Rules;

namespace KafkaCatalog.Module.Tests;

/// <summary>
/// The contract over KafkaCatalog's compiled cmdlet assembly, manifest, docs and format files.
/// Each per-cmdlet rule is a theory over every cmdlet in the assembly, so a failure names the
/// cmdlet. The rules themselves are proven to report violations by <see cref="BrokenSampleTests"/>.
/// </summary>
[Collection(MetadataLoadContextCollection.Name)]
public sealed class ContractTests
{
    private static ModuleUnderTest Module => ModuleUnderTest.Real;

    /// <summary>Every cmdlet of the assembly; a placeholder row that fails when there is none.</summary>
    public static TheoryData<string> Cmdlets
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var cmdlet in Module.Cmdlets)
            {
                data.Add(cmdlet.Name);
            }
            if (Module.Cmdlets.Count == 0)
            {
                data.Add("(no cmdlets in KafkaCatalog.PowerShell.dll)");
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void VerbIsApproved(string cmdlet) =>
        Violations.AssertNone(ContractRules.ApprovedVerb(Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void NounHasModulePrefixAndIsSingular(string cmdlet) =>
        Violations.AssertNone(ContractRules.NounConvention(Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void OutputTypeIsDeclaredAndResolvable(string cmdlet) =>
        Violations.AssertNone(ContractRules.OutputTypeDeclared(Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void StateChangingCmdletSupportsShouldProcessWithRightImpact(string cmdlet) =>
        Violations.AssertNone(ContractRules.ShouldProcess(Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void RemoveAndResetHaveForce(string cmdlet) =>
        Violations.AssertNone(ContractRules.ForceParameter(Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void TakesItsAreasConnectionParameter(string cmdlet) =>
        Violations.AssertNone(ContractRules.ConnectionParameter(Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void GetFiltersTakeArraysAndWildcards(string cmdlet) =>
        Violations.AssertNone(ContractRules.FilterParametersTakeArraysAndWildcards(Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void SecretsAreSecureStringOrCredential(string cmdlet) =>
        Violations.AssertNone(ContractRules.SecretsAreSecure(Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void IsExportedByManifest(string cmdlet) =>
        Violations.AssertNone(ContractRules.ExportedByManifest(Module, Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void HasPlatyPsDocPageListingEveryParameter(string cmdlet) =>
        Violations.AssertNone(ContractRules.DocPage(Module, Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void DocPageParameterMetadataMatchesAssembly(string cmdlet) =>
        Violations.AssertNone(ContractRules.DocParameterMetadata(Module, Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void DocExamplesUseExistingParameters(string cmdlet) =>
        Violations.AssertNone(ContractRules.DocExamplesUseExistingParameters(Module, Module.Cmdlet(cmdlet)));

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void OutputTypesHaveTableViewWithin120Columns(string cmdlet) =>
        Violations.AssertNone(ContractRules.FormatView(Module, Module.Cmdlet(cmdlet)));

    [Fact]
    public void ManifestExportsOnlyExistingCmdletsAndFiles() =>
        Violations.AssertNone(ContractRules.ManifestExportsExist(Module));

    [Fact]
    public void PowerShellReferenceAssemblyIsNotShipped() =>
        Violations.AssertNone(ContractRules.NoPowerShellReferenceAssemblyShipped(Module));

    [Fact]
    public void FormatFilesAreWellFormedAndFit120Columns() =>
        Violations.AssertNone(ContractRules.FormatFilesWellFormed(Module));

    [Fact]
    public void FormatViewsReadExistingProperties() =>
        Violations.AssertNone(ContractRules.FormatViewPropertiesExist(Module));

    [Fact]
    public void EveryDocPageDocumentsAnExistingCmdlet() =>
        Violations.AssertNone(ContractRules.NoOrphanDocPages(Module));

    [Fact]
    public void ManifestDeclaresPowerShell74Core()
    {
        Assert.Equal("7.4", Module.Manifest.String("PowerShellVersion"));
        Assert.Equal(["Core"], Module.Manifest.Strings("CompatiblePSEditions"));
    }

    /// <summary>
    /// The hard-coded 7.4 verb list must contain every verb of the Verbs* classes of
    /// PowerShellStandard.Library (5.1's list), with the same group; 7.4 adds Build and Deploy.
    /// </summary>
    [Fact]
    public void ApprovedVerbListAgreesWithPowerShellStandardVerbClasses()
    {
        var resolver = new PathAssemblyResolver(
            Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Append(TestEnvironment.PowerShellStandardAssembly));
        using var context = new MetadataLoadContext(resolver);
        var sma = context.LoadFromAssemblyPath(TestEnvironment.PowerShellStandardAssembly);
        var fromReference = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in sma.GetExportedTypes().Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal)))
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                fromReference[(string)field.GetRawConstantValue()!] = type.Name["Verbs".Length..];
            }
        }
        Assert.True(fromReference.Count >= 90, $"read only {fromReference.Count} verbs from the reference assembly");
        var missing = fromReference.Where(v => !ContractTables.ApprovedVerbs.TryGetValue(v.Key, out var group) || group != v.Value)
            .Select(v => $"{v.Key} ({v.Value})").ToList();
        Assert.True(missing.Count == 0, "verbs missing or in another group: " + string.Join(", ", missing));
        var added = ContractTables.ApprovedVerbs.Keys.Except(fromReference.Keys).Order().ToList();
        Assert.Equal(["Build", "Deploy"], added);
        Assert.Equal(100, ContractTables.ApprovedVerbs.Count);
    }
}
