using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.Profiles;

/// <summary>
/// Imply Polaris Kafka connection JSON (request body, or a GET response, which omits secrets).
/// Layout: ../shared/specs/polaris-mage-connection.md §A.2.
/// </summary>
internal static class PolarisProfileReader
{
    private static string? KeyOf(KafkaSettingDefinition d) => d.PolarisKey;

    private static string Key(string setting, string? section = null) => KafkaSettingDefinitions.KeyOf(setting, KeyOf, section);

    /// <summary>The reader's own keys, then the top-level keys with a setting (<see cref="KafkaSettingDefinition.PolarisKey"/>).</summary>
    internal static readonly string[] Keys = new[] { "type", "name", "description", "topicName", "topicNameIsPattern" }
        .Concat(KafkaSettingDefinitions.TopLevelKeys(KeyOf))
        .Concat(new[] { "submittedByUser", "submittedOnTimestamp", "modifiedByUser", "modifiedOnTimestamp" })
        .ToArray();

    private static readonly string[] SecretKeys = new[] { "type" }
        .Concat(KafkaSettingDefinitions.KeysIn(KeyOf, "secrets").Select(p => p.Key))
        .Append("awsAssumedRoleArn")
        .ToArray();
    private static readonly string[] SslKeys = { "truststore" };
    private static readonly string[] TruststoreKeys = new[] { "type" }.Concat(KafkaSettingDefinitions.KeysIn(KeyOf, "ssl.truststore").Select(p => p.Key)).ToArray();

    public static KafkaProfile Read(ProfileNode root, ProfileContext context)
    {
        context.CheckKeys(root, null, Keys);
        var type = context.RequiredString(root, null, "type", "Add \"type\": \"kafka\".")!;
        if (!type.Equals("kafka", StringComparison.Ordinal) && !type.Equals("confluent", StringComparison.Ordinal))
        {
            throw context.Error(ErrorCatalog.ProfileWrongConnector, "type", ProfileContext.Get(root, "type"),
                $"Polaris connection type '{type}' is not a Kafka connection.", "Use a connection of type \"kafka\" or \"confluent\".");
        }

        var bootstrapKey = Key(nameof(KafkaConnectionSettings.BootstrapServers));
        var bootstrap = ProfileContext.Get(root, bootstrapKey) is { Kind: not ProfileNodeKind.Null }
            ? KafkaProfileReader.JoinServers(context, root, bootstrapKey)
            : null;
        var settings = new KafkaConnectionSettings { BootstrapServers = bootstrap };

        var hasSasl = false;
        if (context.Map(root, null, "secrets") is { } secrets)
        {
            context.CheckKeys(secrets, "secrets", SecretKeys);
            var secretType = context.RequiredString(secrets, "secrets", "type", "Add \"type\": \"sasl_plain\" or \"sasl_scram\".")!;
            switch (secretType)
            {
                case "sasl_plain":
                case "confluent":
                    Forbid(context, secrets, Key(nameof(KafkaConnectionSettings.SaslMechanism), "secrets"), "sasl_plain uses PLAIN; 'mechanism' belongs to sasl_scram.", "Remove it, or use \"type\": \"sasl_scram\".");
                    settings = settings with { SaslMechanism = KafkaSaslMechanism.Plain };
                    hasSasl = true;
                    break;
                case "sasl_scram":
                    var mechanismKey = Key(nameof(KafkaConnectionSettings.SaslMechanism), "secrets");
                    var mechanism = context.RequiredString(secrets, "secrets", mechanismKey, "Add \"mechanism\": \"SCRAM-SHA-256\" or \"SCRAM-SHA-512\".")!;
                    if (!LibrdkafkaConfig.TryParseMechanism(mechanism, out var parsed) || parsed is not (KafkaSaslMechanism.ScramSha256 or KafkaSaslMechanism.ScramSha512))
                    {
                        throw context.Error(ErrorCatalog.ProfileInvalidValue, "secrets." + mechanismKey, ProfileContext.Get(secrets, mechanismKey),
                            $"'{mechanism}' is not a SCRAM mechanism.", "Use SCRAM-SHA-256 or SCRAM-SHA-512.");
                    }

                    settings = settings with { SaslMechanism = parsed };
                    hasSasl = true;
                    break;
                case "aws_iam":
                    throw context.Error(ErrorCatalog.ProfileUnsupportedAuth, "secrets.type", ProfileContext.Get(secrets, "type"),
                        "MSK IAM authentication (aws_iam) is used by Polaris through an assumed role, which KafkaCatalog cannot use to connect.",
                        "Connect with SASL/SCRAM or TLS credentials for the same cluster (-Credential / -SaslMechanism), or pass librdkafka AWS IAM properties with -Property.");
                default:
                    throw context.Error(ErrorCatalog.ProfileInvalidValue, "secrets.type", ProfileContext.Get(secrets, "type"),
                        $"'{secretType}' is not a Polaris Kafka secret type.", "Use sasl_plain, sasl_scram or aws_iam.");
            }

            settings = KafkaSettingDefinitions.With(settings,
                context.ReadAll(secrets, "secrets", KeyOf, d => d.Name is nameof(KafkaConnectionSettings.SaslUsername) or nameof(KafkaConnectionSettings.SaslPassword)));
            if (settings.SaslPassword is null)
            {
                context.Warn("PolarisSecretNotInProfile", "secrets." + Key(nameof(KafkaConnectionSettings.SaslPassword), "secrets"),
                    "The password is not in the profile (Polaris never returns it). Pass it with -Credential or KAFKA_SASL_PASSWORD.");
            }
        }

        string? caPem = null;
        if (context.Map(root, null, "ssl") is { } ssl)
        {
            context.CheckKeys(ssl, "ssl", SslKeys);
            if (context.Map(ssl, "ssl", "truststore") is { } truststore)
            {
                context.CheckKeys(truststore, "ssl.truststore", TruststoreKeys);
                var storeType = context.String(truststore, "ssl.truststore", "type") ?? "pem";
                if (!storeType.Equals("pem", StringComparison.OrdinalIgnoreCase))
                {
                    throw context.Error(ErrorCatalog.ProfileInvalidValue, "ssl.truststore.type", ProfileContext.Get(truststore, "type"),
                        $"Truststore type '{storeType}' is not supported.", "Use \"type\": \"pem\" with the CA certificates as PEM text.");
                }

                var caKey = Key(nameof(KafkaConnectionSettings.SslCaPem), "ssl.truststore");
                caPem = context.String(truststore, "ssl.truststore", caKey);
                if (caPem is not null && !KafkaConnectionValidator.LooksLikePem(caPem, "CERTIFICATE"))
                {
                    throw context.Error(ErrorCatalog.ProfileInvalidValue, "ssl.truststore." + caKey, ProfileContext.Get(truststore, caKey),
                        "The value has no '-----BEGIN CERTIFICATE-----' block.", "Paste the CA certificates in PEM format, with \\n line breaks.");
                }
            }
        }

        // Polaris has no protocol field: SASL secrets mean SASL_SSL (Confluent Cloud and MSK use TLS), a truststore alone means SSL.
        var protocol = hasSasl || type == "confluent" ? KafkaSecurityProtocol.SaslSsl : caPem is not null ? KafkaSecurityProtocol.Ssl : KafkaSecurityProtocol.Plaintext;
        if (!hasSasl && caPem is null)
        {
            context.Warn("PolarisProtocolAssumed", "secrets",
                "The connection has no secrets and no truststore, so PLAINTEXT is assumed. Pass -SecurityProtocol Ssl if the brokers use TLS.");
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.String(root, null, Key(nameof(KafkaConnectionSettings.Properties))) is { } rack && rack.Length > 0)
        {
            properties["client.rack"] = rack;
        }

        var topicIsPattern = context.Bool(root, null, "topicNameIsPattern") ?? false;
        var topic = context.String(root, null, "topicName");
        if (topicIsPattern && topic is not null)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(topic);
            }
            catch (ArgumentException)
            {
                throw context.Error(ErrorCatalog.ProfileInvalidValue, "topicName", ProfileContext.Get(root, "topicName"),
                    $"'{topic}' is not a valid regular expression, but topicNameIsPattern is true.", "Fix the pattern, or set topicNameIsPattern to false.");
            }
        }

        _ = context.String(root, null, "description");
        return new KafkaProfile
        {
            Path = context.Path,
            Format = KafkaProfileFormat.PolarisJson,
            Name = context.String(root, null, "name"),
            Settings = settings with
            {
                SecurityProtocol = protocol,
                SslCaPem = caPem,
                Properties = properties.Count > 0 ? properties : null,
            },
            Topic = topic,
            TopicIsPattern = topicIsPattern,
            Warnings = context.Warnings,
        };
    }

    private static void Forbid(ProfileContext context, ProfileNode map, string key, string problem, string fix)
    {
        if (ProfileContext.Get(map, key) is { } node)
        {
            throw context.Error(ErrorCatalog.ProfileKeyNotUsed, "secrets." + key, node, problem, fix);
        }
    }
}
