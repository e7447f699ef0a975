using System.Net;

namespace KafkaCatalog.Core.Connections;

/// <summary>
/// Turns connection options into librdkafka properties. The only place that knows librdkafka's
/// property names for security and timeouts; <see cref="Kafka.KafkaClientFactory"/> builds the
/// Confluent configs from its result.
/// </summary>
public static class LibrdkafkaConfig
{
    public static Dictionary<string, string> Build(KafkaConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = options.BootstrapServers,
            ["client.id"] = options.ClientId,
            ["security.protocol"] = options.SecurityProtocol switch
            {
                KafkaSecurityProtocol.Plaintext => "plaintext",
                KafkaSecurityProtocol.Ssl => "ssl",
                KafkaSecurityProtocol.SaslPlaintext => "sasl_plaintext",
                KafkaSecurityProtocol.SaslSsl => "sasl_ssl",
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.SecurityProtocol, "Unknown security protocol."),
            },
            ["socket.timeout.ms"] = ((int)options.RequestTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        if (options.SaslMechanism != KafkaSaslMechanism.None)
        {
            properties["sasl.mechanism"] = options.SaslMechanism switch
            {
                KafkaSaslMechanism.Plain => "PLAIN",
                KafkaSaslMechanism.ScramSha256 => "SCRAM-SHA-256",
                KafkaSaslMechanism.ScramSha512 => "SCRAM-SHA-512",
                KafkaSaslMechanism.OAuthBearer => "OAUTHBEARER",
                KafkaSaslMechanism.Gssapi => "GSSAPI",
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.SaslMechanism, "Unknown SASL mechanism."),
            };
            if (options.SaslUsername is not null)
            {
                properties["sasl.username"] = options.SaslUsername;
            }

            if (options.SaslPassword is not null)
            {
                properties["sasl.password"] = new NetworkCredential(string.Empty, options.SaslPassword).Password;
            }
        }

        foreach (var (key, value) in options.Properties)
        {
            properties[key] = value;
        }

        return properties;
    }
}
