using System.Text.RegularExpressions;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Module.Tests.Infrastructure;

namespace KafkaCatalog.Module.Tests;

/// <summary>
/// The fix of every <see cref="ErrorCatalog"/> entry is what an admin does about THAT error (it becomes the
/// ErrorRecord's ErrorDetails.RecommendedAction and the Fix column of docs/errors.md): never the generic text of
/// its kind, never another entry's text, and the parameters and cmdlets it names exist in the module.
/// </summary>
public sealed partial class ErrorCatalogFixTests
{
    /// <summary>
    /// The generic fix texts of each kind, as the catalogue first carried them for about 165 entries. An entry whose
    /// fix is one of these tells the user nothing the category does not.
    /// </summary>
    private static readonly IReadOnlyDictionary<FailureKind, string> GenericFixes = new Dictionary<FailureKind, string>
    {
        [FailureKind.InvalidArgument] = "Correct the parameter named in the message and run the command again; nothing was changed.",
        [FailureKind.InvalidData] = "Correct the input named in the message (value, file or key) and run the command again.",
        [FailureKind.ObjectNotFound] = "Check the name: list what exists with the matching Get- command.",
        [FailureKind.InvalidOperation] = "The target is not in a state that allows this; see the message for what must change first.",
        [FailureKind.ResourceUnavailable] = "The service cannot serve this right now; wait and run the command again.",
        [FailureKind.AuthenticationError] = "Check the credential (user, password, token or key) of the connection.",
        [FailureKind.PermissionDenied] = "Ask the administrator of the service for the permission named in the message.",
        [FailureKind.OperationTimeout] = "The service did not answer in time: check it before retrying, or raise the timeout.",
        [FailureKind.LimitsExceeded] = "Retries were exhausted: try again later, with less parallelism or smaller batches.",
        [FailureKind.ConnectionError] = "Check the address, the network path and that the service is running.",
        [FailureKind.NotSpecified] = "See the message for the cause; run the command again with -Verbose for details.",
        [FailureKind.NotInstalled] = "Reinstall the module so that its native files are present.",
        [FailureKind.ResourceExists] = "It already exists: inspect it with the matching Get- command, or use the Set- command to change it.",
    };

    /// <summary>
    /// Entries allowed a generic fix. Only the KafkaError family: it stands for every Kafka error code the module has
    /// no own id for (KafkaError&lt;Code&gt;), so its fix can only point at the code in the id and the client's log.
    /// </summary>
    private static readonly HashSet<string> GenericAllowed = new(StringComparer.Ordinal) { ErrorCatalog.KafkaError.Id };

    /// <summary>Parameters a fix may name that belong to commands outside the module (Read-Host -AsSecureString).</summary>
    private static readonly HashSet<string> ForeignParameters = new(StringComparer.OrdinalIgnoreCase) { "AsSecureString", "Verbose", "WhatIf", "Confirm" };

    [Fact]
    public void No_fix_is_the_generic_text_of_a_kind()
    {
        var generic = GenericFixes.Values.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var violations = ErrorCatalog.All
            .Where(e => !GenericAllowed.Contains(e.Id) && generic.Contains(e.Fix.Trim()))
            .Select(e => $"{e.Id} ({e.Kind}) carries only the generic fix \"{e.Fix}\"; say what to do about this error.")
            .ToList();
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void No_two_entries_share_a_fix()
    {
        var violations = ErrorCatalog.All
            .GroupBy(e => Normalize(e.Fix), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => $"{string.Join(", ", g.Select(e => e.Id))} share the fix \"{g.First().Fix}\".")
            .ToList();
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_parameter_and_cmdlet_a_fix_names_exists()
    {
        var cmdlets = ModuleUnderTest.Real.Cmdlets;
        Assert.NotEmpty(cmdlets);
        var violations = new List<string>();
        var named = 0;
        foreach (var entry in ErrorCatalog.All)
        {
            foreach (Match m in ParameterToken().Matches(entry.Fix))
            {
                named++;
                var name = m.Groups["name"].Value;
                if (!ForeignParameters.Contains(name) && !cmdlets.Any(c => c.Parameter(name) is not null))
                {
                    violations.Add($"{entry.Id}: the fix names -{name}, which no cmdlet of the module has.");
                }
            }

            foreach (Match m in CmdletToken().Matches(entry.Fix))
            {
                if (!cmdlets.Any(c => c.Name.Equals(m.Value, StringComparison.OrdinalIgnoreCase)))
                {
                    violations.Add($"{entry.Id}: the fix names {m.Value}, which is not a cmdlet of the module.");
                }
            }
        }

        Assert.True(named > 100, $"Only {named} parameters found in the fixes: the extraction no longer matches how fixes name parameters.");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Theory]
    [InlineData("Give Remove-KafkaRecord exactly one of -BeforeOffset and -BeforeTimestamp.", "BeforeOffset,BeforeTimestamp")]
    [InlineData("PEM (-----BEGIN CERTIFICATE-----), kafka-acls.sh, compact,delete, non-empty, (-SslCaLocation)", "SslCaLocation")]
    public void Parameters_are_read_from_the_way_fixes_name_them(string fix, string parameters) =>
        Assert.Equal(parameters.Split(','), ParameterToken().Matches(fix).Select(m => m.Groups["name"].Value).ToArray());

    private static string Normalize(string fix) => WhiteSpace().Replace(fix.Trim(), " ");

    [GeneratedRegex(@"(?<![\w-])-(?<name>[A-Z][A-Za-z]+)\b")]
    private static partial Regex ParameterToken();

    [GeneratedRegex(@"\b(?:Add|Compare|Connect|Disconnect|Get|Invoke|New|Publish|Receive|Remove|Reset|Set|Start|Stop|Sync|Test)-(?:Kafka|Catalog|Polaris)[A-Za-z]*\b")]
    private static partial Regex CmdletToken();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
