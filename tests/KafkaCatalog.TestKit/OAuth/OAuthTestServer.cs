using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace KafkaCatalog.TestKit.OAuth;

/// <summary>Kind of access token the test endpoint issues.</summary>
public enum OAuthTokenFormat
{
    /// <summary>Random opaque string; only this server can validate it.</summary>
    Opaque,

    /// <summary>JWT signed with HMAC-SHA256 (shared secret <see cref="OAuthTestServer.HmacKey"/>).</summary>
    JwtHs256,

    /// <summary>JWT signed with RSA-SHA256 (public key at <see cref="OAuthTestServer.JwksEndpoint"/>).</summary>
    JwtRs256,
}

public sealed class OAuthTestServerOptions
{
    /// <summary>Token format (default: RS256 JWT, which librdkafka's built-in OIDC flow can read).</summary>
    public OAuthTokenFormat TokenFormat { get; set; } = OAuthTokenFormat.JwtRs256;

    /// <summary>Token lifetime (default 5 minutes, like Polaris/Keycloak defaults).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Issuer claim (iss) of JWTs.</summary>
    public string Issuer { get; set; } = "https://oauth.testkit.local";

    /// <summary>Audience claim (aud) of JWTs; null leaves it out.</summary>
    public string? Audience { get; set; } = "kafka";

    /// <summary>Scope granted when the request names none (null: no scope claim).</summary>
    public string? DefaultScope { get; set; }

    /// <summary>Clients registered at start (id → secret).</summary>
    public IDictionary<string, string> Clients { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Clock used for iat/exp and for validation (tests move it to expire tokens).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>Result of <see cref="OAuthTestServer.Validate"/>.</summary>
public sealed record OAuthTokenValidation(bool IsValid, string? Subject, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, string? Error)
{
    public static OAuthTokenValidation Invalid(string error) => new(false, null, Array.Empty<string>(), null, error);

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);
}

/// <summary>
/// OAuth 2.0 token endpoint for tests (Kestrel on 127.0.0.1, random port). Supports the client_credentials grant with
/// client_secret_basic (Authorization: Basic) or client_secret_post (form client_id/client_secret), an optional scope,
/// opaque or JWT (HS256/RS256) tokens, and a JWKS document. Wrong credentials give 401 {"error":"invalid_client"}.
/// </summary>
public sealed class OAuthTestServer : IAsyncDisposable
{
    private readonly OAuthTestServerOptions _options;
    private readonly ConcurrentDictionary<string, string> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OAuthTokenValidation> _opaqueTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _keyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
    private WebApplication? _app;
    private int _issued;
    private int _requests;
    private int _rejected;

    private OAuthTestServer(OAuthTestServerOptions options)
    {
        _options = options;
        HmacKey = RandomNumberGenerator.GetBytes(32);
        foreach (var (id, secret) in options.Clients)
        {
            _clients[id] = secret;
        }
    }

    /// <summary>Token endpoint URL (POST, application/x-www-form-urlencoded).</summary>
    public Uri TokenEndpoint { get; private set; } = null!;

    /// <summary>JWKS document with the RS256 public key.</summary>
    public Uri JwksEndpoint { get; private set; } = null!;

    /// <summary>HS256 signing secret (tests that verify HS256 tokens themselves may use it).</summary>
    public byte[] HmacKey { get; }

    /// <summary>RS256 public key parameters.</summary>
    public RSAParameters RsaPublicKey => _rsa.ExportParameters(false);

    /// <summary>Number of tokens issued so far (tests check client-side caching and refresh).</summary>
    public int IssuedTokenCount => Volatile.Read(ref _issued);

    /// <summary>Number of POSTs to the token endpoint (successful or not).</summary>
    public int TokenRequestCount => Volatile.Read(ref _requests);

    /// <summary>Number of token requests rejected (bad credentials, grant or scope).</summary>
    public int RejectedRequestCount => Volatile.Read(ref _rejected);

    /// <summary>Client ids and the scopes each requested, in order (no secrets).</summary>
    public ConcurrentQueue<(string ClientId, string? Scope, string AuthMethod)> RequestLog { get; } = new();

    public static async Task<OAuthTestServer> StartAsync(OAuthTestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new OAuthTestServer(options ?? new OAuthTestServerOptions());
        await server.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    public void AddClient(string clientId, string clientSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(clientSecret);
        _clients[clientId] = clientSecret;
    }

    public bool RemoveClient(string clientId) => _clients.TryRemove(clientId, out _);

    /// <summary>Revokes a token issued by this server (it then fails validation).</summary>
    public void Revoke(string token) => _revoked[token] = true;

    /// <summary>Issues a token directly (no HTTP), counted in <see cref="IssuedTokenCount"/>.</summary>
    public string IssueToken(string subject, string? scope = null, TimeSpan? lifetime = null) =>
        Issue(subject, scope ?? _options.DefaultScope, lifetime ?? _options.TokenLifetime).Token;

    /// <summary>Validates a token this server issued: signature (JWT), expiry, revocation.</summary>
    public OAuthTokenValidation Validate(string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return OAuthTokenValidation.Invalid("empty token");
        }

        if (_revoked.ContainsKey(token))
        {
            return OAuthTokenValidation.Invalid("token revoked");
        }

        var now = _options.TimeProvider.GetUtcNow();
        if (_opaqueTokens.TryGetValue(token, out var opaque))
        {
            return opaque.ExpiresAt <= now ? OAuthTokenValidation.Invalid("token expired") : opaque;
        }
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return OAuthTokenValidation.Invalid("unknown token");
        }

        JsonObject header, payload;
        try
        {
            header = JsonNode.Parse(Base64Url.Decode(parts[0]))!.AsObject();
            payload = JsonNode.Parse(Base64Url.Decode(parts[1]))!.AsObject();
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return OAuthTokenValidation.Invalid("malformed token");
        }
        string alg = header["alg"]?.GetValue<string>() ?? "";
        byte[] signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] signature;
        try
        {
            signature = Base64Url.Decode(parts[2]);
        }
        catch (FormatException)
        {
            return OAuthTokenValidation.Invalid("malformed signature");
        }
        bool ok = alg switch
        {
            "HS256" => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(HmacKey, signingInput), signature),
            "RS256" => _rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => false,
        };
        if (!ok)
        {
            return OAuthTokenValidation.Invalid("invalid signature");
        }

        if (payload["iss"]?.GetValue<string>() != _options.Issuer)
        {
            return OAuthTokenValidation.Invalid("wrong issuer");
        }

        var exp = payload["exp"]?.GetValue<long>();
        if (exp is null)
        {
            return OAuthTokenValidation.Invalid("missing exp");
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp.Value);
        if (expiresAt <= now)
        {
            return OAuthTokenValidation.Invalid("token expired");
        }

        string? scope = payload["scope"]?.GetValue<string>();
        return new OAuthTokenValidation(true, payload["sub"]?.GetValue<string>(), SplitScope(scope), expiresAt, null);
    }

    private static string[] SplitScope(string? scope) =>
        scope is null ? Array.Empty<string>() : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private (string Token, DateTimeOffset ExpiresAt) Issue(string subject, string? scope, TimeSpan lifetime)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var expiresAt = now + lifetime;
        string token;
        if (_options.TokenFormat == OAuthTokenFormat.Opaque)
        {
            token = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
            _opaqueTokens[token] = new OAuthTokenValidation(true, subject, SplitScope(scope), expiresAt, null);
        }
        else
        {
            bool rs = _options.TokenFormat == OAuthTokenFormat.JwtRs256;
            var header = new JsonObject { ["alg"] = rs ? "RS256" : "HS256", ["typ"] = "JWT" };
            if (rs)
            {
                header["kid"] = _keyId;
            }

            var payload = new JsonObject
            {
                ["iss"] = _options.Issuer,
                ["sub"] = subject,
                ["iat"] = now.ToUnixTimeSeconds(),
                ["nbf"] = now.ToUnixTimeSeconds(),
                ["exp"] = expiresAt.ToUnixTimeSeconds(),
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["client_id"] = subject,
            };
            if (_options.Audience is not null)
            {
                payload["aud"] = _options.Audience;
            }

            if (scope is not null)
            {
                payload["scope"] = scope;
            }

            string signingInput = Base64Url.Encode(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." +
                                  Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
            byte[] data = Encoding.ASCII.GetBytes(signingInput);
            byte[] sig = rs
                ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : HMACSHA256.HashData(HmacKey, data);
            token = signingInput + "." + Base64Url.Encode(sig);
        }
        Interlocked.Increment(ref _issued);
        return (token, expiresAt);
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var (app, baseUri) = await LoopbackHttpHost.StartAsync(
            a =>
            {
                a.MapPost("/oauth2/token", (Func<HttpContext, Task<IResult>>)HandleTokenAsync);
                a.MapGet("/.well-known/jwks.json", () => Results.Json(Jwks()));
            },
            cancellationToken).ConfigureAwait(false);
        TokenEndpoint = new Uri(baseUri, "/oauth2/token");
        JwksEndpoint = new Uri(baseUri, "/.well-known/jwks.json");
        _app = app;
    }

    private JsonObject Jwks()
    {
        var p = _rsa.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = _keyId,
                ["n"] = Base64Url.Encode(p.Modulus!),
                ["e"] = Base64Url.Encode(p.Exponent!),
            }),
        };
    }

    private async Task<IResult> HandleTokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (!context.Request.HasFormContentType)
        {
            return Reject(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string? clientId = null, clientSecret = null, method = "none";
        string authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                int colon = decoded.IndexOf(':');
                if (colon > 0)
                {
                    clientId = Uri.UnescapeDataString(decoded[..colon]);
                    clientSecret = Uri.UnescapeDataString(decoded[(colon + 1)..]);
                    method = "client_secret_basic";
                }
            }
            catch (FormatException)
            {
                return Reject(401, "invalid_client", "Malformed Basic credentials", basic: true);
            }
        }
        else if (form.ContainsKey("client_id"))
        {
            clientId = form["client_id"].ToString();
            clientSecret = form["client_secret"].ToString();
            method = "client_secret_post";
        }
        string grant = form["grant_type"].ToString();
        string? scope = form.ContainsKey("scope") ? form["scope"].ToString() : null;
        if (string.IsNullOrEmpty(scope))
        {
            scope = _options.DefaultScope;
        }

        RequestLog.Enqueue((clientId ?? "", scope, method));
        if (clientId is null || clientSecret is null || !_clients.TryGetValue(clientId, out var expected) ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(clientSecret)))
        {
            return Reject(401, "invalid_client", "Client authentication failed", basic: method == "client_secret_basic");
        }
        if (grant != "client_credentials")
        {
            return Reject(400, "unsupported_grant_type", $"Grant type '{grant}' is not supported");
        }
        var (token, _) = Issue(clientId, scope, _options.TokenLifetime);
        var body = new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)_options.TokenLifetime.TotalSeconds,
        };
        if (scope is not null)
        {
            body["scope"] = scope;
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(body);

        IResult Reject(int status, string error, string description, bool basic = false)
        {
            Interlocked.Increment(ref _rejected);
            if (basic)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"testkit\"";
            }

            return Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await LoopbackHttpHost.StopAsync(_app).ConfigureAwait(false);
            _app = null;
        }
        _rsa.Dispose();
    }
}

/// <summary>base64url without padding (RFC 7515).</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string s)
    {
        string b = s.Replace('-', '+').Replace('_', '/');
        b += (b.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("Invalid base64url length") };
        return Convert.FromBase64String(b);
    }
}
