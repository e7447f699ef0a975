using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KafkaCatalog.Core.Resilience;

/// <summary>
/// How hard the catalog client retries, and for how long at most. The defaults are pyatlan's
/// (client/atlan.py DEFAULT_RETRY on httpx-retries' Retry): 5 retries, backoff factor 1 s with full
/// jitter (factor x 2^n x U(0,1)), every wait and every Retry-After capped at 120 s.
/// </summary>
public sealed record CatalogResilienceOptions
{
    /// <summary>Retries after the first attempt (pyatlan: total=5).</summary>
    public int MaxRetryAttempts { get; init; } = 5;

    /// <summary>The backoff factor: retry n waits BaseDelay x 2^n x a random share in [0, 1), up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest computed wait (httpx-retries max_backoff_wait, 120 s).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A Retry-After longer than this is cut to it (httpx-retries caps it at max_backoff_wait, 120 s).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>One HTTP attempt may take this long (the SDKs use 120 s read timeouts).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>One call, all retries included, never takes longer than this (the .NET side owns every call's end).</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Fast settings for tests against the emulator (same rules, millisecond waits).</summary>
    public static CatalogResilienceOptions Fast { get; } = new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromMilliseconds(200),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(60),
    };
}

/// <summary>One retry the pipeline is about to make, for verbose output and progress.</summary>
public sealed record CatalogRetryInfo(int Attempt, TimeSpan Delay, string Reason);

/// <summary>
/// The Polly pipeline for catalog HTTP calls, retrying as pyatlan does on every call and every
/// method (POST and DELETE included): HTTP 302, 403, 429, 500, 502, 503 and 504, connection resets
/// and other transport errors, and attempts that time out. 403 is retried because Atlan grants a new
/// connection's access policies asynchronously; a real permission problem therefore fails after the
/// retries. Retrying POST /entity/bulk is safe: it upserts by qualifiedName. The "awaiting access"
/// pipeline, used right after a connection is created, keeps retrying 403 until its total timeout.
/// Every call is bounded: attempt timeout inside, total timeout outside.
/// </summary>
public static class CatalogHttpResilience
{
    /// <summary>Per-call callback told about each retry (progress, verbose).</summary>
    public static readonly ResiliencePropertyKey<Action<CatalogRetryInfo>> OnRetryKey = new("KafkaCatalog.Catalog.OnRetry");

    /// <summary>Per-call override of the total timeout.</summary>
    public static readonly ResiliencePropertyKey<TimeSpan> TotalTimeoutKey = new("KafkaCatalog.Catalog.TotalTimeout");

    /// <summary>
    /// Builds the pipeline. <paramref name="awaitingAccess"/>: no attempt limit (the total timeout bounds it)
    /// and waits of at most 8 s, as pyatlan polls a new connection (tenacity wait_exponential max=8).
    /// </summary>
    public static ResiliencePipeline<HttpResponseMessage> Create(CatalogResilienceOptions options, bool awaitingAccess = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        var maxDelay = awaitingAccess && options.MaxDelay > AwaitingAccessMaxDelay ? AwaitingAccessMaxDelay : options.MaxDelay;
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = options.TotalTimeout,
                TimeoutGenerator = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(TotalTimeoutKey, out var total) ? total : options.TotalTimeout),
            })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = awaitingAccess ? int.MaxValue : options.MaxRetryAttempts,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    RetryAfter(args.Outcome.Result, DateTimeOffset.UtcNow, options.MaxRetryAfter)
                    ?? Backoff(args.AttemptNumber + 1, options.BaseDelay, maxDelay, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(OnRetryKey, out var callback))
                    {
                        callback(new CatalogRetryInfo(args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome)));
                    }

                    return default;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    private static readonly TimeSpan AwaitingAccessMaxDelay = TimeSpan.FromSeconds(8);

    /// <summary>pyatlan's status_forcelist: 302, 403, 429, 500, 502, 503, 504.</summary>
    public static readonly IReadOnlySet<HttpStatusCode> RetriedStatuses = new HashSet<HttpStatusCode>
    {
        HttpStatusCode.Found, HttpStatusCode.Forbidden, HttpStatusCode.TooManyRequests, HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    };

    /// <summary>httpx-retries' backoff for retry <paramref name="retry"/> (1-based): factor x 2^retry x jitter, capped.</summary>
    public static TimeSpan Backoff(int retry, TimeSpan factor, TimeSpan cap, double jitter)
    {
        var ms = factor.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 30)) * Math.Clamp(jitter, 0, 1);
        return TimeSpan.FromMilliseconds(Math.Min(ms, cap.TotalMilliseconds));
    }

    /// <summary>Whether an outcome is worth another attempt.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callToken)
    {
        if (outcome.Exception is { } ex)
        {
            return ex switch
            {
                TimeoutRejectedException => true,
                HttpRequestException => true,
                IOException or SocketException => true,
                OperationCanceledException => !callToken.IsCancellationRequested && ex.InnerException is TimeoutException or IOException,
                _ => false,
            };
        }

        return outcome.Result is { } response && IsTransientStatus(response.StatusCode);
    }

    public static bool IsTransientStatus(HttpStatusCode status) => RetriedStatuses.Contains(status);

    /// <summary>The server's Retry-After (seconds or HTTP date), capped; null = use the exponential backoff.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now, TimeSpan cap) =>
        HttpTransient.RetryAfter(response, now, cap);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex
            ? ex is TimeoutRejectedException ? "attempt timed out" : $"transport error ({ex.GetType().Name}: {ex.Message})"
            : $"HTTP {(int)outcome.Result!.StatusCode} {outcome.Result.ReasonPhrase}";
}
