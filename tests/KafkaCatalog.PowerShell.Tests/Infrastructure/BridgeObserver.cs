using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests.Infrastructure;

/// <summary>The pipeline bridges (one per RunAsync) that cmdlets create while it is open.</summary>
public sealed class BridgeObserver : IDisposable
{
    private readonly List<PipelineBridge> _bridges = [];

    public BridgeObserver() => PipelineBridge.Created += OnCreated;

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
        lock (_bridges)
        {
            _bridges.Add(bridge);
        }
    }
}
