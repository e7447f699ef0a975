using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;
using Polly;
using Polly.Timeout;

namespace KafkaCatalog.Core.Catalog;

/// <summary>An error answer from the catalog (or a call that never got one).</summary>
public sealed class CatalogApiException : KafkaCatalogException
{
    public CatalogApiException(ErrorDefinition error, string message, HttpStatusCode? statusCode, string? serverErrorCode, string? entityGuid, object? target = null, Exception? inner = null)
        : base(error, message, target, inner)
    {
        StatusCode = statusCode;
        ServerErrorCode = serverErrorCode;
        EntityGuid = entityGuid;
    }

    /// <summary>HTTP status, null when no answer arrived (transport error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Atlan's errorCode, e.g. ATLAS-404-00-00A.</summary>
    public string? ServerErrorCode { get; }

    /// <summary>The (placeholder) GUID of the entity the server blamed, if it named one.</summary>
    public string? EntityGuid { get; }
}

/// <summary>
/// HTTP to one Atlan tenant: bearer token from a SecureString (copied out only to build each
/// request's header, never logged), JSON both ways, the resilience pipeline around every call,
/// and Atlan's error JSON turned into <see cref="CatalogApiException"/>.
/// </summary>
internal sealed class CatalogApiClient : IDisposable
{
    internal static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private readonly HttpClient _http;
    private readonly SecureString _token;
    private readonly ResiliencePipeline<HttpResponseMessage> _standard;
    private readonly ResiliencePipeline<HttpResponseMessage> _awaitingAccess;
    private long _requests;

    public CatalogApiClient(Uri baseUri, SecureString token, CatalogResilienceOptions resilience, string userAgent)
    {
        _token = token.Copy();
        _token.MakeReadOnly();
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 32,
            AutomaticDecompression = DecompressionMethods.All,
            // A 302 is answered by a retry, as pyatlan does (httpx follows no redirects and 302 is in
            // its retry list), never by following it with the bearer token to another address.
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _standard = CatalogHttpResilience.Create(resilience);
        _awaitingAccess = CatalogHttpResilience.Create(resilience, awaitingAccess: true);
    }

    /// <summary>HTTP attempts made (retries included).</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    public void Dispose()
    {
        _http.Dispose();
        _token.Dispose();
    }

    public Task<JsonNode?> GetAsync(string pathAndQuery, IOperationSink sink, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, sink, ct);

    public Task<JsonNode?> PostAsync(string pathAndQuery, JsonNode body, IOperationSink sink, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, pathAndQuery, body.ToJsonString(Compact), sink, ct);

    public Task<JsonNode?> DeleteAsync(string pathAndQuery, IOperationSink sink, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, pathAndQuery, null, sink, ct);

    /// <summary>One call through the pipeline. <paramref name="awaitAccessFor"/>: also retry 403, for at most that long.</summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string pathAndQuery, string? bodyJson, IOperationSink sink, CancellationToken ct, TimeSpan? awaitAccessFor = null, Action<CatalogRetryInfo>? onRetry = null)
    {
        var call = $"{method.Method} /{PathOnly(pathAndQuery).TrimStart('/')}";
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(CatalogHttpResilience.OnRetryKey, info =>
        {
            sink.Verbose($"Catalog: {call} attempt {info.Attempt} after {info.Reason}; waiting {info.Delay.TotalMilliseconds:0} ms.");
            onRetry?.Invoke(info);
        });
        if (awaitAccessFor is { } limit)
        {
            context.Properties.Set(CatalogHttpResilience.TotalTimeoutKey, limit);
        }

        var pipeline = awaitAccessFor is null ? _standard : _awaitingAccess;
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            sink.Verbose($"Catalog: {call}");
            response = await pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    Interlocked.Increment(ref state.Client._requests);
                    using var request = state.Client.CreateRequest(state.Method, state.Path, state.Body);
                    return await state.Client._http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                new CallState(this, method, pathAndQuery, bodyJson)).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new CatalogApiException(ErrorCatalog.CatalogTimeout, $"The catalog did not answer {call} within {Stopwatch.GetElapsedTime(started).TotalSeconds:0.#} s, retries included. Check the tenant's health or raise the timeout.", null, null, null, call, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new CatalogApiException(ErrorCatalog.CatalogUnreachable, $"Could not reach the catalog at {_http.BaseAddress} for {call}: {ex.Message}", null, null, null, call, ex);
        }
        catch (IOException ex)
        {
            throw new CatalogApiException(ErrorCatalog.CatalogUnreachable, $"The connection to the catalog at {_http.BaseAddress} broke during {call}: {ex.Message}", null, null, null, call, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }

            throw ToException(response.StatusCode, text, call);
        }
    }

    internal static CatalogApiException ToException(HttpStatusCode status, string body, string call)
    {
        string? code = null, message = null, entityGuid = null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                code = First(json, "errorCode", "error", "code", "status");
                message = First(json, "errorMessage", "message", "error_description", "info");
                entityGuid = First(json, "entityGuid");
            }
        }
        catch (JsonException)
        {
            message = body.Length > 300 ? body[..300] : body;
        }

        var answered = $"The catalog answered {(int)status}{(code is null ? string.Empty : " " + code)} to {call}";
        var detail = string.IsNullOrWhiteSpace(message) ? "." : $": {message}";
        var (error, hint) = (int)status switch
        {
            401 => (ErrorCatalog.CatalogAuthenticationFailed, " Check the API token (Connect-Catalog -ApiToken, or ATLAN_API_KEY)."),
            403 => (ErrorCatalog.CatalogPermissionDenied, " The token may not touch this connection: create the connection with the same token, give the token a persona on it, or wait until a new connection's access policies exist."),
            404 when code == "ATLAS-404-00-00A" => (ErrorCatalog.CatalogReferencedAssetNotFound, " A referenced asset does not exist in the catalog; publish topics before the groups that consume them."),
            404 when code == "ATLAS-404-00-007" => (ErrorCatalog.CatalogInvalidAsset, string.Empty),
            404 => (ErrorCatalog.CatalogAssetNotFound, string.Empty),
            400 => (ErrorCatalog.CatalogInvalidRequest, string.Empty),
            409 => (ErrorCatalog.CatalogConflict, string.Empty),
            429 => (ErrorCatalog.CatalogRateLimited, " Retries were exhausted; try again later or lower -ThrottleLimit."),
            >= 500 => (ErrorCatalog.CatalogServerError, " Retries were exhausted; the tenant may be unhealthy."),
            _ => (ErrorCatalog.CatalogRequestFailed, string.Empty),
        };
        return new CatalogApiException(error, answered + detail + hint, status, code, entityGuid, call);
    }

    private static string? First(JsonObject json, params string[] names)
    {
        foreach (var name in names)
        {
            if (json[name] is JsonValue value)
            {
                return value.ToString();
            }
        }

        return null;
    }

    private static string PathOnly(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery[..q];
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string pathAndQuery, string? body)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RevealToken());
        request.Headers.Add("X-Atlan-Request-Id", Guid.NewGuid().ToString());
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private string RevealToken()
    {
        var ptr = IntPtr.Zero;
        try
        {
            ptr = Marshal.SecureStringToGlobalAllocUnicode(_token);
            return Marshal.PtrToStringUni(ptr, _token.Length);
        }
        finally
        {
            if (ptr != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }

    private sealed record CallState(CatalogApiClient Client, HttpMethod Method, string Path, string? Body);
}
