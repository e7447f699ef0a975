namespace KafkaCatalog.TestKit.Polaris;

/// <summary>What an injected fault does to a request.</summary>
public enum PolarisFaultKind
{
    /// <summary>Answer with <see cref="PolarisFault.StatusCode"/> (and Retry-After when set) without processing.</summary>
    Status,
    /// <summary>Wait <see cref="PolarisFault.Delay"/>, then process normally.</summary>
    Slow,
    /// <summary>Abort the connection without an answer.</summary>
    Reset,
    /// <summary>Process the request (state changes), then answer <see cref="PolarisFault.StatusCode"/> instead of the real reply.</summary>
    StatusAfterProcessing,
    /// <summary>Process the request (state changes), then abort the connection.</summary>
    ResetAfterProcessing,
}

/// <summary>One fault to inject.</summary>
public sealed record PolarisFault
{
    public required PolarisFaultKind Kind { get; init; }
    public int StatusCode { get; init; } = 503;
    /// <summary>Retry-After header value in seconds (Status kinds), or null for none.</summary>
    public int? RetryAfterSeconds { get; init; }
    public TimeSpan Delay { get; init; }
    /// <summary>Only requests with this method (GET, POST, ...); null for any.</summary>
    public string? Method { get; init; }
    /// <summary>Only requests whose path below the project contains this text (e.g. "connections", "jobs"); null for any.</summary>
    public string? PathContains { get; init; }

    public static PolarisFault Status(int statusCode, int? retryAfterSeconds = null) =>
        new() { Kind = PolarisFaultKind.Status, StatusCode = statusCode, RetryAfterSeconds = retryAfterSeconds };

    public static PolarisFault Slow(TimeSpan delay) => new() { Kind = PolarisFaultKind.Slow, Delay = delay };

    public static PolarisFault Reset() => new() { Kind = PolarisFaultKind.Reset };

    public static PolarisFault StatusAfterProcessing(int statusCode) =>
        new() { Kind = PolarisFaultKind.StatusAfterProcessing, StatusCode = statusCode };

    public static PolarisFault ResetAfterProcessing() => new() { Kind = PolarisFaultKind.ResetAfterProcessing };

    internal bool Matches(string method, string path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (PathContains is null || path.Contains(PathContains, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Fault injection for the Polaris emulator: the next N matching requests, or a share of them
/// (deterministic for a given seed). Thread-safe.
/// </summary>
public sealed class PolarisFaults
{
    private readonly object _gate = new();
    private readonly List<(PolarisFault Fault, int Remaining)> _next = new();
    private readonly List<(PolarisFault Fault, double Share, Random Random)> _shares = new();

    /// <summary>How many faults were injected so far.</summary>
    public int Injected { get; private set; }

    /// <summary>Injects <paramref name="fault"/> into the next <paramref name="count"/> matching requests.</summary>
    public PolarisFaults Next(int count, PolarisFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _next.Add((fault, count));
        }

        return this;
    }

    /// <summary>Injects <paramref name="fault"/> into a share (0..1) of matching requests, drawn from a seeded generator.</summary>
    public PolarisFaults Share(double share, PolarisFault fault, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1.0);
        lock (_gate)
        {
            _shares.Add((fault, share, new Random(seed)));
        }

        return this;
    }

    public void Clear()
    {
        lock (_gate)
        {
            _next.Clear();
            _shares.Clear();
        }
    }

    internal PolarisFault? Take(string method, string path)
    {
        lock (_gate)
        {
            for (var i = 0; i < _next.Count; i++)
            {
                var (fault, remaining) = _next[i];
                if (!fault.Matches(method, path))
                {
                    continue;
                }

                if (remaining <= 1)
                {
                    _next.RemoveAt(i);
                }
                else
                {
                    _next[i] = (fault, remaining - 1);
                }

                Injected++;
                return fault;
            }

            foreach (var (fault, share, random) in _shares)
            {
                if (fault.Matches(method, path) && random.NextDouble() < share)
                {
                    Injected++;
                    return fault;
                }
            }

            return null;
        }
    }
}
