using System.Text;
using System.Text.RegularExpressions;
using KafkaCatalog.Module.Tests.Infrastructure;

namespace KafkaCatalog.Module.Tests;

/// <summary>
/// A static check of tests/Pester/*.Tests.ps1, which cannot run on machines without pwsh: every
/// cmdlet of the compiled assembly is invoked inside some It block, every -Parameter written right
/// after a cmdlet name exists on that cmdlet, every suite starts and stops the sandbox, every It
/// asserts with Should and brackets balance. (The Pester counts now come from the Pester results file.)
/// Each rule is proven able to fail on a small deliberately bad script.
/// </summary>
public sealed class PesterSuiteTests
{
    private static string PesterDirectory => Path.Combine(TestEnvironment.RepoRoot, "tests", "Pester");

    private static IReadOnlyList<CmdletDescriptor> Cmdlets => ModuleUnderTest.Real.Cmdlets;

    /// <summary>The suites by file name.</summary>
    private static IReadOnlyDictionary<string, string> Suites()
    {
        var files = Directory.GetFiles(PesterDirectory, "*.Tests.ps1").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        return files.ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
    }

    private static void AssertNoneInAnySuite(Func<string, string, IReadOnlyList<string>> rule) =>
        Violations.AssertNone(Suites().SelectMany(s => rule(s.Key, s.Value)).ToList());

    // ---- the real suites ----

    [Fact]
    public void EveryCmdletGroupHasASuite()
    {
        var expected = new[]
        {
            "Kafka.Connection.Tests.ps1", "Kafka.Cluster.Tests.ps1", "Kafka.Topics.Tests.ps1", "Kafka.ConsumerGroups.Tests.ps1",
            "Kafka.Acls.Tests.ps1", "Kafka.Messages.Tests.ps1", "Catalog.Tests.ps1", "Polaris.Tests.ps1",
        };
        var missing = expected.Where(f => !Suites().ContainsKey(f)).Select(f => $"tests/Pester/{f} is missing").ToList();
        Violations.AssertNone(missing);
    }

    [Fact]
    public void EveryCmdletIsInvokedInAnItBlock()
    {
        Assert.NotEmpty(Cmdlets);
        Violations.AssertNone(PesterSuiteRules.UncoveredCmdlets(Cmdlets.Select(c => c.Name), Suites()));
    }

    [Fact]
    public void EveryParameterAfterACmdletExistsOnIt() =>
        AssertNoneInAnySuite((file, text) => PesterSuiteRules.UnknownParameters(Cmdlets, file, text));

    [Fact]
    public void HighImpactCmdletsNeverWaitForAConfirmationPrompt() =>
        AssertNoneInAnySuite((file, text) => PesterSuiteRules.UnattendedConfirmation(Cmdlets, file, text));

    [Fact]
    public void EverySuiteStartsAndStopsTheSandbox() =>
        AssertNoneInAnySuite(PesterSuiteRules.SuiteStructure);

    [Fact]
    public void EveryItAssertsWithShould() =>
        AssertNoneInAnySuite(PesterSuiteRules.ItWithoutShould);

    [Fact]
    public void BracketsBalance() =>
        AssertNoneInAnySuite(PesterSuiteRules.UnbalancedBrackets);

    [Fact]
    public void ErrorIdsAreFullyQualifiedAndExistInTheSources()
    {
        var cmdletTypes = Cmdlets.Select(c => c.ImplementingType.FullName!).ToList();
        var sources = PesterSuiteRules.SourceStringLiterals(Path.Combine(TestEnvironment.RepoRoot, "src"));
        AssertNoneInAnySuite((file, text) => PesterSuiteRules.ErrorIdPatterns(file, text, cmdletTypes, sources));
    }

    // ---- each rule bites ----

    private const string GoodSuite = """
        BeforeAll {
            Import-Module "$PSScriptRoot/TestHelpers.psm1"
            $script:sandbox = Start-TestSandbox
        }
        AfterAll { Stop-TestSandbox $script:sandbox }
        Describe 'Get-KafkaTopic' {
            It 'lists topics' {
                Get-KafkaTopic -Name orders -IncludeConfig -ErrorAction Stop | Should -Not -BeNullOrEmpty
            }
        }
        """;

    [Fact]
    public void GoodSampleSuitePassesEveryRule()
    {
        Violations.AssertNone(PesterSuiteRules.UnknownParameters(Cmdlets, "good.Tests.ps1", GoodSuite));
        Violations.AssertNone(PesterSuiteRules.SuiteStructure("good.Tests.ps1", GoodSuite));
        Violations.AssertNone(PesterSuiteRules.ItWithoutShould("good.Tests.ps1", GoodSuite));
        Violations.AssertNone(PesterSuiteRules.UnbalancedBrackets("good.Tests.ps1", GoodSuite));
        Violations.AssertNone(PesterSuiteRules.UncoveredCmdlets(["Get-KafkaTopic"], new Dictionary<string, string> { ["good.Tests.ps1"] = GoodSuite }));
    }

    [Fact]
    public void CoverageRuleReportsACmdletOnlyNamedInAStringACommentOrOutsideIt()
    {
        const string suite = """
            BeforeAll { Remove-KafkaTopic -Name x -Force }
            Describe 'New-KafkaTopic' {
                It 'mentions Get-KafkaBroker only in its title' {
                    # Get-KafkaCluster in a comment
                    'Add-KafkaPartition' | Should -Be "Get-KafkaAcl"
                    Get-KafkaTopic | Should -Not -BeNullOrEmpty
                }
            }
            """;
        var cmdlets = new[] { "Get-KafkaTopic", "Remove-KafkaTopic", "New-KafkaTopic", "Get-KafkaBroker", "Get-KafkaCluster", "Add-KafkaPartition", "Get-KafkaAcl" };
        var violations = PesterSuiteRules.UncoveredCmdlets(cmdlets, new Dictionary<string, string> { ["bad.Tests.ps1"] = suite });
        foreach (var uncovered in cmdlets.Skip(1))
        {
            Violations.AssertReported(violations, uncovered, "not invoked");
        }
        Assert.DoesNotContain(violations, v => v.Contains("'Get-KafkaTopic'", StringComparison.Ordinal));
    }

    [Fact]
    public void ParameterRuleReportsARenamedOrMisspelledParameter()
    {
        const string suite = """
            Describe 'x' {
                It 'uses old names' {
                    $t = Get-KafkaTopic -TopicFilter orders -IncludeConfig
                    @(Get-KafkaBroker -BrokerId 1 -WhatIf) | Should -BeNullOrEmpty
                    { Remove-KafkaTopic -Name x -Forse } | Should -Throw
                    Get-KafkaTopic -In | Should -Be 1
                }
            }
            """;
        var violations = PesterSuiteRules.UnknownParameters(Cmdlets, "bad.Tests.ps1", suite);
        Violations.AssertReported(violations, "bad.Tests.ps1:3", "Get-KafkaTopic", "-TopicFilter");
        Violations.AssertReported(violations, "bad.Tests.ps1:4", "Get-KafkaBroker", "-WhatIf");
        Violations.AssertReported(violations, "bad.Tests.ps1:5", "Remove-KafkaTopic", "-Forse");
        Violations.AssertReported(violations, "bad.Tests.ps1:6", "Get-KafkaTopic", "-In", "ambiguous");
        Assert.Equal(4, violations.Count);
    }

    [Fact]
    public void ParameterRuleAcceptsAliasesPrefixesCommonParametersAndIgnoresOtherCommands()
    {
        const string suite = """
            It 'binds' {
                Get-KafkaTopic -Topic orders -IncludeC -EA Stop -ErrorVariable e | Where-Object Name -like 'o*' | Should -HaveCount 1
                Remove-KafkaTopic -Name x -Force -WhatIf -Confirm:$false
                (Get-KafkaTopicOffset -Name orders).Count -gt 0 | Should -BeTrue
                Reset-KafkaConsumerGroupOffset -GroupId g -Topic t -ShiftBy -1 -Force
            }
            """;
        Violations.AssertNone(PesterSuiteRules.UnknownParameters(Cmdlets, "aliases.Tests.ps1", suite));
    }

    [Fact]
    public void ConfirmationRuleReportsAHighImpactCallThatWouldPrompt()
    {
        const string suite = """
            It 'x' {
                Remove-KafkaTopic -Name a -Force
                Remove-KafkaTopic -Name b -WhatIf
                Remove-KafkaTopic -Name c -Confirm:$false
                Get-KafkaTopic -Name d | Remove-KafkaTopic
                New-KafkaTopic -Name e
                Reset-KafkaConsumerGroupOffset -GroupId g -ToEarliest -Confirm:$true | Should -BeNullOrEmpty
            }
            """;
        var violations = PesterSuiteRules.UnattendedConfirmation(Cmdlets, "bad.Tests.ps1", suite);
        Violations.AssertReported(violations, "bad.Tests.ps1:5", "Remove-KafkaTopic");
        Violations.AssertReported(violations, "bad.Tests.ps1:7", "Reset-KafkaConsumerGroupOffset");
        Assert.Equal(2, violations.Count);
    }

    [Fact]
    public void StructureRuleReportsAMissingAfterAllAndSandbox()
    {
        const string suite = """
            BeforeAll { Import-Module "$PSScriptRoot/TestHelpers.psm1" }
            Describe 'x' { It 'y' { 1 | Should -Be 1 } }
            # AfterAll { Stop-TestSandbox $s }  (commented out: does not count)
            """;
        var violations = PesterSuiteRules.SuiteStructure("bad.Tests.ps1", suite);
        Violations.AssertReported(violations, "bad.Tests.ps1", "AfterAll");
        Violations.AssertReported(violations, "bad.Tests.ps1", "Start-TestSandbox");
        Violations.AssertReported(violations, "bad.Tests.ps1", "Stop-TestSandbox");
        Assert.DoesNotContain(violations, v => v.Contains("BeforeAll", StringComparison.Ordinal));
    }

    [Fact]
    public void ShouldRuleReportsAnItThatAssertsNothing()
    {
        const string suite = """
            Describe 'x' {
                It 'asserts' {
                    Get-KafkaTopic | Should -Not -BeNullOrEmpty
                }
                It 'only runs code' {
                    Get-KafkaTopic
                    'Should' | Out-Null
                }
            }
            """;
        var violations = PesterSuiteRules.ItWithoutShould("bad.Tests.ps1", suite);
        Violations.AssertReported(violations, "bad.Tests.ps1:5", "only runs code");
        Assert.Single(violations);
    }

    [Fact]
    public void BracketRuleReportsAnUnclosedBlockAndAStrayCloser()
    {
        const string unclosed = """
            Describe 'x' {
                It 'y' {
                    @(1, 2 | Should -HaveCount 2
                }
            """;
        Violations.AssertReported(PesterSuiteRules.UnbalancedBrackets("unclosed.Tests.ps1", unclosed), "unclosed.Tests.ps1:4", "'('", "line 3");
        const string stray = """
            Describe 'x' { It 'y' { 1 | Should -Be 1 } } }
            'a { string } with ( brackets' | Out-Null # and { a comment
            """;
        var violations = PesterSuiteRules.UnbalancedBrackets("stray.Tests.ps1", stray);
        Violations.AssertReported(violations, "stray.Tests.ps1:1", "'}'");
        Assert.Single(violations);
    }

    [Fact]
    public void ErrorIdRuleReportsBareIdsUnknownIdsAndUnknownCmdletTypes()
    {
        const string suite = """
            It 'x' {
                { Get-KafkaTopic -Name x } | Should -Throw -ErrorId 'TopicNotFound'
                $err[0].FullyQualifiedErrorId | Should -Be 'TopicNotFound'
                $err[0].FullyQualifiedErrorId | Should -BeLike 'TopicMissing,*'
                { Get-KafkaTopic } | Should -Throw -ErrorId 'TopicNotFound,KafkaCatalog.PowerShell.Cmdlets.GetKafkaTopicsCommand'
                { Get-KafkaTopic } | Should -Throw -ErrorId 'TopicNotFound,KafkaCatalog.PowerShell.Cmdlets.GetKafkaTopicCommand'
                $e[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
            }
            """;
        var types = new[] { "KafkaCatalog.PowerShell.Cmdlets.GetKafkaTopicCommand" };
        var sources = new HashSet<string>(StringComparer.Ordinal) { "TopicNotFound" };
        var violations = PesterSuiteRules.ErrorIdPatterns("bad.Tests.ps1", suite, types, sources);
        Violations.AssertReported(violations, "bad.Tests.ps1:2", "'TopicNotFound'", "'TopicNotFound,*'");
        Violations.AssertReported(violations, "bad.Tests.ps1:3", "'TopicNotFound'", "'TopicNotFound,*'");
        Violations.AssertReported(violations, "bad.Tests.ps1:4", "TopicMissing", "no string literal");
        Violations.AssertReported(violations, "bad.Tests.ps1:5", "GetKafkaTopicsCommand", "not a cmdlet class");
        Assert.Equal(4, violations.Count);
    }

}

/// <summary>The rules over Pester suite text; each returns one violation per problem, naming file:line.</summary>
public static class PesterSuiteRules
{
    private static readonly Regex CommandName = new(@"(?<![\w$.\-:])([A-Za-z]+-[A-Za-z]+)(?![\w\-])", RegexOptions.CultureInvariant);

    private static readonly Regex ParameterToken = new(@"^-([A-Za-z][A-Za-z0-9]*)(?=[:\s]|$)", RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, string> CommonAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ea"] = "ErrorAction",
        ["ev"] = "ErrorVariable",
        ["wa"] = "WarningAction",
        ["wv"] = "WarningVariable",
        ["infa"] = "InformationAction",
        ["iv"] = "InformationVariable",
        ["ov"] = "OutVariable",
        ["ob"] = "OutBuffer",
        ["pv"] = "PipelineVariable",
        ["vb"] = "Verbose",
        ["db"] = "Debug",
        ["proga"] = "ProgressAction",
        ["wi"] = "WhatIf",
        ["cf"] = "Confirm",
    };

    /// <summary>
    /// The script with the contents of strings and comments replaced by '_' (quotes, line breaks and
    /// length kept), so that brackets, names and dashes in them are not mistaken for code.
    /// </summary>
    public static string StripStringsAndComments(string text)
    {
        var s = new StringBuilder(text);
        var i = 0;
        void Blank(int from, int to)
        {
            for (var k = from; k < to && k < s.Length; k++)
            {
                if (s[k] != '\n' && s[k] != '\r')
                {
                    s[k] = '_';
                }
            }
        }

        while (i < text.Length)
        {
            var c = text[i];
            if ((c == '@') && i + 1 < text.Length && (text[i + 1] == '\'' || text[i + 1] == '"') && IsHereStringStart(text, i + 2))
            {
                var close = text.IndexOf("\n" + text[i + 1] + "@", i + 2, StringComparison.Ordinal);
                var end = close < 0 ? text.Length : close + 1;
                Blank(i + 2, end);
                i = close < 0 ? text.Length : close + 3;
            }
            else if (c == '<' && i + 1 < text.Length && text[i + 1] == '#')
            {
                var close = text.IndexOf("#>", i + 2, StringComparison.Ordinal);
                var end = close < 0 ? text.Length : close + 2;
                Blank(i, end);
                i = end;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(text[i - 1]) || text[i - 1] is ';' or '{' or '}' or '(' or ')' or '|'))
            {
                var end = text.IndexOf('\n', i);
                end = end < 0 ? text.Length : end;
                Blank(i, end);
                i = end;
            }
            else if (c == '\'')
            {
                var k = i + 1;
                while (k < text.Length)
                {
                    if (text[k] == '\'' && k + 1 < text.Length && text[k + 1] == '\'')
                    { k += 2; continue; }
                    if (text[k] == '\'')
                    {
                        break;
                    }

                    k++;
                }
                Blank(i + 1, k);
                i = k + 1;
            }
            else if (c == '"')
            {
                var k = i + 1;
                while (k < text.Length)
                {
                    if (text[k] == '`')
                    { k += 2; continue; }
                    if (text[k] == '"' && k + 1 < text.Length && text[k + 1] == '"')
                    { k += 2; continue; }
                    if (text[k] == '"')
                    {
                        break;
                    }

                    k++;
                }
                Blank(i + 1, k);
                i = k + 1;
            }
            else
            {
                i++;
            }
        }

        return s.ToString();
    }

    private static bool IsHereStringStart(string text, int from)
    {
        var k = from;
        while (k < text.Length && (text[k] == ' ' || text[k] == '\t'))
        {
            k++;
        }

        return k >= text.Length || text[k] == '\n' || text[k] == '\r';
    }

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var k = 0; k < index && k < text.Length; k++)
        {
            if (text[k] == '\n')
            {
                line++;
            }
        }
        return line;
    }

    /// <summary>An It block: its title, the line it starts on and its body (stripped text).</summary>
    public sealed record ItBlock(string Title, int Line, string Body);

    /// <summary>Every `It 'title' { ... }` (also -Name/-Skip forms): the body is matched to its closing brace.</summary>
    public static IReadOnlyList<ItBlock> ItBlocks(string text)
    {
        var stripped = StripStringsAndComments(text);
        var blocks = new List<ItBlock>();
        foreach (Match m in Regex.Matches(stripped, @"(?m)^[ \t]*It\b(?!-)"))
        {
            var open = stripped.IndexOf('{', m.Index);
            var lineEnd = stripped.IndexOf('\n', m.Index);
            if (open < 0 || (lineEnd >= 0 && open > lineEnd))
            {
                continue;
            }

            var depth = 0;
            var close = -1;
            for (var k = open; k < stripped.Length; k++)
            {
                if (stripped[k] == '{')
                {
                    depth++;
                }
                else if (stripped[k] == '}' && --depth == 0)
                { close = k; break; }
            }
            var header = text[m.Index..open];
            var title = Regex.Match(header, """['"](.*)['"]""").Groups[1].Value;
            var body = stripped[(open + 1)..(close < 0 ? stripped.Length : close)];
            blocks.Add(new ItBlock(title, LineOf(text, m.Index), body));
        }
        return blocks;
    }

    /// <summary>Command-position occurrences of <paramref name="name"/>: not inside a string or comment, and at the start of a statement, pipeline element or (sub)expression.</summary>
    private static IEnumerable<Match> CommandTokens(string stripped)
    {
        foreach (Match m in CommandName.Matches(stripped))
        {
            var k = m.Index - 1;
            while (k >= 0 && (stripped[k] == ' ' || stripped[k] == '\t'))
            {
                k--;
            }

            if (k < 0 || stripped[k] is '\n' or '\r' or '|' or '(' or '{' or ';' or '=' or '&')
            {
                yield return m;
            }
        }
    }

    public static IReadOnlyList<string> UncoveredCmdlets(IEnumerable<string> cmdlets, IReadOnlyDictionary<string, string> suites)
    {
        var invoked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var text in suites.Values)
        {
            foreach (var it in ItBlocks(text))
            {
                foreach (var m in CommandTokens(it.Body))
                {
                    invoked.Add(m.Groups[1].Value);
                }
            }
        }
        return cmdlets.Where(c => !invoked.Contains(c))
            .Select(c => $"'{c}' is not invoked in any It block of tests/Pester/*.Tests.ps1")
            .ToList();
    }

    public static IReadOnlyList<string> UnknownParameters(IReadOnlyList<CmdletDescriptor> cmdlets, string file, string text)
    {
        var byName = cmdlets.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var stripped = StripStringsAndComments(text);
        var violations = new List<string>();
        foreach (var m in CommandTokens(stripped))
        {
            if (!byName.TryGetValue(m.Groups[1].Value, out var cmdlet))
            {
                continue;
            }

            foreach (var (token, index) in ArgumentTokens(stripped, m.Index + m.Length))
            {
                var p = ParameterToken.Match(token);
                if (!p.Success)
                {
                    continue;
                }

                var problem = Resolve(cmdlet, p.Groups[1].Value);
                if (problem is not null)
                {
                    violations.Add($"{file}:{LineOf(text, index)}: {cmdlet.Name} -{p.Groups[1].Value}: {problem}");
                }
            }
        }
        return violations;
    }

    /// <summary>The whitespace-separated tokens after a command on its line, up to the end of its pipeline element (| ; or an unmatched closer).</summary>
    private static IEnumerable<(string Token, int Index)> ArgumentTokens(string stripped, int start)
    {
        var depth = 0;
        var k = start;
        var tokenStart = -1;
        for (; k < stripped.Length; k++)
        {
            var c = stripped[k];
            if (c is '\n' or '\r')
            {
                break;
            }

            if (depth == 0 && (c is '|' or ';' || c is ')' or '}' or ']'))
            {
                break;
            }
            if (c is '(' or '{' or '[')
            {
                depth++;
            }
            else if (c is ')' or '}' or ']')
            {
                depth--;
            }

            if (depth == 0 && !char.IsWhiteSpace(c))
            {
                if (tokenStart < 0)
                {
                    tokenStart = k;
                }
            }
            else if (tokenStart >= 0 && char.IsWhiteSpace(c))
            {
                yield return (stripped[tokenStart..k], tokenStart);
                tokenStart = -1;
            }
            if (depth > 0 && tokenStart >= 0 && c is '(' or '{' or '[')
            {
                // a token that opens a bracket (e.g. @{...} or $(...)) is a value, never a parameter name
                tokenStart = -1;
            }
        }
        if (tokenStart >= 0)
        {
            yield return (stripped[tokenStart..k], tokenStart);
        }
    }

    /// <summary>Null when PowerShell would bind the name to one parameter of the cmdlet; otherwise why not.</summary>
    private static string? Resolve(CmdletDescriptor cmdlet, string name)
    {
        var candidates = new List<(string Name, string Parameter)>();
        foreach (var parameter in cmdlet.Parameters)
        {
            candidates.Add((parameter.Name, parameter.Name));
            candidates.AddRange(parameter.Aliases.Select(a => (a, parameter.Name)));
        }
        candidates.AddRange(CommonParameters.Names.Select(n => (n, n)));
        candidates.AddRange(CommonAliases.Where(a => a.Value is not ("WhatIf" or "Confirm")).Select(a => (a.Key, a.Value)));
        if (cmdlet.SupportsShouldProcess)
        {
            candidates.AddRange(CommonParameters.ShouldProcessNames.Select(n => (n, n)));
            candidates.Add(("wi", "WhatIf"));
            candidates.Add(("cf", "Confirm"));
        }

        if (candidates.Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var prefixed = candidates.Where(c => c.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            .Select(c => c.Parameter).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return prefixed.Count switch
        {
            1 => null,
            0 => "no such parameter (renamed?)",
            _ => $"ambiguous prefix of {string.Join(", ", prefixed)}",
        };
    }

    /// <summary>
    /// A ConfirmImpact=High cmdlet prompts under the default $ConfirmPreference, which fails (or
    /// hangs) a non-interactive Pester run: each call needs -Force, -WhatIf or -Confirm:$false.
    /// </summary>
    public static IReadOnlyList<string> UnattendedConfirmation(IReadOnlyList<CmdletDescriptor> cmdlets, string file, string text)
    {
        var high = cmdlets.Where(c => c.ConfirmImpact == "High").ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var stripped = StripStringsAndComments(text);
        var violations = new List<string>();
        foreach (var m in CommandTokens(stripped))
        {
            if (!high.TryGetValue(m.Groups[1].Value, out var cmdlet))
            {
                continue;
            }

            var tokens = ArgumentTokens(stripped, m.Index + m.Length).Select(t => t.Token).ToList();
            var unattended = tokens.Any(t =>
                t.Equals("-Force", StringComparison.OrdinalIgnoreCase)
                || t.Equals("-WhatIf", StringComparison.OrdinalIgnoreCase)
                || t.Equals("-Confirm:$false", StringComparison.OrdinalIgnoreCase));
            if (!unattended)
            {
                violations.Add($"{file}:{LineOf(text, m.Index)}: {cmdlet.Name} (ConfirmImpact High) without -Force, -WhatIf or -Confirm:$false would prompt");
            }
        }
        return violations;
    }

    public static IReadOnlyList<string> SuiteStructure(string file, string text)
    {
        var stripped = StripStringsAndComments(text);
        var commands = CommandTokens(stripped).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var violations = new List<string>();
        foreach (var block in new[] { "BeforeAll", "AfterAll" })
        {
            if (!Regex.IsMatch(stripped, $@"(?m)^[ \t]*{block}[ \t]*\{{"))
            {
                violations.Add($"{file}: no {block} {{ ... }} block");
            }
        }
        foreach (var helper in new[] { "Start-TestSandbox", "Stop-TestSandbox" })
        {
            if (!commands.Contains(helper))
            {
                violations.Add($"{file}: does not call {helper}");
            }
        }
        return violations;
    }

    public static IReadOnlyList<string> ItWithoutShould(string file, string text) =>
        ItBlocks(text)
            .Where(it => !CommandTokensNamed(it.Body, "Should"))
            .Select(it => $"{file}:{it.Line}: It '{it.Title}' has no Should assertion")
            .ToList();

    private static bool CommandTokensNamed(string stripped, string name) =>
        Regex.Matches(stripped, $@"(?<![\w$.\-]){name}(?![\w\-])").Any(m =>
        {
            var k = m.Index - 1;
            while (k >= 0 && (stripped[k] == ' ' || stripped[k] == '\t'))
            {
                k--;
            }

            return k < 0 || stripped[k] is '\n' or '\r' or '|' or '(' or '{' or ';';
        });

    public static IReadOnlyList<string> UnbalancedBrackets(string file, string text)
    {
        var stripped = StripStringsAndComments(text);
        var stack = new Stack<(char Open, int Index)>();
        var violations = new List<string>();
        for (var k = 0; k < stripped.Length; k++)
        {
            var c = stripped[k];
            if (c is '(' or '{' or '[')
            {
                stack.Push((c, k));
            }
            else if (c is ')' or '}' or ']')
            {
                var expected = c switch { ')' => '(', '}' => '{', _ => '[' };
                if (stack.Count == 0 || stack.Peek().Open != expected)
                {
                    violations.Add($"{file}:{LineOf(text, k)}: '{c}' closes nothing open" + (stack.Count > 0 ? $" (innermost open is '{stack.Peek().Open}' from line {LineOf(text, stack.Peek().Index)})" : string.Empty));
                    return violations;
                }
                stack.Pop();
            }
        }
        foreach (var (open, index) in stack.Reverse())
        {
            violations.Add($"{file}:{LineOf(text, index)}: '{open}' is never closed");
        }
        return violations;
    }

    /// <summary>Error ids PowerShell itself raises while binding parameters.</summary>
    public static readonly IReadOnlySet<string> EngineErrorIds = new HashSet<string>(StringComparer.Ordinal)
    {
        "ParameterArgumentValidationError", "ParameterArgumentTransformationError", "MissingMandatoryParameter",
        "AmbiguousParameterSet", "NamedParameterNotFound", "ParameterBindingFailed",
    };

    private static readonly Regex ErrorIdUse = new(
        """(?:-ErrorId\s+|FullyQualifiedErrorId\s*\|\s*Should\s+-(?:Be|BeLike|BeExactly)\s+)'([^']*)'""",
        RegexOptions.CultureInvariant);

    /// <summary>Every string literal ("...") in the C# sources under <paramref name="sourceRoot"/>.</summary>
    public static IReadOnlySet<string> SourceStringLiterals(string sourceRoot)
    {
        var literals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in Regex.Matches(File.ReadAllText(file), "\"([A-Za-z][A-Za-z0-9]*)\""))
            {
                literals.Add(m.Groups[1].Value);
            }
        }
        return literals;
    }

    /// <summary>
    /// Pester 5 compares -ErrorId with -like against the whole FullyQualifiedErrorId, which for a
    /// cmdlet's error is "ErrorId,Namespace.CmdletClass": a bare id never matches. Each id used must
    /// be 'Id,*' or 'Id,Cmdlet.Class' with a real cmdlet class, and Id must exist in the sources.
    /// </summary>
    public static IReadOnlyList<string> ErrorIdPatterns(string file, string text, IReadOnlyCollection<string> cmdletTypes, IReadOnlySet<string> sourceLiterals)
    {
        var violations = new List<string>();
        foreach (Match m in ErrorIdUse.Matches(text))
        {
            var value = m.Groups[1].Value;
            var where = $"{file}:{LineOf(text, m.Index)}";
            var comma = value.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                violations.Add($"{where}: '{value}' never matches a cmdlet's FullyQualifiedErrorId; write '{value},*' or '{value},<cmdlet class>'");
                continue;
            }
            var id = value[..comma];
            var type = value[(comma + 1)..];
            if (!EngineErrorIds.Contains(id) && !sourceLiterals.Contains(id))
            {
                violations.Add($"{where}: error id '{id}' has no string literal in src/ (renamed or misspelled?)");
            }
            if (type != "*" && !cmdletTypes.Contains(type, StringComparer.Ordinal))
            {
                violations.Add($"{where}: '{type}' is not a cmdlet class of the module");
            }
        }
        return violations;
    }
}
