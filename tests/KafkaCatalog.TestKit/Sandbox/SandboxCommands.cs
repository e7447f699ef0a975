using System.Globalization;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.TestKit.Sandbox;

/// <summary>
/// The chaos commands the sandbox reads from standard input, one per line, to rehearse a runbook
/// against a broker outage: <c>stop-broker N</c>, <c>start-broker N</c>, <c>latency MS</c> (the network's
/// round trip to every broker: each response leaves MS after its request arrived, pipelined requests overlap; 0 turns it off), <c>drop-connections</c>, <c>status</c> and
/// <c>move-leader TOPIC PARTITION [BROKER]</c> (a non-preferred leader, for elections), the partition
/// health states of <see cref="SandboxHealthCommands"/> (offline, under-replicated, log start moved), <c>requests</c> (the
/// request counters), <c>help</c>. Every command gets exactly one answer line starting with <c>ok </c> or <c>error </c>.
/// Blank lines and lines starting with <c>#</c> are not commands and get no answer.
/// </summary>
public sealed class SandboxCommands
{
    public const string Help = "commands: stop-broker N, start-broker N, latency MS (0 = off), drop-connections, status, " + SandboxLeaderCommands.Help + ", " + SandboxHealthCommands.Help + ", requests, help";

    /// <summary>The largest accepted latency: a minute per request is already an outage.</summary>
    public const int MaxLatencyMs = 60_000;

    private readonly KafkaTestCluster _cluster;
    private int _latencyMs;

    public SandboxCommands(KafkaTestCluster cluster) => _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));

    /// <summary>True for a line that is a command (not blank, not a # comment).</summary>
    public static bool IsCommand(string line) => line.Trim() is { Length: > 0 } t && !t.StartsWith('#');

    /// <summary>Runs one command line; returns its one-line answer ("ok ..." or "error ...").</summary>
    public async Task<string> ExecuteAsync(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return "error empty command; " + Help;
        }

        var command = words[0].ToLowerInvariant();
        try
        {
            return command switch
            {
                "stop-broker" => await StopAsync(Argument(words, "broker id")).ConfigureAwait(false),
                "start-broker" => await StartAsync(Argument(words, "broker id")).ConfigureAwait(false),
                "latency" => Latency(Argument(words, "milliseconds")),
                "drop-connections" when words.Length == 1 => $"ok dropped {_cluster.Faults.DropConnections()} connection(s)",
                "drop-connections" => "error drop-connections takes no argument",
                "status" when words.Length == 1 => "ok " + Status(),
                "help" => "ok " + Help,
                "requests" when words.Length == 1 => BenchmarkSeeder.RequestCounts(_cluster),
                "move-leader" => SandboxLeaderCommands.TryExecute(_cluster, words) ?? "error move-leader: " + SandboxLeaderCommands.Help,
                _ when SandboxHealthCommands.TryExecute(_cluster, words) is { } answer => answer,
                _ => $"error unknown command '{words[0]}'; {Help}",
            };
        }
        catch (FormatException ex)
        {
            return "error " + ex.Message;
        }
    }

    private static int Argument(string[] words, string what)
    {
        if (words.Length != 2)
        {
            throw new FormatException($"{words[0]} takes one argument ({what}), e.g. '{words[0]} {(what == "broker id" ? "2" : "250")}'");
        }

        if (!int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{words[1]}' is not a number ({what})");
        }

        return value;
    }

    private BrokerState Broker(int id) =>
        _cluster.Brokers.FirstOrDefault(b => b.Id == id)
        ?? throw new FormatException($"no broker {id}; the brokers are {string.Join(", ", _cluster.Brokers.Select(b => b.Id))}");

    private async Task<string> StopAsync(int id)
    {
        var broker = Broker(id);
        if (!broker.IsAlive)
        {
            return $"ok broker {id} was already stopped";
        }

        await _cluster.StopBrokerAsync(id).ConfigureAwait(false);
        return $"ok broker {id} stopped ({broker.Host}:{broker.Port} refuses connections; its partitions moved to the other brokers)";
    }

    private async Task<string> StartAsync(int id)
    {
        var broker = Broker(id);
        if (broker.IsAlive)
        {
            return $"ok broker {id} was already running on {broker.Host}:{broker.Port}";
        }

        await _cluster.StartBrokerAsync(id).ConfigureAwait(false);
        return $"ok broker {id} started on {broker.Host}:{broker.Port}";
    }

    private string Latency(int ms)
    {
        if (ms > MaxLatencyMs)
        {
            throw new FormatException($"latency must be between 0 and {MaxLatencyMs} ms");
        }

        _cluster.Faults.ClearLatency();
        _latencyMs = ms;
        if (ms == 0)
        {
            return "ok latency off";
        }

        _cluster.Faults.NetworkLatency = TimeSpan.FromMilliseconds(ms);
        return $"ok latency {ms} ms per request on every broker";
    }

    private string Status() =>
        string.Join(", ", _cluster.Brokers.Select(b => $"broker {b.Id} {(b.IsAlive ? "running" : "stopped")}"))
        + (_latencyMs > 0 ? $", latency {_latencyMs} ms" : ", no latency");
}
