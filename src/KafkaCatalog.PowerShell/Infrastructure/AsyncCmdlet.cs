using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// Base for every cmdlet: bridges Core's async services to the pipeline thread once, cancels on
/// Ctrl+C (StopProcessing), and turns <see cref="KafkaCatalogException"/> into ErrorRecords.
/// </summary>
/// <remarks>
/// <para>The one bridge (<see cref="RunAsync"/>): the body runs as a worker; everything it writes
/// (objects, errors, verbose, warnings, progress, ShouldProcess questions) is posted to a bounded
/// <see cref="PipelineBridge"/> that the pipeline thread pumps, because PowerShell accepts writes
/// only there. Nothing writes to the pipeline from another thread: a write from another thread
/// while no pump runs is dropped (log lines) or ends the writer (objects, errors, questions).</para>
/// <para>When the pump ends for any reason (the worker finished, Ctrl+C, a downstream
/// Select-Object -First stopping upstream commands, an exception from WriteObject), the worker's
/// token is cancelled and the worker is awaited, for at most <see cref="WorkerStopBound"/>, before
/// anything it uses is released; what a worker that outlives the bound still uses (one-off client
/// factories) is released when it ends.</para>
/// </remarks>
public abstract class AsyncCmdlet : PSCmdlet, IDisposable
{
    /// <summary>How long the pipeline thread waits for a cancelled worker before moving on.</summary>
    internal static readonly TimeSpan WorkerStopBound = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _runningWorkers = [];
    private PipelineBridge? _bridge;
    private int _pipelineThreadId;
    private ModuleSession? _session;
    private int _disposed;
    private bool _verboseWanted = true;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>This runspace's module state (connections, clients, completion caches).</summary>
    protected ModuleSession Session => _session ??= ModuleState.Current;

    protected override void BeginProcessing()
    {
        OnPipelineThread();
        _verboseWanted = IsVerboseWanted();
        base.BeginProcessing();
    }

    protected override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the command already ended
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        OnDispose();
        WhenWorkersEnd(_stopping.Dispose);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a derived cmdlet holds (PowerShell disposes cmdlets when the pipeline ends).</summary>
    protected virtual void OnDispose()
    {
    }

    /// <summary>
    /// Runs <paramref name="action"/> now when no worker of this cmdlet is still running, otherwise
    /// when the last one ends (a worker that outlived <see cref="WorkerStopBound"/> after a stop).
    /// </summary>
    protected void WhenWorkersEnd(Action action)
    {
        Task[] running;
        lock (_runningWorkers)
        {
            _runningWorkers.RemoveAll(w => w.IsCompleted);
            running = _runningWorkers.ToArray();
        }

        if (running.Length == 0)
        {
            action();
            return;
        }

        Task.WhenAll(running).ContinueWith(_ => action(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Runs <paramref name="body"/> and pumps what it emits onto the pipeline thread.</summary>
    protected void RunAsync(Func<CancellationToken, Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        OnPipelineThread();
        var bridge = new PipelineBridge(StopToken);
        _bridge = bridge;
        var worker = Task.Run(async () =>
        {
            try
            {
                await body(bridge.WorkToken).ConfigureAwait(false);
            }
            finally
            {
                bridge.WorkerDone();
            }
        });

        try
        {
            bridge.Pump(StopToken);
            worker.GetAwaiter().GetResult();
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
            _bridge = null;
            bridge.Close();
            if (WaitQuietly(worker, WorkerStopBound))
            {
                bridge.Dispose();
            }
            else
            {
                lock (_runningWorkers)
                {
                    _runningWorkers.Add(worker);
                }

                worker.ContinueWith(_ => bridge.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Writes an object; from the worker it waits while the bridge is full (back pressure).</summary>
    protected void Emit(object? item) => OnPipeline(() => WriteObject(item), isLog: false);

    /// <summary>Writes several output objects in one hand-over to the pipeline thread (one bridge slot for all of them).</summary>
    protected void EmitAll<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count > 0)
        {
            OnPipeline(
                () =>
                {
                    foreach (var item in items)
                    {
                        WriteObject(item);
                    }
                },
                isLog: false);
        }
    }

    /// <summary>Writes a non-terminating error for one bad item.</summary>
    protected void EmitError(KafkaCatalogException error) => OnPipeline(() => WriteError(ToErrorRecord(error)), isLog: false);

    protected void EmitError(ErrorRecord error) => OnPipeline(() => WriteError(error), isLog: false);

    protected void EmitVerbose(string message)
    {
        if (_verboseWanted)
        {
            OnPipeline(() => WriteVerbose(message), isLog: true);
        }
    }

    protected void EmitWarning(string message) => OnPipeline(() => WriteWarning(message), isLog: true);

    /// <summary>
    /// The ShouldProcess/Force decision of this invocation (see <see cref="ChangeApproval"/>): every
    /// cmdlet that changes something asks it, never ShouldProcess directly. Call on the pipeline thread.
    /// </summary>
    /// <param name="force">-Force of the cmdlet (false for cmdlets without one).</param>
    protected ChangeApproval Approval(bool force = false)
    {
        OnPipelineThread();
        return ChangeApproval.For(
            this,
            force,
            (target, action) => AskOnPipeline(() => ShouldProcess(target, action)),
            (query, caption) => AskOnPipeline(() => ShouldContinue(query, caption)));
    }

    /// <summary>
    /// Asks a question (ShouldProcess, ShouldContinue) on the pipeline thread and waits for the answer;
    /// when the pump has stopped (Ctrl+C, downstream stop) the wait ends with <see cref="OperationCanceledException"/>.
    /// </summary>
    private bool AskOnPipeline(Func<bool> question)
    {
        if (IsPipelineThread)
        {
            return question();
        }

        var bridge = _bridge ?? throw new OperationCanceledException("The pipeline is no longer running.");
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        bridge.Post(() =>
        {
            try
            {
                answer.SetResult(question());
            }
            catch (Exception ex)
            {
                answer.TrySetException(ex);
                throw;
            }
        });
        return bridge.Await(answer.Task);
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

    /// <summary>A sink for Core services that reports through this cmdlet (from the worker: waits while the bridge is full).</summary>
    protected IOperationSink CreateSink() => new CmdletSink(this, droppable: false);

    /// <summary>
    /// A sink for callbacks of the native client (librdkafka log and error lines): it never waits,
    /// and drops a line when the bridge is full or no pump runs.
    /// </summary>
    protected IOperationSink CreateLogSink() => new CmdletSink(this, droppable: true);

    /// <summary>
    /// The ErrorRecord of a Core failure: the catalogue id as FullyQualifiedErrorId, the kind as category, and the
    /// catalogue's fix as ErrorDetails.RecommendedAction (ErrorDetails.Message is the exception's message, so what
    /// PowerShell shows and what $_.ErrorDetails.Message reads is the message, as before).
    /// </summary>
    protected static ErrorRecord ToErrorRecord(KafkaCatalogException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return WithRecommendedAction(new ErrorRecord(ex, ex.ErrorId, ToCategory(ex.Kind), ex.Target), ex.Error);
    }

    /// <summary>Sets <paramref name="record"/>'s ErrorDetails to its message with <paramref name="error"/>'s fix as RecommendedAction.</summary>
    protected static ErrorRecord WithRecommendedAction(ErrorRecord record, ErrorDefinition? error)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (error is not null)
        {
            record.ErrorDetails = new ErrorDetails(record.Exception.Message) { RecommendedAction = error.Fix };
        }

        return record;
    }

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

    /// <summary>
    /// False when nobody will see verbose lines (no -Verbose, $VerbosePreference SilentlyContinue or Ignore): they are
    /// then not posted at all. Posting them cost a bridge slot each, and per-item lines written by concurrent calls
    /// (one per consumer group) held a thread-pool thread each while the bridge was full, which starved the pool of a
    /// new process (docs/benchmarks.md, "Where users are").
    /// </summary>
    private bool IsVerboseWanted()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose))
        {
            return verbose is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(verbose);
        }

        return !(GetVariableValue("VerbosePreference") is ActionPreference preference && preference is ActionPreference.SilentlyContinue or ActionPreference.Ignore);
    }

    private bool IsPipelineThread => _pipelineThreadId != 0 && Environment.CurrentManagedThreadId == _pipelineThreadId;

    /// <summary>Remembers the pipeline thread and resolves the runspace's session there (workers have no runspace).</summary>
    private void OnPipelineThread()
    {
        if (_pipelineThreadId == 0)
        {
            _pipelineThreadId = Environment.CurrentManagedThreadId;
        }

        _ = Session;
    }

    /// <summary>True when <paramref name="task"/> ended within <paramref name="bound"/>; its failure is observed either way.</summary>
    private static bool WaitQuietly(Task task, TimeSpan bound)
    {
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            return task.Wait(bound);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the pipeline thread: at once when called there, otherwise
    /// through the bridge. Output (objects, errors) waits while the bridge is full and ends the
    /// writer with <see cref="OperationCanceledException"/> when no pump runs any more. Log lines
    /// (verbose, warnings, progress) wait only on the worker's own (thread-pool) threads; on any
    /// other thread (librdkafka's callback threads) they never wait and are dropped when the bridge
    /// is full, so a native thread can never block on a slow pipeline; with no pump they are dropped.
    /// </summary>
    private void OnPipeline(Action action, bool isLog, bool droppable = false)
    {
        if (IsPipelineThread)
        {
            action();
            return;
        }

        var bridge = _bridge;
        if (isLog)
        {
            if (bridge is null)
            {
                return;
            }

            if (droppable || !Thread.CurrentThread.IsThreadPoolThread)
            {
                bridge.TryPost(action);
                return;
            }

            try
            {
                bridge.Post(action);
            }
            catch (OperationCanceledException)
            {
                // the pump stopped: the line has nowhere to go
            }

            return;
        }

        if (bridge is null)
        {
            // Another thread, and no pump to take it to the pipeline thread: the command is over.
            throw new OperationCanceledException("The pipeline is no longer running.");
        }

        bridge.Post(action);
    }

    private sealed class CmdletSink(AsyncCmdlet cmdlet, bool droppable) : IOperationSink
    {
        public void Verbose(string message)
        {
            if (cmdlet._verboseWanted)
            {
                cmdlet.OnPipeline(() => cmdlet.WriteVerbose(message), isLog: true, droppable);
            }
        }

        public void Warning(string message) => cmdlet.OnPipeline(() => cmdlet.WriteWarning(message), isLog: true, droppable);

        public void Progress(OperationProgress progress) => cmdlet.OnPipeline(
            () =>
            {
                var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
                {
                    PercentComplete = progress.PercentComplete,
                    RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                };
                cmdlet.WriteProgress(record);
            },
            isLog: true,
            droppable);
    }
}
