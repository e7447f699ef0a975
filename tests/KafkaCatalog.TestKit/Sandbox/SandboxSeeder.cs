using System.Globalization;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.TestKit.Sandbox;

/// <summary>What the sandbox seeding created.</summary>
public sealed class SandboxSeedResult
{
    /// <summary>Topic name -> number of records written.</summary>
    public Dictionary<string, long> Topics { get; } = new(StringComparer.Ordinal);

    /// <summary>Consumer groups seeded (filled by the group seeding part, see <see cref="SandboxSeeder"/>).</summary>
    public List<string> Groups { get; } = new();

    /// <summary>ACLs seeded when the authorizer is on (see <see cref="SandboxSeeder.SeedAcls"/>).</summary>
    public List<AclBinding> Acls { get; } = new();
}

/// <summary>
/// Seeds a cluster with sample topics and messages for demos and tests: orders (6 partitions,
/// rf 3), payments (3, rf min(3,brokers), min.insync.replicas 2 when possible, 30-day retention),
/// clicks (12, rf min(2,brokers), compact,delete), tmp-scratch (1, rf 1, 1-hour retention).
/// Consumer groups with committed offsets and lag are seeded by the group area through the
/// partial method <c>SeedGroups</c> (implemented next to the group coordinator state).
/// </summary>
public static partial class SandboxSeeder
{
    public static readonly DateTimeOffset BaseTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SandboxSeedResult Seed(KafkaTestCluster cluster)
    {
        var state = cluster.State;
        var brokers = cluster.Brokers.Count;
        var result = new SandboxSeedResult();
        short Rf(int want) => (short)Math.Min(want, brokers);

        Create(state, result, "orders", 6, Rf(3), new() { ["retention.ms"] = "604800000" }, 120,
            i => ($"customer-{i % 17}", $"{{\"orderId\":{1000 + i},\"amount\":{(i * 7 % 500) + 0.99m},\"currency\":\"EUR\"}}"));
        var paymentsConfigs = new Dictionary<string, string> { ["retention.ms"] = "2592000000" };
        if (brokers >= 2)
        {
            paymentsConfigs["min.insync.replicas"] = "2";
        }

        Create(state, result, "payments", 3, Rf(3), paymentsConfigs, 45,
            i => ($"payment-{i}", $"{{\"paymentId\":\"p{i}\",\"orderId\":{1000 + i},\"status\":\"{(i % 5 == 0 ? "FAILED" : "OK")}\"}}"));
        Create(state, result, "clicks", 12, Rf(2), new() { ["cleanup.policy"] = "compact,delete", ["segment.ms"] = "3600000" }, 300,
            i => ($"session-{i % 40}", $"{{\"page\":\"/p/{i % 23}\",\"ts\":{i}}}"));
        Create(state, result, "tmp-scratch", 1, 1, new() { ["retention.ms"] = "3600000" }, 5,
            i => (null, $"scratch {i}"));

        SeedGroups(cluster, result);
        if (state.Options.EnableAcls)
        {
            SeedAcls(state, result);
        }

        return result;
    }

    /// <summary>
    /// With the authorizer on: a transactional producer's ACLs as Kafka's docs grant them, Write on the TransactionalId
    /// "orders" and Write on the Topic "orders" (same name, different resource types), for User:orders-app.
    /// Confluent.Kafka cannot name TransactionalId, so these show whether a client keeps the two apart.
    /// </summary>
    public static void SeedAcls(ClusterState state, SandboxSeedResult result)
    {
        foreach (var type in new[] { AclResourceType.TransactionalId, AclResourceType.Topic })
        {
            var acl = new AclBinding(type, "orders", AclPatternType.Literal, "User:orders-app", "*", AclOperation.Write, AclPermissionType.Allow);
            state.AddAcl(acl);
            result.Acls.Add(acl);
        }
    }

    /// <summary>Consumer groups with committed offsets and lag; implemented by the group area.</summary>
    static partial void SeedGroups(KafkaTestCluster cluster, SandboxSeedResult result);

    private static void Create(ClusterState state, SandboxSeedResult result, string name, int partitions, short rf,
        Dictionary<string, string> configs, int messages, Func<int, (string? Key, string Value)> make)
    {
        if (state.GetTopic(name) is null)
        {
            state.CreateTopic(name, partitions, rf, configs);
        }

        var perPartition = new List<SeedRecord>[partitions];
        for (var p = 0; p < partitions; p++)
        {
            perPartition[p] = new List<SeedRecord>();
        }

        for (var i = 0; i < messages; i++)
        {
            var (key, value) = make(i);
            var p = key is null ? i % partitions : (int)((uint)StableHash(key) % (uint)partitions);
            var ts = BaseTime.AddSeconds(i * 30).ToUnixTimeMilliseconds();
            perPartition[p].Add(new SeedRecord(key, value, ts, new[] { new KeyValuePair<string, string?>("source", "sandbox") }));
        }
        for (var p = 0; p < partitions; p++)
        {
            if (perPartition[p].Count > 0)
            {
                state.AppendRecords(name, p, perPartition[p]);
            }
        }

        result.Topics[name] = messages;
    }

    /// <summary>FNV-1a: deterministic partitioning for seeded keys (not the client's murmur2).</summary>
    private static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s)
            {
                h = (h ^ c) * 16777619;
            }

            return h & 0x7fffffff;
        }
    }

    internal static string Describe(SandboxSeedResult r) =>
        string.Join(", ", r.Topics.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} ({kv.Value} messages)")));
}
