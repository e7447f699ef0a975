using System.Globalization;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.TestKit.Sandbox;

/// <summary>
/// The sandbox's standard-input commands that put one partition into a state Test-KafkaCluster
/// reports, so a runbook's health gate can be rehearsed (<see cref="ClusterHealthControls"/>):
/// <c>offline-partition TOPIC PARTITION</c> (no leader, empty ISR), <c>shrink-isr TOPIC PARTITION
/// BROKER[,BROKER...]</c> (under-replicated), <c>move-log-start TOPIC PARTITION OFFSET</c> (retention
/// deleted the records below OFFSET) and <c>restore-partition TOPIC PARTITION</c> (the preferred
/// replica leads, every replica in sync). Each answers one line starting with <c>ok </c> or <c>error </c>.
/// </summary>
public static class SandboxHealthCommands
{
    public const string Help = "offline-partition TOPIC PARTITION, shrink-isr TOPIC PARTITION BROKER[,BROKER...], move-log-start TOPIC PARTITION OFFSET, restore-partition TOPIC PARTITION";

    private static readonly string[] Names = ["offline-partition", "shrink-isr", "move-log-start", "restore-partition"];

    /// <summary>The answer to <paramref name="words"/> when it is one of these commands; null for any other command.</summary>
    public static string? TryExecute(KafkaTestCluster cluster, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(words);
        var command = words.Count == 0 ? null : Names.FirstOrDefault(n => string.Equals(n, words[0], StringComparison.OrdinalIgnoreCase));
        if (command is null)
        {
            return null;
        }

        var arguments = command is "shrink-isr" or "move-log-start" ? 4 : 3;
        if (words.Count != arguments)
        {
            return $"error {command} takes {(arguments == 3 ? "a topic and a partition" : command == "shrink-isr" ? "a topic, a partition and the in-sync broker ids" : "a topic, a partition and an offset")}, e.g. '{Example(command)}'";
        }

        var topic = words[1];
        if (!int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            return $"error '{words[2]}' is not a number (partition)";
        }

        var state = cluster.State;
        if (state.GetPartition(topic, partition) is null)
        {
            return $"error no partition {topic}[{partition}]";
        }

        try
        {
            switch (command)
            {
                case "offline-partition":
                    state.HealthTakePartitionOffline(topic, partition);
                    break;
                case "shrink-isr":
                    state.HealthSetInSyncReplicas(topic, partition, BrokerIds(words[3]));
                    break;
                case "move-log-start":
                    if (!long.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                    {
                        return $"error '{words[3]}' is not a number (offset)";
                    }

                    state.HealthMoveLogStart(topic, partition, offset);
                    break;
                default:
                    state.HealthRestorePartition(topic, partition);
                    break;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            return "error " + ex.Message;
        }

        return $"ok {topic}[{partition}] {Describe(state, topic, partition)}";
    }

    private static int[] BrokerIds(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"'{id}' is not a number (broker id)"))
            .ToArray();

    private static string Describe(ClusterState state, string topic, int partition)
    {
        lock (state.Sync)
        {
            var p = state.GetPartition(topic, partition)!;
            return $"leader {p.LeaderId}, replicas [{string.Join(',', p.Replicas)}], isr [{string.Join(',', p.Isr)}], log start {p.LogStartOffset}, high watermark {p.HighWatermark}";
        }
    }

    private static string Example(string command) => command switch
    {
        "shrink-isr" => "shrink-isr orders 0 1",
        "move-log-start" => "move-log-start orders 0 5",
        _ => command + " orders 0",
    };
}
