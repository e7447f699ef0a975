using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KafkaCatalog.Core.Resilience;

/// <summary>How hard the catalog client retries, and for how long at most.</summary>
public sealed record CatalogResilienceOptions
{
    /// <summary>Retries after the first attempt (429, 5xx, transport errors, attempt timeouts).</summary>
    public int MaxRetryAttempts { get; init; } = 6;

    /// <summary>First backoff; doubles per retry, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A Retry-After longer than this is cut to it (a server asking for an hour would stall a runbook).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One HTTP attempt may take this long (the SDKs use 120 s read timeouts).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>One call, all retries included, never takes longer than this.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Fast settings for tests against the emulator.</summary>
    public static CatalogResilienceOptions Fast { get; } = new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromMilliseconds(200),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(60),
        MaxRetryAttempts = 8,
    };
}

/// <summary>One retry the pipeline is about to make, for verbose output and progress.</summary>
public sealed record CatalogRetryInfo(int Attempt, TimeSpan Delay, string Reason);

/// <summary>
/// The Polly pipeline for catalog HTTP calls. Retried: 408, 429 (honouring Retry-After), 500, 502,
/// 503, 504, connection resets and other transport errors, and attempts that time out. A 403 is
/// retried only by the "awaiting access" pipeline used right after a connection is created,
/// because Atlan grants the new connection's policies asynchronously; anywhere else a 403 is a
/// real permission problem. Retrying POST /entity/bulk is safe: it upserts by qualifiedName.
/// Every call is bounded: attempt timeout inside, total timeout outside.
/// </summary>
public static class CatalogHttpResilience
{
    /// <summary>Per-call callback told about each retry (progress, verbose).</summary>
    public static readonly ResiliencePropertyKey<Action<CatalogRetryInfo>> OnRetryKey = new("KafkaCatalog.Catalog.OnRetry");

    /// <summary>Per-call override of the total timeout.</summary>
    public static readonly ResiliencePropertyKey<TimeSpan> TotalTimeoutKey = new("KafkaCatalog.Catalog.TotalTimeout");

    /// <summary>Builds the pipeline. <paramref name="awaitingAccess"/>: also retry 403, without an attempt limit (the total timeout bounds it).</summary>
    public static ResiliencePipeline<HttpResponseMessage> Create(CatalogResilienceOptions options, bool awaitingAccess = false)
    {
        ArgumentNullException.ThrowIfNull(options);
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
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken, awaitingAccess)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, DateTimeOffset.UtcNow, options.MaxRetryAfter)),
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

    /// <summary>Whether an outcome is worth another attempt.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callToken, bool retryForbidden)
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

        return outcome.Result is { } response && IsTransientStatus(response.StatusCode, retryForbidden);
    }

    public static bool IsTransientStatus(HttpStatusCode status, bool retryForbidden) =>
        HttpTransient.IsTransientStatus(status) || (retryForbidden && status == HttpStatusCode.Forbidden);

    /// <summary>The server's Retry-After (seconds or HTTP date), capped; null = use the exponential backoff.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now, TimeSpan cap) =>
        HttpTransient.RetryAfter(response, now, cap);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex
            ? ex is TimeoutRejectedException ? "attempt timed out" : $"transport error ({ex.GetType().Name}: {ex.Message})"
            : $"HTTP {(int)outcome.Result!.StatusCode} {outcome.Result.ReasonPhrase}";
}
