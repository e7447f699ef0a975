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

    /// <summary><paramref name="high"/> on top of <paramref name="low"/>.</summary>
    private static KafkaConnectionSettings Over(KafkaConnectionSettings high, KafkaConnectionSettings low)
    {
        var saslFromHigh = high.SaslUsername is not null || high.SaslPassword is not null;
        var oauthClientFromHigh = high.OAuthClientId is not null || high.OAuthClientSecret is not null;
        var caFromHigh = high.SslCaLocation is not null || high.SslCaPem is not null;
        var certFromHigh = high.SslCertificateLocation is not null || high.SslCertificatePem is not null;
        var keyFromHigh = high.SslKeyLocation is not null || high.SslKeyPem is not null;

        var properties = MergeProperties(high.Properties, low.Properties);

        return new KafkaConnectionSettings
        {
            BootstrapServers = high.BootstrapServers ?? low.BootstrapServers,
            ClientId = high.ClientId ?? low.ClientId,
            SecurityProtocol = high.SecurityProtocol ?? low.SecurityProtocol,
            SaslMechanism = high.SaslMechanism ?? low.SaslMechanism,
            SaslUsername = saslFromHigh ? high.SaslUsername : low.SaslUsername,
            SaslPassword = saslFromHigh ? high.SaslPassword : low.SaslPassword,
            RequestTimeout = high.RequestTimeout ?? low.RequestTimeout,
            SocketTimeout = high.SocketTimeout ?? low.SocketTimeout,
            ConnectionSetupTimeout = high.ConnectionSetupTimeout ?? low.ConnectionSetupTimeout,
            ConnectionsMaxIdle = high.ConnectionsMaxIdle ?? low.ConnectionsMaxIdle,
            MetadataMaxAge = high.MetadataMaxAge ?? low.MetadataMaxAge,
            MetadataRefreshInterval = high.MetadataRefreshInterval ?? low.MetadataRefreshInterval,
            RetryBackoff = high.RetryBackoff ?? low.RetryBackoff,
            RetryBackoffMax = high.RetryBackoffMax ?? low.RetryBackoffMax,
            ReconnectBackoff = high.ReconnectBackoff ?? low.ReconnectBackoff,
            ReconnectBackoffMax = high.ReconnectBackoffMax ?? low.ReconnectBackoffMax,
            ApiVersionRequestTimeout = high.ApiVersionRequestTimeout ?? low.ApiVersionRequestTimeout,
            OAuthTokenEndpoint = high.OAuthTokenEndpoint ?? low.OAuthTokenEndpoint,
            OAuthClientId = oauthClientFromHigh ? high.OAuthClientId : low.OAuthClientId,
            OAuthClientSecret = oauthClientFromHigh ? high.OAuthClientSecret : low.OAuthClientSecret,
            OAuthScope = high.OAuthScope ?? low.OAuthScope,
            OAuthExtensions = high.OAuthExtensions ?? low.OAuthExtensions,
            OAuthClientAuthentication = high.OAuthClientAuthentication ?? low.OAuthClientAuthentication,
            OAuthCaLocation = high.OAuthCaLocation ?? low.OAuthCaLocation,
            SslCaLocation = caFromHigh ? high.SslCaLocation : low.SslCaLocation,
            SslCaPem = caFromHigh ? high.SslCaPem : low.SslCaPem,
            SslCertificateLocation = certFromHigh ? high.SslCertificateLocation : low.SslCertificateLocation,
            SslCertificatePem = certFromHigh ? high.SslCertificatePem : low.SslCertificatePem,
            SslKeyLocation = keyFromHigh ? high.SslKeyLocation : low.SslKeyLocation,
            SslKeyPem = keyFromHigh ? high.SslKeyPem : low.SslKeyPem,
            // A key from a higher layer never gets a lower layer's key password.
            SslKeyPassword = keyFromHigh ? high.SslKeyPassword : high.SslKeyPassword ?? low.SslKeyPassword,
            SslCrlLocation = high.SslCrlLocation ?? low.SslCrlLocation,
            EnableHostnameVerification = high.EnableHostnameVerification ?? low.EnableHostnameVerification,
            SkipCertificateCheck = high.SkipCertificateCheck ?? low.SkipCertificateCheck,
            KerberosServiceName = high.KerberosServiceName ?? low.KerberosServiceName,
            KerberosPrincipal = high.KerberosPrincipal ?? low.KerberosPrincipal,
            KerberosKeytab = high.KerberosKeytab ?? low.KerberosKeytab,
            Properties = properties,
            ProducerProperties = MergeProperties(high.ProducerProperties, low.ProducerProperties),
            ConsumerProperties = MergeProperties(high.ConsumerProperties, low.ConsumerProperties),
            DefaultTopic = high.DefaultTopic ?? low.DefaultTopic,
            ConsumerGroup = high.ConsumerGroup ?? low.ConsumerGroup,
            AutoOffsetReset = high.AutoOffsetReset ?? low.AutoOffsetReset,
        };
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

        var defaults = new KafkaConnectionOptions { BootstrapServers = string.Empty };
        return new KafkaConnectionOptions
        {
            BootstrapServers = BootstrapServers ?? string.Empty,
            ClientId = ClientId ?? defaults.ClientId,
            SecurityProtocol = protocol,
            SaslMechanism = mechanism,
            SaslUsername = SaslUsername,
            SaslPassword = SaslPassword,
            RequestTimeout = RequestTimeout ?? defaults.RequestTimeout,
            SocketTimeout = SocketTimeout,
            ConnectionSetupTimeout = ConnectionSetupTimeout,
            ConnectionsMaxIdle = ConnectionsMaxIdle,
            MetadataMaxAge = MetadataMaxAge,
            MetadataRefreshInterval = MetadataRefreshInterval,
            RetryBackoff = RetryBackoff,
            RetryBackoffMax = RetryBackoffMax,
            ReconnectBackoff = ReconnectBackoff,
            ReconnectBackoffMax = ReconnectBackoffMax,
            ApiVersionRequestTimeout = ApiVersionRequestTimeout,
            OAuth = oauth,
            SslCaLocation = SslCaLocation,
            SslCaPem = SslCaPem,
            SslCertificateLocation = SslCertificateLocation,
            SslCertificatePem = SslCertificatePem,
            SslKeyLocation = SslKeyLocation,
            SslKeyPem = SslKeyPem,
            SslKeyPassword = SslKeyPassword,
            SslCrlLocation = SslCrlLocation,
            EnableHostnameVerification = EnableHostnameVerification ?? true,
            SkipCertificateCheck = SkipCertificateCheck ?? false,
            KerberosServiceName = KerberosServiceName,
            KerberosPrincipal = KerberosPrincipal,
            KerberosKeytab = KerberosKeytab,
            Properties = Properties ?? new Dictionary<string, string>(),
            ProducerProperties = ProducerProperties ?? new Dictionary<string, string>(),
            ConsumerProperties = ConsumerProperties ?? new Dictionary<string, string>(),
            DefaultTopic = DefaultTopic,
            ConsumerGroup = ConsumerGroup,
            AutoOffsetReset = AutoOffsetReset,
        };
    }

    /// <summary>Never includes a secret.</summary>
    public override string ToString() =>
        $"{BootstrapServers ?? "(no bootstrap servers)"} ({SecurityProtocol?.ToString() ?? "protocol not set"}{(SaslMechanism is { } m ? "/" + m : string.Empty)})";
}
