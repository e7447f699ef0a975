using System.Collections;
using System.Globalization;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections;

/// <summary>The kind of librdkafka client a configuration is built for.</summary>
public enum KafkaClientRole
{
    Admin,
    Consumer,
    Producer,
}

/// <summary>
/// Turns connection options into librdkafka properties. The only place that knows librdkafka's
/// property names for security and timeouts; the Kafka client factory builds the Confluent
/// configs from its result.
/// </summary>
/// <remarks>
/// OAUTHBEARER: when <see cref="KafkaConnectionOptions.OAuth"/> is set, only
/// <c>sasl.mechanism=OAUTHBEARER</c> is written here. The factory must install an OAuth bearer
/// token refresh handler fed by <see cref="KafkaConnection.GetTokenSource"/>
/// (<see cref="UsesTokenRefreshHandler"/> says when). <c>sasl.oauthbearer.method=oidc</c> is only
/// set if the caller asks for it through <see cref="KafkaConnectionOptions.Properties"/>.
/// The result holds secrets in plain text (sasl.password, ssl.key.password, ssl.key.pem, the secret
/// -Property values of <see cref="KafkaConnectionOptions.SecretProperties"/>): hand it
/// to the client config and never log or print it.
/// </remarks>
public static class LibrdkafkaConfig
{
    /// <summary>Properties common to admin, consumer and producer clients.</summary>
    public static Dictionary<string, string> Build(KafkaConnectionOptions options) => Build(options, KafkaClientRole.Admin);

    /// <summary>Properties for the given client role (producers also get request.timeout.ms; each role its profile properties, before -Property).</summary>
    public static Dictionary<string, string> Build(KafkaConnectionOptions options, KafkaClientRole role)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);

        // Every setting with a librdkafka key, when its condition holds and it has a value (KafkaSettingDefinitions).
        foreach (var definition in KafkaSettingDefinitions.All)
        {
            var applies = definition.Emission switch
            {
                LibrdkafkaEmission.Always => true,
                LibrdkafkaEmission.Sasl => options.SaslMechanism != KafkaSaslMechanism.None,
                LibrdkafkaEmission.Gssapi => options.SaslMechanism == KafkaSaslMechanism.Gssapi,
                LibrdkafkaEmission.Tls => options.UsesTls,
                _ => false,
            };
            if (applies && KafkaSettingDefinitions.LibrdkafkaText(definition.ValueIn(options)) is { } text)
            {
                properties[definition.LibrdkafkaKey!] = text;
            }
        }

        // The settings whose librdkafka value is translated or shared (LibrdkafkaEmission.Rule).
        properties["security.protocol"] = ProtocolName(options.SecurityProtocol);
        properties["socket.timeout.ms"] = Ms(options.SocketTimeout ?? options.RequestTimeout);
        if (role == KafkaClientRole.Producer)
        {
            properties["request.timeout.ms"] = Ms(options.RequestTimeout);
        }

        if (options.SaslMechanism != KafkaSaslMechanism.None)
        {
            properties["sasl.mechanism"] = MechanismName(options.SaslMechanism);
        }

        if (options.UsesTls)
        {
            var verifyHost = options.EnableHostnameVerification && !options.SkipCertificateCheck;
            properties["ssl.endpoint.identification.algorithm"] = verifyHost ? "https" : "none";
            properties["enable.ssl.certificate.verification"] = options.SkipCertificateCheck ? "false" : "true";
        }

        var roleProperties = role switch
        {
            KafkaClientRole.Producer => options.ProducerProperties,
            KafkaClientRole.Consumer => options.ConsumerProperties,
            _ => null,
        };
        foreach (var (key, value) in roleProperties ?? new Dictionary<string, string>())
        {
            properties[key] = value;
        }

        foreach (var (key, value) in options.Properties)
        {
            properties[key] = value;
        }

        foreach (var (key, value) in options.SecretProperties)
        {
            properties[key] = SecretText.Reveal(value);
        }

        return properties;
    }

    /// <summary>
    /// True when the client factory must install an OAuth bearer token refresh handler
    /// (SetOAuthBearerTokenRefreshHandler) that takes tokens from <see cref="KafkaConnection.GetTokenSource"/>.
    /// </summary>
    public static bool UsesTokenRefreshHandler(KafkaConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.SaslMechanism == KafkaSaslMechanism.OAuthBearer && options.OAuth is not null;
    }

    /// <summary>librdkafka's security.protocol value.</summary>
    public static string ProtocolName(KafkaSecurityProtocol protocol) => protocol switch
    {
        KafkaSecurityProtocol.Plaintext => "plaintext",
        KafkaSecurityProtocol.Ssl => "ssl",
        KafkaSecurityProtocol.SaslPlaintext => "sasl_plaintext",
        KafkaSecurityProtocol.SaslSsl => "sasl_ssl",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown security protocol."),
    };

    /// <summary>librdkafka's sasl.mechanism value.</summary>
    public static string MechanismName(KafkaSaslMechanism mechanism) => mechanism switch
    {
        KafkaSaslMechanism.Plain => "PLAIN",
        KafkaSaslMechanism.ScramSha256 => "SCRAM-SHA-256",
        KafkaSaslMechanism.ScramSha512 => "SCRAM-SHA-512",
        KafkaSaslMechanism.OAuthBearer => "OAUTHBEARER",
        KafkaSaslMechanism.Gssapi => "GSSAPI",
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "No SASL mechanism name for this value."),
    };

    /// <summary>Parses PLAINTEXT / SSL / SASL_PLAINTEXT / SASL_SSL (any case, '-' or '_').</summary>
    public static bool TryParseProtocol(string? text, out KafkaSecurityProtocol protocol)
    {
        protocol = KafkaSecurityProtocol.Plaintext;
        switch (text?.Trim().Replace('-', '_').ToUpperInvariant())
        {
            case "PLAINTEXT":
                protocol = KafkaSecurityProtocol.Plaintext;
                return true;
            case "SSL":
                protocol = KafkaSecurityProtocol.Ssl;
                return true;
            case "SASL_PLAINTEXT" or "SASLPLAINTEXT":
                protocol = KafkaSecurityProtocol.SaslPlaintext;
                return true;
            case "SASL_SSL" or "SASLSSL":
                protocol = KafkaSecurityProtocol.SaslSsl;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Why AWS_MSK_IAM (kafka-python 2.3+, which Mage pins) cannot be used through librdkafka.</summary>
    public const string AwsMskIamUnsupported =
        "SASL mechanism AWS_MSK_IAM is kafka-python's own (2.3+); librdkafka 2.15.1 has no such mechanism, and its sasl.oauthbearer.metadata.authentication.type=aws_iam is declared without a token flow (\"librdkafka does not implement the aws_iam token flow natively\", CONFIGURATION.md).";

    /// <summary>What works on Amazon MSK instead.</summary>
    public const string AwsMskIamAlternatives =
        "On Amazon MSK use SASL/SCRAM (SCRAM-SHA-512 on port 9096, user and password from AWS Secrets Manager), or IAM through SASL/OAUTHBEARER (port 9098): MSK accepts IAM tokens (aws-msk-iam-sasl-signer) as OAUTHBEARER tokens, so serve them from an OAuth token endpoint and connect with -SaslMechanism OAuthBearer -OAuthTokenEndpoint <url> -OAuthClientCredential <id/secret>.";

    /// <summary>True for AWS_MSK_IAM in any case, with '-' or '_'.</summary>
    public static bool IsAwsMskIam(string? text) =>
        string.Equals(text?.Trim().Replace('-', '_'), "AWS_MSK_IAM", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses PLAIN / SCRAM-SHA-256 / SCRAM-SHA-512 / OAUTHBEARER / GSSAPI (any case, '-' or '_').</summary>
    public static bool TryParseMechanism(string? text, out KafkaSaslMechanism mechanism)
    {
        mechanism = KafkaSaslMechanism.None;
        switch (text?.Trim().Replace('_', '-').ToUpperInvariant())
        {
            case "PLAIN":
                mechanism = KafkaSaslMechanism.Plain;
                return true;
            case "SCRAM-SHA-256" or "SCRAMSHA256":
                mechanism = KafkaSaslMechanism.ScramSha256;
                return true;
            case "SCRAM-SHA-512" or "SCRAMSHA512":
                mechanism = KafkaSaslMechanism.ScramSha512;
                return true;
            case "OAUTHBEARER":
                mechanism = KafkaSaslMechanism.OAuthBearer;
                return true;
            case "GSSAPI":
                mechanism = KafkaSaslMechanism.Gssapi;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Turns a -Property hashtable into librdkafka properties: booleans become true/false, numbers use
    /// the invariant culture, lists are joined with commas (librdkafka's list syntax). Callers unwrap
    /// PowerShell's PSObject values first. Values of sensitive keys never appear in the errors.
    /// </summary>
    /// <exception cref="KafkaConnectionException">A key is empty, a value is missing, or a value is a nested table.</exception>
    public static Dictionary<string, string> NormalizeProperties(IDictionary? properties)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (properties is null)
        {
            return result;
        }

        var problems = new List<KafkaConnectionProblem>();
        foreach (DictionaryEntry entry in properties)
        {
            var key = entry.Key?.ToString()?.Trim();
            if (string.IsNullOrEmpty(key))
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.PropertyNameInvalid, "Properties",
                    "A -Property entry has an empty name. Use librdkafka property names such as 'socket.keepalive.enable'."));
                continue;
            }

            var value = ToText(entry.Value);
            if (value is null)
            {
                problems.Add(KafkaConnectionProblem.Error(entry.Value is null ? ErrorCatalog.PropertyValueMissing : ErrorCatalog.PropertyValueInvalid, $"Properties[{key}]",
                    entry.Value is null
                        ? $"Property '{key}' has no value. Give it a value, or leave it out to use the default."
                        : $"Property '{key}' has a value of type {entry.Value.GetType().Name}; librdkafka properties take text, numbers, true/false or a list. Write the value as text."));
                continue;
            }

            result[key] = value;
        }

        if (problems.Count > 0)
        {
            throw new KafkaConnectionException(problems);
        }

        return result;
    }

    private static string? ToText(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        IDictionary => null,
        IFormattable formattable when value is not DateTime and not DateTimeOffset and not TimeSpan => formattable.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list when value is not IFormattable => JoinList(list),
        _ => null,
    };

    private static string? JoinList(IEnumerable list)
    {
        var parts = new List<string>();
        foreach (var item in list)
        {
            if (item is IEnumerable and not string || ToText(item) is not { } text)
            {
                return null;
            }

            parts.Add(text);
        }

        return string.Join(",", parts);
    }

    private static string Ms(TimeSpan value) =>
        ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
