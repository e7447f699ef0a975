namespace KafkaCatalog.HelpGenerator;

/// <summary>
/// The command line of the generator (see Program.cs for usage). Exit codes: 0 written or up to
/// date, 1 out of date (--check), 2 bad arguments or no repository found.
/// </summary>
public static class GeneratorCommand
{
    public static int Run(IReadOnlyList<string> args, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        string? root = null;
        string? docs = null;
        string? output = null;
        var check = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--docs" when i + 1 < args.Count:
                    docs = args[++i];
                    break;
                case "--out" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                case "--check":
                    check = true;
                    break;
                case var positional when !positional.StartsWith("--", StringComparison.Ordinal) && root is null:
                    root = positional;
                    break;
                default:
                    stderr.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: [<repo root>] [--docs <dir>] [--out <file>] [--check]");
                    return 2;
            }
        }

        var repoRoot = root is not null ? Path.GetFullPath(root, currentDirectory) : FindRepoRoot(currentDirectory);
        if ((docs is null || output is null) && repoRoot is null)
        {
            stderr.WriteLine("KafkaCatalog.sln not found above the current directory; pass the repository root, or --docs and --out.");
            return 2;
        }
        docs = docs is null ? Path.Combine(repoRoot!, "docs") : Path.GetFullPath(docs, currentDirectory);
        output = output is null ? Path.Combine(repoRoot!, "module", "en-US", HelpFile.FileName) : Path.GetFullPath(output, currentDirectory);

        var pages = MamlHelpWriter.LoadCmdletPages(docs);
        var xml = MamlHelpWriter.Render(pages);

        if (check)
        {
            var current = File.Exists(output) ? File.ReadAllText(output) : null;
            if (current != xml)
            {
                stderr.WriteLine($"{output} is out of date with {docs}. Run: dotnet run --project tests/KafkaCatalog.Module.Tests.HelpGenerator");
                return 1;
            }
            stdout.WriteLine($"{output} is up to date ({pages.Count} commands).");
            return 0;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        File.WriteAllText(output, xml);
        stdout.WriteLine($"Wrote {output} ({pages.Count} commands from {docs}).");
        return 0;
    }

    private static string? FindRepoRoot(string start)
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
}
