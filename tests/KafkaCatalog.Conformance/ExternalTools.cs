using System.Diagnostics;
using System.Text;

namespace KafkaCatalog.Conformance;

/// <summary>Result of one external client run.</summary>
public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Lines of stdout that start with "RESULT " (the scripts' machine-readable output), without the prefix.</summary>
    public IReadOnlyList<string> Results =>
        Stdout.Split('\n').Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).Select(l => l[7..].TrimEnd('\r')).ToList();
}

/// <summary>
/// Locates and runs the independent clients. A missing tool FAILS the test with the command that installs it
/// (CI installs both); nothing is skipped silently.
/// </summary>
public static class ExternalTools
{
    public const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly Lazy<string?> KafkaPythonProblem = new(CheckKafkaPython);
    private static readonly Lazy<string?> KcatPath = new(FindKcat);

    public static string ScriptsDirectory => Path.Combine(AppContext.BaseDirectory, "scripts");

    private static string? CheckKafkaPython()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} not found: install it with `apt-get install -y python3 python3-kafka`.";
        }

        var r = RunProcess(Python, new[] { "-c", "import kafka; print(kafka.__version__)" }, null, TimeSpan.FromSeconds(30));
        if (r.ExitCode != 0)
        {
            return $"kafka-python is not importable by {Python}: install it with `apt-get install -y python3-kafka` ({r.Stderr.Trim()}).";
        }

        var version = r.Stdout.Trim();
        return version == "2.0.2" ? null : $"kafka-python {version} found, 2.0.2 expected (Debian 12 `apt-get install -y python3-kafka`).";
    }

    private static string? FindKcat()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin"))
        {
            var p = Path.Combine(dir, "kcat");
            if (File.Exists(p))
            {
                return p;
            }
        }
        return null;
    }

    /// <summary>Runs scripts/&lt;script&gt; with /usr/bin/python3; fails the test if kafka-python 2.0.2 is missing.</summary>
    public static ToolRun RunPythonScript(string script, params string[] args)
    {
        if (KafkaPythonProblem.Value is { } problem)
        {
            Assert.Fail(problem);
        }

        var all = new List<string> { "-u", Path.Combine(ScriptsDirectory, script) };
        all.AddRange(args);
        return RunProcess(Python, all, null, Timeout);
    }

    /// <summary>Runs kcat; fails the test if it is not installed.</summary>
    public static ToolRun RunKcat(string? stdin, params string[] args)
    {
        if (KcatPath.Value is null)
        {
            Assert.Fail("kcat not found on PATH: install it with `apt-get install -y kcat`.");
        }

        return RunProcess(KcatPath.Value!, args, stdin, Timeout);
    }

    private static ToolRun RunProcess(string file, IEnumerable<string> args, string? stdin, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new ToolRun(-1, stdout.Result, stderr.Result + $"\n[killed after {timeout.TotalSeconds}s]");
        }
        p.WaitForExit();
        return new ToolRun(p.ExitCode, stdout.Result, stderr.Result);
    }
}
