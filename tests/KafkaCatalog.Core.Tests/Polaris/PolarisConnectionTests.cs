using System.Text;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.Core.Resilience;
using static KafkaCatalog.Core.Tests.Polaris.PolarisSpecBuilderTests;

namespace KafkaCatalog.Core.Tests.Polaris;

public sealed class PolarisConnectionTests
{
    private const string Key = "pok_abcdef0123456789";

    [Fact]
    public void Project_id_comes_from_the_uri()
    {
        var c = PolarisConnection.Create(null, new Uri("https://example.us-east-1.aws.api.imply.io/v1/projects/0f3c-11/"), Secure(Key));

        Assert.Equal("0f3c-11", c.ProjectId);
        Assert.Equal(new Uri("https://example.us-east-1.aws.api.imply.io/"), c.BaseUri);
        Assert.Equal(new Uri("https://example.us-east-1.aws.api.imply.io/v1/projects/0f3c-11/"), c.ProjectUri);
        Assert.Equal("example.us-east-1.aws.api.imply.io", c.Name);
    }

    [Fact]
    public void Project_id_from_the_parameter()
    {
        var c = PolarisConnection.Create("prod", new Uri("https://example.api.imply.io"), Secure(Key), "p-1");

        Assert.Equal("p-1", c.ProjectId);
        Assert.Equal("https://example.api.imply.io/v1/projects/p-1/", c.ProjectUri.ToString());
        Assert.Equal("prod", c.Name);
    }

    [Fact]
    public void Conflicting_or_missing_project_ids_are_specific_errors()
    {
        Assert.Equal("PolarisProjectIdConflict", Assert.Throws<KafkaCatalogException>(() => PolarisConnection.Create(null, new Uri("https://x/v1/projects/a"), Secure(Key), "b")).ErrorId);
        Assert.Equal("PolarisProjectIdMissing", Assert.Throws<KafkaCatalogException>(() => PolarisConnection.Create(null, new Uri("https://x/"), Secure(Key))).ErrorId);
        Assert.Equal("PolarisApiKeyMissing", Assert.Throws<KafkaCatalogException>(() => PolarisConnection.Create(null, new Uri("https://x/v1/projects/a"), Secure(string.Empty))).ErrorId);
        Assert.Equal("PolarisInvalidBaseUri", Assert.Throws<KafkaCatalogException>(() => PolarisConnection.Create(null, new Uri("ftp://x/v1/projects/a"), Secure(Key))).ErrorId);
    }

    [Fact]
    public void Authorization_is_basic_with_the_raw_key_as_polaris_documents_it()
    {
        var c = PolarisConnection.Create(null, new Uri("https://x/v1/projects/a"), Secure(Key));

        var header = c.CreateAuthorizationHeader();

        Assert.Equal("Basic", header.Scheme);
        Assert.Equal(Key, header.Parameter);
    }

    [Fact]
    public void Key_never_shows_in_ToString_or_json()
    {
        var c = PolarisConnection.Create(null, new Uri("https://x/v1/projects/a"), Secure(Key));

        Assert.DoesNotContain(Key, c.ToString());
        Assert.DoesNotContain(Key, JsonSerializer.Serialize(c));
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Key + ":")), JsonSerializer.Serialize(c));
    }

    [Fact]
    public void Resolver_prefers_explicit_then_default_then_environment()
    {
        var a = PolarisConnection.Create("a", new Uri("https://a/v1/projects/1"), Secure(Key));
        var b = PolarisConnection.Create("b", new Uri("https://b/v1/projects/2"), Secure(Key));
        var env = new Dictionary<string, string?> { ["POLARIS_BASE_URL"] = "https://env.api.imply.io/v1/projects/3", ["POLARIS_API_KEY"] = Key };

        Assert.Same(a, PolarisConnectionResolver.Resolve(a, b, _ => null));
        Assert.Same(b, PolarisConnectionResolver.Resolve(null, b, _ => null));
        var fromEnv = PolarisConnectionResolver.Resolve(null, null, k => env.GetValueOrDefault(k));
        Assert.Equal("3", fromEnv.ProjectId);
        Assert.Equal(Key, fromEnv.CreateAuthorizationHeader().Parameter);
        var none = Assert.Throws<KafkaCatalogException>(() => PolarisConnectionResolver.Resolve(null, null, _ => null));
        Assert.Equal("PolarisNotConnected", none.ErrorId);
        Assert.Contains("Connect-Polaris", none.Message);
    }

    [Fact]
    public void Connect_takes_the_key_and_project_from_the_environment()
    {
        var env = new Dictionary<string, string?> { ["POLARIS_API_KEY"] = Key, ["POLARIS_PROJECT_ID"] = "p9" };

        var c = PolarisConnectionResolver.Create(null, new Uri("https://org.api.imply.io"), null, null, k => env.GetValueOrDefault(k));

        Assert.Equal("p9", c.ProjectId);
        Assert.Equal("PolarisBaseUriMissing", Assert.Throws<KafkaCatalogException>(() => PolarisConnectionResolver.Create(null, null, null, null, k => env.GetValueOrDefault(k))).ErrorId);
        Assert.Equal("PolarisApiKeyMissing", Assert.Throws<KafkaCatalogException>(() => PolarisConnectionResolver.Create(null, new Uri("https://o/v1/projects/x"), null, null, _ => null)).ErrorId);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(501, false)]
    public void Transient_statuses(int status, bool transient) =>
        Assert.Equal(transient, PolarisHttpResilience.IsTransientStatus((System.Net.HttpStatusCode)status));

    [Fact]
    public void Retry_after_seconds_and_dates()
    {
        using var seconds = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        seconds.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        using var none = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        using var past = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        past.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.Equal(TimeSpan.FromSeconds(7), PolarisHttpResilience.RetryAfter(seconds));
        Assert.Null(PolarisHttpResilience.RetryAfter(none));
        Assert.Equal(TimeSpan.Zero, PolarisHttpResilience.RetryAfter(past));
    }

    [Fact]
    public void Session_level_errors_stop_the_command()
    {
        Assert.True(PolarisErrors.IsSessionLevel(new KafkaCatalogException("PolarisUnauthorized", FailureKind.AuthenticationError, "x")));
        Assert.True(PolarisErrors.IsSessionLevel(new KafkaCatalogException("PolarisUnreachable", FailureKind.ConnectionError, "x")));
        Assert.False(PolarisErrors.IsSessionLevel(new KafkaCatalogException("PolarisConnectionExists", FailureKind.ResourceExists, "x")));
        Assert.False(PolarisErrors.IsSessionLevel(new KafkaCatalogException("PolarisSecretMissing", FailureKind.InvalidArgument, "x")));
    }

    [Fact]
    public void Tolerant_reader_ignores_unknown_fields_and_missing_audit()
    {
        var c = PolarisConnection.Create("s", new Uri("https://x/v1/projects/a"), Secure(Key));
        using var doc = JsonDocument.Parse("{\"name\":\"n\",\"type\":\"kafka\",\"future\":{\"x\":1},\"secrets\":{\"type\":\"sasl_plain\",\"username\":\"u\"},\"ssl\":{\"truststore\":{\"type\":\"pem\"}}}");

        var read = PolarisJson.ReadConnection(doc.RootElement, c);

        Assert.Equal("n", read.Name);
        Assert.Equal("sasl_plain", read.SecretType);
        Assert.Equal("u", read.SecretPrincipal);
        Assert.True(read.HasTruststore);
        Assert.Null(read.SubmittedOn);
        Assert.Equal("s", read.PolarisConnectionName);
        Assert.Equal("boom", PolarisJson.ErrorMessage("{\"error\":{\"code\":\"X\",\"message\":\"boom\"}}"));
        Assert.Equal("plain", PolarisJson.ErrorMessage("{\"message\":\"plain\"}"));
    }
}
