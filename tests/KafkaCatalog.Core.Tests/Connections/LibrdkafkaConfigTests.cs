using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.OAuth;

namespace KafkaCatalog.Core.Tests.Connections;

public class LibrdkafkaConfigTests
{
    [Fact]
    public void Defaults_map_to_plaintext_with_socket_timeout_from_request_timeout()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid());
        Assert.Equal("broker1:9092", p["bootstrap.servers"]);
        Assert.Equal("kafkacatalog", p["client.id"]);
        Assert.Equal("plaintext", p["security.protocol"]);
        Assert.Equal("30000", p["socket.timeout.ms"]);
        Assert.False(p.ContainsKey("request.timeout.ms"));
        Assert.False(p.ContainsKey("sasl.mechanism"));
        Assert.False(p.ContainsKey("ssl.endpoint.identification.algorithm"));
        Assert.Equal(4, p.Count);
    }

    [Fact]
    public void Every_timing_option_maps_to_its_property()
    {
        var options = Fixtures.Valid() with
        {
            RequestTimeout = TimeSpan.FromMilliseconds(25_000),
            SocketTimeout = TimeSpan.FromMilliseconds(61_000),
            ConnectionSetupTimeout = TimeSpan.FromMilliseconds(12_000),
            ConnectionsMaxIdle = TimeSpan.FromMilliseconds(540_000),
            MetadataMaxAge = TimeSpan.FromMilliseconds(900_001),
            MetadataRefreshInterval = TimeSpan.FromMilliseconds(300_002),
            RetryBackoff = TimeSpan.FromMilliseconds(101),
            RetryBackoffMax = TimeSpan.FromMilliseconds(1001),
            ReconnectBackoff = TimeSpan.FromMilliseconds(51),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(30_001),
            ApiVersionRequestTimeout = TimeSpan.FromMilliseconds(2001),
        };
        var p = LibrdkafkaConfig.Build(options);
        Assert.Equal("61000", p["socket.timeout.ms"]);
        Assert.Equal("12000", p["socket.connection.setup.timeout.ms"]);
        Assert.Equal("540000", p["connections.max.idle.ms"]);
        Assert.Equal("900001", p["metadata.max.age.ms"]);
        Assert.Equal("300002", p["topic.metadata.refresh.interval.ms"]);
        Assert.Equal("101", p["retry.backoff.ms"]);
        Assert.Equal("1001", p["retry.backoff.max.ms"]);
        Assert.Equal("51", p["reconnect.backoff.ms"]);
        Assert.Equal("30001", p["reconnect.backoff.max.ms"]);
        Assert.Equal("2001", p["api.version.request.timeout.ms"]);
        Assert.False(p.ContainsKey("request.timeout.ms"));

        var producer = LibrdkafkaConfig.Build(options, KafkaClientRole.Producer);
        Assert.Equal("25000", producer["request.timeout.ms"]);
        Assert.False(LibrdkafkaConfig.Build(options, KafkaClientRole.Consumer).ContainsKey("request.timeout.ms"));
    }

    [Theory]
    [InlineData(KafkaSecurityProtocol.Plaintext, "plaintext")]
    [InlineData(KafkaSecurityProtocol.Ssl, "ssl")]
    [InlineData(KafkaSecurityProtocol.SaslPlaintext, "sasl_plaintext")]
    [InlineData(KafkaSecurityProtocol.SaslSsl, "sasl_ssl")]
    public void Security_protocol_names(KafkaSecurityProtocol protocol, string expected) =>
        Assert.Equal(expected, LibrdkafkaConfig.Build(Fixtures.Valid() with { SecurityProtocol = protocol })["security.protocol"]);

    [Theory]
    [InlineData(KafkaSaslMechanism.Plain, "PLAIN")]
    [InlineData(KafkaSaslMechanism.ScramSha256, "SCRAM-SHA-256")]
    [InlineData(KafkaSaslMechanism.ScramSha512, "SCRAM-SHA-512")]
    [InlineData(KafkaSaslMechanism.OAuthBearer, "OAUTHBEARER")]
    [InlineData(KafkaSaslMechanism.Gssapi, "GSSAPI")]
    public void Sasl_mechanism_names(KafkaSaslMechanism mechanism, string expected)
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = mechanism });
        Assert.Equal(expected, p["sasl.mechanism"]);
        Assert.False(p.ContainsKey("sasl.oauthbearer.method"));
    }

    [Fact]
    public void Sasl_credentials_map_to_username_and_password()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with
        {
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.ScramSha512,
            SaslUsername = "svc",
            SaslPassword = Secrets.Secure(Secrets.Password),
        });
        Assert.Equal("svc", p["sasl.username"]);
        Assert.Equal(Secrets.Password, p["sasl.password"]);
        Assert.Equal("https", p["ssl.endpoint.identification.algorithm"]);
        Assert.Equal("true", p["enable.ssl.certificate.verification"]);
    }

    [Fact]
    public void Tls_files_map_to_locations()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with
        {
            SecurityProtocol = KafkaSecurityProtocol.Ssl,
            SslCaLocation = "/etc/kafka/ca.pem",
            SslCertificateLocation = "/etc/kafka/client.pem",
            SslKeyLocation = "/etc/kafka/client.key",
            SslKeyPassword = Secrets.Secure(Secrets.KeyPassword),
            SslCrlLocation = "/etc/kafka/crl.pem",
        });
        Assert.Equal("ssl", p["security.protocol"]);
        Assert.Equal("/etc/kafka/ca.pem", p["ssl.ca.location"]);
        Assert.Equal("/etc/kafka/client.pem", p["ssl.certificate.location"]);
        Assert.Equal("/etc/kafka/client.key", p["ssl.key.location"]);
        Assert.Equal(Secrets.KeyPassword, p["ssl.key.password"]);
        Assert.Equal("/etc/kafka/crl.pem", p["ssl.crl.location"]);
        Assert.Equal("https", p["ssl.endpoint.identification.algorithm"]);
        Assert.Equal("true", p["enable.ssl.certificate.verification"]);
    }

    [Fact]
    public void Tls_pem_strings_map_to_pem_properties()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with
        {
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.Plain,
            SslCaPem = Pem.Certificate,
            SslCertificatePem = Pem.Certificate,
            SslKeyPem = Secrets.Secure(Secrets.KeyPem),
        });
        Assert.Equal(Pem.Certificate, p["ssl.ca.pem"]);
        Assert.Equal(Pem.Certificate, p["ssl.certificate.pem"]);
        Assert.Equal(Secrets.KeyPem, p["ssl.key.pem"]);
        Assert.False(p.ContainsKey("ssl.ca.location"));
    }

    [Fact]
    public void Hostname_verification_off_maps_to_none_but_keeps_chain_verification()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.Ssl, EnableHostnameVerification = false });
        Assert.Equal("none", p["ssl.endpoint.identification.algorithm"]);
        Assert.Equal("true", p["enable.ssl.certificate.verification"]);
    }

    [Fact]
    public void Skip_certificate_check_turns_off_both_checks()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = KafkaSaslMechanism.Plain, SkipCertificateCheck = true });
        Assert.Equal("none", p["ssl.endpoint.identification.algorithm"]);
        Assert.Equal("false", p["enable.ssl.certificate.verification"]);
    }

    [Fact]
    public void Tls_settings_are_not_written_for_plaintext_protocols()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with { SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext, SaslMechanism = KafkaSaslMechanism.Plain, SslCaLocation = "/x" });
        Assert.False(p.ContainsKey("ssl.ca.location"));
        Assert.False(p.ContainsKey("ssl.endpoint.identification.algorithm"));
    }

    [Fact]
    public void Gssapi_settings_map_to_kerberos_properties()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with
        {
            SecurityProtocol = KafkaSecurityProtocol.SaslPlaintext,
            SaslMechanism = KafkaSaslMechanism.Gssapi,
            KerberosServiceName = "kafka",
            KerberosPrincipal = "svc@EXAMPLE.COM",
            KerberosKeytab = "/etc/svc.keytab",
        });
        Assert.Equal("GSSAPI", p["sasl.mechanism"]);
        Assert.Equal("kafka", p["sasl.kerberos.service.name"]);
        Assert.Equal("svc@EXAMPLE.COM", p["sasl.kerberos.principal"]);
        Assert.Equal("/etc/svc.keytab", p["sasl.kerberos.keytab"]);
    }

    [Fact]
    public void OAuth_uses_the_refresh_handler_and_not_librdkafka_oidc()
    {
        var options = Fixtures.Valid() with
        {
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.OAuthBearer,
            OAuth = new KafkaOAuthOptions { TokenEndpoint = new Uri("https://idp.example.com/token"), ClientId = "kafka-client", ClientSecret = Secrets.Secure(Secrets.ClientSecret) },
        };
        var p = LibrdkafkaConfig.Build(options);
        Assert.Equal("OAUTHBEARER", p["sasl.mechanism"]);
        Assert.DoesNotContain(p.Keys, k => k.StartsWith("sasl.oauthbearer", StringComparison.Ordinal));
        Assert.DoesNotContain(p.Values, v => v.Contains(Secrets.ClientSecret, StringComparison.Ordinal));
        Assert.True(LibrdkafkaConfig.UsesTokenRefreshHandler(options));
        Assert.False(LibrdkafkaConfig.UsesTokenRefreshHandler(options with { OAuth = null }));
    }

    [Fact]
    public void Oidc_only_when_asked_through_properties()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with
        {
            SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.OAuthBearer,
            Properties = new Dictionary<string, string> { ["sasl.oauthbearer.method"] = "oidc" },
        });
        Assert.Equal("oidc", p["sasl.oauthbearer.method"]);
    }

    [Fact]
    public void Raw_properties_are_applied_last_and_override()
    {
        var p = LibrdkafkaConfig.Build(Fixtures.Valid() with
        {
            Properties = new Dictionary<string, string> { ["socket.timeout.ms"] = "5000", ["client.rack"] = "use1-az1" },
        });
        Assert.Equal("5000", p["socket.timeout.ms"]);
        Assert.Equal("use1-az1", p["client.rack"]);
    }

    [Theory]
    [InlineData("ssl", KafkaSecurityProtocol.Ssl)]
    [InlineData("SASL_SSL", KafkaSecurityProtocol.SaslSsl)]
    [InlineData("sasl-plaintext", KafkaSecurityProtocol.SaslPlaintext)]
    [InlineData("SaslSsl", KafkaSecurityProtocol.SaslSsl)]
    [InlineData(" PLAINTEXT ", KafkaSecurityProtocol.Plaintext)]
    public void Protocol_parsing_is_lenient(string text, KafkaSecurityProtocol expected)
    {
        Assert.True(LibrdkafkaConfig.TryParseProtocol(text, out var protocol));
        Assert.Equal(expected, protocol);
    }

    [Theory]
    [InlineData("plain", KafkaSaslMechanism.Plain)]
    [InlineData("SCRAM_SHA_256", KafkaSaslMechanism.ScramSha256)]
    [InlineData("ScramSha512", KafkaSaslMechanism.ScramSha512)]
    [InlineData("oauthbearer", KafkaSaslMechanism.OAuthBearer)]
    [InlineData("GSSAPI", KafkaSaslMechanism.Gssapi)]
    public void Mechanism_parsing_is_lenient(string text, KafkaSaslMechanism expected)
    {
        Assert.True(LibrdkafkaConfig.TryParseMechanism(text, out var mechanism));
        Assert.Equal(expected, mechanism);
    }
}

public class PropertyNormalizationTests
{
    [Fact]
    public void Values_become_librdkafka_text()
    {
        var table = new System.Collections.Hashtable
        {
            ["socket.keepalive.enable"] = true,
            ["enable.auto.commit"] = false,
            ["socket.timeout.ms"] = 12000,
            ["queue.buffering.max.kbytes"] = 1048576L,
            ["some.ratio"] = 0.5,
            ["ssl.providers"] = new object[] { "default", "legacy" },
            [" client.rack "] = "use1-az1",
        };
        var p = KafkaCatalog.Core.Connections.LibrdkafkaConfig.NormalizeProperties(table);
        Assert.Equal("true", p["socket.keepalive.enable"]);
        Assert.Equal("false", p["enable.auto.commit"]);
        Assert.Equal("12000", p["socket.timeout.ms"]);
        Assert.Equal("1048576", p["queue.buffering.max.kbytes"]);
        Assert.Equal("0.5", p["some.ratio"]);
        Assert.Equal("default,legacy", p["ssl.providers"]);
        Assert.Equal("use1-az1", p["client.rack"]);
        Assert.Empty(KafkaCatalog.Core.Connections.LibrdkafkaConfig.NormalizeProperties(null));
    }

    public static IEnumerable<object[]> BadValues() => new[]
    {
        new object[] { "a.b", null!, "PropertyValueMissing", "has no value" },
        new object[] { "a.b", new System.Collections.Hashtable { ["x"] = 1 }, "PropertyValueInvalid", "type Hashtable" },
        new object[] { "a.b", TimeSpan.FromSeconds(1), "PropertyValueInvalid", "type TimeSpan" },
        new object[] { "a.b", DateTime.UnixEpoch, "PropertyValueInvalid", "type DateTime" },
        new object[] { "a.b", new object[] { new object[] { 1 } }, "PropertyValueInvalid", "Write the value as text" },
        new object[] { "a.b", new object[] { "x", null! }, "PropertyValueInvalid", "Object[]" },
        new object[] { "  ", "x", "PropertyNameInvalid", "empty name" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Bad_property_values_give_specific_errors(string key, object? value, string errorId, string fragment)
    {
        var table = new System.Collections.Hashtable { [key] = value };
        var ex = Assert.Throws<KafkaCatalog.Core.Connections.KafkaConnectionException>(() => KafkaCatalog.Core.Connections.LibrdkafkaConfig.NormalizeProperties(table));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Equal(KafkaCatalog.Core.FailureKind.InvalidArgument, ex.Kind);
    }
}
