using System.Globalization;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.TestKit.Sandbox;

/// <summary>
/// The sandbox's standard-input command that makes a partition's leader non-preferred, so a preferred
/// leader election has something to do: <c>move-leader TOPIC PARTITION [BROKER]</c>
/// (<see cref="ClusterState.MoveLeader"/>). Answers one line starting with <c>ok </c> or <c>error </c>.
/// </summary>
public static class SandboxLeaderCommands
{
    public const string Help = "move-leader TOPIC PARTITION [BROKER]";

    /// <summary>The answer to <paramref name="words"/> when it is this command; null for any other command.</summary>
    public static string? TryExecute(KafkaTestCluster cluster, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0 || !string.Equals(words[0], "move-leader", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (words.Count is < 3 or > 4)
        {
            return $"error move-leader takes a topic, a partition and optionally a broker id, e.g. 'move-leader orders 0'";
        }

        if (!int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
        {
            return $"error '{words[2]}' is not a number (partition)";
        }

        int? broker = null;
        if (words.Count == 4)
        {
            if (!int.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return $"error '{words[3]}' is not a number (broker id)";
            }

            broker = id;
        }

        try
        {
            var before = cluster.State.GetPartition(words[1], partition)?.LeaderId;
            var leader = cluster.State.MoveLeader(words[1], partition, broker);
            var preferred = cluster.State.GetPartition(words[1], partition)!.Replicas[0];
            return $"ok {words[1]}[{partition}] leader {before} -> {leader} (preferred {preferred})";
        }
        catch (ArgumentException ex)
        {
            return "error " + ex.Message;
        }
    }
}
