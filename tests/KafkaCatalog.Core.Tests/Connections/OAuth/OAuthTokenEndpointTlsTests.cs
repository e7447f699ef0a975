using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

/// <summary>An HTTPS token endpoint whose certificate is signed by a private CA (written to a PEM file).</summary>
public sealed class PrivateCaTokenServer : IAsyncLifetime
{
    private WebApplication? _app;
    private readonly TempFolder _folder = new();

    public Uri TokenUrl { get; private set; } = new("https://127.0.0.1/");
    public string CaFile { get; private set; } = string.Empty;
    public string OtherCaFile { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Private IdP CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));

        var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using var issued = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), new byte[] { 9, 8, 7, 6 });
        var serverCertificate = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=Unrelated CA", otherKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        CaFile = _folder.Write("idp-ca.pem", ca.ExportCertificatePem());
        OtherCaFile = _folder.Write("other-ca.pem", other.ExportCertificatePem());

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(serverCertificate)));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/token", () => Results.Json(new { access_token = "tls-token", expires_in = 300 }));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        TokenUrl = new Uri(new Uri(address + "/"), "token");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _folder.Dispose();
    }
}

/// <summary>Token endpoints behind a private CA: trusted only through KafkaOAuthOptions.CaLocation.</summary>
public class OAuthTokenEndpointTlsTests : IClassFixture<PrivateCaTokenServer>
{
    private readonly PrivateCaTokenServer _server;

    public OAuthTokenEndpointTlsTests(PrivateCaTokenServer server) => _server = server;

    private OAuthTokenSource Source(string? caLocation, Uri? url = null)
    {
        var oauth = OAuthTest.Options(url ?? _server.TokenUrl) with { CaLocation = caLocation };
        var options = new KafkaConnectionOptions
        {
            BootstrapServers = "b:9092",
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.OAuthBearer,
            OAuth = oauth,
        };
        return new OAuthTokenSource(oauth, OAuthTokenSource.CreateHttpClient(options), retryPipeline: OAuthTest.NoWaitRetry(0));
    }

    [Fact]
    public async Task Private_ca_file_makes_the_endpoint_trusted()
    {
        var token = await Source(_server.CaFile).GetTokenAsync();
        Assert.Equal("tls-token", token.AccessToken);
    }

    [Fact]
    public async Task Without_the_ca_the_endpoint_is_not_trusted()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source(null).GetTokenAsync());
        Assert.Equal("OAuthEndpointUnreachable", ex.ErrorId);
        Assert.Contains("SSL", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unrelated_ca_is_not_enough()
    {
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source(_server.OtherCaFile).GetTokenAsync());
        Assert.Equal("OAuthEndpointUnreachable", ex.ErrorId);
    }

    [Fact]
    public async Task Host_name_is_still_checked_with_a_private_ca()
    {
        var byName = new UriBuilder(_server.TokenUrl) { Host = "localhost" }.Uri;
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => Source(_server.CaFile, byName).GetTokenAsync());
        Assert.Equal("OAuthEndpointUnreachable", ex.ErrorId);
    }

    [Fact]
    public void Ca_file_that_is_not_pem_is_rejected()
    {
        using var folder = new TempFolder();
        var notPem = folder.Write("ca.txt", "just text");
        var ex = Assert.Throws<KafkaConnectionException>(() => Source(notPem));
        Assert.Equal("OAuthCaInvalid", ex.ErrorId);
        Assert.Contains(notPem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_ca_file_is_a_validation_error()
    {
        var options = new KafkaConnectionOptions
        {
            BootstrapServers = "b:9092",
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.OAuthBearer,
            OAuth = OAuthTest.Options() with { CaLocation = "/nope/idp-ca.pem" },
        };
        var problem = Assert.Single(options.Validate());
        Assert.Equal("FileNotFound", problem.Code);
        Assert.Equal("OAuth.CaLocation", problem.Option);
        Assert.Contains("-OAuthCaCertificatePath", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_layer_carries_the_ca_into_options()
    {
        var options = new KafkaConnectionSettings
        {
            BootstrapServers = "b:9092",
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            OAuthTokenEndpoint = _server.TokenUrl,
            OAuthClientId = "c",
            OAuthClientSecret = Secrets.Secure("s"),
            OAuthCaLocation = _server.CaFile,
        }.ToOptions();
        Assert.Equal(_server.CaFile, options.OAuth!.CaLocation);
        Assert.Empty(options.Validate());
    }
}
