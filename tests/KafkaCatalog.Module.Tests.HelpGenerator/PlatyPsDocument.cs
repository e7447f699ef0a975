using System.Text.RegularExpressions;

namespace KafkaCatalog.HelpGenerator;

/// <summary>One fenced code block: its info string (e.g. "powershell", "yaml") and its text.</summary>
public sealed record CodeBlock(string Language, string Text);

/// <summary>A "### " subsection of a "## " section, with its raw lines.</summary>
public sealed record MarkdownSubsection(string Title, IReadOnlyList<string> Lines)
{
    public IReadOnlyList<CodeBlock> CodeBlocks => PlatyPsDocument.ReadCodeBlocks(Lines);
    /// <summary>The prose outside code blocks, trimmed.</summary>
    public string Prose => PlatyPsDocument.ReadProse(Lines);
}

/// <summary>A "## " section: its lines before the first subsection, and its subsections.</summary>
public sealed record MarkdownSection(string Title, IReadOnlyList<string> IntroLines, IReadOnlyList<MarkdownSubsection> Subsections)
{
    public string IntroProse => PlatyPsDocument.ReadProse(IntroLines);
    public IReadOnlyList<CodeBlock> IntroCodeBlocks => PlatyPsDocument.ReadCodeBlocks(IntroLines);
}

public sealed record SyntaxSet(string Name, bool IsDefault, string Code);

public sealed record DocExample(string Title, IReadOnlyList<CodeBlock> CodeBlocks, string Remarks);

/// <summary>One yaml block under a "### -Param" heading ("Key: Value" lines).</summary>
public sealed record ParameterMetadata(IReadOnlyDictionary<string, string> Fields)
{
    public string Get(string key, string fallback = "") =>
        Fields.TryGetValue(key, out var value) ? value : fallback;

    public string Type => Get("Type");
    /// <summary>Parameter set names, or ["(All)"].</summary>
    public IReadOnlyList<string> ParameterSets => SplitList(Get("Parameter Sets", "(All)"));
    public IReadOnlyList<string> Aliases =>
        SplitList(Get("Aliases")).Where(a => !a.Equals("None", StringComparison.OrdinalIgnoreCase)).ToList();
    public bool Required => Get("Required").Trim().StartsWith("True", StringComparison.OrdinalIgnoreCase);
    public string Position => Get("Position", "Named");
    public string DefaultValue => Get("Default value", "None");
    public string PipelineInput => Get("Accept pipeline input", "False");
    public bool AcceptsWildcards => Get("Accept wildcard characters").Trim().StartsWith("True", StringComparison.OrdinalIgnoreCase);

    public bool AppliesTo(string setName) =>
        ParameterSets.Any(s => s == "(All)" || s.Equals(setName, StringComparison.OrdinalIgnoreCase));

    internal static IReadOnlyList<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed record DocParameter(string Name, string Description, IReadOnlyList<ParameterMetadata> Metadata)
{
    /// <summary>The first yaml block (PlatyPS writes one per distinct attribute combination).</summary>
    public ParameterMetadata Primary => Metadata.Count > 0 ? Metadata[0] : new ParameterMetadata(new Dictionary<string, string>());

    public ParameterMetadata? For(string setName) => Metadata.FirstOrDefault(m => m.AppliesTo(setName));
}

public sealed record DocTypeEntry(string TypeName, string Description);

public sealed record DocLink(string Text, string Uri);

/// <summary>
/// A cmdlet help page in PlatyPS markdown layout (docs/&lt;Verb-Noun&gt;.md). Reading is tolerant:
/// missing sections come back empty so the contract tests can report exactly what is missing.
/// </summary>
public sealed class PlatyPsDocument
{
    /// <summary>The "## " sections PlatyPS writes for a cmdlet page, in order.</summary>
    public static readonly IReadOnlyList<string> RequiredSections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    private static readonly Regex FenceRegex = new(@"^\s*(```|~~~)\s*([\w.+-]*)\s*$", RegexOptions.Compiled);
    private static readonly Regex LinkRegex = new(@"\[(?<text>[^\]]*)\]\((?<uri>[^)]*)\)", RegexOptions.Compiled);

    public string Path { get; }
    /// <summary>The "# " title, normally the cmdlet name; empty when the page has none.</summary>
    public string Title { get; }
    public IReadOnlyDictionary<string, string> FrontMatter { get; }
    public IReadOnlyList<MarkdownSection> Sections { get; }

    private PlatyPsDocument(string path, string title, IReadOnlyDictionary<string, string> frontMatter, IReadOnlyList<MarkdownSection> sections)
    {
        Path = path;
        Title = title;
        FrontMatter = frontMatter;
        Sections = sections;
    }

    public static PlatyPsDocument Load(string path) => Parse(File.ReadAllText(path), path);

    public static PlatyPsDocument Parse(string markdown, string path = "")
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var index = 0;
        var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            index = 1;
            while (index < lines.Length && lines[index].Trim() != "---")
            {
                var colon = lines[index].IndexOf(':');
                if (colon > 0)
                {
                    frontMatter[lines[index][..colon].Trim()] = lines[index][(colon + 1)..].Trim();
                }
                index++;
            }
            index++;
        }

        var title = "";
        var sections = new List<MarkdownSection>();
        string? sectionTitle = null;
        var intro = new List<string>();
        var subsections = new List<MarkdownSubsection>();
        string? subTitle = null;
        var subLines = new List<string>();
        var inFence = false;

        void CloseSubsection()
        {
            if (subTitle is not null)
            {
                subsections.Add(new MarkdownSubsection(subTitle, subLines.ToList()));
            }
            subTitle = null;
            subLines.Clear();
        }

        void CloseSection()
        {
            CloseSubsection();
            if (sectionTitle is not null)
            {
                sections.Add(new MarkdownSection(sectionTitle, intro.ToList(), subsections.ToList()));
            }
            sectionTitle = null;
            intro.Clear();
            subsections.Clear();
        }

        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            if (FenceRegex.IsMatch(line))
            {
                inFence = !inFence;
            }
            else if (!inFence && line.StartsWith("# ", StringComparison.Ordinal) && title.Length == 0 && sectionTitle is null)
            {
                title = line[2..].Trim();
                continue;
            }
            else if (!inFence && line.StartsWith("## ", StringComparison.Ordinal))
            {
                CloseSection();
                sectionTitle = line[3..].Trim();
                continue;
            }
            else if (!inFence && line.StartsWith("### ", StringComparison.Ordinal) && sectionTitle is not null)
            {
                CloseSubsection();
                subTitle = line[4..].Trim();
                continue;
            }

            if (subTitle is not null)
            {
                subLines.Add(line);
            }
            else if (sectionTitle is not null)
            {
                intro.Add(line);
            }
        }
        CloseSection();
        return new PlatyPsDocument(path, title, frontMatter, sections);
    }

    public MarkdownSection? Section(string title) =>
        Sections.FirstOrDefault(s => s.Title.Equals(title, StringComparison.OrdinalIgnoreCase));

    public string Synopsis => Section("SYNOPSIS")?.IntroProse ?? "";

    public string Description => Section("DESCRIPTION")?.IntroProse ?? "";

    public string Notes => Section("NOTES") is { } notes
        ? string.Join("\n\n", new[] { notes.IntroProse }.Concat(notes.Subsections.Select(s => s.Title + "\n" + s.Prose)).Where(t => t.Trim().Length > 0))
        : "";

    /// <summary>
    /// "### SetName [(Default)]" entries; PlatyPS writes a single parameter set as a bare code block
    /// under SYNTAX, read here as the one set "__AllParameterSets".
    /// </summary>
    public IReadOnlyList<SyntaxSet> SyntaxSets
    {
        get
        {
            if (Section("SYNTAX") is not { } syntax)
            {
                return [];
            }
            var sets = syntax.Subsections.Select(s =>
            {
                var isDefault = s.Title.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase);
                var name = isDefault ? s.Title[..^"(Default)".Length].Trim() : s.Title.Trim();
                return new SyntaxSet(name, isDefault, string.Join("\n", s.CodeBlocks.Select(c => c.Text)));
            }).ToList();
            if (sets.Count == 0 && syntax.IntroCodeBlocks.Count > 0)
            {
                sets.Add(new SyntaxSet("__AllParameterSets", true, string.Join("\n", syntax.IntroCodeBlocks.Select(c => c.Text))));
            }
            return sets;
        }
    }

    public IReadOnlyList<DocExample> Examples =>
        Section("EXAMPLES") is { } examples
            ? examples.Subsections.Select(s => new DocExample(s.Title, s.CodeBlocks, s.Prose)).ToList()
            : [];

    /// <summary>The "### -Name" entries of PARAMETERS (the "### CommonParameters" entry is not one).</summary>
    public IReadOnlyList<DocParameter> Parameters =>
        Section("PARAMETERS") is { } parameters
            ? parameters.Subsections
                .Where(s => s.Title.StartsWith('-'))
                .Select(s => new DocParameter(
                    s.Title[1..].Trim(),
                    s.Prose,
                    s.CodeBlocks.Where(c => c.Language.Equals("yaml", StringComparison.OrdinalIgnoreCase)).Select(c => ReadYaml(c.Text)).ToList()))
                .ToList()
            : [];

    public bool MentionsCommonParameters =>
        Section("PARAMETERS")?.Subsections.Any(s => s.Title.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)) ?? false;

    public IReadOnlyList<DocTypeEntry> Inputs => ReadTypeEntries("INPUTS");

    public IReadOnlyList<DocTypeEntry> Outputs => ReadTypeEntries("OUTPUTS");

    public IReadOnlyList<DocLink> RelatedLinks
    {
        get
        {
            if (Section("RELATED LINKS") is not { } links)
            {
                return [];
            }
            var result = new List<DocLink>();
            foreach (var line in links.IntroLines.Concat(links.Subsections.SelectMany(s => s.Lines)))
            {
                foreach (Match match in LinkRegex.Matches(line))
                {
                    result.Add(new DocLink(match.Groups["text"].Value.Trim(), match.Groups["uri"].Value.Trim()));
                }
            }
            return result;
        }
    }

    private IReadOnlyList<DocTypeEntry> ReadTypeEntries(string sectionTitle) =>
        Section(sectionTitle) is { } section
            ? section.Subsections.Select(s => new DocTypeEntry(s.Title.Trim(), s.Prose)).ToList()
            : [];

    private static ParameterMetadata ReadYaml(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text.Split('\n'))
        {
            var colon = raw.IndexOf(':');
            if (colon > 0)
            {
                fields[raw[..colon].Trim()] = raw[(colon + 1)..].Trim();
            }
        }
        return new ParameterMetadata(fields);
    }

    internal static IReadOnlyList<CodeBlock> ReadCodeBlocks(IReadOnlyList<string> lines)
    {
        var blocks = new List<CodeBlock>();
        string? language = null;
        var buffer = new List<string>();
        foreach (var line in lines)
        {
            var fence = FenceRegex.Match(line);
            if (fence.Success)
            {
                if (language is null)
                {
                    language = fence.Groups[2].Value;
                    buffer.Clear();
                }
                else
                {
                    blocks.Add(new CodeBlock(language, string.Join("\n", buffer)));
                    language = null;
                }
            }
            else if (language is not null)
            {
                buffer.Add(line);
            }
        }
        return blocks;
    }

    internal static string ReadProse(IReadOnlyList<string> lines)
    {
        var prose = new List<string>();
        var inFence = false;
        foreach (var line in lines)
        {
            if (FenceRegex.IsMatch(line))
            {
                inFence = !inFence;
                continue;
            }
            if (!inFence)
            {
                prose.Add(line.TrimEnd());
            }
        }
        return string.Join("\n", prose).Trim();
    }
}
