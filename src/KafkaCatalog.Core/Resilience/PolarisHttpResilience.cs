using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KafkaCatalog.Core.Resilience;

/// <summary>Retry limits for calls to the Polaris API.</summary>
public sealed record PolarisResilienceOptions
{
    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetryAttempts { get; init; } = 4;
    /// <summary>First backoff; doubles per attempt, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>A Retry-After longer than this is not waited for: the call fails instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Timeout of a single attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);
}

/// <summary>
/// What is transient when talking to Polaris: 408, 429 (honouring Retry-After), 500/502/503/504,
/// connection failures and resets, and attempts that time out. Everything else (400, 401, 403,
/// 404, 409) is final. Creates (POST) go through the same pipeline: the caller treats a 409 that
/// follows a retried create as "the first attempt already created it" and reads the resource,
/// so a create is never duplicated blindly.
/// </summary>
public static class PolarisHttpResilience
{
    public static ResiliencePipeline<HttpResponseMessage> Create(PolarisResilienceOptions? options = null, Action<string>? onRetry = null)
    {
        options ??= new PolarisResilienceOptions();
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken, options)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var what = args.Outcome.Result is { } r
                        ? $"HTTP {(int)r.StatusCode}"
                        : args.Outcome.Exception?.GetType().Name ?? "failure";
                    args.Outcome.Result?.Dispose();
                    onRetry?.Invoke($"Polaris answered {what}; retry {args.AttemptNumber + 1} of {options.MaxRetryAttempts} in {args.RetryDelay.TotalMilliseconds:0} ms.");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    public static bool IsTransientStatus(HttpStatusCode status) => HttpTransient.IsTransientStatus(status);

    /// <summary>The server's Retry-After (seconds or a date), or null to use the exponential backoff.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response) => HttpTransient.RetryAfter(response, DateTimeOffset.UtcNow);

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken token, PolarisResilienceOptions options)
    {
        if (token.IsCancellationRequested)
        {
            return false;
        }

        if (outcome.Result is { } response)
        {
            if (!IsTransientStatus(response.StatusCode))
            {
                return false;
            }

            // A server asking for a longer pause than we are willing to wait: fail now, say so.
            var retryAfter = RetryAfter(response);
            return retryAfter is null || retryAfter <= options.MaxRetryAfter;
        }

        return outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException;
    }
}
