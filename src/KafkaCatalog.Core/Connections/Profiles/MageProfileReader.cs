using System.Globalization;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.Profiles;

/// <summary>
/// Mage.ai Kafka YAML (docs.mage.ai "Kafka" source/destination; mage_ai/streaming/sources/kafka.py).
/// Mapping: ../shared/specs/polaris-mage-connection.md §B and §C.2.
/// </summary>
internal static class MageProfileReader
{
    private static string? KeyOf(KafkaSettingDefinition d) => d.MageKey;

    private static string Key(string setting, string? section = null) => KafkaSettingDefinitions.KeyOf(setting, KeyOf, section);

    private const string SslSection = "ssl_config";
    private const string SaslSection = "sasl_config";

    /// <summary>The top-level keys with a setting (<see cref="KafkaSettingDefinition.MageKey"/>), then the keys this reader handles itself.</summary>
    internal static readonly string[] RootKeys = KafkaSettingDefinitions.TopLevelKeys(KeyOf).Concat(new[]
    {
        "connector_type", "topics", "include_metadata", "api_version", "batch_size", "timeout_ms", "max_partition_fetch_bytes", "serde_config", "offset",
    }).ToArray();

    internal static readonly string[] SslKeys = KafkaSettingDefinitions.KeysIn(KeyOf, SslSection).Select(p => p.Key).ToArray();

    internal static readonly string[] SaslKeys = KafkaSettingDefinitions.KeysIn(KeyOf, SaslSection).Select(p => p.Key).ToArray();

    internal static readonly string[] SerdeKeys =
    {
        "serialization_method", "schema_classpath", "schema_registry_url", "schema_registry_username", "schema_registry_password",
    };

    internal static readonly string[] OffsetKeys = { "type", "value", "partitions" };

    private static bool IsOAuth(KafkaSettingDefinition d) => d.Name.StartsWith("OAuth", StringComparison.Ordinal);

    private static readonly string[] OAuthKeys = KafkaSettingDefinitions.KeysIn(KeyOf, SaslSection).Where(p => IsOAuth(p.Definition)).Select(p => p.Key).ToArray();

    private static readonly string[] UserKeys = [Key(nameof(KafkaConnectionSettings.SaslUsername), SaslSection), Key(nameof(KafkaConnectionSettings.SaslPassword), SaslSection)];

    public static KafkaProfile Read(ProfileNode? rootNode, ProfileContext context)
    {
        var root = context.RequireRootMap(rootNode, "Mage Kafka YAML");
        if (ProfileContext.Get(root, "oauth_config") is { } misplaced)
        {
            throw context.Error(ErrorCatalog.ProfileUnknownKey, "oauth_config", misplaced, "Mage has no oauth_config block.",
                "Put oauth_token_url, oauth_client_id, oauth_client_secret and oauth_scope under sasl_config, with mechanism: OAUTHBEARER.");
        }

        // Mage builds dataclasses from the YAML (KafkaConfig(**config), SSLConfig(**ssl_config), ...): an unknown key is
        // a TypeError there, so it stays an error here.
        context.CheckKeys(root, null, RootKeys);

        var connector = context.String(root, null, "connector_type");
        if (connector is not null && !connector.Trim().Equals("kafka", StringComparison.OrdinalIgnoreCase))
        {
            throw context.Error(ErrorCatalog.ProfileWrongConnector, "connector_type", ProfileContext.Get(root, "connector_type"),
                $"connector_type is '{connector}', not 'kafka'.", "Use the Kafka source or destination YAML of the Mage pipeline.");
        }

        var bootstrapKey = Key(nameof(KafkaConnectionSettings.BootstrapServers));
        var bootstrap = ProfileContext.Get(root, bootstrapKey) is { Kind: not ProfileNodeKind.Null }
            ? KafkaProfileReader.JoinServers(context, root, bootstrapKey)
            : null;

        var protocol = context.Protocol(root, null, Key(nameof(KafkaConnectionSettings.SecurityProtocol)));
        var settings = new KafkaConnectionSettings { BootstrapServers = bootstrap, SecurityProtocol = protocol };
        settings = ReadSsl(root, context, settings, protocol);
        settings = ReadSasl(root, context, settings, protocol);

        var topic = context.String(root, null, Key(nameof(KafkaConnectionSettings.DefaultTopic)));
        var topics = ReadTopics(root, context);
        var defaultTopic = !string.IsNullOrWhiteSpace(topic) ? topic.Trim() : topics.Count == 1 ? topics[0] : null;
        if (defaultTopic is null && topics.Count > 1)
        {
            context.Warn("ProfileTopicsNotDefault", "topics",
                $"The profile reads {topics.Count} topics ({string.Join(", ", topics)}); Publish-KafkaMessage and Receive-KafkaMessage need -Topic to pick one.");
        }

        var group = context.String(root, null, Key(nameof(KafkaConnectionSettings.ConsumerGroup)));
        var consumer = new Dictionary<string, string>(StringComparer.Ordinal);
        var reset = ReadOffsetReset(root, context);
        if (reset is { } r)
        {
            consumer["auto.offset.reset"] = r switch
            {
                KafkaOffsetReset.Earliest => "earliest",
                KafkaOffsetReset.Latest => "latest",
                _ => "error",
            };
        }

        if (context.Integer(root, null, "max_partition_fetch_bytes", 1, 1_000_000_000) is { } fetch)
        {
            consumer["max.partition.fetch.bytes"] = fetch.ToString(CultureInfo.InvariantCulture);
        }

        var producer = new Dictionary<string, string>(StringComparer.Ordinal);

        // The sink hands these to KafkaProducer: batch_size (bytes, librdkafka batch.size) and timeout_ms as linger_ms;
        // a value of 0 or less means Mage's defaults (DEFAULT_BATCH_SIZE 100, DEFAULT_TIMEOUT_MS 500).
        if (context.Integer(root, null, "batch_size", int.MinValue, int.MaxValue) is { } batch)
        {
            producer["batch.size"] = (batch <= 0 ? MageDefaultBatchSize : batch).ToString(CultureInfo.InvariantCulture);
        }

        if (context.Integer(root, null, "timeout_ms", int.MinValue, int.MaxValue) is { } timeout)
        {
            if (timeout > LingerMaxMs)
            {
                throw context.Error(ErrorCatalog.ProfileInvalidValue, "timeout_ms", ProfileContext.Get(root, "timeout_ms"),
                    $"{timeout} ms is more than librdkafka's linger.ms accepts (Mage hands timeout_ms to the producer as linger_ms).",
                    $"Write at most {LingerMaxMs} (15 minutes), or 0 for Mage's default of {MageDefaultTimeoutMs}.");
            }

            producer["linger.ms"] = (timeout <= 0 ? MageDefaultTimeoutMs : timeout).ToString(CultureInfo.InvariantCulture);
        }

        if (context.Bool(root, null, "include_metadata") is true)
        {
            context.Warn("ProfileKeyIgnored", "include_metadata",
                "include_metadata needs nothing here: Receive-KafkaMessage always returns each message's Key, Partition, Offset, Timestamp and Topic.");
        }

        if (context.String(root, null, "api_version") is { } apiVersion)
        {
            context.Warn("ProfileKeyIgnored", "api_version",
                $"api_version '{apiVersion}' is ignored: librdkafka negotiates API versions with the broker.");
        }

        if (context.Map(root, null, "serde_config") is { } serde)
        {
            context.CheckKeys(serde, "serde_config", SerdeKeys);
            context.Warn("ProfileKeyIgnored", "serde_config", "serde_config is ignored: it configures Mage's message (de)serialization, not the connection.");
        }

        if (context.Map(root, null, "offset") is { } offset)
        {
            context.CheckKeys(offset, "offset", OffsetKeys);
            context.Warn("ProfileKeyIgnored", "offset", "offset is ignored: use Receive-KafkaMessage -Offset/-FromTimestamp to read from a position, Reset-KafkaConsumerGroupOffset to move a group.");
        }

        settings = settings with
        {
            DefaultTopic = defaultTopic,
            ConsumerGroup = string.IsNullOrWhiteSpace(group) ? null : group.Trim(),
            AutoOffsetReset = reset,
            ConsumerProperties = consumer.Count > 0 ? consumer : null,
            ProducerProperties = producer.Count > 0 ? producer : null,
        };

        return new KafkaProfile
        {
            Path = context.Path,
            Format = KafkaProfileFormat.MageYaml,
            Settings = settings,
            Topic = topic,
            Topics = topics,
            ConsumerGroup = settings.ConsumerGroup,
            Warnings = context.Warnings,
        };
    }

    /// <summary>
    /// kafka-python's reading of auto_offset_reset (KafkaConsumer, SubscriptionState): earliest / latest in any case,
    /// smallest / largest as deprecated aliases, anything else is no reset (a partition without an offset raises).
    /// Mage's default is latest.
    /// </summary>
    private static KafkaOffsetReset? ReadOffsetReset(ProfileNode root, ProfileContext context)
    {
        var key = Key(nameof(KafkaConnectionSettings.AutoOffsetReset));
        if (context.String(root, null, key) is not { } text)
        {
            return null;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "earliest" or "smallest":
                return KafkaOffsetReset.Earliest;
            case "latest" or "largest":
                return KafkaOffsetReset.Latest;
            case "none":
                return KafkaOffsetReset.None;
            default:
                context.Warn("ProfileOffsetResetNone", key,
                    $"'{text}' is not earliest or latest; kafka-python (and so Mage) then resets nowhere, as with none: a partition without a committed offset is an error. Write earliest or latest if that is not meant.");
                return KafkaOffsetReset.None;
        }
    }

    private const int MageDefaultBatchSize = 100;
    private const int MageDefaultTimeoutMs = 500;

    /// <summary>librdkafka's linger.ms maximum (CONFIGURATION.md 2.15.1: 0 .. 900000).</summary>
    private const int LingerMaxMs = 900_000;

    /// <summary>
    /// The <paramref name="key"/> section (null when the profile has none) with its keys checked. Mage reads a block
    /// only for the protocols in <paramref name="usedWith"/> and ignores it otherwise: a warning here, not an error.
    /// </summary>
    private static ProfileNode? ProtocolSection(ProfileNode root, ProfileContext context, string key, string[] keys,
        KafkaSecurityProtocol? protocol, KafkaSecurityProtocol[] usedWith, string usedWithNames)
    {
        var section = context.Map(root, null, key);
        if (section is null)
        {
            return null;
        }

        context.CheckKeys(section, key, keys);
        if (protocol is not { } p || !usedWith.Contains(p))
        {
            context.Warn("ProfileKeyIgnored", key,
                $"{key} is ignored: Mage uses it only with security_protocol {usedWithNames}, and the protocol is {(protocol is { } q ? LibrdkafkaConfig.ProtocolName(q).ToUpperInvariant() : "not set (PLAINTEXT)")}.");
            return null;
        }

        return section;
    }

    private static KafkaConnectionSettings ReadSsl(ProfileNode root, ProfileContext context, KafkaConnectionSettings settings, KafkaSecurityProtocol? protocol)
    {
        var ssl = ProtocolSection(root, context, SslSection, SslKeys, protocol, [KafkaSecurityProtocol.Ssl, KafkaSecurityProtocol.SaslSsl], "SSL or SASL_SSL");
        if (ssl is null)
        {
            return settings;
        }

        var checkHostnameKey = Key(nameof(KafkaConnectionSettings.EnableHostnameVerification), SslSection);
        var caKey = Key(nameof(KafkaConnectionSettings.SslCaLocation), SslSection);
        var checkHostname = context.Bool(ssl, SslSection, checkHostnameKey);
        if (protocol == KafkaSecurityProtocol.SaslSsl)
        {
            // Mage's SASL_SSL branch passes only ssl_cafile to kafka-python; host names are then checked
            // (kafka-python's ssl_check_hostname default True), whatever ssl_config says.
            foreach (var unused in SslKeys.Where(k => k != caKey))
            {
                if (ProfileContext.Get(ssl, unused) is { Kind: not ProfileNodeKind.Null })
                {
                    context.Warn("ProfileKeyIgnored", SslSection + "." + unused,
                        unused == checkHostnameKey
                            ? "check_hostname is ignored with SASL_SSL: Mage passes only cafile there, so kafka-python verifies broker host names; KafkaCatalog does too. Use -NoHostnameVerification to turn it off."
                            : $"{unused} is ignored with SASL_SSL: Mage passes only cafile there. Connect with an SSL profile or -SslCertificateLocation/-SslKeyLocation for mutual TLS.");
                }
            }

            return settings with { SslCaLocation = context.FilePath(ssl, SslSection, caKey), EnableHostnameVerification = true };
        }

        if (checkHostname is null)
        {
            // SSLConfig.check_hostname defaults to False in Mage's source and sink.
            context.Warn("MageHostnameCheckDefault", SslSection + "." + checkHostnameKey,
                "check_hostname is not set: Mage's default is false, so broker host names are not verified (the certificates still are). Add check_hostname: true to verify them.");
        }

        // Every ssl_config key with a setting, as the table types it; check_hostname with Mage's default.
        var read = KafkaSettingDefinitions.With(settings, context.ReadAll(ssl, SslSection, KeyOf, d => d.Name != nameof(KafkaConnectionSettings.EnableHostnameVerification)));
        return read with { EnableHostnameVerification = checkHostname ?? false };
    }

    private static KafkaConnectionSettings ReadSasl(ProfileNode root, ProfileContext context, KafkaConnectionSettings settings, KafkaSecurityProtocol? protocol)
    {
        var sasl = ProtocolSection(root, context, SaslSection, SaslKeys, protocol, [KafkaSecurityProtocol.SaslSsl, KafkaSecurityProtocol.SaslPlaintext], "SASL_SSL or SASL_PLAINTEXT");
        if (sasl is null)
        {
            return settings;
        }

        // Mage's default mechanism is PLAIN; kafka-python takes the name as written (AWS_MSK_IAM is refused with the alternatives).
        var mechanism = context.Mechanism(sasl, SaslSection, Key(nameof(KafkaConnectionSettings.SaslMechanism), SaslSection)) ?? KafkaSaslMechanism.Plain;
        if (mechanism == KafkaSaslMechanism.OAuthBearer)
        {
            WarnUnused(context, sasl, UserKeys, "OAUTHBEARER", "Mage hands the token provider to kafka-python, not a user name or password.");
            if (protocol == KafkaSecurityProtocol.SaslPlaintext)
            {
                context.Warn("OAuthOverPlaintext", "security_protocol", "OAUTHBEARER over SASL_PLAINTEXT sends the token unencrypted (Mage warns too). Use SASL_SSL.");
            }

            // Mage (kafka-python) sends the client credentials in the form body.
            var oauth = KafkaSettingDefinitions.With(settings, context.ReadAll(sasl, SaslSection, KeyOf, IsOAuth));
            return oauth with { SaslMechanism = mechanism, OAuthClientAuthentication = OAuth.OAuthClientAuthentication.ClientSecretPost };
        }

        WarnUnused(context, sasl, OAuthKeys, LibrdkafkaConfig.MechanismName(mechanism), "Mage uses the oauth_* keys only with mechanism OAUTHBEARER.");
        if (mechanism == KafkaSaslMechanism.Gssapi)
        {
            // kafka-python authenticates GSSAPI with the Kerberos ticket (service name 'kafka'); Mage's user name and
            // password go unused. librdkafka needs a build with Kerberos support (KafkaCatalog's default build has none).
            WarnUnused(context, sasl, UserKeys, "GSSAPI", "Kerberos uses the ticket cache (kinit) or -KerberosPrincipal/-KerberosKeytab.");
            return settings with { SaslMechanism = mechanism };
        }

        var user = KafkaSettingDefinitions.With(settings, context.ReadAll(sasl, SaslSection, KeyOf, d => d.Name is nameof(KafkaConnectionSettings.SaslUsername) or nameof(KafkaConnectionSettings.SaslPassword)));
        return user with { SaslMechanism = mechanism };
    }

    private static void WarnUnused(ProfileContext context, ProfileNode sasl, IEnumerable<string> keys, string mechanism, string why)
    {
        foreach (var key in keys)
        {
            if (ProfileContext.Get(sasl, key) is { Kind: not ProfileNodeKind.Null })
            {
                context.Warn("ProfileKeyIgnored", SaslSection + "." + key, $"{key} is ignored with mechanism {mechanism}: {why}");
            }
        }
    }

    private static IReadOnlyList<string> ReadTopics(ProfileNode root, ProfileContext context)
    {
        var node = ProfileContext.Get(root, "topics");
        if (node is null || node.Kind == ProfileNodeKind.Null)
        {
            return Array.Empty<string>();
        }

        if (node.Kind != ProfileNodeKind.List || node.Items.Any(i => !i.IsScalar || string.IsNullOrWhiteSpace(i.Text)))
        {
            throw context.Error(ErrorCatalog.ProfileInvalidValue, "topics", node, "topics must be a list of topic names.", "Write e.g. topics: [orders, payments].");
        }

        return node.Items.Select(i => i.Text!.Trim()).ToList();
    }
}
