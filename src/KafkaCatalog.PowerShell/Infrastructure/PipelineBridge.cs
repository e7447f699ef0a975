using System.Collections.Concurrent;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// The queue between a cmdlet's async worker and its pipeline thread: the worker posts what it
/// writes (objects, errors, verbose, progress, ShouldProcess questions) and the pipeline thread
/// runs each post, because PowerShell accepts writes only there.
/// </summary>
/// <remarks>
/// <para>Bounded: a worker that produces faster than the pipeline consumes (a slow downstream
/// command) waits in <see cref="Post"/> once <see cref="Capacity"/> posts are queued, so memory
/// stays bounded and back pressure reaches the Kafka reads.</para>
/// <para>Closing (<see cref="Close"/>) cancels the worker's token and wakes a worker blocked on a
/// full queue or waiting for an answer: once the pipeline thread stopped pumping (Ctrl+C, a
/// downstream Select-Object -First, an exception from WriteObject), no post waits forever.</para>
/// </remarks>
internal sealed class PipelineBridge : IDisposable
{
    /// <summary>Queued posts at most, unless a test asks for another bound.</summary>
    public const int DefaultCapacity = 64;

    private readonly BlockingCollection<Action> _queue;
    private readonly CancellationTokenSource _work;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _queuedPeak;
    private long _posted;
    private long _dropped;

    public PipelineBridge(CancellationToken stopToken, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _queue = new BlockingCollection<Action>(capacity);
        _work = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
        Created?.Invoke(this);
    }

    /// <summary>Raised for each new bridge (tests observe the bound through it).</summary>
    internal static event Action<PipelineBridge>? Created;

    public int Capacity { get; }

    /// <summary>The worker's token: cancelled by Ctrl+C and when the bridge closes.</summary>
    public CancellationToken WorkToken => _work.Token;

    /// <summary>Posts waiting for the pipeline thread now.</summary>
    public int Queued => _queue.Count;

    /// <summary>The most posts ever waiting at once (never more than <see cref="Capacity"/>).</summary>
    public int QueuedPeak => Volatile.Read(ref _queuedPeak);

    /// <summary>Posts accepted so far.</summary>
    public long Posted => Interlocked.Read(ref _posted);

    /// <summary>Droppable posts (log lines) left out because the queue was full or closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool IsClosed => _work.IsCancellationRequested || _queue.IsAddingCompleted;

    /// <summary>Completes when the worker has written everything (<see cref="CompleteAdding"/>): the worker has ended.</summary>
    public Task WorkerEnded => _completed.Task;

    /// <summary>
    /// Queues <paramref name="action"/> for the pipeline thread, waiting while the queue is full.
    /// </summary>
    /// <exception cref="OperationCanceledException">The bridge closed (nobody will run it).</exception>
    public void Post(Action action)
    {
        try
        {
            _queue.Add(action, _work.Token);
        }
        catch (InvalidOperationException)
        {
            throw new OperationCanceledException("The pipeline no longer accepts output.", _work.Token);
        }

        Interlocked.Increment(ref _posted);
        NotePeak();
    }

    /// <summary>Queues <paramref name="action"/> if there is room now; never waits (for callbacks of the native client).</summary>
    public void TryPost(Action action)
    {
        try
        {
            if (!_work.IsCancellationRequested && _queue.TryAdd(action))
            {
                Interlocked.Increment(ref _posted);
                NotePeak();
                return;
            }
        }
        catch (InvalidOperationException)
        {
            // completed
        }

        Interlocked.Increment(ref _dropped);
    }

    /// <summary>Waits for <paramref name="answer"/> (set by a post); a closed bridge ends the wait.</summary>
    /// <exception cref="OperationCanceledException">The bridge closed before the answer came.</exception>
    public T Await<T>(Task<T> answer)
    {
        try
        {
            answer.Wait(_work.Token);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return answer.Result;
    }

    /// <summary>The worker wrote everything: <see cref="Pump"/> returns once the queue is empty.</summary>
    public void CompleteAdding()
    {
        try
        {
            _queue.CompleteAdding();
        }
        catch (ObjectDisposedException)
        {
            // disposed after the pipeline thread gave up on the worker
        }
    }

    /// <summary>The worker's last act (after <see cref="CompleteAdding"/>).</summary>
    public void WorkerDone()
    {
        CompleteAdding();
        _completed.TrySetResult();
    }

    /// <summary>
    /// Runs the posts on the calling (pipeline) thread until the worker completes adding.
    /// Ctrl+C (<paramref name="stopToken"/>) ends it with <see cref="OperationCanceledException"/>;
    /// an exception from a post (WriteObject under a stopping pipeline) ends it too.
    /// </summary>
    public void Pump(CancellationToken stopToken)
    {
        foreach (var action in _queue.GetConsumingEnumerable(stopToken))
        {
            action();
        }
    }

    /// <summary>Cancels the worker's token and refuses further posts; waiting posters wake up.</summary>
    public void Close()
    {
        try
        {
            _work.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        CompleteAdding();
    }

    public void Dispose()
    {
        _queue.Dispose();
        _work.Dispose();
    }

    private void NotePeak()
    {
        var count = _queue.Count;
        int peak;
        while (count > (peak = Volatile.Read(ref _queuedPeak)) && Interlocked.CompareExchange(ref _queuedPeak, count, peak) != peak)
        {
        }
    }
}
