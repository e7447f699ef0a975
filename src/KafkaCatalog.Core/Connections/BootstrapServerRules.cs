using System.Globalization;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections;

/// <summary>The rules for bootstrap servers (comma-separated host:port) and the client id of a connection.</summary>
internal static partial class BootstrapServerRules
{
    internal static void Validate(KafkaConnectionOptions o, List<KafkaConnectionProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(o.BootstrapServers))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.BootstrapServersMissing, nameof(o.BootstrapServers),
                "No bootstrap server was given. Pass -BootstrapServer 'host:9092', set KAFKA_BOOTSTRAP_SERVERS, or use a profile with bootstrap servers."));
        }
        else
        {
            foreach (var entry in o.BootstrapServers.Split(','))
            {
                var error = CheckEntry(entry.Trim());
                if (error is not null)
                {
                    problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.BootstrapServerInvalid, nameof(o.BootstrapServers),
                        $"Bootstrap server '{entry.Trim()}' in '{o.BootstrapServers}' is not valid: {error} Use a comma-separated list of host:port, e.g. 'broker1:9092,broker2:9092'."));
                }
            }
        }

        if (string.IsNullOrWhiteSpace(o.ClientId) || o.ClientId.Any(char.IsControl))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.ClientIdInvalid, nameof(o.ClientId),
                "The client id must be a non-empty name without control characters, e.g. 'kafkacatalog'."));
        }
    }

    /// <summary>Returns why a single bootstrap entry is invalid, or null.</summary>
    internal static string? CheckEntry(string entry)
    {
        if (entry.Length == 0)
        {
            return "the entry is empty (look for a doubled or trailing comma).";
        }

        var hostPort = entry;
        var scheme = entry.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var name = entry[..scheme].ToLowerInvariant();
            if (name is not ("plaintext" or "ssl" or "sasl_plaintext" or "sasl_ssl"))
            {
                return $"'{entry[..scheme]}://' is not a Kafka listener scheme (Kafka does not speak HTTP); leave the scheme out.";
            }

            hostPort = entry[(scheme + 3)..];
        }

        if (hostPort.Any(char.IsWhiteSpace))
        {
            return "it contains white space.";
        }

        string host;
        string? port = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0)
            {
                return "the IPv6 address has no closing ']'.";
            }

            host = hostPort[1..close];
            var rest = hostPort[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    return "expected ':port' after the IPv6 address.";
                }

                port = rest[1..];
            }
        }
        else
        {
            var parts = hostPort.Split(':');
            if (parts.Length > 2)
            {
                return "it has more than one ':' (write IPv6 addresses as [::1]:9092).";
            }

            host = parts[0];
            port = parts.Length == 2 ? parts[1] : null;
        }

        if (host.Length == 0)
        {
            return "the host name is empty.";
        }

        if (!HostPattern().IsMatch(host) && !hostPort.StartsWith('['))
        {
            return $"'{host}' is not a valid host name.";
        }

        if (port is not null)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1 || p > 65535)
            {
                return $"the port '{port}' is not a number from 1 to 65535.";
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    private static partial Regex HostPattern();
}
