using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace KafkaCatalog.HelpGenerator;

/// <summary>
/// Writes MAML (the XML help format Get-Help reads for binary cmdlets) from PlatyPS pages, in the
/// shape PlatyPS's New-ExternalHelp produces. Output is deterministic (pages ordered by cmdlet
/// name, no timestamps) so a checked-in file can be compared with a fresh one.
/// </summary>
public static class MamlHelpWriter
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    public static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    /// <summary>A docs page is a cmdlet page when its file name is Verb-Noun.md (about_*.md are not).</summary>
    public static bool IsCmdletPage(string path)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        return !name.StartsWith("about_", StringComparison.OrdinalIgnoreCase)
            && name.Count(c => c == '-') == 1
            && !name.StartsWith('-') && !name.EndsWith('-');
    }

    public static IReadOnlyList<PlatyPsDocument> LoadCmdletPages(string docsDirectory) =>
        Directory.Exists(docsDirectory)
            ? Directory.EnumerateFiles(docsDirectory, "*.md")
                .Where(IsCmdletPage)
                .Select(PlatyPsDocument.Load)
                .OrderBy(d => CommandName(d), StringComparer.OrdinalIgnoreCase)
                .ToList()
            : [];

    /// <summary>The cmdlet name of a page: its "# " title, or its file name when the title is missing.</summary>
    public static string CommandName(PlatyPsDocument doc) =>
        doc.Title.Length > 0 ? doc.Title : System.IO.Path.GetFileNameWithoutExtension(doc.Path);

    public static XDocument Build(IEnumerable<PlatyPsDocument> pages) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems",
                new XAttribute("schema", "maml"),
                pages.Select(BuildCommand)));

    public static string Render(IEnumerable<PlatyPsDocument> pages)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            Build(pages).Save(writer);
        }
        return new UTF8Encoding(false).GetString(stream.ToArray()) + "\n";
    }

    private static XElement BuildCommand(PlatyPsDocument doc)
    {
        var name = CommandName(doc);
        var dash = name.IndexOf('-');
        var verb = dash > 0 ? name[..dash] : name;
        var noun = dash > 0 ? name[(dash + 1)..] : "";
        var parameters = doc.Parameters;

        var syntaxSets = doc.SyntaxSets;
        if (syntaxSets.Count == 0)
        {
            syntaxSets = [new SyntaxSet("__AllParameterSets", true, "")];
        }

        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", name),
                new XElement(Command + "verb", verb),
                new XElement(Command + "noun", noun),
                Description(doc.Synopsis)),
            Description(doc.Description),
            new XElement(Command + "syntax",
                syntaxSets.Select(set => new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", name),
                    parameters
                        .Select(p => (Parameter: p, Metadata: p.For(set.Name) ?? (syntaxSets.Count == 1 ? p.Primary : null)))
                        .Where(x => x.Metadata is not null)
                        .Select(x => ParameterElement(x.Parameter, x.Metadata!, inSyntax: true))))),
            new XElement(Command + "parameters",
                parameters.Select(p => ParameterElement(p, p.Primary, inSyntax: false))),
            new XElement(Command + "inputTypes",
                doc.Inputs.Select(i => new XElement(Command + "inputType",
                    TypeElement(i.TypeName),
                    Description(i.Description)))),
            new XElement(Command + "returnValues",
                doc.Outputs.Select(o => new XElement(Command + "returnValue",
                    TypeElement(o.TypeName),
                    Description(o.Description)))),
            new XElement(Maml + "alertSet",
                new XElement(Maml + "alert", Paragraphs(doc.Notes))),
            new XElement(Command + "examples",
                doc.Examples.Select(e => new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                    new XElement(Dev + "code", string.Join("\n\n", e.CodeBlocks.Select(c => c.Text))),
                    new XElement(Dev + "remarks", Paragraphs(e.Remarks))))),
            new XElement(Command + "relatedLinks",
                doc.RelatedLinks.Select(l => new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", IsAbsoluteUri(l.Uri) ? l.Uri : "")))));
    }

    private static XElement ParameterElement(DocParameter parameter, ParameterMetadata metadata, bool inSyntax)
    {
        var type = metadata.Type.Length > 0 ? metadata.Type : "Object";
        var isSwitch = type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase);
        var aliases = metadata.Aliases;
        var position = metadata.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) || metadata.Position.Length == 0
            ? "named"
            : metadata.Position;
        var element = new XElement(Command + "parameter",
            new XAttribute("required", metadata.Required ? "true" : "false"),
            new XAttribute("variableLength", type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", metadata.AcceptsWildcards ? "true" : "false"),
            new XAttribute("pipelineInput", metadata.PipelineInput),
            new XAttribute("position", position),
            new XAttribute("aliases", aliases.Count == 0 ? "none" : string.Join(", ", aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));
        if (!(isSwitch && inSyntax))
        {
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", isSwitch ? "false" : "true"),
                new XAttribute("variableLength", "false"),
                type));
        }
        element.Add(TypeElement(type));
        element.Add(new XElement(Dev + "defaultValue", metadata.DefaultValue));
        return element;
    }

    private static XElement TypeElement(string typeName) =>
        new(Dev + "type",
            new XElement(Maml + "name", typeName),
            new XElement(Maml + "uri"));

    private static XElement Description(string text) => new(Maml + "description", Paragraphs(text));

    private static IEnumerable<XElement> Paragraphs(string text)
    {
        var paragraphs = text.Replace("\r\n", "\n")
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => string.Join(" ", p.Split('\n', StringSplitOptions.TrimEntries)))
            .Where(p => p.Length > 0)
            .ToList();
        return paragraphs.Count == 0
            ? [new XElement(Maml + "para")]
            : paragraphs.Select(p => new XElement(Maml + "para", p));
    }

    private static bool IsAbsoluteUri(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps);
}
