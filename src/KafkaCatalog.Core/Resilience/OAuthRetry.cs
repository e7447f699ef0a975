using System.Net;
using Polly;
using Polly.Retry;

namespace KafkaCatalog.Core.Resilience;

/// <summary>Retry settings for calls to an OAuth token endpoint.</summary>
public sealed record OAuthRetryOptions
{
    /// <summary>Retries after the first attempt (0 = no retry).</summary>
    public int MaxRetryAttempts { get; init; } = 3;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Upper bound for any single wait, including a server's Retry-After.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);
    public bool UseJitter { get; init; } = true;
}

/// <summary>
/// The retry pipeline for token requests. A client-credentials token request has no side effect,
/// so retrying it is safe. Transient: connection failures, per-attempt timeouts, HTTP 408, 429,
/// 500, 502, 503, 504. Retry-After is honoured (capped at <see cref="OAuthRetryOptions.MaxDelay"/>).
/// </summary>
public static class OAuthRetry
{
    public static ResiliencePipeline<HttpResponseMessage> Create(OAuthRetryOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new OAuthRetryOptions();
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }

        if (options.MaxRetryAttempts <= 0)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            Delay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = options.UseJitter,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxDelay)),
        }).Build();
    }

    /// <summary>True for outcomes worth another attempt.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                HttpRequestException => true,
                // HttpClient.Timeout surfaces as TaskCanceledException while the caller's token is not cancelled.
                TaskCanceledException when !cancellationToken.IsCancellationRequested => true,
                _ => false,
            };
        }

        return outcome.Result is { } response && IsTransientStatus(response.StatusCode);
    }

    public static bool IsTransientStatus(HttpStatusCode status) => HttpTransient.IsTransientStatus(status);

    /// <summary>The server's Retry-After as a delay, capped at <paramref name="maxDelay"/>, or null to use the exponential backoff.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan maxDelay) =>
        HttpTransient.RetryAfter(response, DateTimeOffset.UtcNow, maxDelay);
}
