using System.Collections.Concurrent;
using System.Net;
using System.Text;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KafkaCatalog.Core.Tests.Connections.OAuth;

/// <summary>A small OAuth token endpoint on Kestrel (127.0.0.1, ephemeral port) for over-the-wire tests.</summary>
public sealed class TokenEndpointServer : IAsyncLifetime
{
    public const string ClientId = "kafka-client";
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");
    public ConcurrentDictionary<string, int> Hits { get; } = new();
    public ConcurrentQueue<string> ContentTypes { get; } = new();

    public Uri Url(string path) => new(BaseAddress, path);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();

        // client_secret_post, issues a JWT with sub and exp.
        _app.MapPost("/token", async (HttpContext context) =>
        {
            Hit(context);
            var form = await context.Request.ReadFormAsync();
            if (form["grant_type"] != "client_credentials")
            {
                return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
            }

            if (form["client_id"] != ClientId || form["client_secret"] != Secrets.ClientSecret)
            {
                return Results.Json(new { error = "invalid_client", error_description = "Invalid client or Invalid client credentials" }, statusCode: 401);
            }

            if (form["scope"] is { Count: > 0 } scope && scope != "kafka")
            {
                return Results.Json(new { error = "invalid_scope", error_description = $"Invalid scopes: {scope}" }, statusCode: 400);
            }

            var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
            var jwt = Jwt.Create(new { sub = "service-account-" + ClientId, exp, scope = "kafka" });
            return Results.Json(new { access_token = jwt, token_type = "Bearer", expires_in = 300, scope = "kafka" });
        });

        // client_secret_basic only, issues opaque tokens.
        _app.MapPost("/basic", (HttpContext context) =>
        {
            Hit(context);
            var header = context.Request.Headers.Authorization.ToString();
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + Uri.EscapeDataString(Secrets.ClientSecret)));
            return header == expected
                ? Results.Json(new { access_token = "opaque-" + Guid.NewGuid().ToString("N"), token_type = "bearer" })
                : Results.Json(new { error = "invalid_client" }, statusCode: 401);
        });

        // Fails with 503 (Retry-After: 0) twice per key, then succeeds.
        _app.MapPost("/flaky/{key}", (HttpContext context, string key) =>
        {
            var count = Hit(context);
            if (count <= 2)
            {
                context.Response.Headers.RetryAfter = "0";
                return Results.Text("busy", statusCode: 503);
            }

            return Results.Json(new { access_token = "after-retries", expires_in = 60 });
        });

        _app.MapPost("/broken", (HttpContext context) => { Hit(context); return Results.Json(new { error = "server_error" }, statusCode: 500); });
        _app.MapPost("/login-page", (HttpContext context) => { Hit(context); return Results.Content("<html><body>Sign in</body></html>", "text/html"); });
        _app.MapPost("/no-token", (HttpContext context) => { Hit(context); return Results.Json(new { token_type = "Bearer" }); });
        _app.MapPost("/slow", async (HttpContext context) =>
        {
            Hit(context);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
            return Results.Ok();
        });

        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private int Hit(HttpContext context)
    {
        ContentTypes.Enqueue(context.Request.ContentType ?? string.Empty);
        return Hits.AddOrUpdate(context.Request.Path.Value!, 1, (_, n) => n + 1);
    }
}

/// <summary>The token source over real HTTP to a Kestrel endpoint.</summary>
public class OAuthTokenSourceHttpTests : IClassFixture<TokenEndpointServer>
{
    private readonly TokenEndpointServer _server;

    public OAuthTokenSourceHttpTests(TokenEndpointServer server) => _server = server;

    private OAuthTokenSource Source(string path, OAuthClientAuthentication auth = OAuthClientAuthentication.ClientSecretPost, string? scope = "kafka", string? secret = null, TimeSpan? timeout = null)
    {
        var options = OAuthTest.Options(_server.Url(path), auth, scope) with
        {
            ClientSecret = Secrets.Secure(secret ?? Secrets.ClientSecret),
            HttpTimeout = timeout ?? TimeSpan.FromSeconds(10),
        };
        var connectionOptions = new KafkaConnectionOptions { BootstrapServers = "b:9092", OAuth = options };
        return new OAuthTokenSource(options, OAuthTokenSource.CreateHttpClient(connectionOptions), retryPipeline: OAuthTest.NoWaitRetry());
    }

    [Fact]
    public async Task Fetches_a_jwt_with_client_secret_post()
    {
        var token = await Source("token").GetTokenAsync();
        Assert.True(token.IsJwt);
        Assert.Equal("service-account-kafka-client", token.PrincipalName);
        Assert.Equal("kafka", token.Scope);
        Assert.InRange(token.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.Contains("application/x-www-form-urlencoded", _server.ContentTypes);
    }

    [Fact]
    public async Task Fetches_an_opaque_token_with_client_secret_basic()
    {
        var token = await Source("basic", OAuthClientAuthentication.ClientSecretBasic, scope: null).GetTokenAsync();
        Assert.False(token.IsJwt);
        Assert.StartsWith("opaque-", token.AccessToken, StringComparison.Ordinal);
        Assert.Equal("kafka-client", token.PrincipalName);
        Assert.InRange(token.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task Cached_token_is_reused_without_another_request()
    {
        var source = Source("basic", OAuthClientAuthentication.ClientSecretBasic, scope: null);
        var before = _server.Hits.GetValueOrDefault("/basic");
        var first = await source.GetTokenAsync();
        var second = await source.GetTokenAsync();
        Assert.Same(first, second);
        Assert.Equal(before + 1, _server.Hits["/basic"]);
    }

    [Fact]
    public async Task Wrong_secret_gives_invalid_client_without_the_secret()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source("token", secret: "wrong-" + Secrets.Password).GetTokenAsync());
        Assert.Equal("OAuthInvalidClient", ex.ErrorId);
        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("invalid_client", ex.OAuthError);
        Assert.Contains("Invalid client or Invalid client credentials", ex.Message, StringComparison.Ordinal);
        Secrets.AssertNoSecret(ex.Message, "exception");
        Assert.DoesNotContain("wrong-", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Basic_endpoint_rejects_form_credentials()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source("basic").GetTokenAsync());
        Assert.Equal("OAuthInvalidClient", ex.ErrorId);
        Assert.Contains("client_secret_basic", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_scope_gives_invalid_scope()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source("token", scope: "admin").GetTokenAsync());
        Assert.Equal("OAuthRequestRejected", ex.ErrorId);
        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("-OAuthScope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_503_is_retried_over_http()
    {
        var key = Guid.NewGuid().ToString("N");
        var token = await Source("flaky/" + key).GetTokenAsync();
        Assert.Equal("after-retries", token.AccessToken);
        Assert.Equal(3, _server.Hits["/flaky/" + key]);
    }

    [Fact]
    public async Task Persistent_500_gives_server_error_after_retries()
    {
        var before = _server.Hits.GetValueOrDefault("/broken");
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source("broken").GetTokenAsync());
        Assert.Equal("OAuthServerError", ex.ErrorId);
        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(before + 4, _server.Hits["/broken"]);
    }

    [Fact]
    public async Task Html_page_gives_not_json()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source("login-page").GetTokenAsync());
        Assert.Equal("OAuthResponseNotJson", ex.ErrorId);
        Assert.Contains("text/html", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_access_token_is_reported()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source("no-token").GetTokenAsync());
        Assert.Equal("OAuthAccessTokenMissing", ex.ErrorId);
    }

    [Fact]
    public async Task Unknown_path_gives_404_advice()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source("no-such-endpoint").GetTokenAsync());
        Assert.Equal("OAuthRequestRejected", ex.ErrorId);
        Assert.Equal(404, ex.StatusCode);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_endpoint_times_out()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source("slow", timeout: TimeSpan.FromMilliseconds(300)).GetTokenAsync());
        Assert.Equal("OAuthTimeout", ex.ErrorId);
        Assert.Contains("did not answer within 0.3 s", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.Hits["/slow"]);
    }

    [Fact]
    public async Task Closed_port_is_unreachable()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = OAuthTest.Options(new Uri($"http://127.0.0.1:{port}/token"));
        var source = new OAuthTokenSource(options, new HttpClient(), retryPipeline: OAuthTest.NoWaitRetry(1));
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => source.GetTokenAsync());
        Assert.Equal("OAuthEndpointUnreachable", ex.ErrorId);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_shares_one_token_source_for_all_clients()
    {
        var oauth = OAuthTest.Options(_server.Url("token"));
        var connection = new KafkaConnection("oauth", new KafkaConnectionOptions
        {
            BootstrapServers = "b:9092",
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.OAuthBearer,
            OAuth = oauth,
        });
        var source = connection.GetTokenSource();
        Assert.NotNull(source);
        Assert.Same(source, connection.GetTokenSource());
        var token = source!.GetToken();
        Assert.True(token.IsJwt);
        Assert.Null(new KafkaConnection("plain", new KafkaConnectionOptions { BootstrapServers = "b:9092" }).GetTokenSource());
    }
}
