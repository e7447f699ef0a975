using System.Text;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Module.Tests.Infrastructure;

namespace KafkaCatalog.Module.Tests;

/// <summary>
/// The docs' error ids against <see cref="ErrorCatalog"/>: docs/errors.md is the catalogue as a table
/// (every id once, with its category and fix), and every id a cmdlet page names (its "Errors:" notes,
/// "a TopicNotFound error", "fails with LibrdkafkaNotFound") is in the catalogue. Regenerate the table
/// with KAFKACATALOG_WRITE_ERROR_DOCS=1 dotnet test tests/KafkaCatalog.Module.Tests --filter ErrorCatalogDocsTests.
/// </summary>
public sealed partial class ErrorCatalogDocsTests
{
    private static string DocsDirectory => Path.Combine(TestEnvironment.RepoRoot, "docs");

    private static string TablePath => Path.Combine(DocsDirectory, "errors.md");

    [Fact]
    public void The_catalogue_has_unique_ids_each_with_a_fix()
    {
        Assert.NotEmpty(ErrorCatalog.All);
        Assert.Equal(ErrorCatalog.All.Count, ErrorCatalog.All.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ErrorCatalog.All, e =>
        {
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", e.Id);
            Assert.False(string.IsNullOrWhiteSpace(e.Fix), e.Id);
            Assert.DoesNotContain("{", e.Fix, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_error_table_in_docs_is_the_catalogue()
    {
        var expected = Render();
        if (Environment.GetEnvironmentVariable("KAFKACATALOG_WRITE_ERROR_DOCS") == "1")
        {
            File.WriteAllText(TablePath, expected);
        }

        Assert.True(File.Exists(TablePath), $"{TablePath} is missing; see the class remarks to generate it.");
        var rows = ParseTable(File.ReadAllText(TablePath));
        var violations = new List<string>();
        foreach (var (id, category, fix) in rows)
        {
            var entry = ErrorCatalog.Find(id);
            if (entry is null || entry.Id != id)
            {
                violations.Add($"docs/errors.md lists '{id}', which the catalogue does not have.");
            }
            else if (entry.Kind.ToString() != category)
            {
                violations.Add($"docs/errors.md gives '{id}' the category {category}; the catalogue says {entry.Kind}.");
            }
            else if (entry.Fix != fix)
            {
                violations.Add($"docs/errors.md gives '{id}' another fix than the catalogue.");
            }
        }

        foreach (var missing in ErrorCatalog.All.Select(e => e.Id).Except(rows.Select(r => r.Id), StringComparer.Ordinal))
        {
            violations.Add($"docs/errors.md has no row for '{missing}'.");
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_error_id_a_cmdlet_page_names_is_in_the_catalogue()
    {
        var violations = new List<string>();
        var named = 0;
        foreach (var page in Directory.GetFiles(DocsDirectory, "*-*.md"))
        {
            foreach (var id in NamedIds(File.ReadAllText(page)))
            {
                named++;
                if (ErrorCatalog.Find(id) is null)
                {
                    violations.Add($"{Path.GetFileName(page)} names the error '{id}', which the catalogue does not have.");
                }
            }
        }

        Assert.True(named > 50, $"Only {named} error ids found in docs/: the extraction no longer matches how the pages name errors.");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>
    /// Error ids in src/ come from the catalogue: no id literal next to a FailureKind, no id string
    /// compared.
    /// </summary>
    [Fact]
    public void Src_takes_error_ids_from_the_catalogue()
    {
        var violations = new List<string>();
        foreach (var (file, relative) in SourcesOutsideErrors())
        {
            var text = File.ReadAllText(file);
            foreach (Match m in IdLiteral().Matches(text))
            {
                violations.Add($"{relative}: error id literal {m.Value}");
            }

            foreach (Match m in IdComparison().Matches(text))
            {
                violations.Add($"{relative}: error id compared as text: {m.Value}");
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <summary>
    /// No catalogue id is written as a string anywhere in src/ outside Errors/ (passed to a result, kept in a set, ...):
    /// code names the entry (ErrorCatalog.X, or X.Id where a result holds the id as text), so a renamed id cannot be left
    /// behind as a stale string that nothing checks.
    /// </summary>
    [Fact]
    public void No_catalogue_id_is_a_string_literal_in_src()
    {
        var ids = ErrorCatalog.All.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var (file, relative) in SourcesOutsideErrors())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("///", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match m in WholeStringLiteral().Matches(lines[i]))
                {
                    if (ids.Contains(m.Groups[1].Value))
                    {
                        violations.Add($"{relative}:{i + 1}: \"{m.Groups[1].Value}\" (use ErrorCatalog.{m.Groups[1].Value})");
                    }
                }
            }
        }

        Assert.True(ids.Count > 200, $"Only {ids.Count} ids in the catalogue: ErrorCatalog.All no longer lists them.");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Theory]
    [InlineData("A plain name that does not exist is a non-terminating TopicNotFound error.", "TopicNotFound")]
    [InlineData("the command fails with LibrdkafkaNotFound or LibrdkafkaVersionMismatch and says", "LibrdkafkaNotFound,LibrdkafkaVersionMismatch")]
    [InlineData("## NOTES\nErrors: PolarisJobNotFound, PolarisInvalidJobId (non-terminating); see Set-PolarisKafkaConnection.\n\n## RELATED LINKS", "PolarisJobNotFound,PolarisInvalidJobId")]
    public void Ids_are_read_from_the_ways_pages_name_them(string text, string ids) =>
        Assert.Equal(ids.Split(','), NamedIds(text).Distinct().ToArray());

    /// <summary>The error ids a page names: its "Errors:" lines, "a/one ... X error", "fails/refused with X (or Y)".</summary>
    internal static IEnumerable<string> NamedIds(string markdown)
    {
        foreach (var line in markdown.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Errors:", StringComparison.Ordinal))
            {
                foreach (Match m in IdToken().Matches(trimmed))
                {
                    yield return m.Value;
                }
            }
        }

        foreach (Match m in ErrorPhrase().Matches(markdown))
        {
            yield return m.Groups["id"].Value;
        }

        foreach (Match m in FailsWith().Matches(markdown))
        {
            yield return m.Groups["id"].Value;
            if (m.Groups["or"].Success)
            {
                yield return m.Groups["or"].Value;
            }
        }
    }

    private static string Render()
    {
        var text = new StringBuilder();
        text.Append("# Error ids\n\n");
        text.Append("Every error the module writes has one of these ids as its FullyQualifiedErrorId (followed by the cmdlet's name) and the\n");
        text.Append("category shown. Scripts can key on the id: it never changes. The table is generated from\n");
        text.Append("src/KafkaCatalog.Core/Errors/ErrorCatalog.cs and checked by tests/KafkaCatalog.Module.Tests (ErrorCatalogDocsTests).\n");
        text.Append("Kafka error codes without an id of their own are reported as KafkaError<Code> (for example KafkaErrorUnknown).\n");
        text.Append("The Fix column is also in the error itself: $_.ErrorDetails.RecommendedAction (for example\n");
        text.Append("`$err[0].ErrorDetails.RecommendedAction` after `-ErrorVariable err`); $_.ErrorDetails.Message is the error's message.\n\n");
        text.Append("| Error id | Category | Fix |\n");
        text.Append("| --- | --- | --- |\n");
        foreach (var entry in ErrorCatalog.All)
        {
            text.Append("| ").Append(entry.Id).Append(" | ").Append(entry.Kind).Append(" | ").Append(entry.Fix.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }

        return text.ToString();
    }

    private static List<(string Id, string Category, string Fix)> ParseTable(string markdown)
    {
        var rows = new List<(string, string, string)>();
        foreach (var line in markdown.Split('\n'))
        {
            var m = TableRow().Match(line);
            if (m.Success && m.Groups["id"].Value is not ("Error id" or "---"))
            {
                rows.Add((m.Groups["id"].Value, m.Groups["category"].Value, m.Groups["fix"].Value.Replace("\\|", "|", StringComparison.Ordinal)));
            }
        }

        return rows;
    }

    [GeneratedRegex(@"""[A-Z][A-Za-z0-9]+""\s*,\s*FailureKind\.")]
    private static partial Regex IdLiteral();

    /// <summary>The C# files of src/ (path and repository-relative path), without build output and the catalogue itself.</summary>
    private static IEnumerable<(string File, string Relative)> SourcesOutsideErrors()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(TestEnvironment.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(TestEnvironment.RepoRoot, file).Replace('\\', '/');
            if (!relative.Contains("/obj/", StringComparison.Ordinal) && !relative.Contains("/bin/", StringComparison.Ordinal)
                && !relative.StartsWith("src/KafkaCatalog.Core/Errors/", StringComparison.Ordinal))
            {
                yield return (file, relative);
            }
        }
    }

    [GeneratedRegex(@"(?<![@$\w""])""([A-Z][A-Za-z0-9]+)""")]
    private static partial Regex WholeStringLiteral();

    [GeneratedRegex(@"ErrorId\s*(?:==|!=|is|:)\s*""[A-Z]\w*""")]
    private static partial Regex IdComparison();

    [GeneratedRegex(@"(?<![-\w])[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+(?![-\w])")]
    private static partial Regex IdToken();

    [GeneratedRegex(@"\b(?:a|an|one|the)\s+(?:non-terminating\s+|terminating\s+)?(?<id>[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)\s+error\b")]
    private static partial Regex ErrorPhrase();

    [GeneratedRegex(@"\b(?:fails|refused|rejected|ends) with (?<id>[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?: or (?<or>[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+))?\b")]
    private static partial Regex FailsWith();

    [GeneratedRegex(@"^\|\s*(?<id>[^|]+?)\s*\|\s*(?<category>[^|]+?)\s*\|\s*(?<fix>(?:[^|\\]|\\\|)*?)\s*\|\s*$")]
    private static partial Regex TableRow();
}
