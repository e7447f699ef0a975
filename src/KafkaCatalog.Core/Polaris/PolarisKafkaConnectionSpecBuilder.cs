using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Polaris;

/// <summary>What New-/Set-PolarisKafkaConnection were given; <see cref="PolarisKafkaConnectionSpecBuilder"/> validates it.</summary>
public sealed record PolarisKafkaConnectionParameters
{
    /// <summary>The Polaris connection name; defaults to the topic name.</summary>
    public string? Name { get; init; }
    public string? Description { get; init; }
    /// <summary>Explicit bootstrap servers; otherwise the topic's or the Kafka connection's.</summary>
    public string? BootstrapServers { get; init; }
    /// <summary>A literal topic; otherwise the piped topic's name.</summary>
    public string? TopicName { get; init; }
    /// <summary>A regular expression (topicNameIsPattern = true).</summary>
    public string? TopicPattern { get; init; }
    public string? ClientRack { get; init; }
    /// <summary>Path of a PEM file with the CA certificate(s) Polaris should trust.</summary>
    public string? CaFile { get; init; }
    /// <summary>Forces a secret type; otherwise it follows from the other parameters.</summary>
    public PolarisKafkaSecretType? SecretType { get; init; }
    public string? Username { get; init; }
    public SecureString? Password { get; init; }
    public PolarisScramMechanism? ScramMechanism { get; init; }
    public string? AwsAssumedRoleArn { get; init; }
    /// <summary>The Kafka connection whose servers and SASL settings to reuse.</summary>
    public KafkaConnection? KafkaConnection { get; init; }
    /// <summary>A topic from Get-KafkaTopic.</summary>
    public KafkaTopic? Topic { get; init; }
}

/// <summary>Builds and validates a Polaris <c>kafka</c> connection spec. No I/O besides reading the CA file.</summary>
public static partial class PolarisKafkaConnectionSpecBuilder
{
    public static PolarisKafkaConnectionSpec Build(PolarisKafkaConnectionParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);

        var (topicName, isPattern) = ResolveTopic(p);
        var name = !string.IsNullOrEmpty(p.Name)
            ? p.Name
            : isPattern
                ? throw new KafkaCatalogException(
                    ErrorCatalog.PolarisConnectionNameMissing,
                    $"A connection for the topic pattern '{topicName}' needs -Name.",
                    topicName)
                : PolarisNameRules.ConnectionNameFromTopic(topicName);
        PolarisNameRules.ValidateConnectionName(name);

        var servers = ResolveBootstrapServers(p);
        return new PolarisKafkaConnectionSpec
        {
            Name = name,
            Description = string.IsNullOrWhiteSpace(p.Description) ? null : p.Description,
            BootstrapServers = servers,
            TopicName = topicName,
            TopicNameIsPattern = isPattern,
            ClientRack = string.IsNullOrWhiteSpace(p.ClientRack) ? null : p.ClientRack.Trim(),
            TruststoreCertificates = p.CaFile is null ? null : ReadCertificates(p.CaFile),
            Secrets = BuildSecrets(p, name),
        };
    }

    /// <summary>Maps a Kafka connection's SASL settings (and explicit overrides) to Polaris secrets.</summary>
    public static PolarisKafkaSecrets? BuildSecrets(PolarisKafkaConnectionParameters p, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(p);
        var kafka = p.KafkaConnection?.GetOptions();

        if (!string.IsNullOrWhiteSpace(p.AwsAssumedRoleArn) || p.SecretType == PolarisKafkaSecretType.AwsIam)
        {
            if (p.Username is not null || p.Password is not null)
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.PolarisConflictingSecrets,
                    $"Connection '{connectionName}': give either SASL credentials or -AwsAssumedRoleArn, not both.",
                    connectionName);
            }

            var arn = p.AwsAssumedRoleArn?.Trim();
            if (string.IsNullOrEmpty(arn))
            {
                throw MissingSecret(connectionName, "aws_iam needs -AwsAssumedRoleArn (arn:aws:iam::ACCOUNT:role/NAME).");
            }

            if (!RoleArn().IsMatch(arn))
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.PolarisInvalidRoleArn,
                    $"'{arn}' is not an IAM role ARN. Expected arn:aws:iam::123456789012:role/NAME.",
                    arn);
            }

            return new PolarisKafkaSecrets { Type = PolarisKafkaSecretType.AwsIam, AwsAssumedRoleArn = arn };
        }

        if (p.SecretType == PolarisKafkaSecretType.None)
        {
            return null;
        }

        var username = p.Username ?? kafka?.SaslUsername;
        var password = p.Password ?? kafka?.SaslPassword;
        var type = p.SecretType;
        var mechanism = p.ScramMechanism;

        if (type is null)
        {
            if (mechanism is not null)
            {
                type = PolarisKafkaSecretType.SaslScram;
            }
            else if (p.Username is not null || p.Password is not null)
            {
                type = kafka?.SaslMechanism is KafkaSaslMechanism.ScramSha256 or KafkaSaslMechanism.ScramSha512
                    ? PolarisKafkaSecretType.SaslScram
                    : PolarisKafkaSecretType.SaslPlain;
            }
            else if (kafka is not null)
            {
                type = kafka.SaslMechanism switch
                {
                    KafkaSaslMechanism.None => PolarisKafkaSecretType.None,
                    KafkaSaslMechanism.Plain => PolarisKafkaSecretType.SaslPlain,
                    KafkaSaslMechanism.ScramSha256 or KafkaSaslMechanism.ScramSha512 => PolarisKafkaSecretType.SaslScram,
                    _ => throw new KafkaCatalogException(
                        ErrorCatalog.PolarisUnsupportedSaslMechanism,
                        $"Kafka connection '{p.KafkaConnection!.Name}' uses SASL {kafka.SaslMechanism}; Polaris Kafka connections support SASL/PLAIN, SASL/SCRAM and AWS IAM. Pass -Credential (with -ScramMechanism for SCRAM), or -AwsAssumedRoleArn.",
                        p.KafkaConnection.Name),
                };
            }
            else
            {
                type = PolarisKafkaSecretType.None;
            }
        }

        if (type == PolarisKafkaSecretType.None)
        {
            return null;
        }

        if (type == PolarisKafkaSecretType.SaslScram && mechanism is null)
        {
            mechanism = kafka?.SaslMechanism switch
            {
                KafkaSaslMechanism.ScramSha512 => PolarisScramMechanism.ScramSha512,
                KafkaSaslMechanism.ScramSha256 => PolarisScramMechanism.ScramSha256,
                _ => throw MissingSecret(connectionName, "sasl_scram needs the mechanism: -ScramMechanism ScramSha256 or ScramSha512."),
            };
        }

        if (string.IsNullOrEmpty(username))
        {
            throw MissingSecret(connectionName, $"{PolarisKafkaSecrets.ToWireType(type.Value)} needs a user name: pass -Credential or a Kafka connection with a SASL user.");
        }

        if (password is null || password.Length == 0)
        {
            throw MissingSecret(connectionName, $"{PolarisKafkaSecrets.ToWireType(type.Value)} needs the password of '{username}': pass -Credential or a Kafka connection with a SASL password.");
        }

        return new PolarisKafkaSecrets
        {
            Type = type.Value,
            Username = username,
            Password = password,
            Mechanism = type == PolarisKafkaSecretType.SaslScram ? mechanism : null,
        };
    }

    /// <summary>Reads the CERTIFICATE blocks of a PEM file (anything else, e.g. a private key, is left out).</summary>
    public static string ReadCertificates(string path)
    {
        if (!File.Exists(path))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisCaFileNotFound,
                $"CA file '{path}' does not exist.",
                path);
        }

        var text = File.ReadAllText(path, Encoding.ASCII);
        var blocks = CertificateBlock().Matches(text).Select(m => m.Value.Replace("\r\n", "\n", StringComparison.Ordinal)).ToList();
        if (blocks.Count == 0)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisInvalidCaFile,
                $"CA file '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----).",
                path);
        }

        return string.Join("\n", blocks);
    }

    private static (string Topic, bool IsPattern) ResolveTopic(PolarisKafkaConnectionParameters p)
    {
        if (!string.IsNullOrEmpty(p.TopicPattern))
        {
            if (!string.IsNullOrEmpty(p.TopicName))
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.PolarisConflictingTopic,
                    "Give either -TopicName or -TopicPattern, not both.",
                    p.TopicPattern);
            }

            try
            {
                _ = new Regex(p.TopicPattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.PolarisInvalidTopicPattern,
                    $"-TopicPattern '{p.TopicPattern}' is not a valid regular expression: {ex.Message}",
                    p.TopicPattern,
                    ex);
            }

            return (p.TopicPattern, true);
        }

        var topic = !string.IsNullOrEmpty(p.TopicName) ? p.TopicName : p.Topic?.Name;
        if (string.IsNullOrEmpty(topic))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisTopicMissing,
                "No topic. Pipe topics from Get-KafkaTopic, or pass -TopicName or -TopicPattern.");
        }

        return (topic, false);
    }

    private static string ResolveBootstrapServers(PolarisKafkaConnectionParameters p)
    {
        var servers = p.BootstrapServers ?? p.Topic?.BootstrapServers ?? p.KafkaConnection?.BootstrapServers;
        if (string.IsNullOrWhiteSpace(servers))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisBootstrapServersMissing,
                "No bootstrap servers. Pass -BootstrapServer, -KafkaConnection, or pipe topics from Get-KafkaTopic.");
        }

        var parts = servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || colon == part.Length - 1 || !int.TryParse(part[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.PolarisInvalidBootstrapServers,
                    $"'{part}' is not host:port. Bootstrap servers look like broker1.example.com:9092,broker2.example.com:9092.",
                    servers);
            }
        }

        return string.Join(",", parts);
    }

    private static KafkaCatalogException MissingSecret(string connectionName, string detail) =>
        new(ErrorCatalog.PolarisSecretMissing, $"Connection '{connectionName}': {detail}", connectionName);

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArn();

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----", RegexOptions.CultureInvariant)]
    private static partial Regex CertificateBlock();
}
