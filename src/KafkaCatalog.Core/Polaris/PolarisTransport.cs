using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;
using Polly;
using Polly.Timeout;

namespace KafkaCatalog.Core.Polaris;

/// <summary>
/// How <see cref="PolarisClient"/> talks HTTP: one request through the <see cref="PolarisHttpResilience"/>
/// pipeline with the project's authorization, the answer read as JSON, and a failed answer turned into
/// the <see cref="KafkaCatalogException"/> the caller names (its not-found, conflict and bad-request ids).
/// </summary>
internal sealed class PolarisTransport : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly PolarisConnection _connection;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly IOperationSink _sink;

    public PolarisTransport(PolarisConnection connection, PolarisClientOptions options, IOperationSink sink)
    {
        _connection = connection;
        _sink = sink;
        _http = options.Handler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
            : new HttpClient(options.Handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's per-attempt timeout applies
        var resilience = options.Resilience with { AttemptTimeout = connection.RequestTimeout < options.Resilience.AttemptTimeout ? connection.RequestTimeout : options.Resilience.AttemptTimeout };
        _pipeline = PolarisHttpResilience.Create(resilience, _sink.Verbose);
    }

    public void Dispose() => _http.Dispose();

    public async Task<PolarisReply> SendAsync(HttpMethod method, string relative, byte[]? body, CancellationToken ct)
    {
        var uri = new Uri(_connection.ProjectUri, relative);
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    _sink.Verbose($"{method} {uri}{(attempts > 1 ? $" (attempt {attempts})" : string.Empty)}");
                    using var request = new HttpRequestMessage(method, uri);
                    request.Headers.Authorization = _connection.CreateAuthorizationHeader();
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    if (body is not null)
                    {
                        request.Content = new ByteArrayContent(body);
                        request.Content.Headers.ContentType = Json;
                    }

                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                },
                ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisTimeout,
                $"Polaris did not answer {method} {uri} within {_connection.RequestTimeout.TotalSeconds:0} s after {attempts} attempt(s).",
                uri,
                ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisUnreachable,
                $"Cannot reach Polaris at {_connection.BaseUri} after {attempts} attempt(s): {ex.Message}",
                uri,
                ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            JsonElement root = default;
            if (response.IsSuccessStatusCode && !string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    root = JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    throw new KafkaCatalogException(ErrorCatalog.PolarisInvalidResponse, $"Polaris answered {method} {uri} with a body that is not JSON.", uri, ex);
                }
            }

            return new PolarisReply(response.StatusCode, root, response.IsSuccessStatusCode ? null : PolarisJson.ErrorMessage(text), attempts, PolarisHttpResilience.RetryAfter(response), method, uri);
        }
    }

    public KafkaCatalogException Failure(PolarisReply reply, object? target, (ErrorDefinition Error, string Message)? conflict, ErrorDefinition? badRequest, (ErrorDefinition Error, string Message)? notFound)
    {
        var detail = reply.Message is null ? string.Empty : $" Polaris says: {reply.Message}";
        var what = $"{reply.Method} {reply.Uri.AbsolutePath}";
        return reply.Status switch
        {
            HttpStatusCode.Unauthorized => new KafkaCatalogException(
                ErrorCatalog.PolarisUnauthorized,
                $"Polaris rejected the API key (HTTP 401) at {_connection.BaseUri}. Check -ApiKey or POLARIS_API_KEY and that the key belongs to this organization.{detail}",
                target),
            HttpStatusCode.Forbidden => new KafkaCatalogException(
                ErrorCatalog.PolarisForbidden,
                $"The API key lacks the permission for {what} (HTTP 403). It needs ManageConnections, ManageTables and ManageIngestionJobs.{detail}",
                target),
            HttpStatusCode.NotFound when notFound is { } nf => new KafkaCatalogException(nf.Error, nf.Message, target),
            HttpStatusCode.Conflict when conflict is { } c => new KafkaCatalogException(c.Error, c.Message + detail, target),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity when badRequest is not null => new KafkaCatalogException(
                badRequest,
                $"Polaris refused {what} (HTTP {(int)reply.Status}).{detail}",
                target),
            HttpStatusCode.TooManyRequests => new KafkaCatalogException(
                ErrorCatalog.PolarisRateLimited,
                $"Polaris kept rate-limiting {what} (HTTP 429){(reply.RetryAfter is { } ra ? $"; it asks to wait {ra.TotalSeconds:0} s" : string.Empty)}. Try again later.{detail}",
                target),
            >= HttpStatusCode.InternalServerError => new KafkaCatalogException(
                ErrorCatalog.PolarisServerError,
                $"Polaris failed {what} with HTTP {(int)reply.Status} after {reply.Attempts} attempt(s).{detail}",
                target),
            _ => new KafkaCatalogException(
                ErrorCatalog.PolarisRequestFailed,
                $"Polaris answered {what} with HTTP {(int)reply.Status}.{detail}",
                target),
        };
    }
}

internal sealed record PolarisReply(HttpStatusCode Status, JsonElement Root, string? Message, int Attempts, TimeSpan? RetryAfter, HttpMethod Method, Uri Uri)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}
