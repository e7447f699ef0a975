using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KafkaCatalog.Core.Connections.OAuth;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Tests.Connections.OAuth;

/// <summary>Token source logic with an in-process handler and a manual clock. Over-the-wire tests: <see cref="OAuthTokenSourceHttpTests"/>.</summary>
public class OAuthTokenSourceTests
{
    private readonly ManualTimeProvider _clock = new(OAuthTest.Start);

    private OAuthTokenSource Source(ScriptedHandler handler, KafkaOAuthOptions? options = null, int retries = 3) =>
        new(options ?? OAuthTest.Options(), new HttpClient(handler), _clock, OAuthTest.NoWaitRetry(retries));

    private static string Form(string body, string key) =>
        body.Split('&').Select(p => p.Split('=')).Where(p => Uri.UnescapeDataString(p[0]) == key).Select(p => Uri.UnescapeDataString(p[1].Replace('+', ' '))).SingleOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"form has no {key}: {body}");

    [Fact]
    public async Task Client_secret_post_sends_credentials_in_the_form()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"access_token\":\"opaque-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        var token = await Source(handler).GetTokenAsync();
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/x-www-form-urlencoded", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("client_credentials", Form(body, "grant_type"));
        Assert.Equal("kafka-client", Form(body, "client_id"));
        Assert.Equal(Secrets.ClientSecret, Form(body, "client_secret"));
        Assert.Equal("kafka", Form(body, "scope"));
        Assert.Null(request.Headers.Authorization);
        Assert.Equal("opaque-1", token.AccessToken);
        Assert.False(token.IsJwt);
        Assert.Equal("kafka-client", token.PrincipalName);
        Assert.Equal(OAuthTest.Start.AddSeconds(300), token.ExpiresAt);
    }

    [Fact]
    public async Task Client_secret_basic_sends_credentials_in_the_header()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"access_token\":\"t\",\"expires_in\":300}");
        await Source(handler, OAuthTest.Options(auth: OAuthClientAuthentication.ClientSecretBasic, scope: null)).GetTokenAsync();
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal("Basic", request.Headers.Authorization!.Scheme);
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.Parameter!));
        Assert.Equal("kafka-client:" + Uri.EscapeDataString(Secrets.ClientSecret), pair);
        Assert.Equal("grant_type=client_credentials", body);
    }

    [Fact]
    public async Task Missing_expires_in_defaults_to_one_hour()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"access_token\":\"t\"}");
        var token = await Source(handler).GetTokenAsync();
        Assert.Equal(OAuthTest.Start.AddHours(1), token.ExpiresAt);
        Assert.Equal("Bearer", token.TokenType);
    }

    [Fact]
    public async Task Expires_in_as_string_is_accepted()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"access_token\":\"t\",\"expires_in\":\"120\",\"token_type\":\"bearer\",\"scope\":\"kafka admin\"}");
        var token = await Source(handler).GetTokenAsync();
        Assert.Equal(OAuthTest.Start.AddSeconds(120), token.ExpiresAt);
        Assert.Equal("kafka admin", token.Scope);
    }

    [Fact]
    public async Task Jwt_gives_subject_and_expiry()
    {
        var exp = OAuthTest.Start.AddSeconds(200).ToUnixTimeSeconds();
        var jwt = Jwt.Create(new { sub = "service-account-kafka", exp, iat = OAuthTest.Start.ToUnixTimeSeconds() });
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, $"{{\"access_token\":\"{jwt}\"}}");
        var token = await Source(handler).GetTokenAsync();
        Assert.True(token.IsJwt);
        Assert.Equal("service-account-kafka", token.PrincipalName);
        Assert.Equal(exp * 1000, token.ExpiresAtUnixMilliseconds);
    }

    [Fact]
    public async Task The_earlier_of_jwt_exp_and_expires_in_wins()
    {
        var jwt = Jwt.Create(new { sub = "s", exp = OAuthTest.Start.AddSeconds(600).ToUnixTimeSeconds() });
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, $"{{\"access_token\":\"{jwt}\",\"expires_in\":300}}");
        Assert.Equal(OAuthTest.Start.AddSeconds(300), (await Source(handler).GetTokenAsync()).ExpiresAt);
    }

    [Theory]
    [InlineData("not.a-jwt")]
    [InlineData("a.b")]
    [InlineData("eyJhbGciOiJub25lIn0.bm90IGpzb24.x")]
    [InlineData("eyJhbGciOiJub25lIn0.WzEsMl0.x")]
    public async Task Malformed_jwt_like_tokens_are_treated_as_opaque(string accessToken)
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, $"{{\"access_token\":\"{accessToken}\",\"expires_in\":100}}");
        var token = await Source(handler).GetTokenAsync();
        Assert.False(token.IsJwt);
        Assert.Equal("kafka-client", token.PrincipalName);
    }

    [Fact]
    public async Task Jwt_without_sub_uses_the_client_id()
    {
        var jwt = Jwt.Create(new { exp = OAuthTest.Start.AddSeconds(300).ToUnixTimeSeconds(), azp = "x" });
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, $"{{\"access_token\":\"{jwt}\"}}");
        var token = await Source(handler).GetTokenAsync();
        Assert.True(token.IsJwt);
        Assert.Equal("kafka-client", token.PrincipalName);
    }

    [Fact]
    public async Task Token_is_cached_until_sixty_seconds_before_expiry()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.OK, "{\"access_token\":\"first\",\"expires_in\":300}")
            .Then(HttpStatusCode.OK, "{\"access_token\":\"second\",\"expires_in\":300}");
        var source = Source(handler);
        Assert.Equal("first", (await source.GetTokenAsync()).AccessToken);
        _clock.Advance(TimeSpan.FromSeconds(239));
        Assert.Equal("first", (await source.GetTokenAsync()).AccessToken);
        Assert.Single(handler.Requests);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("second", (await source.GetTokenAsync()).AccessToken);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(2, source.FetchCount);
    }

    [Fact]
    public async Task Short_lived_tokens_refresh_at_half_life()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.OK, "{\"access_token\":\"first\",\"expires_in\":30}")
            .Then(HttpStatusCode.OK, "{\"access_token\":\"second\",\"expires_in\":30}");
        var source = Source(handler);
        await source.GetTokenAsync();
        _clock.Advance(TimeSpan.FromSeconds(14));
        Assert.Equal("first", (await source.GetTokenAsync()).AccessToken);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("second", (await source.GetTokenAsync()).AccessToken);
    }

    [Fact]
    public async Task Invalidate_forces_a_new_token()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.OK, "{\"access_token\":\"first\",\"expires_in\":300}")
            .Then(HttpStatusCode.OK, "{\"access_token\":\"second\",\"expires_in\":300}");
        var source = Source(handler);
        await source.GetTokenAsync();
        source.Invalidate();
        Assert.Equal("second", source.GetToken().AccessToken);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_request()
    {
        var release = new TaskCompletionSource();
        var handler = new ScriptedHandler().Then(async _ =>
        {
            await release.Task;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"access_token\":\"shared\",\"expires_in\":300}") };
        });
        var source = Source(handler);
        var calls = Enumerable.Range(0, 8).Select(_ => Task.Run(() => source.GetTokenAsync())).ToList();
        while (handler.Requests.Count == 0)
        {
            await Task.Yield();
        }

        release.SetResult();
        var tokens = await Task.WhenAll(calls);
        Assert.All(tokens, t => Assert.Equal("shared", t.AccessToken));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Transient_errors_are_retried()
    {
        var handler = new ScriptedHandler()
            .Then(HttpStatusCode.ServiceUnavailable, "busy", "text/plain")
            .ThenThrow(new HttpRequestException("Connection reset by peer"))
            .Then(HttpStatusCode.TooManyRequests, "{}")
            .Then(HttpStatusCode.OK, "{\"access_token\":\"t\",\"expires_in\":300}");
        var token = await Source(handler).GetTokenAsync();
        Assert.Equal("t", token.AccessToken);
        Assert.Equal(4, handler.Requests.Count);
    }

    /// <summary>Error responses: status, body, media type → error id and message fragment.</summary>
    public static IEnumerable<object[]> ErrorResponses() => new[]
    {
        new object[] { HttpStatusCode.Unauthorized, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client or Invalid client credentials\"}", "application/json", "OAuthInvalidClient", "client id 'kafka-client' or its secret was rejected" },
        new object[] { HttpStatusCode.BadRequest, "{\"error\":\"invalid_client\"}", "application/json", "OAuthInvalidClient", "HTTP Basic authentication (client_secret_basic)" },
        new object[] { HttpStatusCode.BadRequest, "{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scopes: kafka\"}", "application/json", "OAuthRequestRejected", "The scope 'kafka' is not allowed" },
        new object[] { HttpStatusCode.BadRequest, "{\"error\":\"unauthorized_client\"}", "application/json", "OAuthRequestRejected", "client_credentials grant" },
        new object[] { HttpStatusCode.BadRequest, "{\"error\":\"unsupported_grant_type\"}", "application/json", "OAuthRequestRejected", "does not support client_credentials" },
        new object[] { HttpStatusCode.BadRequest, "{\"error\":\"invalid_request\"}", "application/json", "OAuthRequestRejected", "did not accept the request" },
        new object[] { HttpStatusCode.BadRequest, "<html>bad</html>", "text/html", "OAuthRequestRejected", "HTTP 400" },
        new object[] { HttpStatusCode.NotFound, "Not Found", "text/plain", "OAuthRequestRejected", "the URL does not exist" },
        new object[] { HttpStatusCode.Forbidden, "{\"message\":\"forbidden\"}", "application/json", "OAuthRequestRejected", "HTTP 403" },
        new object[] { HttpStatusCode.InternalServerError, "{\"error\":\"server_error\"}", "application/json", "OAuthServerError", "also after retries" },
        new object[] { HttpStatusCode.OK, "<html><body>Login</body></html>", "text/html", "OAuthResponseNotJson", "not a login page" },
        new object[] { HttpStatusCode.OK, "[\"token\"]", "application/json", "OAuthResponseNotJson", "not a JSON object" },
        new object[] { HttpStatusCode.OK, "", "application/json", "OAuthResponseNotJson", "0 characters" },
        new object[] { HttpStatusCode.OK, "{\"token_type\":\"Bearer\",\"expires_in\":300}", "application/json", "OAuthAccessTokenMissing", "without an access_token" },
        new object[] { HttpStatusCode.OK, "{\"access_token\":\"\"}", "application/json", "OAuthAccessTokenMissing", "without an access_token" },
        new object[] { HttpStatusCode.OK, "{\"access_token\":42}", "application/json", "OAuthAccessTokenMissing", "without an access_token" },
        new object[] { HttpStatusCode.OK, "{\"access_token\":\"t\",\"token_type\":\"mac\"}", "application/json", "OAuthTokenTypeUnsupported", "'mac' token" },
    };

    [Theory]
    [MemberData(nameof(ErrorResponses))]
    public async Task Error_responses_give_specific_errors_without_the_secret(HttpStatusCode status, string body, string mediaType, string errorId, string fragment)
    {
        var handler = new ScriptedHandler();
        for (var i = 0; i < 4; i++)
        {
            handler.Then(status, body, mediaType);
        }

        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source(handler).GetTokenAsync());
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Contains("https://idp.example.com/token", ex.Message, StringComparison.Ordinal);
        Assert.Equal((int)status, ex.StatusCode);
        Secrets.AssertNoSecret(ex.Message, "exception");
        Assert.Equal(OAuthRetry.IsTransientStatus(status) ? 4 : 1, handler.Requests.Count);
    }

    [Fact]
    public async Task Token_provider_for_the_client_factory_carries_token_principal_and_extensions()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"access_token\":\"for-factory\",\"expires_in\":300}");
        var options = OAuthTest.Options() with { Extensions = new Dictionary<string, string> { ["logicalCluster"] = "lkc-1" } };
        var provider = Source(handler, options).AsTokenProvider();
        var token = await provider(CancellationToken.None);
        Assert.Equal("for-factory", token.Value);
        Assert.Equal("kafka-client", token.Principal);
        Assert.Equal(OAuthTest.Start.AddSeconds(300), token.ExpiresAt);
        Assert.Equal("lkc-1", token.Extensions!["logicalCluster"]);
        Assert.DoesNotContain("for-factory", token.ToString(), StringComparison.Ordinal);

        var plain = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"access_token\":\"x\"}");
        Assert.Null((await Source(plain).AsTokenProvider()(CancellationToken.None)).Extensions);
    }

    [Fact]
    public async Task Token_already_expired_on_arrival_is_reported()
    {
        var jwt = Jwt.Create(new { sub = "s", exp = OAuthTest.Start.AddMinutes(-5).ToUnixTimeSeconds() });
        var handler = new ScriptedHandler().Then(HttpStatusCode.OK, $"{{\"access_token\":\"{jwt}\",\"expires_in\":300}}");
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source(handler).GetTokenAsync());
        Assert.Equal("OAuthTokenExpired", ex.ErrorId);
        Assert.Contains("Check the clocks", ex.Message, StringComparison.Ordinal);
        Assert.Equal(KafkaCatalog.Core.FailureKind.InvalidData, ex.Kind);
    }

    [Fact]
    public async Task Server_text_that_echoes_the_secret_is_scrubbed()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.BadRequest, $"{{\"error\":\"invalid_request\",\"error_description\":\"bad secret {Secrets.ClientSecret}\"}}");
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source(handler).GetTokenAsync());
        Assert.Contains("bad secret ***", ex.Message, StringComparison.Ordinal);
        Secrets.AssertNoSecret(ex.Message, "exception");
    }

    [Fact]
    public async Task Unreachable_endpoint_is_reported_after_retries()
    {
        var handler = new ScriptedHandler();
        for (var i = 0; i < 4; i++)
        {
            handler.ThenThrow(new HttpRequestException("Connection refused (idp.example.com:443)"));
        }

        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source(handler).GetTokenAsync());
        Assert.Equal("OAuthEndpointUnreachable", ex.ErrorId);
        Assert.Contains("Connection refused", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_retried()
    {
        using var cts = new CancellationTokenSource();
        var handler = new ScriptedHandler().Then(async _ =>
        {
            cts.Cancel();
            await Task.Delay(Timeout.Infinite, cts.Token);
            throw new InvalidOperationException("unreachable");
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Source(handler).GetTokenAsync(cts.Token));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task No_retry_when_disabled()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.ServiceUnavailable, "{}");
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source(handler, retries: 0).GetTokenAsync());
        Assert.Equal("OAuthServerError", ex.ErrorId);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public void Retry_after_is_honoured_and_capped()
    {
        using var delta = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        delta.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), OAuthRetry.RetryAfter(delta, TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(2), OAuthRetry.RetryAfter(delta, TimeSpan.FromSeconds(2)));

        using var past = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        past.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(TimeSpan.Zero, OAuthRetry.RetryAfter(past, TimeSpan.FromSeconds(10)));

        using var none = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.Null(OAuthRetry.RetryAfter(none, TimeSpan.FromSeconds(10)));
        Assert.Null(OAuthRetry.RetryAfter(null, TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotImplemented, false)]
    public void Transient_status_codes(HttpStatusCode status, bool transient) =>
        Assert.Equal(transient, OAuthRetry.IsTransientStatus(status));

    [Fact]
    public void Token_to_string_and_json_hide_the_access_token()
    {
        var token = new OAuthToken { AccessToken = Secrets.AccessToken, ExpiresAt = OAuthTest.Start, ObtainedAt = OAuthTest.Start, PrincipalName = "p" };
        Secrets.AssertNoSecret(token.ToString(), "ToString");
        Secrets.AssertNoSecret(System.Text.Json.JsonSerializer.Serialize(token), "JSON");
    }
}
