using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>
/// A throw-away certificate authority for TestKit listeners: a self-signed CA and a broker certificate with
/// SAN 127.0.0.1 / localhost, generated at start. <see cref="CaPemPath"/> is the CA in PEM for clients
/// (<c>ssl.ca.location</c>). Client certificates for mutual TLS come from <see cref="IssueClientCertificate"/>.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly string _directory;

    private TestCertificateAuthority(X509Certificate2 ca, X509Certificate2 broker, string directory)
    {
        CaCertificate = ca;
        BrokerCertificate = broker;
        _directory = directory;
        CaPem = ca.ExportCertificatePem();
        CaPemPath = Path.Combine(directory, "ca.pem");
        File.WriteAllText(CaPemPath, CaPem);
    }

    public X509Certificate2 CaCertificate { get; }

    public X509Certificate2 BrokerCertificate { get; }

    /// <summary>CA certificate, PEM.</summary>
    public string CaPem { get; }

    /// <summary>Temp file with the CA certificate in PEM.</summary>
    public string CaPemPath { get; }

    /// <summary>Directory holding the PEM files (deleted on Dispose).</summary>
    public string Directory => _directory;

    public static TestCertificateAuthority Create(string commonName = "KafkaCatalog TestKit CA")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest($"CN={commonName}, O=KafkaCatalog TestKit", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caReq.PublicKey, false));
        using var caCert = caReq.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        var ca = Reload(caCert);

        var broker = Issue(ca, "CN=localhost, O=KafkaCatalog TestKit", serverAuth: true);
        var dir = Path.Combine(Path.GetTempPath(), "kafkacatalog-testkit-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        return new TestCertificateAuthority(ca, broker, dir);
    }

    /// <summary>
    /// Issues a client certificate (subject <c>CN=&lt;commonName&gt;</c>) and writes its PEM certificate and PKCS#8 key to
    /// files for <c>ssl.certificate.location</c> / <c>ssl.key.location</c>.
    /// </summary>
    public ClientCertificateFiles IssueClientCertificate(string commonName)
    {
        var cert = Issue(CaCertificate, $"CN={commonName}", serverAuth: false);
        string safe = string.Concat(commonName.Select(c => char.IsLetterOrDigit(c) ? c : '_'));
        string certPath = Path.Combine(_directory, $"client-{safe}.pem");
        string keyPath = Path.Combine(_directory, $"client-{safe}.key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        using (var key = cert.GetECDsaPrivateKey()!)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        }
        return new ClientCertificateFiles(cert, certPath, keyPath);
    }

    /// <summary>Kafka's SSL principal for a client certificate: "User:" + the subject distinguished name (RFC 2253).</summary>
    public static string PrincipalFor(X509Certificate2 clientCertificate) =>
        "User:" + clientCertificate.SubjectName.Decode(X500DistinguishedNameFlags.UseCommas);

    /// <summary>Checks a client certificate against this CA (chain to our root, no revocation).</summary>
    public bool ValidateClientCertificate(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, bool serverAuth)
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        var eku = new OidCollection { new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") };
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(eku, false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
        }
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var pub = req.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        using var withKey = pub.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    // Round-trip through PKCS#12 so SslStream gets a certificate with a persisted, usable private key.
    private static X509Certificate2 Reload(X509Certificate2 cert) =>
        X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    public void Dispose()
    {
        CaCertificate.Dispose();
        BrokerCertificate.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: temp files
        }
    }
}

/// <summary>A client certificate and the PEM files written for librdkafka.</summary>
public sealed record ClientCertificateFiles(X509Certificate2 Certificate, string CertificatePemPath, string KeyPemPath)
{
    public string Principal => TestCertificateAuthority.PrincipalFor(Certificate);
}
