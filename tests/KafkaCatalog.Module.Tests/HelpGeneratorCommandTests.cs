using KafkaCatalog.HelpGenerator;

namespace KafkaCatalog.Module.Tests;

/// <summary>The generator's command line over a temporary repository layout.</summary>
public sealed class HelpGeneratorCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kafkacatalog-help-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public HelpGeneratorCommandTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "docs"));
        File.WriteAllText(Path.Combine(_root, "KafkaCatalog.sln"), "");
        File.WriteAllText(Path.Combine(_root, "docs", "about_Thing.md"), "# about_Thing\n");
        File.WriteAllText(Path.Combine(_root, "docs", "Get-KafkaThing.md"), "# Get-KafkaThing\n\n## SYNOPSIS\nGets things.\n");
    }

    private string HelpPath => Path.Combine(_root, "module", "en-US", HelpFile.FileName);

    private int Run(string currentDirectory, params string[] args) => GeneratorCommand.Run(args, currentDirectory, _out, _err);

    [Fact]
    public void WritesHelpUnderModuleEnUsFromTheRepositoryFoundAbove()
    {
        var nested = Directory.CreateDirectory(Path.Combine(_root, "tests", "deep")).FullName;
        Assert.Equal(0, Run(nested));
        var xml = File.ReadAllText(HelpPath);
        Assert.Contains("<command:name>Get-KafkaThing</command:name>", xml);
        Assert.DoesNotContain("about_Thing", xml);
        Assert.Contains("1 commands", _out.ToString());
    }

    [Fact]
    public void TakesTheRepositoryRootAsPositionalArgument()
    {
        Assert.Equal(0, Run(Path.GetTempPath(), _root));
        Assert.True(File.Exists(HelpPath));
    }

    [Fact]
    public void CheckFailsWhenMissingOrStaleAndPassesWhenFresh()
    {
        Assert.Equal(1, Run(_root, "--check"));
        Assert.False(File.Exists(HelpPath), "--check must not write");
        Assert.Equal(0, Run(_root));
        Assert.Equal(0, Run(_root, "--check"));
        File.AppendAllText(Path.Combine(_root, "docs", "Get-KafkaThing.md"), "\n## DESCRIPTION\nChanged.\n");
        Assert.Equal(1, Run(_root, "--check"));
        Assert.Contains("out of date", _err.ToString());
    }

    [Fact]
    public void ExplicitDocsAndOutputWinOverTheRepository()
    {
        var output = Path.Combine(_root, "elsewhere", "help.xml");
        Assert.Equal(0, Run(Path.GetTempPath(), "--docs", Path.Combine(_root, "docs"), "--out", output));
        Assert.Contains("Get-KafkaThing", File.ReadAllText(output));
        Assert.False(File.Exists(HelpPath));
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--docs")]
    public void BadArgumentsExit2(string argument)
    {
        Assert.Equal(2, Run(_root, argument));
        Assert.Contains(argument, _err.ToString());
    }

    [Fact]
    public void NoRepositoryExits2()
    {
        var outside = Directory.CreateTempSubdirectory("kafkacatalog-norepo-").FullName;
        try
        {
            Assert.Equal(2, Run(outside));
            Assert.Contains("KafkaCatalog.sln not found", _err.ToString());
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
