using KafkaCatalog.HelpGenerator;

// Usage (build.ps1 Docs runs the first form):
//   dotnet run --project tests/KafkaCatalog.Module.Tests.HelpGenerator -- [<repo root>] [--docs <dir>] [--out <file>] [--check]
// Defaults: <repo root> = the folder holding KafkaCatalog.sln above the current directory;
// <repo root>/docs and <repo root>/module/en-US/KafkaCatalog.PowerShell.dll-Help.xml.
// PowerShell looks binary-cmdlet help up as <cmdlet assembly file name>-Help.xml next to the
// assembly (en-US/ for the en-US culture), hence KafkaCatalog.PowerShell.dll-Help.xml.
// --check writes nothing and exits 1 when the file differs from what docs/ would produce.

string? root = null;
string? docs = null;
string? output = null;
var check = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--docs" when i + 1 < args.Length:
            docs = args[++i];
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--check":
            check = true;
            break;
        case var positional when !positional.StartsWith("--", StringComparison.Ordinal) && root is null:
            root = positional;
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: [<repo root>] [--docs <dir>] [--out <file>] [--check]");
            return 2;
    }
}

var repoRoot = root is not null ? Path.GetFullPath(root) : FindRepoRoot(Directory.GetCurrentDirectory());
if ((docs is null || output is null) && repoRoot is null)
{
    Console.Error.WriteLine("KafkaCatalog.sln not found above the current directory; pass --docs and --out.");
    return 2;
}
docs ??= Path.Combine(repoRoot!, "docs");
output ??= Path.Combine(repoRoot!, "module", "en-US", HelpFile.FileName);

var pages = MamlHelpWriter.LoadCmdletPages(docs);
var xml = MamlHelpWriter.Render(pages);

if (check)
{
    var current = File.Exists(output) ? File.ReadAllText(output) : null;
    if (current != xml)
    {
        Console.Error.WriteLine($"{output} is out of date with {docs}. Run: dotnet run --project tests/KafkaCatalog.Module.Tests.HelpGenerator");
        return 1;
    }
    Console.WriteLine($"{output} is up to date ({pages.Count} commands).");
    return 0;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, xml);
Console.WriteLine($"Wrote {output} ({pages.Count} commands from {docs}).");
return 0;

static string? FindRepoRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "KafkaCatalog.sln")))
        {
            return dir.FullName;
        }
    }
    return null;
}
