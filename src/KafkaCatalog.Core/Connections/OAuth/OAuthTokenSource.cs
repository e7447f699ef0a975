using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;
using Polly;

namespace KafkaCatalog.Core.Connections.OAuth;

/// <summary>
/// Client-credentials token source for SASL/OAUTHBEARER, used by the client factory's OAuth bearer
/// refresh handler. Works like Mage's ClientCredentialsTokenProvider: POST grant_type=client_credentials
/// (+ scope) to the token endpoint, accept JWT or opaque tokens, default expires_in to 3600 s, cache
/// the token and fetch a new one <see cref="KafkaOAuthOptions.RefreshBeforeExpiry"/> (60 s) before it
/// expires. Transient HTTP failures are retried through <see cref="OAuthRetry"/>. Thread-safe.
/// </summary>
public sealed class OAuthTokenSource
{
    /// <summary>expires_in used when the response has none (Mage's default).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(3600);

    private const int MaxServerTextLength = 300;
    private readonly KafkaOAuthOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile OAuthToken? _cached;

    public OAuthTokenSource(KafkaOAuthOptions options, HttpClient http, TimeProvider? timeProvider = null, ResiliencePipeline<HttpResponseMessage>? retryPipeline = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _time = timeProvider ?? TimeProvider.System;
        _retry = retryPipeline ?? OAuthRetry.Create(timeProvider: _time);
    }

    /// <summary>Number of token requests that reached the endpoint with a final answer (for diagnostics and tests).</summary>
    public int FetchCount { get; private set; }

    /// <summary>
    /// An HttpClient suited to token requests for this connection: per-attempt timeout from the OAuth
    /// options, and, when <see cref="KafkaOAuthOptions.CaLocation"/> is set, the endpoint's certificate
    /// checked against those CA certificates (host name checks stay on).
    /// </summary>
    /// <exception cref="KafkaConnectionException">The CA file cannot be read or holds no certificate.</exception>
    public static HttpClient CreateHttpClient(KafkaConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (options.OAuth?.CaLocation is { } caLocation)
        {
            var roots = LoadCertificates(caLocation);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrustedBy(roots, certificate, errors);
        }

        return new HttpClient(handler) { Timeout = options.OAuth?.HttpTimeout ?? TimeSpan.FromSeconds(10) };
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new KafkaConnectionException(KafkaConnectionProblem.Error(ErrorCatalog.OAuthCaInvalid, "OAuth.CaLocation",
                $"The OAuth CA file '{path}' cannot be read as PEM certificates ({ex.Message}). Pass a PEM file with the identity provider's CA certificates."));
        }

        if (roots.Count == 0)
        {
            throw new KafkaConnectionException(KafkaConnectionProblem.Error(ErrorCatalog.OAuthCaInvalid, "OAuth.CaLocation",
                $"The OAuth CA file '{path}' holds no '-----BEGIN CERTIFICATE-----' block. Pass a PEM file with the identity provider's CA certificates."));
        }

        return roots;
    }

    private static bool IsTrustedBy(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>The cached token if it is still fresh, otherwise a new one from the endpoint.</summary>
    public async Task<OAuthToken> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (IsFresh(_cached))
        {
            return _cached!;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsFresh(_cached))
            {
                return _cached!;
            }

            _cached = await FetchAsync(cancellationToken).ConfigureAwait(false);
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Synchronous form for librdkafka's refresh callback (which runs on a client thread).</summary>
    public OAuthToken GetToken() => GetTokenAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// This source as the Kafka client factory's token provider: what
    /// <c>new KafkaClientFactory(connection, connection.GetTokenSource()?.AsTokenProvider())</c> needs.
    /// </summary>
    public Kafka.KafkaOAuthBearerTokenProvider AsTokenProvider() => async cancellationToken =>
    {
        var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return new Kafka.KafkaOAuthBearerToken(token.AccessToken, token.ExpiresAt, token.PrincipalName)
        {
            Extensions = token.Extensions.Count > 0 ? token.Extensions : null,
        };
    };

    /// <summary>Drops the cached token (e.g. after the broker rejected it).</summary>
    public void Invalidate() => _cached = null;

    private bool IsFresh(OAuthToken? token)
    {
        if (token is null)
        {
            return false;
        }

        // Tokens shorter-lived than twice the margin are refreshed at half their life instead.
        var lifetime = token.ExpiresAt - token.ObtainedAt;
        var margin = _options.RefreshBeforeExpiry < lifetime / 2 ? _options.RefreshBeforeExpiry : lifetime / 2;
        if (margin < TimeSpan.Zero)
        {
            margin = TimeSpan.Zero;
        }

        return _time.GetUtcNow() < token.ExpiresAt - margin;
    }

    private async Task<OAuthToken> FetchAsync(CancellationToken cancellationToken)
    {
        var endpoint = _options.TokenEndpoint;
        HttpResponseMessage response;
        try
        {
            response = await _retry.ExecuteAsync(
                async ct => await _http.SendAsync(BuildRequest(), ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new OAuthTokenException(ErrorCatalog.OAuthEndpointUnreachable, endpoint,
                $"Could not reach the OAuth token endpoint {endpoint}: {Scrub(ex.Message)}. Check the URL, DNS, proxy and firewall.", innerException: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OAuthTokenException(ErrorCatalog.OAuthTimeout, endpoint,
                $"The OAuth token endpoint {endpoint} did not answer within {_http.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. Check that the identity provider is up, or raise the OAuth HTTP timeout.", innerException: ex);
        }

        using (response)
        {
            FetchCount++;
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw ErrorFromResponse(response, body);
            }

            return ParseToken(response, body);
        }
    }

    private HttpRequestMessage BuildRequest()
    {
        var secret = SecretText.Reveal(_options.ClientSecret);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        var request = new HttpRequestMessage(HttpMethod.Post, _options.TokenEndpoint);
        if (_options.ClientAuthentication == OAuthClientAuthentication.ClientSecretBasic)
        {
            // RFC 6749 2.3.1: form-urlencode id and secret before Base64.
            var pair = Uri.EscapeDataString(_options.ClientId) + ":" + Uri.EscapeDataString(secret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        else
        {
            form.Add(new("client_id", _options.ClientId));
            form.Add(new("client_secret", secret));
        }

        if (!string.IsNullOrWhiteSpace(_options.Scope))
        {
            form.Add(new("scope", _options.Scope));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private OAuthTokenException ErrorFromResponse(HttpResponseMessage response, string body)
    {
        var endpoint = _options.TokenEndpoint;
        var status = (int)response.StatusCode;
        string? error = null;
        string? description = null;
        if (TryParseObject(body, out var root))
        {
            error = GetString(root, "error");
            description = GetString(root, "error_description") ?? GetString(root, "message");
        }

        var detail = error is null ? string.Empty : $" ({Scrub(error)}{(description is null ? string.Empty : ": " + Scrub(description))})";
        var head = $"The OAuth token endpoint {endpoint} answered HTTP {status} {response.ReasonPhrase}{detail}";
        if (response.StatusCode == HttpStatusCode.Unauthorized || error == "invalid_client")
        {
            return new OAuthTokenException(ErrorCatalog.OAuthInvalidClient, endpoint,
                $"{head}. The client id '{_options.ClientId}' or its secret was rejected: check -OAuthClientCredential, and whether the client expects {(_options.ClientAuthentication == OAuthClientAuthentication.ClientSecretPost ? "HTTP Basic authentication (client_secret_basic)" : "the secret in the form body (client_secret_post)")} instead.",
                status, error);
        }

        if (status >= 500 || OAuthRetry.IsTransientStatus(response.StatusCode))
        {
            return new OAuthTokenException(ErrorCatalog.OAuthServerError, endpoint,
                $"{head}, also after retries. The identity provider has a problem; try again later.", status, error);
        }

        var fix = error switch
        {
            "invalid_scope" => $"The scope '{_options.Scope}' is not allowed for this client: fix -OAuthScope or leave it out.",
            "unauthorized_client" => "The client may not use the client_credentials grant: enable it (service account) on the identity provider.",
            "unsupported_grant_type" => "The endpoint does not support client_credentials: check that this is the token endpoint of an OAuth 2.0 server.",
            "invalid_request" => "The endpoint did not accept the request: check the URL and the client settings.",
            _ when status == 404 => "Check -OAuthTokenEndpoint: the URL does not exist.",
            _ => "Check -OAuthTokenEndpoint, -OAuthClientCredential and -OAuthScope.",
        };
        return new OAuthTokenException(ErrorCatalog.OAuthRequestRejected, endpoint, $"{head}. {fix}", status, error);
    }

    private OAuthToken ParseToken(HttpResponseMessage response, string body)
    {
        var endpoint = _options.TokenEndpoint;
        if (!TryParseObject(body, out var root))
        {
            var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            throw new OAuthTokenException(ErrorCatalog.OAuthResponseNotJson, endpoint,
                $"The OAuth token endpoint {endpoint} answered HTTP {(int)response.StatusCode} with a body that is not a JSON object ({type}, {body.Length} characters). Check that the URL is the token endpoint, not a login page.",
                (int)response.StatusCode);
        }

        var accessToken = GetString(root, "access_token");
        if (string.IsNullOrEmpty(accessToken))
        {
            throw new OAuthTokenException(ErrorCatalog.OAuthAccessTokenMissing, endpoint,
                $"The OAuth token endpoint {endpoint} answered without an access_token. Check that it is an OAuth 2.0 token endpoint for the client_credentials grant.",
                (int)response.StatusCode);
        }

        var tokenType = GetString(root, "token_type") ?? "Bearer";
        if (!tokenType.Equals("bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new OAuthTokenException(ErrorCatalog.OAuthTokenTypeUnsupported, endpoint,
                $"The OAuth token endpoint {endpoint} issued a '{Scrub(tokenType)}' token; Kafka's OAUTHBEARER needs a Bearer token. Configure the client on the identity provider to issue bearer tokens.",
                (int)response.StatusCode);
        }

        var now = _time.GetUtcNow();
        DateTimeOffset? expiresFromResponse = null;
        if (root.TryGetProperty("expires_in", out var expiresIn))
        {
            double seconds = -1;
            var ok = expiresIn.ValueKind switch
            {
                JsonValueKind.Number => expiresIn.TryGetDouble(out seconds),
                JsonValueKind.String => double.TryParse(expiresIn.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out seconds),
                _ => false,
            };
            if (ok && seconds > 0 && seconds < TimeSpan.FromDays(3650).TotalSeconds)
            {
                expiresFromResponse = now + TimeSpan.FromSeconds(seconds);
            }
        }

        var isJwt = JwtPayload.TryRead(accessToken, out var jwtExpiry, out var subject);
        var expires = (expiresFromResponse, jwtExpiry) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => now + DefaultLifetime,
        };

        if (expires <= now)
        {
            throw new OAuthTokenException(ErrorCatalog.OAuthTokenExpired, endpoint,
                $"The OAuth token endpoint {endpoint} issued a token that expires at {expires:u}, which is not after this machine's time {now:u}. Check the clocks of this machine and of the identity provider.",
                (int)response.StatusCode);
        }

        return new OAuthToken
        {
            AccessToken = accessToken,
            ExpiresAt = expires,
            ObtainedAt = now,
            PrincipalName = subject ?? _options.ClientId,
            TokenType = tokenType,
            Scope = GetString(root, "scope") ?? _options.Scope,
            IsJwt = isJwt,
            Extensions = _options.Extensions,
        };
    }

    /// <summary>Removes the client secret from text that came from the server or the network stack, and bounds its length.</summary>
    private string Scrub(string text)
    {
        var secret = SecretText.Reveal(_options.ClientSecret);
        if (secret.Length > 0)
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text.Length > MaxServerTextLength ? text[..MaxServerTextLength] + "..." : text;
    }

    private static bool TryParseObject(string body, out JsonElement root)
    {
        root = default;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            root = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
