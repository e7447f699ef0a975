using System.Globalization;
using System.Text;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.TestKit.Sandbox;

/// <summary>What a benchmark seeding created, and the totals a client must reproduce.</summary>
public sealed record BenchmarkSeed(string Prefix, int Groups, long ExpectedRows, long ExpectedLag, int Topics, long Partitions);

/// <summary>
/// Benchmark data for the sandbox (serve --bench-groups N / --bench-partitions N) and the benchmarks project:
/// idle consumer groups with committed offsets and a known total lag, and many topics for listings.
/// </summary>
public static class BenchmarkSeeder
{
    /// <summary>Log start of the lag data set's partitions when it holds real records (every committed offset is at or above it).</summary>
    public const long RecordsFrom = 9_000;

    /// <summary>
    /// <paramref name="topics"/> topics "PREFIX-topic-NN" of <paramref name="partitions"/> partitions (high watermark
    /// 10,000 + partition), and <paramref name="groups"/> Empty groups "PREFIX-NNNNN", group g committed on every
    /// partition of topic g mod topics at 9,000 + g mod 500. With <paramref name="records"/>, each partition holds real
    /// records from 9,000 (its log start) to its end, in batches of 100, record at offset o stamped 1,700,000,000,000 +
    /// o seconds (so Get-KafkaConsumerGroupOffset -IncludeTimeLag can read them); without, the log is offsets only.
    /// </summary>
    public static BenchmarkSeed SeedLag(KafkaTestCluster cluster, string prefix, int groups, int partitions = 12, int topics = 20, bool records = false)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var names = Enumerable.Range(0, topics).Select(t => $"{prefix}-topic-{t:D2}").ToArray();
        foreach (var name in names)
        {
            cluster.State.CreateTopic(name, partitions, 1);
            for (var p = 0; p < partitions; p++)
            {
                var partition = cluster.State.GetPartition(name, p)!;
                lock (cluster.State.Sync)
                {
                    partition.LogStartOffset = records ? RecordsFrom : 0;
                    partition.HighWatermark = records ? RecordsFrom : 10_000 + p;
                }

                for (var offset = RecordsFrom; records && offset < 10_000 + p; offset += 100)
                {
                    var count = (int)Math.Min(100, 10_000 + p - offset);
                    cluster.State.AppendRecords(name, p, Enumerable.Range(0, count).Select(i => new SeedRecord("k", "v", 1_700_000_000_000 + ((offset + i) * 1000))).ToArray());
                }
            }
        }

        long lag = 0;
        for (var g = 0; g < groups; g++)
        {
            var committed = Enumerable.Range(0, partitions).Select(_ => (long)(9_000 + (g % 500))).ToArray();
            cluster.State.CommitOffsets($"{prefix}-{g:D5}", names[g % topics], committed);
            lag += Enumerable.Range(0, partitions).Sum(p => 10_000 + p - committed[p]);
        }

        return new BenchmarkSeed(prefix, groups, (long)groups * partitions, lag, topics, (long)topics * partitions);
    }

    /// <summary>
    /// Topics "PREFIX-p-NNNNNN" of <paramref name="perTopic"/> partitions each (the last one smaller) holding
    /// <paramref name="partitions"/> partitions in all, replication factor min(3, brokers).
    /// </summary>
    public static BenchmarkSeed SeedPartitions(KafkaTestCluster cluster, string prefix, long partitions, int perTopic = 10)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var rf = (short)Math.Min(3, cluster.Brokers.Count);
        var topics = 0;
        for (long left = partitions; left > 0; left -= perTopic, topics++)
        {
            cluster.State.CreateTopic($"{prefix}-p-{topics:D6}", (int)Math.Min(perTopic, left), rf);
        }

        return new BenchmarkSeed(prefix, 0, partitions, 0, topics, partitions);
    }

    /// <summary>The sandbox's answer to "requests": "ok requests total=N Name=N ..." for every API asked at least once.</summary>
    public static string RequestCounts(KafkaTestCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var counts = typeof(ApiKeys).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(short))
            .Select(f => (f.Name, Count: cluster.RequestCount((short)f.GetRawConstantValue()!)))
            .Where(c => c.Count > 0)
            .ToList();
        var text = new StringBuilder("ok requests total=").Append(counts.Sum(c => c.Count).ToString(CultureInfo.InvariantCulture));
        foreach (var (name, count) in counts)
        {
            text.Append(' ').Append(name).Append('=').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
