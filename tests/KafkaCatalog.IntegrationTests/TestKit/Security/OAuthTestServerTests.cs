using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KafkaCatalog.TestKit.OAuth;

namespace KafkaCatalog.IntegrationTests.TestKit.Security;

public class OAuthTestServerTests
{
    private static FormUrlEncodedContent Form(params (string, string)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

    [Theory]
    [InlineData(OAuthTokenFormat.JwtRs256)]
    [InlineData(OAuthTokenFormat.JwtHs256)]
    [InlineData(OAuthTokenFormat.Opaque)]
    public async Task ClientCredentials_Basic_IssuesValidToken(OAuthTokenFormat format)
    {
        await using var oauth = await OAuthTestServer.StartAsync(new OAuthTestServerOptions { TokenFormat = format, TokenLifetime = TimeSpan.FromMinutes(2) });
        oauth.AddClient("app", "s3cret");
        Assert.Equal("127.0.0.1", oauth.TokenEndpoint.Host);
        using var http = new HttpClient();
        using var req = new HttpRequestMessage(HttpMethod.Post, oauth.TokenEndpoint)
        {
            Content = Form(("grant_type", "client_credentials"), ("scope", "kafka read")),
        };
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("app:s3cret")));
        using var resp = await http.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        string token = doc.RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal("Bearer", doc.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(120, doc.RootElement.GetProperty("expires_in").GetInt64());
        Assert.Equal("kafka read", doc.RootElement.GetProperty("scope").GetString());
        Assert.Equal(format == OAuthTokenFormat.Opaque ? 1 : 3, token.Split('.').Length);

        var v = oauth.Validate(token);
        Assert.True(v.IsValid, v.Error);
        Assert.Equal("app", v.Subject);
        Assert.True(v.HasScope("kafka"));
        Assert.Equal(1, oauth.IssuedTokenCount);
        Assert.False(oauth.Validate(token + "x").IsValid);
    }

    [Fact]
    public async Task ClientCredentials_Post_AndWrongSecret()
    {
        await using var oauth = await OAuthTestServer.StartAsync();
        oauth.AddClient("app", "s3cret");
        using var http = new HttpClient();
        using var ok = await http.PostAsync(oauth.TokenEndpoint, Form(("grant_type", "client_credentials"), ("client_id", "app"), ("client_secret", "s3cret")));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var bad = await http.PostAsync(oauth.TokenEndpoint, Form(("grant_type", "client_credentials"), ("client_id", "app"), ("client_secret", "nope")));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        using var doc = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.Equal("invalid_client", doc.RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain("nope", await bad.Content.ReadAsStringAsync());

        using var grant = await http.PostAsync(oauth.TokenEndpoint, Form(("grant_type", "password"), ("client_id", "app"), ("client_secret", "s3cret")));
        Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
        Assert.Contains("unsupported_grant_type", await grant.Content.ReadAsStringAsync());

        Assert.Equal(1, oauth.IssuedTokenCount);
        Assert.Equal(3, oauth.TokenRequestCount);
        Assert.Equal(2, oauth.RejectedRequestCount);
        Assert.Contains(oauth.RequestLog, e => e.AuthMethod == "client_secret_post");
    }

    [Fact]
    public async Task Tokens_ExpireOnTheServerClock_AndCanBeRevoked()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var oauth = await OAuthTestServer.StartAsync(new OAuthTestServerOptions { TimeProvider = clock, TokenLifetime = TimeSpan.FromSeconds(60) });
        var token = oauth.IssueToken("svc");
        Assert.True(oauth.Validate(token).IsValid);
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("token expired", oauth.Validate(token).Error);

        var other = oauth.IssueToken("svc");
        oauth.Revoke(other);
        Assert.Equal("token revoked", oauth.Validate(other).Error);
    }

    [Fact]
    public async Task Jwks_PublishesTheRsaKey()
    {
        await using var oauth = await OAuthTestServer.StartAsync();
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync(oauth.JwksEndpoint));
        var key = doc.RootElement.GetProperty("keys")[0];
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal(Base64Url.Encode(oauth.RsaPublicKey.Modulus!), key.GetProperty("n").GetString());
    }

    [Fact]
    public async Task ForeignJwt_IsRejected()
    {
        await using var a = await OAuthTestServer.StartAsync();
        await using var b = await OAuthTestServer.StartAsync();
        Assert.Equal("invalid signature", b.Validate(a.IssueToken("svc")).Error);
    }
}
