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
    private static string? KeyOf(KafkaSettingDefinition d) => d.KafkaPythonKey;

    private const string TokenProvider = "sasl_oauth_token_provider";

    /// <summary>Keys this reader maps to librdkafka properties or reads with rules of its own (not settings of the table).</summary>
    private static readonly string[] ReaderKeys =
    {
        "max_in_flight_requests_per_connection", "receive_buffer_bytes", "send_buffer_bytes", "socket_options", "api_version",
        "client_dns_lookup", "receive_message_max_bytes", "default_api_timeout_ms",
    };

    /// <summary>The keys with a setting (<see cref="KafkaSettingDefinition.KafkaPythonKey"/>), then the reader's own.</summary>
    internal static readonly string[] MappedKeys = KafkaSettingDefinitions.TopLevelKeys(KeyOf).Concat(ReaderKeys).ToArray();

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

    internal static readonly string[] OAuthProviderKeys = KafkaSettingDefinitions.KeysIn(KeyOf, TokenProvider).Select(p => p.Key).ToArray();

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
        var bootstrapKey = KafkaSettingDefinitions.KeyOf(nameof(KafkaConnectionSettings.BootstrapServers), KeyOf);
        var bootstrap = ProfileContext.Get(root, bootstrapKey) is { Kind: not ProfileNodeKind.Null }
            ? KafkaProfileReader.JoinServers(context, root, bootstrapKey)
            : null;

        SetInt(context, root, properties, "max_in_flight_requests_per_connection", "max.in.flight.requests.per.connection", 1, 1_000_000);
        SetInt(context, root, properties, "receive_buffer_bytes", "socket.receive.buffer.bytes", 0, 100_000_000);
        SetInt(context, root, properties, "send_buffer_bytes", "socket.send.buffer.bytes", 0, 100_000_000);
        SetInt(context, root, properties, "receive_message_max_bytes", "receive.message.max.bytes", 1000, int.MaxValue);
        ReadDnsLookup(context, root, properties);
        ReadSocketOptions(context, root, properties);
        ReadApiVersion(context, root, properties);

        // request_timeout_ms is one request's timeout: librdkafka's socket.timeout.ms (10 .. 300000), and KafkaCatalog's
        // per-call deadline unless kafka-python 3's default_api_timeout_ms (the whole operation's deadline) is also given.
        var requestTimeoutDefinition = KafkaSettingDefinitions.Get(nameof(KafkaConnectionSettings.RequestTimeout));
        var requestTimeout = context.Milliseconds(root, null, requestTimeoutDefinition.KafkaPythonKey!, requestTimeoutDefinition.Range!.CheckedAs);
        var operationTimeout = context.Milliseconds(root, null, "default_api_timeout_ms", requestTimeoutDefinition.Range!.CheckedAs);

        // Every other top-level key with a setting is read as the table types it.
        var settings = KafkaSettingDefinitions.With(
            new KafkaConnectionSettings
            {
                BootstrapServers = bootstrap,
                RequestTimeout = operationTimeout ?? requestTimeout,
                SocketTimeout = operationTimeout is null ? null : requestTimeout,
                Properties = properties.Count > 0 ? properties : null,
            },
            context.ReadAll(root, null, KeyOf, d => d.Name is not (nameof(KafkaConnectionSettings.BootstrapServers) or nameof(KafkaConnectionSettings.RequestTimeout))));
        var mechanism = settings.SaslMechanism;

        if (context.Map(root, null, TokenProvider) is { } provider)
        {
            const string prefix = TokenProvider;
            context.CheckKeys(provider, prefix, OAuthProviderKeys);
            if (mechanism is not null and not KafkaSaslMechanism.OAuthBearer)
            {
                throw context.Error(ErrorCatalog.ProfileKeyNotUsed, prefix, provider,
                    $"A token provider is only used with sasl_mechanism OAUTHBEARER, but sasl_mechanism is {LibrdkafkaConfig.MechanismName(mechanism.Value)}.",
                    "Set sasl_mechanism to OAUTHBEARER, or remove sasl_oauth_token_provider.");
            }

            settings = KafkaSettingDefinitions.With(settings with { SaslMechanism = KafkaSaslMechanism.OAuthBearer }, context.ReadAll(provider, prefix, KeyOf));
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

    /// <summary>The settings kafka-python reads only with SSL / SASL_SSL (ssl_*) and only with SASL_* (sasl_*), by their top-level key.</summary>
    private static readonly KafkaSettingDefinition[] SslSettings = KafkaSettingDefinitions.All.Where(d => d.KafkaPythonKey?.StartsWith("ssl_", StringComparison.Ordinal) == true).ToArray();
    private static readonly KafkaSettingDefinition[] SaslSettings = KafkaSettingDefinitions.All.Where(d => d.KafkaPythonKey?.StartsWith("sasl_", StringComparison.Ordinal) == true).ToArray();
    private static readonly string[] SslKeys = SslSettings.Select(d => d.KafkaPythonKey!.Split('.')[0]).Distinct(StringComparer.Ordinal).ToArray();
    private static readonly string[] SaslKeys = SaslSettings.Select(d => d.KafkaPythonKey!.Split('.')[0]).Distinct(StringComparer.Ordinal).ToArray();

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

            settings = KafkaSettingDefinitions.With(settings, SslSettings.Select(d => (d, (object?)null)));
        }

        if (protocol is not (KafkaSecurityProtocol.SaslPlaintext or KafkaSecurityProtocol.SaslSsl))
        {
            foreach (var key in SaslKeys.Where(Given))
            {
                context.Warn("ProfileKeyIgnored", key, $"ignored: security_protocol is {protocolName}, and kafka-python uses the sasl_* keys only with SASL_PLAINTEXT or SASL_SSL.");
            }

            return KafkaSettingDefinitions.With(settings, SaslSettings.Select(d => (d, (object?)null)));
        }

        if (settings.SaslMechanism != KafkaSaslMechanism.Gssapi && settings.KerberosServiceName is not null)
        {
            context.Warn("ProfileKeyIgnored", KafkaSettingDefinitions.KeyOf(nameof(KafkaConnectionSettings.KerberosServiceName), KeyOf), "ignored: kafka-python uses it only with sasl_mechanism GSSAPI.");
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
