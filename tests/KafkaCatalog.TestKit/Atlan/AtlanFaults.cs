using System.Collections.Concurrent;

namespace KafkaCatalog.TestKit.Atlan;

public enum AtlanFaultKind
{
    /// <summary>429 with a Retry-After header.</summary>
    TooManyRequests,
    /// <summary>An HTTP status (500, 502, 503, ...) with Atlan-style error JSON.</summary>
    Status,
    /// <summary>Delay the answer (then answer normally).</summary>
    Slow,
    /// <summary>Abort the TCP connection without an answer.</summary>
    ConnectionReset,
}

/// <summary>One injected fault. Faults hit before the request is processed, so a faulted request changes nothing.</summary>
public sealed record AtlanFault(AtlanFaultKind Kind, int StatusCode = 500, TimeSpan? Delay = null, TimeSpan? RetryAfter = null)
{
    public static AtlanFault TooManyRequests(TimeSpan? retryAfter = null) => new(AtlanFaultKind.TooManyRequests, 429, RetryAfter: retryAfter ?? TimeSpan.FromSeconds(1));

    public static AtlanFault ServerError(int status = 500) => new(AtlanFaultKind.Status, status);

    public static AtlanFault Slow(TimeSpan delay) => new(AtlanFaultKind.Slow, Delay: delay);

    public static AtlanFault Reset() => new(AtlanFaultKind.ConnectionReset);

    /// <summary>The transient faults the load test mixes: 429, 500, 502, 503 and resets.</summary>
    public static IReadOnlyList<AtlanFault> TransientMix(TimeSpan retryAfter) => new[]
    {
        TooManyRequests(retryAfter), ServerError(500), ServerError(502), ServerError(503), Reset(),
    };
}

/// <summary>
/// Fault injection: the next N matching requests, or a share of them (seeded, so runs repeat).
/// A filter (method + path prefix) limits which requests are hit.
/// </summary>
public sealed class AtlanFaults
{
    private readonly ConcurrentQueue<(AtlanFault Fault, Func<AtlanRequestInfo, bool> Filter)> _next = new();
    private readonly object _gate = new();
    private Random _random = new(42);
    private double _share;
    private IReadOnlyList<AtlanFault> _shareFaults = Array.Empty<AtlanFault>();
    private Func<AtlanRequestInfo, bool> _shareFilter = _ => true;
    private long _injected;

    /// <summary>Faults handed out so far.</summary>
    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>The next <paramref name="count"/> matching requests get <paramref name="fault"/>.</summary>
    public void InjectNext(int count, AtlanFault fault, Func<AtlanRequestInfo, bool>? filter = null)
    {
        for (var i = 0; i < count; i++)
        {
            _next.Enqueue((fault, filter ?? (_ => true)));
        }
    }

    /// <summary>A share (0..1) of matching requests gets one of <paramref name="faults"/>, picked at random.</summary>
    public void InjectShare(double share, IReadOnlyList<AtlanFault> faults, Func<AtlanRequestInfo, bool>? filter = null, int seed = 42)
    {
        if (share is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(share));
        }

        lock (_gate)
        {
            _share = share;
            _shareFaults = faults;
            _shareFilter = filter ?? (_ => true);
            _random = new Random(seed);
        }
    }

    public void Clear()
    {
        _next.Clear();
        lock (_gate)
        {
            _share = 0;
            _shareFaults = Array.Empty<AtlanFault>();
        }
    }

    /// <summary>Only bulk upserts (POST /api/meta/entity/bulk).</summary>
    public static bool BulkUpsertOnly(AtlanRequestInfo r) => r.Method == "POST" && r.Path == "/api/meta/entity/bulk";

    internal AtlanFault? Next(AtlanRequestInfo request)
    {
        // Queued faults: take the first one whose filter matches, keeping the others in order.
        var count = _next.Count;
        AtlanFault? chosen = null;
        for (var i = 0; i < count && _next.TryDequeue(out var item); i++)
        {
            if (chosen is null && item.Filter(request))
            {
                chosen = item.Fault;
            }
            else
            {
                _next.Enqueue(item);
            }
        }

        if (chosen is null)
        {
            lock (_gate)
            {
                if (_share > 0 && _shareFaults.Count > 0 && _shareFilter(request) && _random.NextDouble() < _share)
                {
                    chosen = _shareFaults[_random.Next(_shareFaults.Count)];
                }
            }
        }

        if (chosen is not null)
        {
            Interlocked.Increment(ref _injected);
        }

        return chosen;
    }
}

/// <summary>What a fault filter sees of a request.</summary>
public sealed record AtlanRequestInfo(string Method, string Path);
