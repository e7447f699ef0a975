using KafkaCatalog.Module.Tests.Rules;

namespace KafkaCatalog.Module.Tests.Infrastructure;

public static class Violations
{
    /// <summary>Fails with every violation on its own line.</summary>
    public static void AssertNone(IReadOnlyList<string> violations)
    {
        if (violations.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{violations.Count} contract violation(s):\n  " + string.Join("\n  ", violations));
        }
    }

    /// <summary>Fails unless some violation contains every fragment (case-insensitive).</summary>
    public static void AssertReported(IReadOnlyList<string> violations, params string[] fragments)
    {
        if (!violations.Any(v => fragments.All(f => v.Contains(f, StringComparison.OrdinalIgnoreCase))))
        {
            throw new Xunit.Sdk.XunitException(
                $"Expected a violation containing [{string.Join("] and [", fragments)}]; reported:\n  "
                + (violations.Count == 0 ? "(nothing)" : string.Join("\n  ", violations)));
        }
    }
}

/// <summary>The per-cmdlet rules by name, so one theory can run all of them over the controls.</summary>
public static class CmdletRules
{
    public static readonly IReadOnlyDictionary<string, Func<ModuleUnderTest, CmdletDescriptor, IReadOnlyList<string>>> All =
        new Dictionary<string, Func<ModuleUnderTest, CmdletDescriptor, IReadOnlyList<string>>>
        {
            ["ApprovedVerb"] = (_, c) => ContractRules.ApprovedVerb(c),
            ["NounConvention"] = (_, c) => ContractRules.NounConvention(c),
            ["OutputTypeDeclared"] = (_, c) => ContractRules.OutputTypeDeclared(c),
            ["ShouldProcess"] = (_, c) => ContractRules.ShouldProcess(c),
            ["ForceParameter"] = (_, c) => ContractRules.ForceParameter(c),
            ["ConnectionParameter"] = (_, c) => ContractRules.ConnectionParameter(c),
            ["FilterParametersTakeArraysAndWildcards"] = (_, c) => ContractRules.FilterParametersTakeArraysAndWildcards(c),
            ["SecretsAreSecure"] = (_, c) => ContractRules.SecretsAreSecure(c),
            ["ExportedByManifest"] = ContractRules.ExportedByManifest,
            ["DocPage"] = ContractRules.DocPage,
            ["DocParameterMetadata"] = ContractRules.DocParameterMetadata,
            ["DocExamplesUseExistingParameters"] = ContractRules.DocExamplesUseExistingParameters,
            ["FormatView"] = ContractRules.FormatView,
        };
}

/// <summary>
/// Test classes that read the shared MetadataLoadContexts run one after another: the contexts are
/// not documented as thread-safe.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MetadataLoadContextCollection
{
    public const string Name = "MetadataLoadContext";
}
