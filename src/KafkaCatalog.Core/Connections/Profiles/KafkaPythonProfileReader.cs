using System.Globalization;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.Profiles;

/// <summary>
/// JSON object of kafka-python KafkaAdminClient keyword arguments, mapped as in
/// ../shared/specs/polaris-mage-connection.md §C.1. The accepted keys are KafkaAdminClient.DEFAULT_CONFIG of
/// kafka-python 2.0.2 (kafka/admin/client.py) and of 3.x (bootstrap_timeout_ms, sasl_kerberos_name, socks5_proxy,
/// kafka_client; client_dns_lookup, receive_message_max_bytes, socket_connection_setup_timeout_ms(_max_ms),
/// default_api_timeout_ms), plus metrics and metric_group_prefix, which its docstring lists. Keys without a librdkafka
/// equivalent give warnings; unknown keys give an error naming the closest valid key (kafka-python itself raises
/// "Unrecognized configs").
/// </summary>
internal static class KafkaPythonProfileReader
{
    internal static readonly string[] MappedKeys =
    {
        "bootstrap_servers", "client_id", "request_timeout_ms", "connections_max_idle_ms", "retry_backoff_ms",
        "reconnect_backoff_ms", "reconnect_backoff_max_ms", "max_in_flight_requests_per_connection",
        "receive_buffer_bytes", "send_buffer_bytes", "socket_options", "metadata_max_age_ms", "security_protocol",
        "ssl_check_hostname", "ssl_cafile", "ssl_certfile", "ssl_keyfile", "ssl_password", "ssl_crlfile",
        "api_version", "api_version_auto_timeout_ms", "sasl_mechanism", "sasl_plain_username", "sasl_plain_password",
        "sasl_kerberos_service_name", "sasl_oauth_token_provider",
        "client_dns_lookup", "receive_message_max_bytes", "socket_connection_setup_timeout_ms", "default_api_timeout_ms",
    };

    /// <summary>kafka-python keywords with no librdkafka equivalent: accepted with a warning.</summary>
    internal static readonly IReadOnlyDictionary<string, string> UnmappedKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ssl_context"] = "librdkafka cannot use a Python SSLContext; use ssl_cafile, ssl_certfile, ssl_keyfile and ssl_password.",
        ["selector"] = "librdkafka does its own I/O multiplexing.",
        ["metrics"] = "librdkafka reports statistics through statistics.interval.ms instead.",
        ["metric_group_prefix"] = "librdkafka reports statistics through statistics.interval.ms instead.",
        ["sock_chunk_bytes"] = "librdkafka manages socket buffers itself.",
        ["sock_chunk_buffer_count"] = "librdkafka manages socket buffers itself.",
        ["socks5_proxy"] = "librdkafka has no SOCKS5 proxy support.",
        ["kafka_client"] = "not a connection setting.",
        ["sasl_kerberos_domain_name"] = "librdkafka always builds the service principal from the broker host name.",
        ["sasl_kerberos_name"] = "use sasl_kerberos_service_name; librdkafka builds the principal from it and the broker host name.",
        ["metric_reporters"] = "librdkafka reports statistics through statistics.interval.ms instead.",
        ["metrics_num_samples"] = "librdkafka reports statistics through statistics.interval.ms instead.",
        ["metrics_sample_window_ms"] = "librdkafka reports statistics through statistics.interval.ms instead.",
        ["bootstrap_timeout_ms"] = "librdkafka has no bootstrap step in its constructor; Connect-KafkaCluster waits -TimeoutSec (request_timeout_ms) for the cluster to answer.",
        ["socket_connection_setup_timeout_max_ms"] = "librdkafka has one connection setup timeout (socket.connection.setup.timeout.ms, from socket_connection_setup_timeout_ms) and no exponential growth of it.",
    };

    internal static readonly string[] OAuthProviderKeys = { "token_url", "client_id", "client_secret", "scope", "extensions" };

    internal static readonly string[] AllKeys = MappedKeys.Concat(UnmappedKeys.Keys).ToArray();

    public static KafkaProfile Read(ProfileNode root, ProfileContext context)
    {
        context.CheckKeys(root, null, AllKeys);
        foreach (var (key, _) in root.Entries)
        {
            if (UnmappedKeys.TryGetValue(key, out var why))
            {
                context.Warn("ProfileKeyIgnored", key, $"No librdkafka equivalent; ignored ({why})");
            }
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var bootstrap = ProfileContext.Get(root, "bootstrap_servers") is { Kind: not ProfileNodeKind.Null }
            ? KafkaProfileReader.JoinServers(context, root, "bootstrap_servers")
            : null;

        SetInt(context, root, properties, "max_in_flight_requests_per_connection", "max.in.flight.requests.per.connection", 1, 1_000_000);
        SetInt(context, root, properties, "receive_buffer_bytes", "socket.receive.buffer.bytes", 0, 100_000_000);
        SetInt(context, root, properties, "send_buffer_bytes", "socket.send.buffer.bytes", 0, 100_000_000);
        SetInt(context, root, properties, "receive_message_max_bytes", "receive.message.max.bytes", 1000, int.MaxValue);
        ReadDnsLookup(context, root, properties);
        ReadSocketOptions(context, root, properties);
        ReadApiVersion(context, root, properties);

        var mechanism = context.Mechanism(root, null, "sasl_mechanism");

        // request_timeout_ms is one request's timeout: librdkafka's socket.timeout.ms (10 .. 300000), and KafkaCatalog's
        // per-call deadline unless kafka-python 3's default_api_timeout_ms (the whole operation's deadline) is also given.
        var requestTimeout = context.Milliseconds(root, null, "request_timeout_ms", "socket.timeout.ms");
        var operationTimeout = context.Milliseconds(root, null, "default_api_timeout_ms", "socket.timeout.ms");
        var settings = new KafkaConnectionSettings
        {
            BootstrapServers = bootstrap,
            ClientId = context.String(root, null, "client_id"),
            RequestTimeout = operationTimeout ?? requestTimeout,
            SocketTimeout = operationTimeout is null ? null : requestTimeout,
            ConnectionSetupTimeout = context.Milliseconds(root, null, "socket_connection_setup_timeout_ms", "socket.connection.setup.timeout.ms"),
            ConnectionsMaxIdle = context.Milliseconds(root, null, "connections_max_idle_ms", "connections.max.idle.ms"),
            RetryBackoff = context.Milliseconds(root, null, "retry_backoff_ms", "retry.backoff.ms"),
            ReconnectBackoff = context.Milliseconds(root, null, "reconnect_backoff_ms", "reconnect.backoff.ms"),
            ReconnectBackoffMax = context.Milliseconds(root, null, "reconnect_backoff_max_ms", "reconnect.backoff.max.ms"),
            // kafka-python's metadata_max_age_ms is the forced refresh period: librdkafka's topic.metadata.refresh.interval.ms.
            MetadataRefreshInterval = context.Milliseconds(root, null, "metadata_max_age_ms", "topic.metadata.refresh.interval.ms"),
            ApiVersionRequestTimeout = context.Milliseconds(root, null, "api_version_auto_timeout_ms", "api.version.request.timeout.ms"),
            SecurityProtocol = context.Protocol(root, null, "security_protocol"),
            EnableHostnameVerification = context.Bool(root, null, "ssl_check_hostname"),
            SslCaLocation = context.FilePath(root, null, "ssl_cafile"),
            SslCertificateLocation = context.FilePath(root, null, "ssl_certfile"),
            SslKeyLocation = context.FilePath(root, null, "ssl_keyfile"),
            SslKeyPassword = context.Secret(root, null, "ssl_password"),
            SslCrlLocation = context.FilePath(root, null, "ssl_crlfile"),
            SaslMechanism = mechanism,
            SaslUsername = context.String(root, null, "sasl_plain_username"),
            SaslPassword = context.Secret(root, null, "sasl_plain_password"),
            KerberosServiceName = context.String(root, null, "sasl_kerberos_service_name"),
            Properties = properties.Count > 0 ? properties : null,
        };

        if (context.Map(root, null, "sasl_oauth_token_provider") is { } provider)
        {
            const string prefix = "sasl_oauth_token_provider";
            context.CheckKeys(provider, prefix, OAuthProviderKeys);
            if (mechanism is not null and not KafkaSaslMechanism.OAuthBearer)
            {
                throw context.Error(ErrorCatalog.ProfileKeyNotUsed, prefix, provider,
                    $"A token provider is only used with sasl_mechanism OAUTHBEARER, but sasl_mechanism is {LibrdkafkaConfig.MechanismName(mechanism.Value)}.",
                    "Set sasl_mechanism to OAUTHBEARER, or remove sasl_oauth_token_provider.");
            }

            settings = settings with
            {
                SaslMechanism = KafkaSaslMechanism.OAuthBearer,
                OAuthTokenEndpoint = context.AbsoluteUri(provider, prefix, "token_url"),
                OAuthClientId = context.String(provider, prefix, "client_id"),
                OAuthClientSecret = context.Secret(provider, prefix, "client_secret"),
                OAuthScope = context.String(provider, prefix, "scope"),
                OAuthExtensions = context.StringMap(provider, prefix, "extensions"),
            };
        }

        settings = DropUnused(context, root, settings);
        return new KafkaProfile
        {
            Path = context.Path,
            Format = KafkaProfileFormat.KafkaPythonJson,
            Settings = settings,
            Warnings = context.Warnings,
        };
    }

    private static readonly string[] SslKeys = ["ssl_cafile", "ssl_certfile", "ssl_keyfile", "ssl_password", "ssl_crlfile", "ssl_check_hostname"];
    private static readonly string[] SaslKeys = ["sasl_mechanism", "sasl_plain_username", "sasl_plain_password", "sasl_kerberos_service_name", "sasl_oauth_token_provider"];

    /// <summary>
    /// kafka-python reads the ssl_* keys only with security_protocol SSL or SASL_SSL and the sasl_* keys only with
    /// SASL_PLAINTEXT or SASL_SSL (kafka/conn.py), and sasl_kerberos_service_name only for GSSAPI; otherwise they have
    /// no effect, so its DEFAULT_CONFIG values (ssl_check_hostname true, sasl_kerberos_service_name 'kafka') or a
    /// left-over block never make a profile fail: they are dropped with a warning.
    /// </summary>
    private static KafkaConnectionSettings DropUnused(ProfileContext context, ProfileNode root, KafkaConnectionSettings settings)
    {
        var protocol = settings.SecurityProtocol ?? KafkaSecurityProtocol.Plaintext;
        var protocolName = LibrdkafkaConfig.ProtocolName(protocol).ToUpperInvariant();
        bool Given(string key) => ProfileContext.Get(root, key) is { Kind: not ProfileNodeKind.Null };
        if (protocol is not (KafkaSecurityProtocol.Ssl or KafkaSecurityProtocol.SaslSsl))
        {
            foreach (var key in SslKeys.Where(Given))
            {
                context.Warn("ProfileKeyIgnored", key, $"ignored: security_protocol is {protocolName}, and kafka-python uses the ssl_* keys only with SSL or SASL_SSL.");
            }

            settings = settings with
            {
                SslCaLocation = null,
                SslCertificateLocation = null,
                SslKeyLocation = null,
                SslKeyPassword = null,
                SslCrlLocation = null,
                EnableHostnameVerification = null,
            };
        }

        if (protocol is not (KafkaSecurityProtocol.SaslPlaintext or KafkaSecurityProtocol.SaslSsl))
        {
            foreach (var key in SaslKeys.Where(Given))
            {
                context.Warn("ProfileKeyIgnored", key, $"ignored: security_protocol is {protocolName}, and kafka-python uses the sasl_* keys only with SASL_PLAINTEXT or SASL_SSL.");
            }

            return settings with
            {
                SaslMechanism = null,
                SaslUsername = null,
                SaslPassword = null,
                KerberosServiceName = null,
                OAuthTokenEndpoint = null,
                OAuthClientId = null,
                OAuthClientSecret = null,
                OAuthScope = null,
                OAuthExtensions = null,
            };
        }

        if (settings.SaslMechanism != KafkaSaslMechanism.Gssapi && settings.KerberosServiceName is not null)
        {
            context.Warn("ProfileKeyIgnored", "sasl_kerberos_service_name", "ignored: kafka-python uses it only with sasl_mechanism GSSAPI.");
            settings = settings with { KerberosServiceName = null };
        }

        return settings;
    }

    private static void SetInt(ProfileContext context, ProfileNode root, Dictionary<string, string> properties, string key, string property, long min, long max)
    {
        if (context.Integer(root, null, key, min, max) is { } value)
        {
            properties[property] = value.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>kafka-python 3 client_dns_lookup: the two values librdkafka's client.dns.lookup (2.2.0+) shares with Java's.</summary>
    private static void ReadDnsLookup(ProfileContext context, ProfileNode root, Dictionary<string, string> properties)
    {
        if (context.String(root, null, "client_dns_lookup") is not { } text)
        {
            return;
        }

        var value = text.Trim().ToLowerInvariant();
        if (value is not ("use_all_dns_ips" or "resolve_canonical_bootstrap_servers_only"))
        {
            throw context.Error(ErrorCatalog.ProfileInvalidValue, "client_dns_lookup", ProfileContext.Get(root, "client_dns_lookup"),
                $"'{text}' is not a DNS lookup mode librdkafka knows.", "Use use_all_dns_ips or resolve_canonical_bootstrap_servers_only.");
        }

        properties["client.dns.lookup"] = value;
    }

    /// <summary>Maps the two socket options librdkafka exposes: TCP_NODELAY [6,1,1] and SO_KEEPALIVE [1,9,1] (Linux numbers).</summary>
    private static void ReadSocketOptions(ProfileContext context, ProfileNode root, Dictionary<string, string> properties)
    {
        var node = ProfileContext.Get(root, "socket_options");
        if (node is null || node.Kind == ProfileNodeKind.Null)
        {
            return;
        }

        if (node.Kind != ProfileNodeKind.List)
        {
            throw context.Error(ErrorCatalog.ProfileInvalidValue, "socket_options", node, "Expected a list of [level, option, value] triples.", "Write e.g. [[6, 1, 1]] for TCP_NODELAY.");
        }

        foreach (var item in node.Items)
        {
            if (item.Kind != ProfileNodeKind.List || item.Items.Count != 3 || item.Items.Any(i => i.Kind != ProfileNodeKind.Number))
            {
                throw context.Error(ErrorCatalog.ProfileInvalidValue, "socket_options", item, "Each socket option must be a [level, option, value] triple of numbers.", "Write e.g. [6, 1, 1] for TCP_NODELAY.");
            }

            var triple = string.Join(",", item.Items.Select(i => i.Text));
            switch (triple)
            {
                case "6,1,1":
                    properties["socket.nagle.disable"] = "true";
                    break;
                case "6,1,0":
                    properties["socket.nagle.disable"] = "false";
                    break;
                case "1,9,1":
                    properties["socket.keepalive.enable"] = "true";
                    break;
                case "1,9,0":
                    properties["socket.keepalive.enable"] = "false";
                    break;
                default:
                    context.Warn("ProfileKeyIgnored", "socket_options", $"Socket option [{triple}] has no librdkafka equivalent; ignored (only TCP_NODELAY and SO_KEEPALIVE map).");
                    break;
            }
        }
    }

    /// <summary>librdkafka negotiates versions; only brokers older than 0.10 need api.version.request=false plus a fallback.</summary>
    private static void ReadApiVersion(ProfileContext context, ProfileNode root, Dictionary<string, string> properties)
    {
        var node = ProfileContext.Get(root, "api_version");
        if (node is null || node.Kind == ProfileNodeKind.Null)
        {
            return;
        }

        var parts = node.Kind == ProfileNodeKind.List
            ? node.Items.Select(i => i.Kind == ProfileNodeKind.Number ? i.Text : null).ToList()
            : (node.IsScalar ? node.Text ?? string.Empty : string.Empty).Split('.').Select(s => (string?)s).ToList();
        var numbers = new List<int>();
        foreach (var part in parts)
        {
            if (part is null || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw context.Error(ErrorCatalog.ProfileInvalidValue, "api_version", node, "Expected a broker version such as \"2.8.0\" or [2, 8, 0].", "Write the version as dotted numbers, or remove the key (librdkafka negotiates).");
            }

            numbers.Add(n);
        }

        if (numbers.Count is < 2 or > 4)
        {
            throw context.Error(ErrorCatalog.ProfileInvalidValue, "api_version", node, "Expected two to four version numbers.", "Write e.g. \"0.10.2\" or [0, 10, 2].");
        }

        var version = string.Join(".", numbers);
        if (numbers[0] == 0 && numbers[1] < 10)
        {
            properties["api.version.request"] = "false";
            properties["broker.version.fallback"] = version;
            context.Warn("ApiVersionPinned", "api_version", $"Broker version {version} predates API version negotiation: set api.version.request=false and broker.version.fallback={version}.");
        }
        else
        {
            context.Warn("ProfileKeyIgnored", "api_version", $"api_version {version} is ignored: librdkafka negotiates API versions with the broker.");
        }
    }
}
