using System.Security;
using System.Text.Json.Serialization;
using KafkaCatalog.Core.Connections.OAuth;

namespace KafkaCatalog.Core.Connections;

/// <summary>
/// One layer of connection settings (explicit parameters, a profile, or the environment) where null
/// means "not given here". Layers are combined with <see cref="Merge"/> (highest precedence first)
/// and turned into <see cref="KafkaConnectionOptions"/> with <see cref="ToOptions"/>.
/// </summary>
public sealed record KafkaConnectionSettings
{
    public string? BootstrapServers { get; init; }
    public string? ClientId { get; init; }
    public KafkaSecurityProtocol? SecurityProtocol { get; init; }
    public KafkaSaslMechanism? SaslMechanism { get; init; }
    public string? SaslUsername { get; init; }
    [JsonIgnore]
    public SecureString? SaslPassword { get; init; }

    public TimeSpan? RequestTimeout { get; init; }
    public TimeSpan? SocketTimeout { get; init; }
    public TimeSpan? ConnectionSetupTimeout { get; init; }
    public TimeSpan? ConnectionsMaxIdle { get; init; }
    public TimeSpan? MetadataMaxAge { get; init; }
    public TimeSpan? MetadataRefreshInterval { get; init; }
    public TimeSpan? RetryBackoff { get; init; }
    public TimeSpan? RetryBackoffMax { get; init; }
    public TimeSpan? ReconnectBackoff { get; init; }
    public TimeSpan? ReconnectBackoffMax { get; init; }
    public TimeSpan? ApiVersionRequestTimeout { get; init; }

    public Uri? OAuthTokenEndpoint { get; init; }
    public string? OAuthClientId { get; init; }
    [JsonIgnore]
    public SecureString? OAuthClientSecret { get; init; }
    public string? OAuthScope { get; init; }
    public IReadOnlyDictionary<string, string>? OAuthExtensions { get; init; }
    public OAuthClientAuthentication? OAuthClientAuthentication { get; init; }
    public string? OAuthCaLocation { get; init; }

    public string? SslCaLocation { get; init; }
    public string? SslCaPem { get; init; }
    public string? SslCertificateLocation { get; init; }
    public string? SslCertificatePem { get; init; }
    public string? SslKeyLocation { get; init; }
    [JsonIgnore]
    public SecureString? SslKeyPem { get; init; }
    [JsonIgnore]
    public SecureString? SslKeyPassword { get; init; }
    public string? SslCrlLocation { get; init; }
    public bool? EnableHostnameVerification { get; init; }
    public bool? SkipCertificateCheck { get; init; }

    public string? KerberosServiceName { get; init; }
    public string? KerberosPrincipal { get; init; }
    public string? KerberosKeytab { get; init; }

    [JsonConverter(typeof(RedactedPropertiesJsonConverter))]
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>Producer-only librdkafka properties from a profile (Mage batch_size, timeout_ms); -Property wins over them.</summary>
    public IReadOnlyDictionary<string, string>? ProducerProperties { get; init; }

    /// <summary>Consumer-only librdkafka properties from a profile (Mage auto_offset_reset, max_partition_fetch_bytes).</summary>
    public IReadOnlyDictionary<string, string>? ConsumerProperties { get; init; }

    /// <summary>The topic Publish-KafkaMessage and Receive-KafkaMessage use without -Topic (Mage topic).</summary>
    public string? DefaultTopic { get; init; }

    /// <summary>The consumer group the profile's tool consumes with (Mage consumer_group).</summary>
    public string? ConsumerGroup { get; init; }

    /// <summary>Where the profile's consumer starts without a committed offset (Mage / kafka-python auto_offset_reset).</summary>
    public KafkaOffsetReset? AutoOffsetReset { get; init; }

    /// <summary>
    /// Combines layers, highest precedence first (explicit parameters, then profile, then environment).
    /// Each setting comes from the first layer that has it. Settings that belong together come from
    /// one layer: the SASL user name and password, the OAuth client id and secret, and each TLS
    /// file/PEM pair (so a PEM given explicitly replaces a file from a profile).
    /// Properties are combined key by key, the higher layer winning.
    /// </summary>
    public static KafkaConnectionSettings Merge(params KafkaConnectionSettings?[] highestFirst)
    {
        var result = new KafkaConnectionSettings();
        foreach (var layer in Enumerable.Reverse(highestFirst))
        {
            if (layer is not null)
            {
                result = Over(layer, result);
            }
        }

        return result;
    }

    /// <summary><paramref name="high"/> on top of <paramref name="low"/>, setting by setting as <see cref="KafkaSettingDefinitions"/> says.</summary>
    private static KafkaConnectionSettings Over(KafkaConnectionSettings high, KafkaConnectionSettings low)
    {
        var groupsFromHigh = KafkaSettingDefinitions.All
            .Where(d => d.MergeGroup is not null && d.ValueIn(high) is not null)
            .Select(d => d.MergeGroup!)
            .ToHashSet(StringComparer.Ordinal);

        var result = new KafkaConnectionSettings();
        foreach (var definition in KafkaSettingDefinitions.All)
        {
            var value = definition.Merge == KafkaSettingMerge.ByKey
                ? MergeProperties((IReadOnlyDictionary<string, string>?)definition.ValueIn(high), (IReadOnlyDictionary<string, string>?)definition.ValueIn(low))
                : definition.MergeGroup is { } group
                    ? (groupsFromHigh.Contains(group) ? definition.ValueIn(high) : definition.ValueIn(low))
                    : definition.ValueIn(high) ?? definition.ValueIn(low);
            KafkaSettingDefinitions.Set(result, definition, value);
        }

        // A key from a higher layer never gets a lower layer's key password.
        if (groupsFromHigh.Contains(KafkaSettingDefinitions.Get(nameof(SslKeyLocation)).MergeGroup!))
        {
            KafkaSettingDefinitions.Set(result, KafkaSettingDefinitions.Get(nameof(SslKeyPassword)), high.SslKeyPassword);
        }

        return result;
    }

    /// <summary>Key by key, the higher layer winning; null when neither layer has any.</summary>
    private static Dictionary<string, string>? MergeProperties(IReadOnlyDictionary<string, string>? high, IReadOnlyDictionary<string, string>? low)
    {
        if (low is null && high is null)
        {
            return null;
        }

        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in low ?? new Dictionary<string, string>())
        {
            merged[k] = v;
        }

        foreach (var (k, v) in high ?? new Dictionary<string, string>())
        {
            merged[k] = v;
        }

        return merged;
    }

    /// <summary>
    /// Fills defaults and builds the options (not yet validated: call
    /// <see cref="KafkaConnectionOptions.ThrowIfInvalid"/>). Defaults: PLAINTEXT; SASL mechanism
    /// PLAIN when the protocol is SASL_* and a user name is given (as Mage does); OAUTHBEARER when
    /// OAuth settings are given; client id "kafkacatalog".
    /// </summary>
    public KafkaConnectionOptions ToOptions()
    {
        var hasOAuth = OAuthTokenEndpoint is not null || OAuthClientId is not null || OAuthClientSecret is not null;
        var protocol = SecurityProtocol ?? KafkaSecurityProtocol.Plaintext;
        var isSasl = protocol is KafkaSecurityProtocol.SaslPlaintext or KafkaSecurityProtocol.SaslSsl;
        var mechanism = SaslMechanism
            ?? (hasOAuth ? KafkaSaslMechanism.OAuthBearer
                : isSasl && SaslUsername is not null ? KafkaSaslMechanism.Plain
                : KafkaSaslMechanism.None);

        KafkaOAuthOptions? oauth = null;
        if (hasOAuth)
        {
            oauth = new KafkaOAuthOptions
            {
                // An invalid placeholder keeps validation in one place (KafkaOAuthOptions.Validate names what is missing).
                TokenEndpoint = OAuthTokenEndpoint ?? KafkaOAuthOptions.MissingEndpoint,
                ClientId = OAuthClientId ?? string.Empty,
                ClientSecret = OAuthClientSecret ?? new SecureString(),
                Scope = OAuthScope,
                Extensions = OAuthExtensions ?? new Dictionary<string, string>(),
                ClientAuthentication = OAuthClientAuthentication ?? OAuth.OAuthClientAuthentication.ClientSecretPost,
                CaLocation = OAuthCaLocation,
            };
        }

        // Every setting the options have a property for is copied when given; the options' own initializers are the defaults.
        var options = new KafkaConnectionOptions { BootstrapServers = BootstrapServers ?? string.Empty };
        foreach (var definition in KafkaSettingDefinitions.All)
        {
            if (definition.InOptions && definition.Name != nameof(BootstrapServers) && definition.ValueIn(this) is { } value)
            {
                KafkaSettingDefinitions.Set(options, definition.Name, value);
            }
        }

        return options with { SecurityProtocol = protocol, SaslMechanism = mechanism, OAuth = oauth };
    }

    /// <summary>Never includes a secret.</summary>
    public override string ToString() =>
        $"{BootstrapServers ?? "(no bootstrap servers)"} ({SecurityProtocol?.ToString() ?? "protocol not set"}{(SaslMechanism is { } m ? "/" + m : string.Empty)})";
}
