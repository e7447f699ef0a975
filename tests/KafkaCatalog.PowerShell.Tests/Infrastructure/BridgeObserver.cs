using System.Management.Automation.Runspaces;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests.Infrastructure;

/// <summary>
/// The pipeline bridges (one per RunAsync) that cmdlets running in one runspace create while it is
/// open. Bridges of other runspaces (tests of another collection running at the same time) are not
/// seen: a bridge is created on the pipeline thread, whose default runspace is the one running it.
/// </summary>
public sealed class BridgeObserver : IDisposable
{
    private readonly List<PipelineBridge> _bridges = [];
    private readonly Runspace _runspace;

    public BridgeObserver(Runspace runspace)
    {
        _runspace = runspace ?? throw new ArgumentNullException(nameof(runspace));
        PipelineBridge.Created += OnCreated;
    }

    internal IReadOnlyList<PipelineBridge> Bridges
    {
        get
        {
            lock (_bridges)
            {
                return _bridges.ToArray();
            }
        }
    }

    /// <summary>True when every worker seen has ended within <paramref name="limit"/> (a generous bound: it only catches a hang).</summary>
    public bool AllWorkersEnded(TimeSpan limit) =>
        Task.WhenAll(Bridges.Select(b => b.WorkerEnded)).Wait(limit);

    public void Dispose() => PipelineBridge.Created -= OnCreated;

    private void OnCreated(PipelineBridge bridge)
    {
        if (!ReferenceEquals(Runspace.DefaultRunspace, _runspace))
        {
            return;
        }

        lock (_bridges)
        {
            _bridges.Add(bridge);
        }
    }
}
