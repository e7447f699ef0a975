using KafkaCatalog.Core.Connections;

namespace KafkaCatalog.Core.Tests.Connections;

/// <summary>
/// The settings layer exactly as Connect-KafkaCluster fills it for -SslCertificatePem/-SslKeyPem,
/// -NoHostnameVerification, -Kerberos*, -OAuthCaLocation and -OAuthExtension, through the resolver
/// to librdkafka properties.
/// </summary>
public class CmdletSettingsMappingTests
{
    private static bool Exists(string path) => path.StartsWith("/exists/", StringComparison.Ordinal);

    [Fact]
    public void Pem_certificate_and_key_reach_librdkafka_and_the_key_stays_out_of_the_text()
    {
        var resolution = KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings
            {
                BootstrapServers = "b1:9093",
                SecurityProtocol = KafkaSecurityProtocol.Ssl,
                SslCertificatePem = Pem.Certificate,
                SslKeyPem = Secrets.Secure(Secrets.KeyPem),
            },
            null,
            null,
            Exists);

        var p = LibrdkafkaConfig.Build(resolution.Options);
        Assert.Equal(Pem.Certificate, p["ssl.certificate.pem"]);
        Assert.Equal(Secrets.KeyPem, p["ssl.key.pem"]);
        Assert.Equal("https", p["ssl.endpoint.identification.algorithm"]);
        Assert.Empty(resolution.Warnings);
        Assert.DoesNotContain("TUlJRXZRSUJBREFO", resolution.Options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_hostname_verification_keeps_certificate_verification_and_warns()
    {
        var resolution = KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings { BootstrapServers = "b1:9093", SecurityProtocol = KafkaSecurityProtocol.Ssl, EnableHostnameVerification = false },
            null,
            null,
            Exists);

        var p = LibrdkafkaConfig.Build(resolution.Options);
        Assert.Equal("none", p["ssl.endpoint.identification.algorithm"]);
        Assert.Equal("true", p["enable.ssl.certificate.verification"]);
        Assert.Equal("HostnameVerificationDisabled", Assert.Single(resolution.Warnings).Code);
    }

    [Fact]
    public void Kerberos_settings_reach_librdkafka()
    {
        var resolution = KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings
            {
                BootstrapServers = "b1:9094",
                SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext,
                SaslMechanism = KafkaSaslMechanism.Gssapi,
                KerberosServiceName = "kafka",
                KerberosPrincipal = "svc-kafka@EXAMPLE.COM",
                KerberosKeytab = "/exists/svc.keytab",
            },
            null,
            null,
            Exists);

        var p = LibrdkafkaConfig.Build(resolution.Options);
        Assert.Equal("GSSAPI", p["sasl.mechanism"]);
        Assert.Equal("kafka", p["sasl.kerberos.service.name"]);
        Assert.Equal("svc-kafka@EXAMPLE.COM", p["sasl.kerberos.principal"]);
        Assert.Equal("/exists/svc.keytab", p["sasl.kerberos.keytab"]);
    }

    [Fact]
    public void Missing_keytab_is_a_specific_error()
    {
        var ex = Assert.Throws<KafkaConnectionException>(() => KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings
            {
                BootstrapServers = "b1:9094",
                SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext,
                SaslMechanism = KafkaSaslMechanism.Gssapi,
                KerberosKeytab = "/nope/svc.keytab",
            },
            null,
            null,
            Exists));

        Assert.Contains(ex.Problems, p => p.Code == "FileNotFound" && p.Option == "KerberosKeytab");
    }

    [Fact]
    public void OAuth_ca_and_extensions_reach_the_oauth_options()
    {
        var resolution = KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings
            {
                BootstrapServers = "b1:9093",
                SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
                OAuthTokenEndpoint = new Uri("https://idp.example.com/token"),
                OAuthClientId = "kafka-client",
                OAuthClientSecret = Secrets.Secure(Secrets.ClientSecret),
                OAuthCaLocation = "/exists/idp-ca.pem",
                OAuthExtensions = new Dictionary<string, string> { ["logicalCluster"] = "lkc-abc123" },
            },
            null,
            null,
            Exists);

        var oauth = resolution.Options.OAuth;
        Assert.NotNull(oauth);
        Assert.Equal("/exists/idp-ca.pem", oauth.CaLocation);
        Assert.Equal("lkc-abc123", oauth.Extensions["logicalCluster"]);
        Assert.Equal(KafkaSaslMechanism.OAuthBearer, resolution.Options.SaslMechanism);
    }
}
