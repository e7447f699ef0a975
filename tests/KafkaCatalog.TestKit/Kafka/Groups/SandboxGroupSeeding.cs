using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.TestKit.Sandbox;

/// <summary>Group part of the sandbox seeding: Empty consumer groups with committed offsets (and so lag).</summary>
public static partial class SandboxSeeder
{
    /// <summary>Seeded groups: name, topic, fraction of each partition's high watermark committed.</summary>
    public static readonly IReadOnlyList<(string Group, string Topic, double Committed)> SeededGroups = new[]
    {
        ("orders-processor", "orders", 0.75),   // lag on every partition
        ("payments-audit", "payments", 1.0),    // caught up (lag 0)
        ("clicks-analytics", "clicks", 0.5),
    };

    static partial void SeedGroups(KafkaTestCluster cluster, SandboxSeedResult result)
    {
        var state = cluster.State;
        foreach (var (group, topic, fraction) in SeededGroups)
        {
            var t = state.GetTopic(topic);
            if (t is null)
            {
                continue;
            }

            foreach (var p in t.Partitions)
            {
                long hw;
                lock (state.Sync)
                {
                    hw = p.HighWatermark;
                }

                state.CommitOffsets(group, topic, p.Index, (long)Math.Floor(hw * fraction), "sandbox");
            }
            result.Groups.Add(group);
        }
    }
}
