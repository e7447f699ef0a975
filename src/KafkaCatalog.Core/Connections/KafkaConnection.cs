using System.Security;

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

/// <summary>
/// Everything needed to reach a cluster. Secrets are kept as <see cref="SecureString"/> and are
/// only turned into plain text by <see cref="Kafka.KafkaClientFactory"/> when a client is built.
/// </summary>
public sealed record KafkaConnectionOptions
{
    public required string BootstrapServers { get; init; }
    public string ClientId { get; init; } = "kafkacatalog";
    public KafkaSecurityProtocol SecurityProtocol { get; init; } = KafkaSecurityProtocol.Plaintext;
    public KafkaSaslMechanism SaslMechanism { get; init; } = KafkaSaslMechanism.None;
    public string? SaslUsername { get; init; }
    public SecureString? SaslPassword { get; init; }
    /// <summary>Timeout for a single request to the cluster (librdkafka request.timeout.ms / socket.timeout.ms).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Any further librdkafka property (e.g. from -Property or a profile), applied last.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Never includes a secret.</summary>
    public override string ToString() =>
        $"{BootstrapServers} ({SecurityProtocol}{(SaslMechanism == KafkaSaslMechanism.None ? "" : "/" + SaslMechanism)})";
}

/// <summary>A named connection, as Connect-KafkaCluster returns it and the session keeps it.</summary>
public sealed class KafkaConnection
{
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
    /// <summary>The cluster id, once a call has learned it.</summary>
    public string? ClusterId { get; set; }
    public DateTimeOffset ConnectedAt { get; init; } = DateTimeOffset.UtcNow;
    public bool IsDefault { get; set; }

    // Not a property: keeps secrets out of ConvertTo-Json and Format-List of the connection.
    public KafkaConnectionOptions GetOptions() => Options;

    internal KafkaConnectionOptions Options { get; }

    public override string ToString() => $"{Name}: {Options}";
}
