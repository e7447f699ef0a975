using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KafkaCatalog.IntegrationTests.Polaris;

internal static class TestCertificates
{
    /// <summary>Writes a self-signed CA certificate plus its private key (which must NOT be sent) to a temp PEM file.</summary>
    public static string WriteCaFile(out string certificatePem)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=KafkaCatalog Test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        certificatePem = certificate.ExportCertificatePem();
        var path = Path.Combine(Path.GetTempPath(), $"polaris-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem() + "\n" + certificatePem + "\n");
        return path;
    }
}
