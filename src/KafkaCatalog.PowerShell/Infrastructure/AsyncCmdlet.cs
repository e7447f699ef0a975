using System.Collections.Concurrent;
using System.Management.Automation;
using KafkaCatalog.Core;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// Base for every cmdlet: bridges Core's async services to the pipeline thread once, cancels on
/// Ctrl+C (StopProcessing), and turns <see cref="KafkaCatalogException"/> into ErrorRecords.
/// Output, errors, verbose, warnings and progress produced by the async body are marshalled to
/// the pipeline thread, because PowerShell only accepts them there.
/// </summary>
public abstract class AsyncCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private BlockingCollection<Action>? _pipelineQueue;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    public void Dispose()
    {
        OnDispose();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a derived cmdlet holds (PowerShell disposes cmdlets when the pipeline ends).</summary>
    protected virtual void OnDispose()
    {
    }

    /// <summary>Runs <paramref name="body"/> and pumps what it emits onto the pipeline thread.</summary>
    protected void RunAsync(Func<CancellationToken, Task> body)
    {
        using var queue = new BlockingCollection<Action>();
        _pipelineQueue = queue;
        var work = Task.Run(async () =>
        {
            try
            {
                await body(StopToken).ConfigureAwait(false);
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        try
        {
            foreach (var action in queue.GetConsumingEnumerable())
            {
                action();
            }

            work.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            // Ctrl+C: PowerShell stops the pipeline itself.
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }
        finally
        {
            _pipelineQueue = null;
        }
    }

    /// <summary>Writes an object from any thread.</summary>
    protected void Emit(object? item) => OnPipeline(() => WriteObject(item));

    /// <summary>Writes a non-terminating error for one bad item, from any thread.</summary>
    protected void EmitError(KafkaCatalogException error) => OnPipeline(() => WriteError(ToErrorRecord(error)));

    protected void EmitError(ErrorRecord error) => OnPipeline(() => WriteError(error));

    protected void EmitVerbose(string message) => OnPipeline(() => WriteVerbose(message));

    protected void EmitWarning(string message) => OnPipeline(() => WriteWarning(message));

    /// <summary>Asks ShouldProcess on the pipeline thread and waits for the answer.</summary>
    protected bool AskShouldProcess(string target, string action)
    {
        if (_pipelineQueue is null)
        {
            return ShouldProcess(target, action);
        }

        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        OnPipeline(() =>
        {
            try
            {
                answer.SetResult(ShouldProcess(target, action));
            }
            catch (Exception ex)
            {
                answer.SetException(ex);
            }
        });
        return answer.Task.GetAwaiter().GetResult();
    }

    /// <summary>Makes sure the native Kafka client (librdkafka) loads; a terminating error otherwise. Kafka cmdlets call it before any work.</summary>
    protected void EnsureKafkaClientLoaded()
    {
        try
        {
            Core.Kafka.NativeLibraryLoader.EnsureLoaded();
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }
    }

    /// <summary>A sink for Core services that reports through this cmdlet.</summary>
    protected IOperationSink CreateSink() => new CmdletSink(this);

    protected static ErrorRecord ToErrorRecord(KafkaCatalogException ex) =>
        new(ex, ex.ErrorId, ToCategory(ex.Kind), ex.Target);

    protected static ErrorCategory ToCategory(FailureKind kind) => kind switch
    {
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        FailureKind.InvalidOperation => ErrorCategory.InvalidOperation,
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.ResourceExists => ErrorCategory.ResourceExists,
        FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        FailureKind.ConnectionError => ErrorCategory.ConnectionError,
        FailureKind.AuthenticationError => ErrorCategory.AuthenticationError,
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.OperationTimeout => ErrorCategory.OperationTimeout,
        FailureKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
        FailureKind.SecurityError => ErrorCategory.SecurityError,
        FailureKind.NotInstalled => ErrorCategory.NotInstalled,
        _ => ErrorCategory.NotSpecified,
    };

    private void OnPipeline(Action action)
    {
        var queue = _pipelineQueue;
        if (queue is null)
        {
            action();
        }
        else
        {
            queue.Add(action);
        }
    }

    private sealed class CmdletSink(AsyncCmdlet cmdlet) : IOperationSink
    {
        public void Verbose(string message) => cmdlet.EmitVerbose(message);

        public void Warning(string message) => cmdlet.EmitWarning(message);

        public void Progress(OperationProgress progress) => cmdlet.OnPipeline(() =>
        {
            var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
            {
                PercentComplete = progress.PercentComplete,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            cmdlet.WriteProgress(record);
        });
    }
}
