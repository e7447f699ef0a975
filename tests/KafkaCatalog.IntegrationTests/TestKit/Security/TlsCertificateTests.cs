using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using KafkaCatalog.TestKit.Kafka.Security;

namespace KafkaCatalog.IntegrationTests.TestKit.Security;

public class TlsCertificateTests
{
    [Fact]
    public void BrokerCertificate_HasLoopbackSans_AndChainsToCa()
    {
        using var ca = TestCertificateAuthority.Create();
        Assert.True(ca.BrokerCertificate.HasPrivateKey);
        var san = ca.BrokerCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.True(File.Exists(ca.CaPemPath));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(ca.CaPemPath));
        Assert.True(ca.ValidateClientCertificate(ca.BrokerCertificate));
        using var other = TestCertificateAuthority.Create("Other CA");
        Assert.False(other.ValidateClientCertificate(ca.BrokerCertificate));
    }

    [Fact]
    public async Task MutualTls_Handshake_OverLoopback()
    {
        using var ca = TestCertificateAuthority.Create();
        var client = ca.IssueClientCertificate("alice");
        Assert.Equal("User:CN=alice", client.Principal);
        Assert.Contains("PRIVATE KEY", File.ReadAllText(client.KeyPemPath));

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string? serverSawPrincipal = null;
        var serverTask = Task.Run(async () =>
        {
            using var tcp = await listener.AcceptTcpClientAsync();
            using var ssl = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => cert is not null && ca.ValidateClientCertificate(new X509Certificate2(cert)));
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = ca.BrokerCertificate,
                ClientCertificateRequired = true,
            });
            serverSawPrincipal = TestCertificateAuthority.PrincipalFor(new X509Certificate2(ssl.RemoteCertificate!));
            await ssl.WriteAsync(new byte[] { 42 });
        });

        using var tcpClient = new TcpClient();
        await tcpClient.ConnectAsync(IPAddress.Loopback, port);
        using var clientSsl = new SslStream(tcpClient.GetStream(), false, (_, cert, chain, errors) =>
        {
            using var c = new X509Chain();
            c.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            c.ChainPolicy.CustomTrustStore.Add(ca.CaCertificate);
            c.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && c.Build(new X509Certificate2(cert!));
        });
        await clientSsl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = new X509CertificateCollection { client.Certificate },
        });
        var buf = new byte[1];
        Assert.Equal(1, await clientSsl.ReadAsync(buf));
        Assert.Equal(42, buf[0]);
        await serverTask;
        Assert.Equal("User:CN=alice", serverSawPrincipal);
    }
}
