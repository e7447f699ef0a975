using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;

namespace KafkaCatalog.PowerShell.Tests.Infrastructure;

/// <summary>
/// A runspace of the real PowerShell engine (Microsoft.PowerShell.SDK) with KafkaCatalog imported
/// from its manifest in the flat build output next to this test assembly.
/// </summary>
public sealed class Engine : IDisposable
{
    private Engine(Runspace runspace)
    {
        Runspace = runspace;
    }

    /// <summary>The module manifest in the flat build output (copied here by the project reference).</summary>
    public static string ModuleManifest => Path.Combine(AppContext.BaseDirectory, "KafkaCatalog.psd1");

    public Runspace Runspace { get; }

    /// <summary>A new runspace with the module imported; <paramref name="host"/> answers prompts when given.</summary>
    public static Engine Open(PSHost? host = null)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(ModuleManifest);
        state.ThrowOnRunspaceOpenError = true;
        var runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        return new Engine(runspace);
    }

    public void SetVariable(string name, object? value) => Runspace.SessionStateProxy.SetVariable(name, value);

    public object? GetVariable(string name) => Runspace.SessionStateProxy.GetVariable(name);

    /// <summary>A PowerShell for <paramref name="script"/> on this runspace (for Stop() and async tests).</summary>
    public System.Management.Automation.PowerShell Create(string script)
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Runspace;
        ps.AddScript(script);
        return ps;
    }

    /// <summary>Runs <paramref name="script"/> and records every stream; a terminating error is kept, not thrown.</summary>
    public Run Run(string script)
    {
        using var ps = Create(script);
        var output = new PSDataCollection<PSObject>();
        Exception? terminating = null;
        try
        {
            ps.Invoke(null, output);
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }

        return Infrastructure.Run.From(ps, output, terminating);
    }

    public void Dispose() => Runspace.Dispose();
}

/// <summary>What one invocation wrote to each stream.</summary>
public sealed record Run(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Debug,
    IReadOnlyList<ProgressRecord> Progress,
    IReadOnlyList<string> Information,
    Exception? Terminating,
    PSInvocationState State)
{
    public static Run From(System.Management.Automation.PowerShell ps, IEnumerable<PSObject> output, Exception? terminating) => new(
        output.ToList(),
        ps.Streams.Error.ToList(),
        ps.Streams.Verbose.Select(v => v.Message).ToList(),
        ps.Streams.Warning.Select(w => w.Message).ToList(),
        ps.Streams.Debug.Select(d => d.Message).ToList(),
        ps.Streams.Progress.ToList(),
        ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? string.Empty).ToList(),
        terminating,
        ps.InvocationStateInfo.State);

    /// <summary>The terminating error's record, if the run ended with one.</summary>
    public ErrorRecord? TerminatingRecord => (Terminating as IContainsErrorRecord)?.ErrorRecord;

    /// <summary>Every error: the non-terminating ones, then the terminating one.</summary>
    public IReadOnlyList<ErrorRecord> AllErrors =>
        TerminatingRecord is { } t && !Errors.Any(e => ReferenceEquals(e, t)) ? Errors.Append(t).ToList() : Errors;

    public IReadOnlyList<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>().ToList();

    /// <summary>Fails with every error's id and message when the run wrote an error.</summary>
    public Run AssertNoErrors()
    {
        Assert.True(AllErrors.Count == 0, "errors: " + string.Join(" | ", AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
        return this;
    }

    /// <summary>Everything the run wrote, as text (for secret scans).</summary>
    public string AllText() => string.Join("\n", new[]
    {
        string.Join("\n", Output.Select(o => o?.ToString() ?? string.Empty)),
        string.Join("\n", AllErrors.Select(e => e.ToString() + " " + e.Exception + " " + e.ErrorDetails?.Message + " " + e.TargetObject)),
        string.Join("\n", Verbose),
        string.Join("\n", Warnings),
        string.Join("\n", Debug),
        string.Join("\n", Progress.Select(p => p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation)),
        string.Join("\n", Information),
    });
}

/// <summary>
/// A host whose confirmation prompts answer with a fixed choice ("Y" yes, "A" yes to all, "N" no,
/// "L" no to all), recording each prompt; any other prompt fails the test.
/// </summary>
public sealed class AnsweringHost(string answer) : PSHost
{
    private readonly AnsweringUi _ui = new(answer);

    public IReadOnlyList<string> Prompts => _ui.Prompts;

    public override string Name => "KafkaCatalogTestHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override System.Globalization.CultureInfo CurrentCulture => System.Globalization.CultureInfo.InvariantCulture;

    public override System.Globalization.CultureInfo CurrentUICulture => System.Globalization.CultureInfo.InvariantCulture;

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class AnsweringUi(string answer) : PSHostUserInterface
    {
        private readonly List<string> _prompts = [];

        public IReadOnlyList<string> Prompts
        {
            get
            {
                lock (_prompts)
                {
                    return _prompts.ToArray();
                }
            }
        }

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (_prompts)
            {
                _prompts.Add(caption + ": " + message);
            }

            for (var i = 0; i < choices.Count; i++)
            {
                var label = choices[i].Label;
                var hot = label.IndexOf('&', StringComparison.Ordinal);
                if (hot >= 0 && hot + 1 < label.Length && string.Equals(label[hot + 1].ToString(), answer, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"No choice '{answer}' in: {string.Join(", ", choices.Select(c => c.Label))}");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("Unexpected prompt: " + caption + " " + message);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("Unexpected credential prompt.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("Unexpected credential prompt.");

        public override string ReadLine() => throw new InvalidOperationException("Unexpected ReadLine.");

        public override System.Security.SecureString ReadLineAsSecureString() => throw new InvalidOperationException("Unexpected ReadLine.");

        public override void Write(string value)
        {
        }

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
        {
        }

        public override void WriteLine(string value)
        {
        }

        public override void WriteErrorLine(string value)
        {
        }

        public override void WriteDebugLine(string message)
        {
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message)
        {
        }

        public override void WriteWarningLine(string message)
        {
        }
    }
}
