using System.Net;

namespace KafkaCatalog.Core.Resilience;

/// <summary>
/// The HTTP facts every retry pipeline here shares (catalog, Polaris, OAuth token endpoint):
/// which status codes are transient, and how long a server's Retry-After asks us to wait.
/// What counts as a transient exception and how long a wait may be differ per area and stay there.
/// </summary>
public static class HttpTransient
{
    /// <summary>408, 429, 500, 502, 503, 504.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// The server's Retry-After (seconds or an HTTP date, measured from <paramref name="now"/>), never negative,
    /// cut to <paramref name="cap"/> when one is given; null when there is none (use the exponential backoff).
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now, TimeSpan? cap = null)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        if (wait is not { } w)
        {
            return null;
        }

        if (w < TimeSpan.Zero)
        {
            w = TimeSpan.Zero;
        }

        return cap is { } c && w > c ? c : w;
    }
}
