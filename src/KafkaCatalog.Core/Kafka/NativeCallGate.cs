namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Makes librdkafka's blocking calls (metadata, watermarks, offsets for times, poll) cancellable
/// without making them unsafe. A blocking call cannot be interrupted, so a cancelled caller
/// returns at once and the call finishes on its own thread (within its own timeout); and since
/// Confluent.Kafka passes the raw handle to such calls, the client is disposed only once no call
/// is inside it (<see cref="DisposeWhenIdle"/>), never under a running one.
/// </summary>
public sealed class NativeCallGate
{
    private readonly object _gate = new();
    private int _inFlight;
    private Action? _pendingDispose;
    private bool _closed;

    /// <summary>Blocking calls now inside the client.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>True once the client was disposed (or its disposal is waiting for the calls inside it).</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on its own thread; the returned task ends with the call, or
    /// with <see cref="OperationCanceledException"/> as soon as <paramref name="cancellationToken"/>
    /// is cancelled (the call then finishes unobserved).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Task<T> RunAsync<T>(Func<T> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _inFlight++;
        }

        Task<T> task;
        try
        {
            task = Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        return call();
                    }
                    finally
                    {
                        Exit();
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
        catch
        {
            Exit();
            throw;
        }

        return Abandonable(task, cancellationToken);
    }

    /// <summary>Same as <see cref="RunAsync{T}"/> for calls without a result.</summary>
    public Task RunAsync(Action call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync(
            () =>
            {
                call();
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Closes the gate (no new call starts) and runs <paramref name="dispose"/> now when no call is
    /// inside the client, otherwise when the last one returns. Later calls do nothing.
    /// </summary>
    public void DisposeWhenIdle(Action dispose)
    {
        ArgumentNullException.ThrowIfNull(dispose);
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            if (_inFlight > 0)
            {
                _pendingDispose = dispose;
                return;
            }
        }

        dispose();
    }

    /// <summary>
    /// <paramref name="task"/>, or <see cref="OperationCanceledException"/> as soon as
    /// <paramref name="cancellationToken"/> is cancelled; an abandoned task's failure is observed.
    /// </summary>
    public static Task<T> Abandonable<T>(Task<T> task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            return task;
        }

        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task.WaitAsync(cancellationToken);
    }

    private void Exit()
    {
        Action? dispose = null;
        lock (_gate)
        {
            _inFlight--;
            if (_inFlight == 0 && _pendingDispose is not null)
            {
                dispose = _pendingDispose;
                _pendingDispose = null;
            }
        }

        dispose?.Invoke();
    }
}
