using System.Globalization;

namespace KafkaCatalog.Core.Connections.Profiles;

/// <summary>
/// Mage.ai Kafka YAML (docs.mage.ai "Kafka" source/destination; mage_ai/streaming/sources/kafka.py).
/// Mapping: ../shared/specs/polaris-mage-connection.md §B and §C.2.
/// </summary>
internal static class MageProfileReader
{
    internal static readonly string[] RootKeys =
    {
        "connector_type", "bootstrap_server", "topic", "topics", "consumer_group", "include_metadata", "api_version",
        "batch_size", "timeout_ms", "auto_offset_reset", "max_partition_fetch_bytes", "security_protocol",
        "ssl_config", "sasl_config", "serde_config", "offset",
    };

    internal static readonly string[] SslKeys = { "cafile", "certfile", "keyfile", "password", "check_hostname" };

    internal static readonly string[] SaslKeys =
    {
        "mechanism", "username", "password", "oauth_token_url", "oauth_client_id", "oauth_client_secret", "oauth_scope",
    };

    internal static readonly string[] SerdeKeys =
    {
        "serialization_method", "schema_classpath", "schema_registry_url", "schema_registry_username", "schema_registry_password",
    };

    internal static readonly string[] OffsetKeys = { "type", "value", "partitions" };

    private static readonly string[] OAuthKeys = { "oauth_token_url", "oauth_client_id", "oauth_client_secret", "oauth_scope" };

    public static KafkaProfile Read(ProfileNode? rootNode, ProfileContext context)
    {
        var root = context.RequireRootMap(rootNode, "Mage Kafka YAML");
        if (ProfileContext.Get(root, "oauth_config") is { } misplaced)
        {
            throw context.Error("ProfileUnknownKey", "oauth_config", misplaced, "Mage has no oauth_config block.",
                "Put oauth_token_url, oauth_client_id, oauth_client_secret and oauth_scope under sasl_config, with mechanism: OAUTHBEARER.");
        }

        context.CheckKeys(root, null, RootKeys);

        var connector = context.String(root, null, "connector_type");
        if (connector is not null && !connector.Trim().Equals("kafka", StringComparison.OrdinalIgnoreCase))
        {
            throw context.Error("ProfileWrongConnector", "connector_type", ProfileContext.Get(root, "connector_type"),
                $"connector_type is '{connector}', not 'kafka'.", "Use the Kafka source or destination YAML of the Mage pipeline.");
        }

        var bootstrap = ProfileContext.Get(root, "bootstrap_server") is { Kind: not ProfileNodeKind.Null }
            ? KafkaProfileReader.JoinServers(context, root, "bootstrap_server")
            : null;

        var protocol = context.Protocol(root, null, "security_protocol");
        var settings = new KafkaConnectionSettings { BootstrapServers = bootstrap, SecurityProtocol = protocol };
        settings = ReadSsl(root, context, settings, protocol);
        settings = ReadSasl(root, context, settings, protocol);

        var topic = context.String(root, null, "topic");
        var topics = ReadTopics(root, context);
        var group = context.String(root, null, "consumer_group");
        var consumer = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(group))
        {
            consumer["group.id"] = group;
        }

        if (context.String(root, null, "auto_offset_reset") is { } reset)
        {
            consumer["auto.offset.reset"] = reset.Trim().ToLowerInvariant() switch
            {
                "earliest" or "smallest" or "beginning" => "earliest",
                "latest" or "largest" or "end" => "latest",
                "none" => "error",
                _ => throw context.Error("ProfileInvalidValue", "auto_offset_reset", ProfileContext.Get(root, "auto_offset_reset"),
                    $"'{reset}' is not an offset reset policy.", "Use earliest, latest or none."),
            };
        }

        if (context.Integer(root, null, "max_partition_fetch_bytes", 1, 1_000_000_000) is { } fetch)
        {
            consumer["max.partition.fetch.bytes"] = fetch.ToString(CultureInfo.InvariantCulture);
        }

        var batch = context.Integer(root, null, "batch_size", int.MinValue, int.MaxValue);
        var timeout = context.Integer(root, null, "timeout_ms", int.MinValue, int.MaxValue);
        var includeMetadata = context.Bool(root, null, "include_metadata");

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
            context.Warn("ProfileKeyIgnored", "offset", "offset is ignored: use Reset-KafkaConsumerGroupOffset to move a group's offsets.");
        }

        return new KafkaProfile
        {
            Path = context.Path,
            Format = KafkaProfileFormat.MageYaml,
            Settings = settings,
            Topic = topic,
            Topics = topics,
            ConsumerGroup = group,
            ConsumerProperties = consumer,
            // Mage treats values <= 0 as its defaults (100 records, 500 ms).
            BatchSize = batch is { } b ? (b <= 0 ? 100 : (int)b) : null,
            PollTimeout = timeout is { } t ? TimeSpan.FromMilliseconds(t <= 0 ? 500 : t) : null,
            IncludeMetadata = includeMetadata,
            Warnings = context.Warnings,
        };
    }

    /// <summary>
    /// The <paramref name="key"/> section (null when the profile has none) with its keys checked;
    /// ProfileKeyNotUsed when the security protocol is not one of <paramref name="usedWith"/>.
    /// </summary>
    private static ProfileNode? ProtocolSection(ProfileNode root, ProfileContext context, string key, string[] keys,
        KafkaSecurityProtocol? protocol, KafkaSecurityProtocol[] usedWith, string usedWithNames, string hint)
    {
        var section = context.Map(root, null, key);
        if (section is null)
        {
            return null;
        }

        context.CheckKeys(section, key, keys);
        if (protocol is not { } p || !usedWith.Contains(p))
        {
            throw context.Error("ProfileKeyNotUsed", key, section,
                $"{key} is only used with security_protocol {usedWithNames}, but the protocol is {(protocol is { } q ? LibrdkafkaConfig.ProtocolName(q).ToUpperInvariant() : "not set (PLAINTEXT)")}.",
                hint);
        }

        return section;
    }

    private static KafkaConnectionSettings ReadSsl(ProfileNode root, ProfileContext context, KafkaConnectionSettings settings, KafkaSecurityProtocol? protocol)
    {
        var ssl = ProtocolSection(root, context, "ssl_config", SslKeys, protocol,
            [KafkaSecurityProtocol.Ssl, KafkaSecurityProtocol.SaslSsl], "SSL or SASL_SSL", "Set security_protocol: SSL (or SASL_SSL), or remove ssl_config.");
        if (ssl is null)
        {
            return settings;
        }

        var checkHostname = context.Bool(ssl, "ssl_config", "check_hostname");
        if (checkHostname is null)
        {
            context.Warn("MageHostnameCheckDefault", "ssl_config.check_hostname",
                "check_hostname is not set. Mage would not verify broker host names; KafkaCatalog does. Add check_hostname: false only if the broker certificates lack the right names.");
        }

        return settings with
        {
            SslCaLocation = context.FilePath(ssl, "ssl_config", "cafile"),
            SslCertificateLocation = context.FilePath(ssl, "ssl_config", "certfile"),
            SslKeyLocation = context.FilePath(ssl, "ssl_config", "keyfile"),
            SslKeyPassword = context.Secret(ssl, "ssl_config", "password"),
            EnableHostnameVerification = checkHostname,
        };
    }

    private static KafkaConnectionSettings ReadSasl(ProfileNode root, ProfileContext context, KafkaConnectionSettings settings, KafkaSecurityProtocol? protocol)
    {
        var sasl = ProtocolSection(root, context, "sasl_config", SaslKeys, protocol,
            [KafkaSecurityProtocol.SaslSsl, KafkaSecurityProtocol.SaslPlaintext], "SASL_SSL or SASL_PLAINTEXT", "Set security_protocol: SASL_SSL, or remove sasl_config.");
        if (sasl is null)
        {
            return settings;
        }

        // Mage's default mechanism is PLAIN.
        var mechanism = context.Mechanism(sasl, "sasl_config", "mechanism") ?? KafkaSaslMechanism.Plain;
        if (mechanism == KafkaSaslMechanism.OAuthBearer)
        {
            foreach (var key in new[] { "username", "password" })
            {
                if (ProfileContext.Get(sasl, key) is { } node)
                {
                    throw context.Error("ProfileKeyNotUsed", "sasl_config." + key, node, "OAUTHBEARER does not use a user name or password.",
                        "Remove it; the client id and secret go in oauth_client_id and oauth_client_secret.");
                }
            }

            if (protocol == KafkaSecurityProtocol.SaslPlaintext)
            {
                context.Warn("OAuthOverPlaintext", "security_protocol", "OAUTHBEARER over SASL_PLAINTEXT sends the token unencrypted (Mage warns too). Use SASL_SSL.");
            }

            return settings with
            {
                SaslMechanism = mechanism,
                OAuthTokenEndpoint = context.AbsoluteUri(sasl, "sasl_config", "oauth_token_url"),
                OAuthClientId = context.String(sasl, "sasl_config", "oauth_client_id"),
                OAuthClientSecret = context.Secret(sasl, "sasl_config", "oauth_client_secret"),
                OAuthScope = context.String(sasl, "sasl_config", "oauth_scope"),
                // Mage (kafka-python) sends the client credentials in the form body.
                OAuthClientAuthentication = OAuth.OAuthClientAuthentication.ClientSecretPost,
            };
        }

        foreach (var key in OAuthKeys)
        {
            if (ProfileContext.Get(sasl, key) is { } node)
            {
                throw context.Error("ProfileKeyNotUsed", "sasl_config." + key, node,
                    $"{key} is only used with mechanism OAUTHBEARER, but the mechanism is {LibrdkafkaConfig.MechanismName(mechanism)}.",
                    "Set mechanism: OAUTHBEARER, or remove the oauth_* keys.");
            }
        }

        if (mechanism == KafkaSaslMechanism.Gssapi)
        {
            throw context.Error("ProfileInvalidValue", "sasl_config.mechanism", ProfileContext.Get(sasl, "mechanism"),
                "Mage profiles support PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER, not GSSAPI.",
                "For Kerberos use -SaslMechanism Gssapi with -KerberosPrincipal/-KerberosKeytab, or a kafka-python JSON profile.");
        }

        return settings with
        {
            SaslMechanism = mechanism,
            SaslUsername = context.String(sasl, "sasl_config", "username"),
            SaslPassword = context.Secret(sasl, "sasl_config", "password"),
        };
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
            throw context.Error("ProfileInvalidValue", "topics", node, "topics must be a list of topic names.", "Write e.g. topics: [orders, payments].");
        }

        return node.Items.Select(i => i.Text!.Trim()).ToList();
    }
}
