using System.Collections;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.Profiles;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.Core.Tests.Connections;

/// <summary>
/// Profiles read as their own tools read them: Mage (mage_ai/streaming/sources|sinks/kafka.py, kafka-python),
/// kafka-python's KafkaAdminClient (DEFAULT_CONFIG of 2.0.2 and 3.x) and librdkafka properties files (kcat -F).
/// </summary>
public class ProfileDialectTests
{
    private static readonly Hashtable NoEnvironment = new();

    private static KafkaProfile Read(TempFolder folder, string name, string content) =>
        KafkaProfileReader.Read(folder.Write(name, content), NoEnvironment);

    private static string Reveal(System.Security.SecureString? s) => new System.Net.NetworkCredential(string.Empty, s).Password;

    // ---------------------------------------------------------------- Mage

    [Fact]
    public void Mage_sink_keys_become_producer_batching_and_the_default_topic()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "sink.yaml", "connector_type: kafka\nbootstrap_server: a:9092\ntopic: census\nbatch_size: 16384\ntimeout_ms: 250\n");
        var options = profile.ToOptions();

        Assert.Equal("census", options.DefaultTopic);
        var producer = LibrdkafkaConfig.Build(options, KafkaClientRole.Producer);
        Assert.Equal("16384", producer["batch.size"]);
        Assert.Equal("250", producer["linger.ms"]);
        Assert.False(LibrdkafkaConfig.Build(options, KafkaClientRole.Admin).ContainsKey("linger.ms"));
        Assert.False(LibrdkafkaConfig.Build(options, KafkaClientRole.Consumer).ContainsKey("batch.size"));
    }

    [Theory]
    [InlineData("0", "-1", "100", "500")]
    [InlineData("-5", "0", "100", "500")]
    public void Mage_treats_zero_or_less_as_its_defaults(string batch, string timeout, string batchSize, string linger)
    {
        using var folder = new TempFolder();
        var producer = Read(folder, "d.yaml", $"bootstrap_server: a:9092\ntopic: t\nbatch_size: {batch}\ntimeout_ms: {timeout}\n").Settings.ProducerProperties!;
        Assert.Equal((batchSize, linger), (producer["batch.size"], producer["linger.ms"]));
    }

    [Fact]
    public void Property_wins_over_the_profiles_producer_batching()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "p.yaml", "bootstrap_server: a:9092\ntimeout_ms: 250\n");
        var merged = KafkaConnectionSettings.Merge(new KafkaConnectionSettings { Properties = new Dictionary<string, string> { ["linger.ms"] = "5" } }, profile.Settings).ToOptions();
        Assert.Equal("5", LibrdkafkaConfig.Build(merged, KafkaClientRole.Producer)["linger.ms"]);
    }

    [Fact]
    public void Mage_ssl_without_check_hostname_does_not_check_host_names_as_Mage()
    {
        using var folder = new TempFolder();
        folder.Write("ca.pem", "x");
        var profile = Read(folder, "ssl.yaml", "bootstrap_server: a:9093\nsecurity_protocol: SSL\nssl_config:\n  cafile: ca.pem\n");
        Assert.False(profile.Settings.EnableHostnameVerification);
        Assert.Contains(profile.Warnings, w => w.Code == "MageHostnameCheckDefault" && w.Message.Contains("default is false", StringComparison.Ordinal));
        Assert.Equal("none", LibrdkafkaConfig.Build(profile.ToOptions())["ssl.endpoint.identification.algorithm"]);
        Assert.Equal("true", LibrdkafkaConfig.Build(profile.ToOptions())["enable.ssl.certificate.verification"]);
    }

    [Fact]
    public void Mage_sasl_ssl_passes_only_the_ca_file_and_checks_host_names()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "sasl.yaml",
            "bootstrap_server: a:9094\nsecurity_protocol: SASL_SSL\nsasl_config:\n  username: u\n  password: p\nssl_config:\n  cafile: ca.pem\n  certfile: c.pem\n  keyfile: k.pem\n  check_hostname: false\n");
        var s = profile.Settings;
        Assert.Equal(KafkaSaslMechanism.Plain, s.SaslMechanism);
        Assert.EndsWith("ca.pem", s.SslCaLocation, StringComparison.Ordinal);
        Assert.Null(s.SslCertificateLocation);
        Assert.Null(s.SslKeyLocation);
        Assert.True(s.EnableHostnameVerification);
        Assert.Equal(["ssl_config.certfile", "ssl_config.keyfile", "ssl_config.check_hostname"],
            profile.Warnings.Where(w => w.Code == "ProfileKeyIgnored").Select(w => w.Option).ToArray());
    }

    [Theory]
    [InlineData("bootstrap_server: a:9092\nssl_config:\n  cafile: ca.pem\n", "ssl_config")]
    [InlineData("bootstrap_server: a:9092\nsecurity_protocol: SSL\nsasl_config:\n  mechanism: PLAIN\n", "sasl_config")]
    [InlineData("bootstrap_server: a:9092\nsecurity_protocol: SASL_SSL\nsasl_config:\n  mechanism: OAUTHBEARER\n  oauth_token_url: https://idp/t\n  oauth_client_id: c\n  oauth_client_secret: s\n  username: u\n", "sasl_config.username")]
    [InlineData("bootstrap_server: a:9092\nsecurity_protocol: SASL_SSL\nsasl_config:\n  mechanism: PLAIN\n  username: u\n  password: p\n  oauth_client_id: c\n", "sasl_config.oauth_client_id")]
    public void An_unused_mage_block_or_key_is_a_warning_not_a_refusal(string yaml, string ignored)
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "lenient.yaml", yaml);
        var warning = Assert.Single(profile.Warnings, w => w.Code == "ProfileKeyIgnored" && w.Option == ignored);
        Assert.Contains("ignored", warning.Message, StringComparison.Ordinal);
        var errors = profile.ToOptions().Validate(_ => true).Where(p => p.Severity == KafkaProblemSeverity.Error).ToList();
        Assert.Empty(errors);
    }

    [Fact]
    public void Mage_gssapi_passes_through_to_librdkafka()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "krb.yaml", "bootstrap_server: a:9094\nsecurity_protocol: SASL_PLAINTEXT\nsasl_config:\n  mechanism: GSSAPI\n  username: ignored\n");
        Assert.Equal(KafkaSaslMechanism.Gssapi, profile.Settings.SaslMechanism);
        Assert.Null(profile.Settings.SaslUsername);
        Assert.Contains(profile.Warnings, w => w.Option == "sasl_config.username");
        var options = profile.ToOptions();
        Assert.DoesNotContain(options.Validate(), p => p.Severity == KafkaProblemSeverity.Error);
        Assert.Equal("GSSAPI", LibrdkafkaConfig.Build(options)["sasl.mechanism"]);
    }

    [Theory]
    [InlineData("earliest", KafkaOffsetReset.Earliest, "earliest")]
    [InlineData("SMALLEST", KafkaOffsetReset.Earliest, "earliest")]
    [InlineData("Latest", KafkaOffsetReset.Latest, "latest")]
    [InlineData("largest", KafkaOffsetReset.Latest, "latest")]
    [InlineData("none", KafkaOffsetReset.None, "error")]
    public void Mage_auto_offset_reset_is_read_as_kafka_python_reads_it(string value, KafkaOffsetReset expected, string librdkafka)
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "r.yaml", $"bootstrap_server: a:9092\nconsumer_group: g\nauto_offset_reset: {value}\n");
        Assert.Equal(expected, profile.Settings.AutoOffsetReset);
        Assert.Equal(librdkafka, LibrdkafkaConfig.Build(profile.ToOptions(), KafkaClientRole.Consumer)["auto.offset.reset"]);
        Assert.DoesNotContain(profile.Warnings, w => w.Code == "ProfileOffsetResetNone");
    }

    [Fact]
    public void An_unrecognised_auto_offset_reset_is_none_with_a_warning_as_in_kafka_python()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "r.yaml", "bootstrap_server: a:9092\nauto_offset_reset: middle\n");
        Assert.Equal(KafkaOffsetReset.None, profile.Settings.AutoOffsetReset);
        Assert.Contains(profile.Warnings, w => w.Code == "ProfileOffsetResetNone");
    }

    [Fact]
    public void Include_metadata_true_is_acknowledged_with_a_warning()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "m.yaml", "bootstrap_server: a:9092\ninclude_metadata: true\n");
        Assert.Contains(profile.Warnings, w => w.Option == "include_metadata");
    }

    [Fact]
    public void The_profile_group_never_becomes_the_readers_group_id()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "g.yaml", "bootstrap_server: a:9092\nconsumer_group: billing\n");
        using var factory = new KafkaClientFactory(new KafkaConnection("c", profile.ToOptions()));
        Assert.StartsWith("kafkacatalog-reader-", factory.CreateConsumerConfig().GroupId, StringComparison.Ordinal);
        Assert.Equal("billing", factory.Connection.ConsumerGroup);
    }

    // ---------------------------------------------------------------- kafka-python

    /// <summary>KafkaAdminClient.DEFAULT_CONFIG of kafka-python 2.0.2 with its default values (kafka/admin/client.py).</summary>
    private const string KafkaPython202Defaults = """
        {"bootstrap_servers": "localhost:9092", "client_id": "kafka-python-2.0.2", "request_timeout_ms": 30000,
         "connections_max_idle_ms": 540000, "reconnect_backoff_ms": 50, "reconnect_backoff_max_ms": 1000,
         "max_in_flight_requests_per_connection": 5, "receive_buffer_bytes": null, "send_buffer_bytes": null,
         "socket_options": [[6, 1, 1]], "sock_chunk_bytes": 4096, "sock_chunk_buffer_count": 1000, "retry_backoff_ms": 100,
         "metadata_max_age_ms": 300000, "security_protocol": "PLAINTEXT", "ssl_context": null, "ssl_check_hostname": true,
         "ssl_cafile": null, "ssl_certfile": null, "ssl_keyfile": null, "ssl_password": null, "ssl_crlfile": null,
         "api_version": null, "api_version_auto_timeout_ms": 2000, "selector": "selectors.DefaultSelector",
         "sasl_mechanism": null, "sasl_plain_username": null, "sasl_plain_password": null, "sasl_kerberos_service_name": "kafka",
         "sasl_kerberos_domain_name": null, "sasl_oauth_token_provider": null, "metric_reporters": [], "metrics_num_samples": 2,
         "metrics_sample_window_ms": 30000}
        """;

    [Fact]
    public void Every_kafka_python_2_0_2_admin_key_is_accepted_with_its_default_value()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "kp202.json", KafkaPython202Defaults);
        Assert.Equal(KafkaProfileFormat.KafkaPythonJson, profile.Format);
        var options = profile.ToOptions();
        Assert.DoesNotContain(options.Validate(), p => p.Severity == KafkaProblemSeverity.Error);
        foreach (var key in new[] { "metric_reporters", "metrics_num_samples", "metrics_sample_window_ms", "ssl_check_hostname", "sasl_kerberos_service_name" })
        {
            Assert.Contains(profile.Warnings, w => w.Option == key);
        }

        var p = LibrdkafkaConfig.Build(options);
        Assert.Equal("30000", p["socket.timeout.ms"]);
        Assert.Equal("true", p["socket.nagle.disable"]);
    }

    [Fact]
    public void Kafka_python_3_keys_are_accepted_and_mapped()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "kp3.json", """
            {"bootstrap_servers": ["a:9092"], "bootstrap_timeout_ms": 2000, "client_dns_lookup": "resolve_canonical_bootstrap_servers_only",
             "receive_message_max_bytes": 200000000, "socket_connection_setup_timeout_ms": 10000,
             "socket_connection_setup_timeout_max_ms": 30000, "default_api_timeout_ms": 60000, "request_timeout_ms": 20000,
             "sasl_kerberos_name": null, "socks5_proxy": null, "kafka_client": null, "reconnect_backoff_max_ms": 30000}
            """);
        var options = profile.ToOptions();
        var p = LibrdkafkaConfig.Build(options);
        Assert.Equal("resolve_canonical_bootstrap_servers_only", p["client.dns.lookup"]);
        Assert.Equal("200000000", p["receive.message.max.bytes"]);
        Assert.Equal("10000", p["socket.connection.setup.timeout.ms"]);
        // default_api_timeout_ms is the call deadline; request_timeout_ms one request's (socket.timeout.ms).
        Assert.Equal(TimeSpan.FromSeconds(60), options.RequestTimeout);
        Assert.Equal("20000", p["socket.timeout.ms"]);
        Assert.Contains(profile.Warnings, w => w.Option == "bootstrap_timeout_ms");
        Assert.Contains(profile.Warnings, w => w.Option == "socket_connection_setup_timeout_max_ms");
        Assert.DoesNotContain(options.Validate(), x => x.Severity == KafkaProblemSeverity.Error);
    }

    [Fact]
    public void Request_timeout_is_range_checked_as_the_socket_timeout_it_becomes()
    {
        using var folder = new TempFolder();
        var options = Read(folder, "rt.json", """{"bootstrap_servers": "a:9092", "request_timeout_ms": 250000}""").ToOptions();
        Assert.Equal("250000", LibrdkafkaConfig.Build(options)["socket.timeout.ms"]);
        Assert.DoesNotContain(options.Validate(), x => x.Severity == KafkaProblemSeverity.Error);
    }

    [Fact]
    public void Ssl_and_sasl_keys_are_ignored_where_kafka_python_ignores_them()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "plain.json", """{"bootstrap_servers": "a:9092", "ssl_cafile": "ca.pem", "sasl_plain_username": "u", "sasl_mechanism": "PLAIN"}""");
        Assert.Null(profile.Settings.SslCaLocation);
        Assert.Null(profile.Settings.SaslUsername);
        Assert.Null(profile.Settings.SaslMechanism);
        Assert.Equal(3, profile.Warnings.Count(w => w.Code == "ProfileKeyIgnored"));
        Assert.DoesNotContain(profile.ToOptions().Validate(), x => x.Severity == KafkaProblemSeverity.Error);
    }

    [Fact]
    public void Kafka_python_gssapi_keeps_its_service_name()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "krb.json", """{"bootstrap_servers": "a:9092", "security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "GSSAPI", "sasl_kerberos_service_name": "kafka-svc"}""");
        Assert.Equal("kafka-svc", LibrdkafkaConfig.Build(profile.ToOptions())["sasl.kerberos.service.name"]);
    }

    [Fact]
    public void Aws_msk_iam_in_property_is_refused_naming_the_alternatives()
    {
        var options = new KafkaConnectionOptions
        {
            BootstrapServers = "b-1.msk:9098",
            Properties = new Dictionary<string, string> { ["sasl.mechanism"] = "AWS_MSK_IAM" },
        };
        var problem = Assert.Single(options.Validate(), p => p.Code == "SaslMechanismNotSupported");
        Assert.Contains("SCRAM", problem.Message, StringComparison.Ordinal);
        Assert.Contains("OAUTHBEARER", problem.Message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- librdkafka properties (kcat -F)

    [Fact]
    public void A_kcat_config_file_is_read_line_by_line()
    {
        using var folder = new TempFolder();
        folder.Write("ca.pem", "x");
        var profile = Read(folder, "kcat.conf", string.Join("\n",
            "# kcat -F kcat.conf",
            "   bootstrap.servers=b1:9092,b2:9092   ",
            "! a Java-style comment",
            "",
            "security.protocol=SASL_SSL",
            "sasl.mechanisms=SCRAM-SHA-512",
            "sasl.username=svc",
            $"sasl.password={Secrets.Password}",
            "ssl.ca.location=ca.pem",
            "client.id = ops-tool",
            "statistics.interval.ms=0",
            "partitioner=murmur2",
            "socket.keepalive.enable=true\r",
            ""));
        var s = profile.Settings;
        Assert.Equal(KafkaProfileFormat.LibrdkafkaProperties, profile.Format);
        Assert.Equal("b1:9092,b2:9092", s.BootstrapServers);
        Assert.Equal((KafkaSecurityProtocol.SaslSsl, KafkaSaslMechanism.ScramSha512, "svc"), (s.SecurityProtocol!.Value, s.SaslMechanism!.Value, s.SaslUsername!));
        Assert.Equal(Secrets.Password, Reveal(s.SaslPassword));
        Assert.Equal(Path.Combine(folder.Path, "ca.pem"), s.SslCaLocation);
        Assert.Equal("ops-tool", s.ClientId);
        Assert.Equal(new Dictionary<string, string> { ["statistics.interval.ms"] = "0", ["partitioner"] = "murmur2", ["socket.keepalive.enable"] = "true" }, s.Properties);
        Assert.Empty(profile.Warnings);
        var options = profile.ToOptions();
        Assert.DoesNotContain(options.Validate(), p => p.Severity == KafkaProblemSeverity.Error);
        Assert.Equal("murmur2", KafkaPartitioners.Resolve(null, options.Properties));
    }

    [Fact]
    public void Escaped_colons_and_equals_are_unescaped_and_other_backslashes_kept_as_kcat_does()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "java.properties", "bootstrap.servers=pkc-1.aws.confluent.cloud\\:9092\nssl.keystore.location=C:\\certs\\client.p12\nsasl.oauthbearer.extensions=logicalCluster\\=lkc-1\n");
        Assert.Equal("pkc-1.aws.confluent.cloud:9092", profile.Settings.BootstrapServers);
        Assert.Equal("C:\\certs\\client.p12", profile.Settings.Properties!["ssl.keystore.location"]);
        Assert.Equal("logicalCluster=lkc-1", profile.Settings.Properties["sasl.oauthbearer.extensions"]);
    }

    [Fact]
    public void A_key_given_twice_keeps_its_last_value_with_a_warning()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "twice.properties", "bootstrap.servers=a:9092\nlinger.ms=5\nlinger.ms=50\n");
        Assert.Equal("50", profile.Settings.Properties!["linger.ms"]);
        Assert.Contains(profile.Warnings, w => w.Code == "ProfileKeyRepeated" && w.Message.Contains("line 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Confluent_cloud_java_config_is_read()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "java.config", string.Join("\n",
            "bootstrap.servers=pkc-abc.us-east-1.aws.confluent.cloud:9092",
            "security.protocol=SASL_SSL",
            $"sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username='ignored' username=\"KEY\" password=\"{Secrets.Password}\";",
            "sasl.mechanism=PLAIN",
            "client.dns.lookup=use_all_dns_ips",
            "session.timeout.ms=45000",
            "ssl.endpoint.identification.algorithm=",
            "basic.auth.credentials.source=USER_INFO",
            "schema.registry.url=https://psrc.example",
            ""));
        var s = profile.Settings;
        Assert.Equal(("KEY", Secrets.Password), (s.SaslUsername!, Reveal(s.SaslPassword)));
        Assert.False(s.EnableHostnameVerification);
        Assert.Equal("use_all_dns_ips", s.Properties!["client.dns.lookup"]);
        Assert.False(s.Properties.ContainsKey("basic.auth.credentials.source"));
        Assert.Equal(2, profile.Warnings.Count(w => w.Code == "ProfileKeyIgnored"));
        foreach (var w in profile.Warnings)
        {
            Secrets.AssertNoSecret(w.Message, "warning");
        }
    }

    [Fact]
    public void Content_with_key_value_lines_is_read_as_properties_whatever_the_extension()
    {
        using var folder = new TempFolder();
        Assert.Equal(KafkaProfileFormat.LibrdkafkaProperties, Read(folder, "client", "# librdkafka\nbootstrap.servers=a:9092\n").Format);
        Assert.Equal(KafkaProfileFormat.LibrdkafkaProperties, Read(folder, "librdkafka.config", "bootstrap.servers=a:9092\n").Format);
        Assert.Equal(KafkaProfileFormat.MageYaml, Read(folder, "mage.conf", "bootstrap_server: a:9092\n").Format);
    }

    [Fact]
    public void Ca_location_probe_and_certificate_checks_follow_librdkafka()
    {
        using var folder = new TempFolder();
        var profile = Read(folder, "p.properties", "bootstrap.servers=a:9093\nsecurity.protocol=ssl\nssl.ca.location=probe\nenable.ssl.certificate.verification=false\n");
        Assert.Null(profile.Settings.SslCaLocation);
        Assert.Equal("probe", profile.Settings.Properties!["ssl.ca.location"]);
        Assert.True(profile.Settings.SkipCertificateCheck);
    }
}
