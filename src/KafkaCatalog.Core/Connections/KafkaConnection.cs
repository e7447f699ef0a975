using System.Security;
using System.Text.Json.Serialization;
using KafkaCatalog.Core.Connections.OAuth;

namespace KafkaCatalog.Core.Connections;

/// <summary>Security protocols as Kafka names them.</summary>
public enum KafkaSecurityProtocol
{
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

/// <summary>SASL mechanisms the module understands; anything else goes through raw properties.</summary>
public enum KafkaSaslMechanism
{
    None,
    Plain,
    ScramSha256,
    ScramSha512,
    OAuthBearer,
    Gssapi,
}

/// <summary>Where a consumer starts in a partition without a committed offset (kafka-python / Mage auto_offset_reset).</summary>
public enum KafkaOffsetReset
{
    /// <summary>The newest message (kafka-python's and Mage's default).</summary>
    Latest,
    /// <summary>The oldest message still in the log.</summary>
    Earliest,
    /// <summary>No default: kafka-python raises NoOffsetForPartitionError (librdkafka auto.offset.reset=error).</summary>
    None,
}

/// <summary>
/// Everything needed to reach a cluster. Secrets are kept as <see cref="SecureString"/> and are
/// only turned into plain text by <see cref="LibrdkafkaConfig"/> (for the client factory) and the
/// OAuth token source. Secret members carry <see cref="JsonIgnoreAttribute"/>, and
/// <see cref="Properties"/> is written with sensitive values redacted.
/// </summary>
public sealed record KafkaConnectionOptions
{
    public required string BootstrapServers { get; init; }
    public string ClientId { get; init; } = "kafkacatalog";
    public KafkaSecurityProtocol SecurityProtocol { get; init; } = KafkaSecurityProtocol.Plaintext;
    public KafkaSaslMechanism SaslMechanism { get; init; } = KafkaSaslMechanism.None;
    public string? SaslUsername { get; init; }
    [JsonIgnore]
    public SecureString? SaslPassword { get; init; }
    /// <summary>
    /// Timeout for a single request to the cluster: the per-call timeout of admin requests, librdkafka
    /// socket.timeout.ms (unless <see cref="SocketTimeout"/> is set) and, for producers only,
    /// request.timeout.ms (kafka-python request_timeout_ms).
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    private readonly IReadOnlyDictionary<string, string> _properties = new Dictionary<string, string>();
    private readonly IReadOnlyDictionary<string, SecureString> _secretProperties = new Dictionary<string, SecureString>();

    /// <summary>
    /// Any further librdkafka property (e.g. from -Property or a profile), applied last. A property
    /// that holds a secret (sasl.password, ssl.key.password, ssl.keystore.password,
    /// sasl.oauthbearer.client.secret, any key naming a password, secret, token or credential) is
    /// not kept here: setting it moves its value into <see cref="SecretProperties"/> as a
    /// <see cref="SecureString"/>, so it is held and redacted like a PSCredential.
    /// </summary>
    [JsonConverter(typeof(RedactedPropertiesJsonConverter))]
    public IReadOnlyDictionary<string, string> Properties
    {
        get => _properties;
        init => (_properties, _secretProperties) = SecretProperty.Split(value);
    }

    /// <summary>
    /// The secret librdkafka properties given through <see cref="Properties"/> (key and protected
    /// value); only <see cref="LibrdkafkaConfig"/> reveals them, for the client config.
    /// </summary>
    [JsonConverter(typeof(RedactedSecretPropertiesJsonConverter))]
    public IReadOnlyDictionary<string, SecureString> SecretProperties => _secretProperties;

    /// <summary>Producer-only librdkafka properties from a profile (Mage batch_size → batch.size, timeout_ms → linger.ms), before <see cref="Properties"/>.</summary>
    [JsonConverter(typeof(RedactedPropertiesJsonConverter))]
    public IReadOnlyDictionary<string, string> ProducerProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Consumer-only librdkafka properties from a profile (auto.offset.reset, max.partition.fetch.bytes), before <see cref="Properties"/>.</summary>
    [JsonConverter(typeof(RedactedPropertiesJsonConverter))]
    public IReadOnlyDictionary<string, string> ConsumerProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>The topic of the profile (Mage topic): Publish-KafkaMessage and Receive-KafkaMessage use it without -Topic.</summary>
    public string? DefaultTopic { get; init; }

    /// <summary>The consumer group of the profile (Mage consumer_group): Receive-KafkaMessage starts where it would resume.</summary>
    public string? ConsumerGroup { get; init; }

    /// <summary>The profile's auto_offset_reset: where that group starts in a partition it has no offset for.</summary>
    public KafkaOffsetReset? AutoOffsetReset { get; init; }

    // ---- timeouts and backoff (null = librdkafka default) ----

    /// <summary>socket.timeout.ms; when null, <see cref="RequestTimeout"/> is used.</summary>
    public TimeSpan? SocketTimeout { get; init; }
    /// <summary>socket.connection.setup.timeout.ms.</summary>
    public TimeSpan? ConnectionSetupTimeout { get; init; }
    /// <summary>connections.max.idle.ms (kafka-python connections_max_idle_ms).</summary>
    public TimeSpan? ConnectionsMaxIdle { get; init; }
    /// <summary>metadata.max.age.ms: how long cached metadata stays valid.</summary>
    public TimeSpan? MetadataMaxAge { get; init; }
    /// <summary>topic.metadata.refresh.interval.ms (kafka-python metadata_max_age_ms).</summary>
    public TimeSpan? MetadataRefreshInterval { get; init; }
    /// <summary>retry.backoff.ms.</summary>
    public TimeSpan? RetryBackoff { get; init; }
    /// <summary>retry.backoff.max.ms.</summary>
    public TimeSpan? RetryBackoffMax { get; init; }
    /// <summary>reconnect.backoff.ms.</summary>
    public TimeSpan? ReconnectBackoff { get; init; }
    /// <summary>reconnect.backoff.max.ms.</summary>
    public TimeSpan? ReconnectBackoffMax { get; init; }
    /// <summary>api.version.request.timeout.ms (kafka-python api_version_auto_timeout_ms).</summary>
    public TimeSpan? ApiVersionRequestTimeout { get; init; }

    // ---- OAUTHBEARER ----

    /// <summary>
    /// Client-credentials settings for SASL/OAUTHBEARER. When not null, the client factory installs
    /// an OAuth bearer refresh handler fed by <see cref="OAuthTokenSource"/>
    /// (see <see cref="KafkaConnection.GetTokenSource"/>); librdkafka's own OIDC is not used.
    /// </summary>
    public KafkaOAuthOptions? OAuth { get; init; }

    // ---- TLS ----

    /// <summary>ssl.ca.location: CA bundle file (PEM).</summary>
    public string? SslCaLocation { get; init; }
    /// <summary>ssl.ca.pem: CA certificates as PEM text.</summary>
    public string? SslCaPem { get; init; }
    /// <summary>ssl.certificate.location: client certificate file (PEM).</summary>
    public string? SslCertificateLocation { get; init; }
    /// <summary>ssl.certificate.pem: client certificate as PEM text.</summary>
    public string? SslCertificatePem { get; init; }
    /// <summary>ssl.key.location: client private key file.</summary>
    public string? SslKeyLocation { get; init; }
    /// <summary>ssl.key.pem: client private key as PEM text (a secret).</summary>
    [JsonIgnore]
    public SecureString? SslKeyPem { get; init; }
    /// <summary>ssl.key.password.</summary>
    [JsonIgnore]
    public SecureString? SslKeyPassword { get; init; }
    /// <summary>ssl.crl.location.</summary>
    public string? SslCrlLocation { get; init; }
    /// <summary>Broker host name verification (ssl.endpoint.identification.algorithm=https). On by default.</summary>
    public bool EnableHostnameVerification { get; init; } = true;
    /// <summary>Turns off certificate chain and host name verification. Callers must warn the user.</summary>
    public bool SkipCertificateCheck { get; init; }

    // ---- GSSAPI ----

    /// <summary>sasl.kerberos.service.name (default "kafka").</summary>
    public string? KerberosServiceName { get; init; }
    /// <summary>sasl.kerberos.principal.</summary>
    public string? KerberosPrincipal { get; init; }
    /// <summary>sasl.kerberos.keytab.</summary>
    public string? KerberosKeytab { get; init; }

    /// <summary>True when <paramref name="key"/> was given as a librdkafka property (plain or secret).</summary>
    public bool HasProperty(string key) => _properties.ContainsKey(key) || _secretProperties.ContainsKey(key);

    /// <summary>True for SSL and SASL_SSL.</summary>
    [JsonIgnore]
    public bool UsesTls => SecurityProtocol is KafkaSecurityProtocol.Ssl or KafkaSecurityProtocol.SaslSsl;

    /// <summary>True for SASL_PLAINTEXT and SASL_SSL.</summary>
    [JsonIgnore]
    public bool UsesSasl => SecurityProtocol is KafkaSecurityProtocol.SaslPlaintext or KafkaSecurityProtocol.SaslSsl;

    /// <summary>
    /// Checks the options and returns every problem found (errors and warnings), each with a stable
    /// code, the option it concerns and what to do. Never includes a secret.
    /// </summary>
    /// <param name="fileExists">File probe (defaults to <see cref="File.Exists"/>), replaceable in tests.</param>
    public IReadOnlyList<KafkaConnectionProblem> Validate(Func<string, bool>? fileExists = null) =>
        KafkaConnectionValidator.Validate(this, fileExists ?? File.Exists);

    /// <summary>Throws <see cref="KafkaConnectionException"/> listing every error; returns the warnings.</summary>
    public IReadOnlyList<KafkaConnectionProblem> ThrowIfInvalid(Func<string, bool>? fileExists = null)
    {
        var problems = Validate(fileExists);
        var errors = problems.Where(p => p.Severity == KafkaProblemSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new KafkaConnectionException(errors);
        }

        return problems.Where(p => p.Severity == KafkaProblemSeverity.Warning).ToList();
    }

    /// <summary>Never includes a secret.</summary>
    public override string ToString() =>
        $"{BootstrapServers} ({SecurityProtocol}{(SaslMechanism == KafkaSaslMechanism.None ? "" : "/" + SaslMechanism)})";
}

/// <summary>A named connection, as Connect-KafkaCluster returns it and the session keeps it.</summary>
public sealed class KafkaConnection
{
    private readonly object _tokenSourceLock = new();
    private OAuthTokenSource? _tokenSource;

    public KafkaConnection(string name, KafkaConnectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A connection needs a name.", nameof(name));
        }

        Name = name;
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public string Name { get; }
    public string BootstrapServers => Options.BootstrapServers;
    public string ClientId => Options.ClientId;
    public KafkaSecurityProtocol SecurityProtocol => Options.SecurityProtocol;
    public KafkaSaslMechanism SaslMechanism => Options.SaslMechanism;
    public string? UserName => Options.SaslUsername;
    /// <summary>The OAuth token endpoint, for OAUTHBEARER connections (no secret).</summary>
    public Uri? OAuthTokenEndpoint => Options.OAuth?.TokenEndpoint;
    /// <summary>The profile's topic (Mage topic), used by Publish-KafkaMessage and Receive-KafkaMessage without -Topic.</summary>
    public string? DefaultTopic => Options.DefaultTopic;
    /// <summary>The profile's consumer group (Mage consumer_group).</summary>
    public string? ConsumerGroup => Options.ConsumerGroup;
    /// <summary>The cluster id, once a call has learned it.</summary>
    public string? ClusterId { get; set; }
    public DateTimeOffset ConnectedAt { get; init; } = DateTimeOffset.UtcNow;
    public bool IsDefault { get; set; }

    // Not a property: keeps secrets out of ConvertTo-Json and Format-List of the connection.
    public KafkaConnectionOptions GetOptions() => Options;

    /// <summary>
    /// The connection's OAuth token source (one per connection, so every client built from it shares
    /// the cached token), or null when the connection does not use OAUTHBEARER client credentials.
    /// </summary>
    public OAuthTokenSource? GetTokenSource()
    {
        if (Options.OAuth is null)
        {
            return null;
        }

        lock (_tokenSourceLock)
        {
            return _tokenSource ??= new OAuthTokenSource(Options.OAuth, OAuthTokenSource.CreateHttpClient(Options));
        }
    }

    internal KafkaConnectionOptions Options { get; }

    public override string ToString() => $"{Name}: {Options}";
}

/// <summary>Splits raw librdkafka properties into plain ones and secret ones (protected at once).</summary>
internal static class SecretProperty
{
    public static (IReadOnlyDictionary<string, string> Plain, IReadOnlyDictionary<string, SecureString> Secret) Split(IReadOnlyDictionary<string, string>? properties)
    {
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var secret = new Dictionary<string, SecureString>(StringComparer.Ordinal);
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
        {
            // A missing value stays where the validator reports it (PropertyValueMissing); it holds no secret.
            if (value is not null && SecretText.IsSensitiveKey(key))
            {
                secret[key] = SecretText.Protect(value);
            }
            else
            {
                plain[key] = value!;
            }
        }

        return (plain, secret);
    }
}
