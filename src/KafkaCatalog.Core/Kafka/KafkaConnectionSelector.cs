using System.Collections;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Which connection a Kafka cmdlet uses: -Connection, then -BootstrapServer, then the
/// ConnectionName of a piped object, then the session default, then KAFKA_BOOTSTRAP_SERVERS;
/// otherwise a terminating NoKafkaConnection error.
/// </summary>
public static class KafkaConnectionSelector
{
    public const string BootstrapEnvironmentVariable = "KAFKA_BOOTSTRAP_SERVERS";

    /// <summary>The name given to the connection built from KAFKA_BOOTSTRAP_SERVERS.</summary>
    public const string EnvironmentConnectionName = "env:" + BootstrapEnvironmentVariable;

    public static KafkaConnection Resolve(
        KafkaConnection? explicitConnection,
        IReadOnlyList<string>? bootstrapServers,
        string? pipedConnectionName,
        Func<string, KafkaConnection?> findRegistered,
        KafkaConnection? sessionDefault,
        IDictionary? environment)
    {
        var environmentBootstrapServers = environment?[BootstrapEnvironmentVariable] as string;
        if (explicitConnection is not null)
        {
            return explicitConnection;
        }

        if (bootstrapServers is { Count: > 0 })
        {
            var servers = JoinServers(bootstrapServers);
            return new KafkaConnection(servers, FromSettings(servers, environment));
        }

        if (!string.IsNullOrEmpty(pipedConnectionName))
        {
            var piped = findRegistered(pipedConnectionName);
            if (piped is not null)
            {
                return piped;
            }

            if (pipedConnectionName == EnvironmentConnectionName && !string.IsNullOrWhiteSpace(environmentBootstrapServers))
            {
                return FromEnvironment(environment!);
            }

            // Objects read through a one-off -BootstrapServer connection carry the servers as
            // their connection name, so a runbook can pipe them on without session state.
            if (LooksLikeServerList(pipedConnectionName))
            {
                return new KafkaConnection(pipedConnectionName, FromSettings(pipedConnectionName, environment));
            }

            throw new KafkaCatalogException(
                ErrorCatalog.KafkaConnectionNotFound,
                $"The piped object came through Kafka connection '{pipedConnectionName}', which is not open in this session. Pass -Connection or -BootstrapServer, or run Connect-KafkaCluster -Name '{pipedConnectionName}'.",
                pipedConnectionName);
        }

        if (sessionDefault is not null)
        {
            return sessionDefault;
        }

        if (!string.IsNullOrWhiteSpace(environmentBootstrapServers))
        {
            return FromEnvironment(environment!);
        }

        throw new KafkaCatalogException(
            ErrorCatalog.NoKafkaConnection,
            "No Kafka connection. Run Connect-KafkaCluster or set KAFKA_BOOTSTRAP_SERVERS.");
    }

    /// <summary>Joins and trims bootstrap servers given as an array and/or comma-separated text.</summary>
    public static string JoinServers(IEnumerable<string> servers)
    {
        var parts = servers
            .SelectMany(s => (s ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
        if (parts.Length == 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.BootstrapServersMissing,
                "No bootstrap server given. Use host:port, e.g. -BootstrapServer broker1:9092,broker2:9092.");
        }

        // The same check (and error id) as the connection validator's, so one mistake has one id wherever it is made.
        foreach (var part in parts)
        {
            if (Connections.KafkaConnectionValidator.CheckBootstrapEntry(part) is { } error)
            {
                throw new KafkaCatalogException(ErrorCatalog.BootstrapServerInvalid,
                    $"Bootstrap server '{part}' is not valid: {error} Use host:port with a port from 1 to 65535, e.g. broker1:9092.", part);
            }
        }

        return string.Join(",", parts);
    }

    private static bool LooksLikeServerList(string text)
    {
        if (!text.Contains(':', StringComparison.Ordinal) || text.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return JoinServers([text]) == text;
        }
        catch (KafkaCatalogException)
        {
            return false;
        }
    }

    // One-off connections take their security from the environment too (KAFKA_SECURITY_PROTOCOL,
    // KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD...), so a runbook needs no session state.
    private static KafkaConnection FromEnvironment(IDictionary environment) =>
        new(EnvironmentConnectionName, FromSettings(null, environment));

    private static KafkaConnectionOptions FromSettings(string? servers, IDictionary? environment)
    {
        try
        {
            var settings = servers is null ? null : new KafkaConnectionSettings { BootstrapServers = servers };
            var options = KafkaConnectionResolver.Resolve(settings, null, environment).Options;
            return options with { BootstrapServers = JoinServers([options.BootstrapServers]) };
        }
        catch (KafkaConnectionException ex)
        {
            throw new KafkaCatalogException(ex.ErrorId, FailureKind.InvalidArgument, ex.Message, ex.Option, ex);
        }
    }
}
