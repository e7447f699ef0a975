using System.Collections;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections;

/// <summary>
/// Connection settings from environment variables, for runbooks: KAFKA_BOOTSTRAP_SERVERS,
/// KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD,
/// KAFKA_CLIENT_ID. Empty variables count as unset.
/// </summary>
public static class KafkaEnvironment
{
    public const string BootstrapServers = "KAFKA_BOOTSTRAP_SERVERS";
    public const string SecurityProtocol = "KAFKA_SECURITY_PROTOCOL";
    public const string SaslMechanism = "KAFKA_SASL_MECHANISM";
    public const string SaslUsername = "KAFKA_SASL_USERNAME";
    public const string SaslPassword = "KAFKA_SASL_PASSWORD";
    public const string ClientId = "KAFKA_CLIENT_ID";

    /// <summary>The variables, as <see cref="KafkaSettingDefinitions"/> lists them.</summary>
    public static IReadOnlyList<string> VariableNames => KafkaSettingDefinitions.EnvironmentVariables;

    /// <summary>Reads the variables from <paramref name="environment"/> (e.g. Environment.GetEnvironmentVariables()).</summary>
    /// <exception cref="KafkaConnectionException">A variable has a value that cannot be used; the problem names the variable.</exception>
    public static KafkaConnectionSettings Read(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problems = new List<KafkaConnectionProblem>();

        KafkaSecurityProtocol? protocol = null;
        if (Get(environment, SecurityProtocol) is { } protocolText)
        {
            if (LibrdkafkaConfig.TryParseProtocol(protocolText, out var p))
            {
                protocol = p;
            }
            else
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.EnvironmentValueInvalid, SecurityProtocol,
                    $"Environment variable {SecurityProtocol} is '{protocolText}', which is not a security protocol. Set it to PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, or remove it."));
            }
        }

        KafkaSaslMechanism? mechanism = null;
        if (Get(environment, SaslMechanism) is { } mechanismText)
        {
            if (LibrdkafkaConfig.TryParseMechanism(mechanismText, out var m))
            {
                mechanism = m;
            }
            else
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.EnvironmentValueInvalid, SaslMechanism,
                    $"Environment variable {SaslMechanism} is '{mechanismText}', which is not a SASL mechanism. Set it to PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI, or remove it."));
            }
        }

        var bootstrap = Get(environment, BootstrapServers);
        if (bootstrap is not null)
        {
            bootstrap = string.Join(",", bootstrap.Split(',').Select(s => s.Trim()));
            foreach (var entry in bootstrap.Split(','))
            {
                if (KafkaConnectionValidator.CheckBootstrapEntry(entry) is { } error)
                {
                    problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.EnvironmentValueInvalid, BootstrapServers,
                        $"Environment variable {BootstrapServers} has an invalid entry '{entry}': {error} Use a comma-separated list of host:port."));
                }
            }
        }

        var password = Get(environment, SaslPassword);
        var username = Get(environment, SaslUsername);
        if (password is not null && username is null)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.EnvironmentValueInvalid, SaslUsername,
                $"Environment variable {SaslPassword} is set but {SaslUsername} is not. Set both, or neither."));
        }

        if (problems.Count > 0)
        {
            throw new KafkaConnectionException(problems);
        }

        return new KafkaConnectionSettings
        {
            BootstrapServers = bootstrap,
            SecurityProtocol = protocol,
            SaslMechanism = mechanism,
            SaslUsername = username,
            SaslPassword = password is null ? null : SecretText.Protect(password),
            ClientId = Get(environment, ClientId),
        };
    }

    private static string? Get(IDictionary environment, string name)
    {
        var value = environment.Contains(name) ? environment[name]?.ToString() : null;
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
