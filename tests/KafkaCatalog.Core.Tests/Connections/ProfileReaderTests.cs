using System.Collections;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.OAuth;
using KafkaCatalog.Core.Connections.Profiles;

namespace KafkaCatalog.Core.Tests.Connections;

public class ProfileReaderTests
{
    private static readonly Hashtable NoEnvironment = new();

    private static KafkaProfile ReadFixture(string name, IDictionary? environment = null) =>
        KafkaProfileReader.Read(Fixtures.PathOf(name), environment ?? NoEnvironment);

    private static string Reveal(System.Security.SecureString? s) => new System.Net.NetworkCredential(string.Empty, s).Password;

    [Fact]
    public void Mage_basic_config()
    {
        var profile = ReadFixture("mage-basic.yaml");
        Assert.Equal(KafkaProfileFormat.MageYaml, profile.Format);
        Assert.Equal("localhost:9092", profile.Settings.BootstrapServers);
        Assert.Null(profile.Settings.SecurityProtocol);
        Assert.Equal("topic_name", profile.Topic);
        Assert.Equal("topic_name", profile.Settings.DefaultTopic);
        Assert.Equal("unique_consumer_group", profile.ConsumerGroup);
        Assert.Equal("unique_consumer_group", profile.Settings.ConsumerGroup);
        Assert.Equal(KafkaOffsetReset.Earliest, profile.Settings.AutoOffsetReset);
        Assert.Equal("earliest", profile.Settings.ConsumerProperties!["auto.offset.reset"]);
        Assert.Equal("5242880", profile.Settings.ConsumerProperties["max.partition.fetch.bytes"]);
        Assert.False(profile.Settings.ConsumerProperties.ContainsKey("group.id"));
        Assert.Equal("100", profile.Settings.ProducerProperties!["batch.size"]);
        Assert.Equal("500", profile.Settings.ProducerProperties["linger.ms"]);
        var warning = Assert.Single(profile.Warnings);
        Assert.Equal("api_version", warning.Option);
        Assert.Contains("negotiates", warning.Message, StringComparison.Ordinal);
        var options = profile.ToOptions();
        Assert.Equal(KafkaSecurityProtocol.Plaintext, options.SecurityProtocol);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Mage_ssl_config_resolves_files_next_to_the_profile()
    {
        var profile = ReadFixture("mage-ssl.yaml");
        var s = profile.Settings;
        Assert.Equal("broker1:9093,broker2:9093", s.BootstrapServers);
        Assert.Equal(KafkaSecurityProtocol.Ssl, s.SecurityProtocol);
        Assert.Equal(Fixtures.PathOf("CARoot.pem"), s.SslCaLocation);
        Assert.Equal(Fixtures.PathOf("certificate.pem"), s.SslCertificateLocation);
        Assert.Equal(Fixtures.PathOf("key.pem"), s.SslKeyLocation);
        Assert.Equal(Secrets.KeyPassword, Reveal(s.SslKeyPassword));
        Assert.True(s.EnableHostnameVerification);
        Assert.Empty(profile.Warnings);

        var p = LibrdkafkaConfig.Build(profile.ToOptions());
        Assert.Equal("ssl", p["security.protocol"]);
        Assert.Equal(Fixtures.PathOf("CARoot.pem"), p["ssl.ca.location"]);
        Assert.Equal("https", p["ssl.endpoint.identification.algorithm"]);
        Assert.Empty(profile.ToOptions().Validate());
    }

    [Fact]
    public void Mage_sasl_scram_config()
    {
        var profile = ReadFixture("mage-sasl-scram.yaml");
        var s = profile.Settings;
        Assert.Equal(KafkaSecurityProtocol.SaslSsl, s.SecurityProtocol);
        Assert.Equal(KafkaSaslMechanism.ScramSha512, s.SaslMechanism);
        Assert.Equal("svc-billing", s.SaslUsername);
        Assert.Equal(Secrets.Password, Reveal(s.SaslPassword));
        Assert.Equal(new[] { "orders", "payments" }, profile.Topics);
        Assert.Null(profile.Topic);
        // SASL_SSL: Mage hands kafka-python only the CA file, so host names are checked (kafka-python's default).
        Assert.True(s.EnableHostnameVerification);
        Assert.DoesNotContain(profile.Warnings, w => w.Code == "MageHostnameCheckDefault");
        Assert.Contains(profile.Warnings, w => w.Option == "serde_config");
        Assert.Contains(profile.Warnings, w => w.Code == "ProfileTopicsNotDefault");
        Assert.Null(s.DefaultTopic);
        var p = LibrdkafkaConfig.Build(profile.ToOptions());
        Assert.Equal("SCRAM-SHA-512", p["sasl.mechanism"]);
        Assert.Equal("svc-billing", p["sasl.username"]);
    }

    [Fact]
    public void Mage_oauthbearer_config()
    {
        var profile = ReadFixture("mage-oauth.yaml");
        var options = profile.ToOptions();
        Assert.Equal(KafkaSaslMechanism.OAuthBearer, options.SaslMechanism);
        Assert.NotNull(options.OAuth);
        Assert.Equal(new Uri("https://keycloak.example.com/auth/realms/myrealm/protocol/openid-connect/token"), options.OAuth!.TokenEndpoint);
        Assert.Equal("kafka-client", options.OAuth.ClientId);
        Assert.Equal(Secrets.ClientSecret, Reveal(options.OAuth.ClientSecret));
        Assert.Equal("kafka", options.OAuth.Scope);
        Assert.Equal(OAuthClientAuthentication.ClientSecretPost, options.OAuth.ClientAuthentication);
        Assert.True(LibrdkafkaConfig.UsesTokenRefreshHandler(options));
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Mage_env_var_templates_are_expanded()
    {
        var env = Env.Of(("MAGE_KAFKA_BROKERS", "b1:9092,b2:9092"), ("MAGE_KAFKA_USER", "svc"), ("MAGE_KAFKA_PASSWORD", Secrets.Password));
        var profile = ReadFixture("mage-env.yml", env);
        Assert.Equal("b1:9092,b2:9092", profile.Settings.BootstrapServers);
        Assert.Equal("svc", profile.Settings.SaslUsername);
        Assert.Equal(Secrets.Password, Reveal(profile.Settings.SaslPassword));
        Assert.Equal(KafkaSaslMechanism.Plain, profile.Settings.SaslMechanism);
    }

    [Fact]
    public void Mage_env_var_missing_names_variable_and_key_without_secret()
    {
        var env = Env.Of(("MAGE_KAFKA_BROKERS", "b1:9092"), ("MAGE_KAFKA_USER", "svc"));
        var ex = Assert.Throws<ProfileFormatException>(() => ReadFixture("mage-env.yml", env));
        Assert.Equal("ProfileEnvironmentVariableMissing", ex.ErrorId);
        Assert.Equal("sasl_config.password", ex.Key);
        Assert.Contains("MAGE_KAFKA_PASSWORD", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mage-env.yml", ex.Message, StringComparison.Ordinal);
        Assert.Equal(9, ex.Line);
    }

    [Fact]
    public void Polaris_request_body()
    {
        var profile = ReadFixture("polaris-scram.json");
        Assert.Equal(KafkaProfileFormat.PolarisJson, profile.Format);
        Assert.Equal("orders-kafka", profile.Name);
        Assert.Equal("orders", profile.Topic);
        Assert.False(profile.TopicIsPattern);
        var s = profile.Settings;
        Assert.Equal("b-1.example:9096,b-2.example:9096", s.BootstrapServers);
        Assert.Equal(KafkaSecurityProtocol.SaslSsl, s.SecurityProtocol);
        Assert.Equal(KafkaSaslMechanism.ScramSha512, s.SaslMechanism);
        Assert.Equal("svc-polaris", s.SaslUsername);
        Assert.Equal(Secrets.Password, Reveal(s.SaslPassword));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", s.SslCaPem, StringComparison.Ordinal);
        Assert.Equal("use1-az1", s.Properties!["client.rack"]);
        Assert.Empty(profile.Warnings);
        var p = LibrdkafkaConfig.Build(profile.ToOptions());
        Assert.Equal(s.SslCaPem, p["ssl.ca.pem"]);
        Assert.Equal("use1-az1", p["client.rack"]);
        Assert.Empty(profile.ToOptions().Validate());
    }

    [Fact]
    public void Polaris_response_without_password_warns_and_keeps_the_pattern()
    {
        var profile = ReadFixture("polaris-response.json");
        Assert.Equal("clicks-[0-9]+", profile.Topic);
        Assert.True(profile.TopicIsPattern);
        Assert.Equal(KafkaSecurityProtocol.SaslSsl, profile.Settings.SecurityProtocol);
        Assert.Equal(KafkaSaslMechanism.Plain, profile.Settings.SaslMechanism);
        Assert.Null(profile.Settings.SaslPassword);
        Assert.Contains(profile.Warnings, w => w.Code == "PolarisSecretNotInProfile");
    }

    [Fact]
    public void Kafka_python_keyword_arguments_map_per_spec()
    {
        var profile = ReadFixture("kafka-python.json");
        Assert.Equal(KafkaProfileFormat.KafkaPythonJson, profile.Format);
        var options = profile.ToOptions();
        Assert.Equal("broker1:9093,broker2:9093", options.BootstrapServers);
        Assert.Equal("ops-admin", options.ClientId);
        Assert.Equal(TimeSpan.FromMilliseconds(25000), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(540000), options.ConnectionsMaxIdle);
        Assert.Equal(TimeSpan.FromMilliseconds(150), options.RetryBackoff);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.ReconnectBackoff);
        Assert.Equal(TimeSpan.FromMilliseconds(30000), options.ReconnectBackoffMax);
        Assert.Equal(TimeSpan.FromMilliseconds(300000), options.MetadataRefreshInterval);
        Assert.Null(options.MetadataMaxAge);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), options.ApiVersionRequestTimeout);
        Assert.Equal(KafkaSecurityProtocol.SaslSsl, options.SecurityProtocol);
        Assert.Equal(KafkaSaslMechanism.ScramSha256, options.SaslMechanism);
        Assert.Equal("svc-admin", options.SaslUsername);
        Assert.Equal(Fixtures.PathOf("crl.pem"), options.SslCrlLocation);

        var p = LibrdkafkaConfig.Build(options);
        Assert.Equal("25000", p["socket.timeout.ms"]);
        Assert.False(p.ContainsKey("request.timeout.ms"));
        Assert.Equal("540000", p["connections.max.idle.ms"]);
        Assert.Equal("150", p["retry.backoff.ms"]);
        Assert.Equal("50", p["reconnect.backoff.ms"]);
        Assert.Equal("30000", p["reconnect.backoff.max.ms"]);
        Assert.Equal("300000", p["topic.metadata.refresh.interval.ms"]);
        Assert.Equal("2000", p["api.version.request.timeout.ms"]);
        Assert.Equal("5", p["max.in.flight.requests.per.connection"]);
        Assert.Equal("32768", p["socket.receive.buffer.bytes"]);
        Assert.Equal("131072", p["socket.send.buffer.bytes"]);
        Assert.Equal("true", p["socket.nagle.disable"]);
        Assert.Equal("true", p["socket.keepalive.enable"]);
        Assert.Equal("sasl_ssl", p["security.protocol"]);
        Assert.Equal("https", p["ssl.endpoint.identification.algorithm"]);
        Assert.Equal(Fixtures.PathOf("CARoot.pem"), p["ssl.ca.location"]);
        Assert.Equal(Fixtures.PathOf("certificate.pem"), p["ssl.certificate.location"]);
        Assert.Equal(Fixtures.PathOf("key.pem"), p["ssl.key.location"]);
        Assert.Equal(Secrets.KeyPassword, p["ssl.key.password"]);
        Assert.Equal(Fixtures.PathOf("crl.pem"), p["ssl.crl.location"]);
        Assert.Equal("SCRAM-SHA-256", p["sasl.mechanism"]);
        Assert.Equal(Secrets.Password, p["sasl.password"]);
        Assert.False(p.ContainsKey("api.version.request"));

        Assert.Contains(profile.Warnings, w => w.Option == "metric_group_prefix" && w.Message.Contains("No librdkafka equivalent", StringComparison.Ordinal));
        Assert.Contains(profile.Warnings, w => w.Option == "api_version");
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Kafka_python_oauth_token_provider()
    {
        var options = ReadFixture("kafka-python-oauth.json").ToOptions();
        Assert.Equal(KafkaSaslMechanism.OAuthBearer, options.SaslMechanism);
        Assert.Equal(new Uri("https://idp.example.com/oauth2/token"), options.OAuth!.TokenEndpoint);
        Assert.Equal("kafka.read kafka.admin", options.OAuth.Scope);
        Assert.Equal("lkc-123", options.OAuth.Extensions["logicalCluster"]);
        Assert.Equal("pool-abc", options.OAuth.Extensions["identityPoolId"]);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("[0, 9, 0]", "0.9.0")]
    [InlineData("\"0.8.2\"", "0.8.2")]
    public void Kafka_python_old_api_version_disables_negotiation(string value, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.Write("old.json", $$"""{ "bootstrap_servers": "old:9092", "api_version": {{value}} }""");
        var profile = KafkaProfileReader.Read(path, NoEnvironment);
        Assert.Equal("false", profile.Settings.Properties!["api.version.request"]);
        Assert.Equal(expected, profile.Settings.Properties["broker.version.fallback"]);
        Assert.Contains(profile.Warnings, w => w.Code == "ApiVersionPinned");
    }

    [Fact]
    public void Format_is_detected_from_content_for_other_extensions()
    {
        using var folder = new TempFolder();
        Assert.Equal(KafkaProfileFormat.KafkaPythonJson, KafkaProfileReader.Read(folder.Write("a.conf", "{\"bootstrap_servers\": \"a:9092\"}"), NoEnvironment).Format);
        Assert.Equal(KafkaProfileFormat.PolarisJson, KafkaProfileReader.Read(folder.Write("b.txt", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\"}"), NoEnvironment).Format);
        Assert.Equal(KafkaProfileFormat.MageYaml, KafkaProfileReader.Read(folder.Write("c.conf", "bootstrap_server: a:9092\n"), NoEnvironment).Format);
        Assert.Equal(KafkaProfileFormat.MageYaml, KafkaProfileReader.Read(folder.Write("d.json", "{\"connector_type\": \"kafka\", \"bootstrap_server\": \"a:9092\"}"), NoEnvironment).Format);
    }

    /// <summary>Bad profiles: file name, content, error id, key (or empty for file-level), message fragment, line (0 = none expected).</summary>
    public static IEnumerable<object[]> BadProfiles() => new[]
    {
        // ---- file level ----
        new object[] { "empty.yaml", "", "ProfileEmpty", "", "The file is empty", 0 },
        new object[] { "blank.json", "   \n  ", "ProfileEmpty", "", "The file is empty", 0 },
        new object[] { "comment-only.yaml", "# nothing here\n", "ProfileEmpty", "", "at least the bootstrap servers", 0 },
        new object[] { "list.yaml", "- a\n- b\n", "ProfileNotAMapping", "", "holds a list", 0 },
        new object[] { "scalar.yaml", "just text\n", "ProfileNotAMapping", "", "not a set of keys", 0 },
        new object[] { "array.json", "[1, 2]", "ProfileNotAMapping", "", "JSON list", 0 },
        new object[] { "emptyobj.json", "{}", "ProfileEmpty", "", "no keys", 0 },
        new object[] { "tabs.yaml", "ssl_config:\n\tcafile: x\n", "ProfileSyntaxError", "", "invalid tab as indentation", 1 },
        new object[] { "badindent.yaml", "bootstrap_server: a:9092\n  topic: t\n", "ProfileSyntaxError", "", "not valid YAML", 2 },
        new object[] { "unclosed.yaml", "bootstrap_server: \"a:9092\ntopic: t\n", "ProfileSyntaxError", "", "Fix the YAML", 1 },
        new object[] { "dupe.yaml", "topic: a\ntopic: b\n", "ProfileDuplicateKey", "topic", "more than once", 2 },
        new object[] { "twodocs.yaml", "topic: a\n---\ntopic: b\n", "ProfileSyntaxError", "", "2 YAML documents", 0 },
        new object[] { "anchor.yaml", "base: &b\n  x: 1\ntopic: *b\n", "ProfileUnknownKey", "base", "Unknown key", 1 },
        new object[] { "trailing.json", "{\"bootstrap_servers\": \"a:9092\",}", "ProfileSyntaxError", "", "not valid JSON", 1 },
        new object[] { "noquotes.json", "{bootstrap_servers: \"a:9092\"}", "ProfileSyntaxError", "", "quotes around keys", 1 },
        new object[] { "truncated.json", "{\n  \"bootstrap_servers\": \"a:9092\"\n", "ProfileSyntaxError", "", "not valid JSON", 3 },
        new object[] { "dupe.json", "{\"bootstrap_servers\": \"a:9092\", \"bootstrap_servers\": \"b:9092\"}", "ProfileDuplicateKey", "bootstrap_servers", "more than once", 0 },
        new object[] { "unknown.json", "{\"brokers\": \"a:9092\"}", "ProfileFormatUnknown", "brokers", "neither a Polaris", 0 },
        // ---- Mage ----
        new object[] { "m1.yaml", "bootstrap_servers: a:9092\n", "ProfileUnknownKey", "bootstrap_servers", "Did you mean 'bootstrap_server'?", 1 },
        new object[] { "m2.yaml", "bootstrap_server: a:9092\nconsumer_grup: g\n", "ProfileUnknownKey", "consumer_grup", "Did you mean 'consumer_group'?", 2 },
        new object[] { "m3.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SSL\nssl_config:\n  ca_file: x.pem\n", "ProfileUnknownKey", "ssl_config.ca_file", "Did you mean 'cafile'?", 4 },
        new object[] { "m4.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SASL_SSL\nsasl_config:\n  mechanism: PLAIN\n  user: u\n", "ProfileUnknownKey", "sasl_config.user", "Valid keys here", 5 },
        new object[] { "m5.yaml", "bootstrap_server: a:9092\noauth_config:\n  oauth_token_url: https://x\n", "ProfileUnknownKey", "oauth_config", "under sasl_config", 3 },
        new object[] { "m6.yaml", "connector_type: kinesis\nbootstrap_server: a:9092\n", "ProfileWrongConnector", "connector_type", "not 'kafka'", 1 },
        new object[] { "m7.yaml", "bootstrap_server: \"a:9092,,b:9092\"\n", "ProfileInvalidValue", "bootstrap_server", "doubled or trailing comma", 1 },
        new object[] { "m8.yaml", "bootstrap_server: \"http://a:9092\"\n", "ProfileInvalidValue", "bootstrap_server", "does not speak HTTP", 1 },
        new object[] { "m9.yaml", "bootstrap_server: \"\"\n", "ProfileInvalidValue", "bootstrap_server", "bootstrap servers are empty", 1 },
        new object[] { "m10.yaml", "bootstrap_server: a:9092\nsecurity_protocol: TLS\n", "ProfileInvalidValue", "security_protocol", "'TLS' is not a security protocol", 2 },
        new object[] { "m13.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SASL_SSL\nsasl_config:\n  mechanism: DIGEST-MD5\n", "ProfileInvalidValue", "sasl_config.mechanism", "'DIGEST-MD5' is not a SASL mechanism", 4 },
        new object[] { "m16.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SASL_SSL\nsasl_config:\n  mechanism: OAUTHBEARER\n  oauth_token_url: keycloak/token\n", "ProfileInvalidValue", "sasl_config.oauth_token_url", "not an absolute http(s) URL", 5 },
        new object[] { "m18.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SSL\nssl_config:\n  check_hostname: maybe\n", "ProfileInvalidValue", "ssl_config.check_hostname", "Write true or false", 4 },
        new object[] { "m19.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SSL\nssl_config: [a, b]\n", "ProfileInvalidValue", "ssl_config", "found a list", 3 },
        new object[] { "m20.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SSL\nssl_config:\n  cafile: \"\"\n", "ProfileInvalidValue", "ssl_config.cafile", "file path is empty", 4 },
        new object[] { "m21.yaml", "bootstrap_server: a:9092\nbatch_size: lots\n", "ProfileInvalidValue", "batch_size", "whole number", 2 },
        new object[] { "m23.yaml", "bootstrap_server: a:9092\ntopics: orders\n", "ProfileInvalidValue", "topics", "list of topic names", 2 },
        new object[] { "m24.yaml", "bootstrap_server: a:9092\ntopic: [a, b]\n", "ProfileInvalidValue", "topic", "found a list", 2 },
        new object[] { "m25.yaml", "bootstrap_server: a:9092\nmax_partition_fetch_bytes: 0\n", "ProfileInvalidValue", "max_partition_fetch_bytes", "out of range", 2 },
        new object[] { "m26.yaml", "bootstrap_server: a:9092\ninclude_metadata: 1\n", "ProfileInvalidValue", "include_metadata", "true or false", 2 },
        new object[] { "m27.yaml", "bootstrap_server: a:9092\nserde_config:\n  method: JSON\n", "ProfileUnknownKey", "serde_config.method", "Valid keys here", 3 },
        new object[] { "m28.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SASL_SSL\nsasl_config:\n  mechanism: PLAIN\n  password: \"{{ mage_secret_var('kafka_pw') }}\"\n", "ProfileTemplateUnsupported", "sasl_config.password", "only Mage can resolve", 5 },
        new object[] { "m29.yaml", "bootstrap_server: a:9092\noffset:\n  kind: beginning\n", "ProfileUnknownKey", "offset.kind", "Valid keys here", 3 },
        new object[] { "m30.yaml", "bootstrap_server: a:9098\nsecurity_protocol: SASL_SSL\nsasl_config:\n  mechanism: AWS_MSK_IAM\n", "ProfileUnsupportedAuth", "sasl_config.mechanism", "SASL/SCRAM (SCRAM-SHA-512 on port 9096", 4 },
        new object[] { "m31.yaml", "bootstrap_server: a:9092\ntimeout_ms: 900001\n", "ProfileInvalidValue", "timeout_ms", "Write at most 900000", 2 },
        new object[] { "m32.yaml", "bootstrap_server: a:9092\nbatch_size: 3000000000\n", "ProfileInvalidValue", "batch_size", "out of range", 2 },
        new object[] { "m33.yaml", "bootstrap_server: a:9092\nsecurity_protocol: SSL\nsasl_config:\n  mech: PLAIN\n", "ProfileUnknownKey", "sasl_config.mech", "Did you mean 'mechanism'?", 4 },
        // ---- Polaris ----
        new object[] { "p1.json", "{\"type\": \"kafka\", \"bootstrapServer\": \"a:9092\"}", "ProfileUnknownKey", "bootstrapServer", "Did you mean 'bootstrapServers'?", 0 },
        new object[] { "p2.json", "{\"type\": \"kinesis\", \"bootstrapServers\": \"a:9092\"}", "ProfileWrongConnector", "type", "not a Kafka connection", 0 },
        new object[] { "p3.json", "{\"name\": \"x\", \"bootstrapServers\": \"a:9092\"}", "ProfileMissingKey", "type", "\"type\": \"kafka\"", 0 },
        new object[] { "p4.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"secrets\": {\"type\": \"sasl_gssapi\"}}", "ProfileInvalidValue", "secrets.type", "not a Polaris Kafka secret type", 0 },
        new object[] { "p5.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"secrets\": {\"type\": \"aws_iam\", \"awsAssumedRoleArn\": \"arn:aws:iam::1:role/x\"}}", "ProfileUnsupportedAuth", "secrets.type", "MSK IAM", 0 },
        new object[] { "p6.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"secrets\": {\"type\": \"sasl_scram\", \"username\": \"u\"}}", "ProfileMissingKey", "secrets.mechanism", "SCRAM-SHA-512", 0 },
        new object[] { "p7.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"secrets\": {\"type\": \"sasl_scram\", \"mechanism\": \"PLAIN\"}}", "ProfileInvalidValue", "secrets.mechanism", "not a SCRAM mechanism", 0 },
        new object[] { "p8.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"secrets\": {\"type\": \"sasl_plain\", \"mechanism\": \"PLAIN\"}}", "ProfileKeyNotUsed", "secrets.mechanism", "belongs to sasl_scram", 0 },
        new object[] { "p9.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"secrets\": {\"type\": \"sasl_plain\", \"user\": \"u\"}}", "ProfileUnknownKey", "secrets.user", "Did you mean 'username'?", 0 },
        new object[] { "p10.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"ssl\": {\"truststore\": {\"type\": \"jks\"}}}", "ProfileInvalidValue", "ssl.truststore.type", "not supported", 0 },
        new object[] { "p11.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"ssl\": {\"truststore\": {\"type\": \"pem\", \"certificates\": \"MIIB\"}}}", "ProfileInvalidValue", "ssl.truststore.certificates", "BEGIN CERTIFICATE", 0 },
        new object[] { "p12.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"topicName\": \"a[\", \"topicNameIsPattern\": true}", "ProfileInvalidValue", "topicName", "not a valid regular expression", 0 },
        new object[] { "p13.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"topicNameIsPattern\": \"yes\"}", "ProfileInvalidValue", "topicNameIsPattern", "true or false", 0 },
        new object[] { "p14.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:9092\", \"ssl\": \"on\"}", "ProfileInvalidValue", "ssl", "nested block", 0 },
        new object[] { "p15.json", "{\"type\": \"kafka\", \"bootstrapServers\": \"a:port\"}", "ProfileInvalidValue", "bootstrapServers", "port 'port'", 0 },
        // ---- kafka-python ----
        new object[] { "k1.json", "{\"bootstrap_servers\": \"a:9092\", \"sasl_plain_user\": \"u\"}", "ProfileUnknownKey", "sasl_plain_user", "Did you mean 'sasl_plain_username'?", 0 },
        new object[] { "k2.json", "{\"bootstrap_servers\": \"a:9092\", \"ssl_ca_file\": \"x\"}", "ProfileUnknownKey", "ssl_ca_file", "Did you mean 'ssl_cafile'?", 0 },
        new object[] { "k3.json", "{\"bootstrap_servers\": \"a:9092\", \"request_timeout\": 5}", "ProfileUnknownKey", "request_timeout", "Did you mean 'request_timeout_ms'?", 0 },
        new object[] { "k4.json", "{\"bootstrap_servers\": [], \"client_id\": \"x\"}", "ProfileInvalidValue", "bootstrap_servers", "list of bootstrap servers is empty", 0 },
        new object[] { "k5.json", "{\"bootstrap_servers\": [\"a:9092\", 7]}", "ProfileInvalidValue", "bootstrap_servers", "'host:port' string", 0 },
        new object[] { "k6.json", "{\"bootstrap_servers\": [\"a:9092\", \"b:x\"]}", "ProfileInvalidValue", "bootstrap_servers", "port 'x'", 0 },
        new object[] { "k7.json", "{\"bootstrap_servers\": \"a:9092\", \"request_timeout_ms\": \"soon\"}", "ProfileInvalidValue", "request_timeout_ms", "whole number", 0 },
        new object[] { "k8.json", "{\"bootstrap_servers\": \"a:9092\", \"request_timeout_ms\": 0}", "ProfileInvalidValue", "request_timeout_ms", "from 10 to 300000", 0 },
        new object[] { "k8b.json", "{\"bootstrap_servers\": \"a:9092\", \"request_timeout_ms\": 400000}", "ProfileInvalidValue", "request_timeout_ms", "from 10 to 300000", 0 },
        new object[] { "k9.json", "{\"bootstrap_servers\": \"a:9092\", \"retry_backoff_ms\": 1.5}", "ProfileInvalidValue", "retry_backoff_ms", "whole number", 0 },
        new object[] { "k10.json", "{\"bootstrap_servers\": \"a:9092\", \"reconnect_backoff_max_ms\": -5}", "ProfileInvalidValue", "reconnect_backoff_max_ms", "out of range", 0 },
        new object[] { "k11.json", "{\"bootstrap_servers\": \"a:9092\", \"ssl_check_hostname\": \"no\"}", "ProfileInvalidValue", "ssl_check_hostname", "true or false", 0 },
        new object[] { "k12.json", "{\"bootstrap_servers\": \"a:9092\", \"security_protocol\": \"SASL\"}", "ProfileInvalidValue", "security_protocol", "PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL", 0 },
        new object[] { "k13.json", "{\"bootstrap_servers\": \"a:9092\", \"sasl_mechanism\": \"SCRAM-SHA-1\"}", "ProfileInvalidValue", "sasl_mechanism", "not a SASL mechanism", 0 },
        new object[] { "k14.json", "{\"bootstrap_servers\": \"a:9092\", \"api_version\": \"latest\"}", "ProfileInvalidValue", "api_version", "dotted numbers", 0 },
        new object[] { "k15.json", "{\"bootstrap_servers\": \"a:9092\", \"api_version\": [2]}", "ProfileInvalidValue", "api_version", "two to four version numbers", 0 },
        new object[] { "k16.json", "{\"bootstrap_servers\": \"a:9092\", \"socket_options\": [[6, 1]]}", "ProfileInvalidValue", "socket_options", "[level, option, value] triple", 0 },
        new object[] { "k17.json", "{\"bootstrap_servers\": \"a:9092\", \"socket_options\": \"nodelay\"}", "ProfileInvalidValue", "socket_options", "list of [level, option, value]", 0 },
        new object[] { "k18.json", "{\"bootstrap_servers\": \"a:9092\", \"sasl_oauth_token_provider\": \"MyProvider()\"}", "ProfileInvalidValue", "sasl_oauth_token_provider", "Expected a nested block of keys, found a string", 0 },
        new object[] { "k19.json", "{\"bootstrap_servers\": \"a:9092\", \"sasl_mechanism\": \"PLAIN\", \"sasl_oauth_token_provider\": {\"token_url\": \"https://x/t\"}}", "ProfileKeyNotUsed", "sasl_oauth_token_provider", "only used with sasl_mechanism OAUTHBEARER", 0 },
        new object[] { "k20.json", "{\"bootstrap_servers\": \"a:9092\", \"sasl_oauth_token_provider\": {\"tokenUrl\": \"https://x/t\"}}", "ProfileUnknownKey", "sasl_oauth_token_provider.tokenUrl", "Did you mean 'token_url'?", 0 },
        new object[] { "k21.json", "{\"bootstrap_servers\": \"a:9092\", \"sasl_oauth_token_provider\": {\"token_url\": \"not a url\"}}", "ProfileInvalidValue", "sasl_oauth_token_provider.token_url", "absolute http(s) URL", 0 },
        new object[] { "k22.json", "{\"bootstrap_servers\": \"a:9092\", \"ssl_cafile\": [\"a\", \"b\"]}", "ProfileInvalidValue", "ssl_cafile", "found a list", 0 },
        new object[] { "k23.json", "{\"bootstrap_servers\": \"a:9092\", \"max_in_flight_requests_per_connection\": 0}", "ProfileInvalidValue", "max_in_flight_requests_per_connection", "out of range", 0 },
        new object[] { "k25.json", "{\"bootstrap_servers\": \"a:9098\", \"security_protocol\": \"SASL_SSL\", \"sasl_mechanism\": \"AWS_MSK_IAM\"}", "ProfileUnsupportedAuth", "sasl_mechanism", "OAUTHBEARER (port 9098)", 0 },
        new object[] { "k26.json", "{\"bootstrap_servers\": \"a:9092\", \"client_dns_lookup\": \"default\"}", "ProfileInvalidValue", "client_dns_lookup", "use_all_dns_ips or resolve_canonical_bootstrap_servers_only", 0 },
        new object[] { "k27.json", "{\"bootstrap_servers\": \"a:9092\", \"receive_message_max_bytes\": 10}", "ProfileInvalidValue", "receive_message_max_bytes", "from 1000 to 2147483647", 0 },
        new object[] { "k28.json", "{\"bootstrap_servers\": \"a:9092\", \"socket_connection_setup_timeout_ms\": 500}", "ProfileInvalidValue", "socket_connection_setup_timeout_ms", "from 1000 to 2147483647", 0 },
        new object[] { "k29.json", "{\"bootstrap_servers\": \"a:9092\", \"default_api_timeout_ms\": 5}", "ProfileInvalidValue", "default_api_timeout_ms", "from 10 to 300000", 0 },
        new object[] { "k30.json", "{\"bootstrap_servers\": \"a:9092\", \"metrics_enabled\": true}", "ProfileUnknownKey", "metrics_enabled", "Valid keys here", 0 },
        // ---- librdkafka properties (kcat -F) ----
        new object[] { "r1.properties", "bootstrap.servers=a:9092\nsecurity.protocol\n", "ProfileSyntaxError", "", "has no '='", 2 },
        new object[] { "r2.properties", "# settings\n=plaintext\n", "ProfileSyntaxError", "", "property name is missing", 2 },
        new object[] { "r3.properties", "Bootstrap.Servers=a:9092\n", "ProfileSyntaxError", "Bootstrap.Servers", "not a librdkafka property name", 1 },
        new object[] { "r4.properties", "bootstrap.servers=a:9092\nsecurity.protocol=tls\n", "ProfileInvalidValue", "security.protocol", "'tls' is not a security protocol", 2 },
        new object[] { "r5.properties", "bootstrap.servers=a:9098\nsasl.mechanism=AWS_MSK_IAM\n", "ProfileUnsupportedAuth", "sasl.mechanism", "OAUTHBEARER (port 9098)", 2 },
        new object[] { "r6.properties", "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;\n", "ProfileUnsupportedAuth", "sasl.jaas.config", "SASL/SCRAM", 1 },
        new object[] { "r7.properties", "ssl.endpoint.identification.algorithm=maybe\n", "ProfileInvalidValue", "ssl.endpoint.identification.algorithm", "https", 1 },
        new object[] { "r8.properties", "socket.timeout.ms=5\n", "ProfileInvalidValue", "socket.timeout.ms", "10 .. 300000", 1 },
        new object[] { "r9.properties", "bootstrap.servers=a:9092,,b:9092\n", "ProfileInvalidValue", "bootstrap.servers", "doubled or trailing comma", 1 },
        new object[] { "r10.properties", "# only comments\n! and a Java one\n\n", "ProfileEmpty", "", "no key=value line", 0 },
        new object[] { "r11.properties", "sasl.mechanisms=DIGEST-MD5\n", "ProfileInvalidValue", "sasl.mechanisms", "not a SASL mechanism librdkafka has", 1 },
        new object[] { "r12.properties", "sasl.jaas.config=com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true;\n", "ProfileUnsupportedAuth", "sasl.jaas.config", "sasl.kerberos.principal", 1 },
        new object[] { "k24.json", "{\"bootstrap_servers\": \"a:9092\", \"sasl_oauth_token_provider\": {\"token_url\": \"https://x/t\", \"extensions\": {\"a\": null}}}", "ProfileInvalidValue", "sasl_oauth_token_provider.extensions.a", "value is empty", 0 },
    };

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public void Bad_profiles_give_a_specific_error(string fileName, string content, string errorId, string key, string fragment, int line)
    {
        using var folder = new TempFolder();
        var path = folder.Write(fileName, content);
        var ex = Assert.Throws<ProfileFormatException>(() => KafkaProfileReader.Read(path, NoEnvironment));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(key.Length == 0 ? null : key, ex.Key);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FilePath);
        Assert.False(string.IsNullOrWhiteSpace(ex.Fix));
        if (line > 0)
        {
            Assert.Equal(line, ex.Line);
            Assert.Contains($"line {line}", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Missing_file_and_folder_are_named()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "nope.yaml");
        var ex = Assert.Throws<ProfileFormatException>(() => KafkaProfileReader.Read(missing, NoEnvironment));
        Assert.Equal("ProfileNotFound", ex.ErrorId);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);

        var dir = Assert.Throws<ProfileFormatException>(() => KafkaProfileReader.Read(folder.Path, NoEnvironment));
        Assert.Equal("ProfileNotFound", dir.ErrorId);
        Assert.Contains("folder", dir.Message, StringComparison.Ordinal);

        var blank = Assert.Throws<ProfileFormatException>(() => KafkaProfileReader.Read(" ", NoEnvironment));
        Assert.Equal("ProfileNotFound", blank.ErrorId);
    }

    [Fact]
    public void Errors_and_warnings_about_secret_keys_do_not_show_the_secret()
    {
        using var folder = new TempFolder();
        var path = folder.Write("s.yaml", $"bootstrap_server: a:9092\nsecurity_protocol: SASL_SSL\nsasl_config:\n  mechanism: OAUTHBEARER\n  oauth_token_url: https://idp/t\n  password: \"{Secrets.Password}\"\n");
        var warning = Assert.Single(KafkaProfileReader.Read(path, NoEnvironment).Warnings, w => w.Option == "sasl_config.password");
        Secrets.AssertNoSecret(warning.Message, "warning");

        var properties = folder.Write("s.properties", $"sasl.password={Secrets.Password}\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"{Secrets.Password}\";\nsecurity.protocol=nope\n");
        var ex = Assert.Throws<ProfileFormatException>(() => KafkaProfileReader.Read(properties, NoEnvironment));
        Assert.Equal("security.protocol", ex.Key);
        Secrets.AssertNoSecret(ex.Message, "exception");
    }
}
