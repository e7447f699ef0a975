namespace KafkaCatalog.Core;

/// <summary>
/// How a Core service reports what it is doing while it works: verbose lines for each remote
/// call, warnings, and progress. The cmdlets adapt it to Write-Verbose/Write-Warning/Write-Progress;
/// tests capture it. Implementations must be thread-safe: services call it from any thread.
/// </summary>
public interface IOperationSink
{
    void Verbose(string message);

    void Warning(string message);

    void Progress(OperationProgress progress);
}

/// <summary>One progress update. <see cref="ActivityId"/> is stable per kind of work.</summary>
public sealed record OperationProgress(int ActivityId, string Activity, string Status, int PercentComplete = -1, bool Completed = false);

/// <summary>A sink that drops everything.</summary>
public sealed class NullOperationSink : IOperationSink
{
    public static readonly NullOperationSink Instance = new();

    private NullOperationSink()
    {
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }

    public void Progress(OperationProgress progress)
    {
    }
}
