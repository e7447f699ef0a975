using System.Xml.Linq;
using KafkaCatalog.HelpGenerator;
using KafkaCatalog.Module.Tests.Infrastructure;
using KafkaCatalog.Module.Tests.Rules;

namespace KafkaCatalog.Module.Tests;

/// <summary>The generated MAML help (module/en-US/KafkaCatalog.PowerShell.dll-Help.xml) and its generator.</summary>
[Collection(MetadataLoadContextCollection.Name)]
public sealed class HelpTests
{
    private static readonly XNamespace Command = MamlHelpWriter.Command;
    private static readonly XNamespace Maml = MamlHelpWriter.Maml;
    private static readonly XNamespace Dev = MamlHelpWriter.Dev;

    private static ModuleUnderTest Module => ModuleUnderTest.Real;

    [Fact]
    public void HelpFileIsNamedAfterTheCmdletAssembly() =>
        Assert.Equal(HelpFile.FileName, Path.GetFileName(Module.AssemblyPath) + "-Help.xml");

    [Fact]
    public void CheckedInHelpIsUpToDateWithDocs()
    {
        Assert.True(File.Exists(Module.HelpPath), $"{Module.HelpPath} missing. Run: dotnet run --project tests/KafkaCatalog.Module.Tests.HelpGenerator");
        var expected = MamlHelpWriter.Render(MamlHelpWriter.LoadCmdletPages(Module.DocsDirectory));
        var actual = File.ReadAllText(Module.HelpPath);
        Assert.True(expected == actual, $"{Module.HelpPath} is out of date with docs/. Run: dotnet run --project tests/KafkaCatalog.Module.Tests.HelpGenerator");
    }

    [Fact]
    public void CheckedInHelpIsWellFormedMaml()
    {
        var help = XDocument.Load(Module.HelpPath);
        Assert.Equal(MamlHelpWriter.Msh + "helpItems", help.Root!.Name);
        Assert.Equal("maml", help.Root.Attribute("schema")?.Value);
        foreach (var command in help.Root.Elements(Command + "command"))
        {
            var details = command.Element(Command + "details")!;
            var name = details.Element(Command + "name")!.Value;
            Assert.Equal(name, $"{details.Element(Command + "verb")!.Value}-{details.Element(Command + "noun")!.Value}");
            Assert.NotNull(command.Element(Command + "syntax"));
            Assert.NotNull(command.Element(Command + "parameters"));
            Assert.NotNull(command.Element(Command + "examples"));
        }
    }

    [Fact]
    public void CheckedInHelpHasOneCommandPerCmdletAndEveryParameter() =>
        Violations.AssertNone(ContractRules.HelpMatchesAssembly(Module, XDocument.Load(Module.HelpPath)));

    [Fact]
    public void BuildCopiesHelpNextToTheAssembly()
    {
        var copied = Path.Combine(Module.AssemblyDirectory, "en-US", HelpFile.FileName);
        Assert.True(File.Exists(copied), $"{copied} missing: the module folder would have no help.");
        Assert.Equal(File.ReadAllText(Module.HelpPath), File.ReadAllText(copied));
    }

    private const string Page = """
        ---
        external help file: KafkaCatalog.PowerShell.dll-Help.xml
        Module Name: KafkaCatalog
        schema: 2.0.0
        ---

        # Get-KafkaThing

        ## SYNOPSIS
        Gets things.

        ## SYNTAX

        ### ByName (Default)
        ```
        Get-KafkaThing [[-Name] <String[]>] [-Connection <KafkaConnection>] [<CommonParameters>]
        ```

        ### ById
        ```
        Get-KafkaThing -Id <Int32> [-Force] [<CommonParameters>]
        ```

        ## DESCRIPTION
        First paragraph
        continues here.

        Second paragraph.

        ## EXAMPLES

        ### Example 1: All things
        ```powershell
        # a comment, not a heading
        Get-KafkaThing
        ```

        Lists every thing.

        ## PARAMETERS

        ### -Name
        Names, wildcards allowed.

        ```yaml
        Type: String[]
        Parameter Sets: ByName
        Aliases: ThingName, N

        Required: False
        Position: 0
        Default value: None
        Accept pipeline input: True (ByPropertyName, ByValue)
        Accept wildcard characters: True
        ```

        ### -Id
        The id.

        ```yaml
        Type: Int32
        Parameter Sets: ById
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Force
        Skips confirmation.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: ById
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Connection
        The connection.

        ```yaml
        Type: KafkaConnection
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: The session's default connection
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String[]

        ## OUTPUTS

        ### KafkaCatalog.Core.Kafka.KafkaThing
        One object per thing.

        ## NOTES
        A note.

        ## RELATED LINKS

        [Remove-KafkaThing](Remove-KafkaThing.md)

        [Online](https://example.org/things)
        """;

    private static XElement GeneratedCommand() =>
        MamlHelpWriter.Build([PlatyPsDocument.Parse(Page, "Get-KafkaThing.md")]).Root!.Element(Command + "command")!;

    [Fact]
    public void ReaderParsesPlatyPsLayout()
    {
        var doc = PlatyPsDocument.Parse(Page, "Get-KafkaThing.md");
        Assert.Equal("Get-KafkaThing", doc.Title);
        Assert.Equal("2.0.0", doc.FrontMatter["schema"]);
        Assert.Equal(PlatyPsDocument.RequiredSections, doc.Sections.Select(s => s.Title));
        Assert.Equal("Gets things.", doc.Synopsis);
        Assert.Equal([("ByName", true), ("ById", false)], doc.SyntaxSets.Select(s => (s.Name, s.IsDefault)));
        var example = Assert.Single(doc.Examples);
        Assert.Equal("powershell", Assert.Single(example.CodeBlocks).Language);
        Assert.Contains("# a comment, not a heading", example.CodeBlocks[0].Text);
        Assert.Equal("Lists every thing.", example.Remarks);
        Assert.Equal(["Name", "Id", "Force", "Connection"], doc.Parameters.Select(p => p.Name));
        Assert.True(doc.MentionsCommonParameters);
        var name = doc.Parameters[0].Primary;
        Assert.Equal(["ThingName", "N"], name.Aliases);
        Assert.Equal("0", name.Position);
        Assert.True(name.AcceptsWildcards);
        Assert.Equal("KafkaCatalog.Core.Kafka.KafkaThing", Assert.Single(doc.Outputs).TypeName);
        Assert.Equal(["Remove-KafkaThing", "Online"], doc.RelatedLinks.Select(l => l.Text));
    }

    [Fact]
    public void GeneratorWritesDetailsAndDescriptionParagraphs()
    {
        var command = GeneratedCommand();
        var details = command.Element(Command + "details")!;
        Assert.Equal("Get-KafkaThing", details.Element(Command + "name")!.Value);
        Assert.Equal("Get", details.Element(Command + "verb")!.Value);
        Assert.Equal("KafkaThing", details.Element(Command + "noun")!.Value);
        Assert.Equal("Gets things.", details.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        Assert.Equal(["First paragraph continues here.", "Second paragraph."],
            command.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));
    }

    [Fact]
    public void GeneratorWritesOneSyntaxItemPerParameterSetWithItsParameters()
    {
        var items = GeneratedCommand().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        string[] Names(XElement item) => item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToArray();
        Assert.Equal(["Name", "Connection"], Names(items[0]));
        Assert.Equal(["Id", "Force", "Connection"], Names(items[1]));
        var force = items[1].Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Force");
        Assert.Null(force.Element(Command + "parameterValue"));
    }

    [Fact]
    public void GeneratorWritesParameterAttributes()
    {
        var parameters = GeneratedCommand().Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
        Assert.Equal(4, parameters.Count);
        var name = parameters[0];
        Assert.Equal("false", name.Attribute("required")!.Value);
        Assert.Equal("true", name.Attribute("variableLength")!.Value);
        Assert.Equal("true", name.Attribute("globbing")!.Value);
        Assert.Equal("True (ByPropertyName, ByValue)", name.Attribute("pipelineInput")!.Value);
        Assert.Equal("0", name.Attribute("position")!.Value);
        Assert.Equal("ThingName, N", name.Attribute("aliases")!.Value);
        Assert.Equal("String[]", name.Element(Command + "parameterValue")!.Value);
        Assert.Equal("String[]", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("Names, wildcards allowed.", name.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        var id = parameters[1];
        Assert.Equal("true", id.Attribute("required")!.Value);
        Assert.Equal("named", id.Attribute("position")!.Value);
        Assert.Equal("none", id.Attribute("aliases")!.Value);
        Assert.Equal("False", id.Attribute("pipelineInput")!.Value);
        Assert.Equal("The session's default connection", parameters[3].Element(Dev + "defaultValue")!.Value);
    }

    [Fact]
    public void GeneratorWritesExamplesTypesNotesAndLinks()
    {
        var command = GeneratedCommand();
        var example = Assert.Single(command.Element(Command + "examples")!.Elements(Command + "example"));
        Assert.Contains("Example 1: All things", example.Element(Maml + "title")!.Value);
        Assert.Equal("# a comment, not a heading\nGet-KafkaThing", example.Element(Dev + "code")!.Value);
        Assert.Equal("Lists every thing.", example.Element(Dev + "remarks")!.Element(Maml + "para")!.Value);
        Assert.Equal("System.String[]", command.Element(Command + "inputTypes")!.Element(Command + "inputType")!.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        var returnValue = command.Element(Command + "returnValues")!.Element(Command + "returnValue")!;
        Assert.Equal("KafkaCatalog.Core.Kafka.KafkaThing", returnValue.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("One object per thing.", returnValue.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        Assert.Equal("A note.", command.Element(Maml + "alertSet")!.Element(Maml + "alert")!.Element(Maml + "para")!.Value);
        var links = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").ToList();
        Assert.Equal(["Remove-KafkaThing", "Online"], links.Select(l => l.Element(Maml + "linkText")!.Value));
        Assert.Equal(["", "https://example.org/things"], links.Select(l => l.Element(Maml + "uri")!.Value));
    }

    [Fact]
    public void GeneratorOutputIsDeterministicAndParses()
    {
        var pages = new[] { PlatyPsDocument.Parse(Page, "Get-KafkaThing.md") };
        var first = MamlHelpWriter.Render(pages);
        Assert.Equal(first, MamlHelpWriter.Render(pages));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", first);
        Assert.Single(XDocument.Parse(first).Root!.Elements(Command + "command"));
    }

    [Fact]
    public void SingleParameterSetSyntaxWithoutHeadingIsOneSet()
    {
        var page = PlatyPsDocument.Parse("""
            # Get-KafkaOne

            ## SYNTAX

            ```
            Get-KafkaOne [-Name <String>] [<CommonParameters>]
            ```

            ## PARAMETERS

            ### -Name
            The name.

            ```yaml
            Type: String
            Parameter Sets: (All)
            Aliases:

            Required: False
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```
            """, "Get-KafkaOne.md");
        var set = Assert.Single(page.SyntaxSets);
        Assert.Equal(("__AllParameterSets", true), (set.Name, set.IsDefault));
        Assert.StartsWith("Get-KafkaOne [-Name <String>]", set.Code);
        var item = Assert.Single(MamlHelpWriter.Build([page]).Root!.Element(Command + "command")!.Element(Command + "syntax")!.Elements(Command + "syntaxItem"));
        Assert.Equal("Name", Assert.Single(item.Elements(Command + "parameter")).Element(Maml + "name")!.Value);
    }

    [Theory]
    [InlineData("Get-KafkaTopic.md", true)]
    [InlineData("about_KafkaCatalog.md", false)]
    [InlineData("README.md", false)]
    [InlineData("Publish-CatalogKafkaAsset.md", true)]
    public void OnlyVerbNounPagesAreCommands(string file, bool isCmdlet) =>
        Assert.Equal(isCmdlet, MamlHelpWriter.IsCmdletPage(file));
}
