using System.Diagnostics;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.Benchmarks.KafkaGroups;

/// <summary>
/// The extra cost of Get-KafkaConsumerGroupOffset -IncludeTimeLag: 1,000 groups x 3 partitions on 20 topics of a
/// 3-broker TestKit (in this process) whose partitions hold 1,000 real records each (batches of 100, 1 s apart);
/// 80% of the groups lag (committed offsets spread over 400 values), 20% are caught up. The same session client
/// reads the offsets without and with time lag, alternating, --runs times (3). Options: --groups N, --runs N,
/// --latency MS (added to every request on every broker, as serve --latency does).
/// </summary>
public static class TimeLagBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var groups = Option(args, "--groups", 1000);
        var runs = Option(args, "--runs", 3);
        var latencyMs = Option(args, "--latency", 0);
        const int topics = 20, partitions = 3, records = 1000;
        NativeLibraryLoader.EnsureLoaded();
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 10 });
        var prefix = "tl" + Guid.NewGuid().ToString("N")[..6];
        var names = Enumerable.Range(0, topics).Select(t => $"{prefix}-topic-{t:D2}").ToArray();
        foreach (var name in names)
        {
            cluster.State.CreateTopic(name, partitions, 1);
            for (var p = 0; p < partitions; p++)
            {
                for (var b = 0; b < records / 100; b++)
                {
                    cluster.State.AppendRecords(name, p, Enumerable.Range(0, 100).Select(i => new SeedRecord("k", "value-" + i, 1_700_000_000_000 + ((b * 100) + i) * 1000L)).ToArray());
                }
            }
        }

        var lagging = 0;
        for (var g = 0; g < groups; g++)
        {
            var caughtUp = g % 5 == 0;
            var committed = Enumerable.Range(0, partitions).Select(_ => caughtUp ? (long)records : 500 + (g % 400)).ToArray();
            cluster.State.CommitOffsets($"{prefix}-{g:D5}", names[g % topics], committed);
            lagging += caughtUp ? 0 : partitions;
        }

        if (latencyMs > 0)
        {
            cluster.Faults.NetworkLatency = TimeSpan.FromMilliseconds(latencyMs);
        }

        Console.WriteLine($"time-lag benchmark: {groups} groups x {partitions} partitions on {topics} topics ({records} records each), {lagging} lagging partition rows, 3-broker TestKit in this process, latency {latencyMs} ms per request; load {Load()}");
        var query = new ConsumerGroupQuery { GroupIds = [prefix + "-*"] };
        using var factory = new KafkaClientFactory(new KafkaConnection("bench", new KafkaConnectionOptions { BootstrapServers = cluster.BootstrapServers }));
        await MeasureAsync(factory, query, timeLag: false, "warm-up without");
        await MeasureAsync(factory, query, timeLag: true, "warm-up with");
        var without = new List<double>();
        var with = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            without.Add(await MeasureAsync(factory, query, timeLag: false, $"run {run} without -IncludeTimeLag"));
            with.Add(await MeasureAsync(factory, query, timeLag: true, $"run {run} with -IncludeTimeLag"));
        }

        var a = Median(without);
        var b2 = Median(with);
        Console.WriteLine($"median: without {a:0.000} s, with {b2:0.000} s, extra {b2 - a:0.000} s ({(b2 - a) * 1000 / Math.Max(1, lagging):0.00} ms per lagging partition row); load {Load()}");
        return 0;
    }

    private static async Task<double> MeasureAsync(KafkaClientFactory factory, ConsumerGroupQuery query, bool timeLag, string label)
    {
        var watch = Stopwatch.StartNew();
        long rows = 0, withTimeLag = 0;
        var waves = 0;
        if (timeLag)
        {
            using var service = new ConsumerGroupTimeLagService(factory);
            await foreach (var row in service.GetOffsetsAsync(query))
            {
                rows++;
                withTimeLag += row.TimeLag is null ? 0 : 1;
            }

            waves = service.FetchWaves;
        }
        else
        {
            await foreach (var row in new ConsumerGroupService(factory).GetOffsetsAsync(query))
            {
                rows++;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {label,-34} {seconds,7:0.000} s  {rows} rows{(timeLag ? $", {withTimeLag} with a TimeLag, {waves} fetch waves" : string.Empty)}");
        if (timeLag && withTimeLag != rows)
        {
            throw new InvalidOperationException($"{rows - withTimeLag} rows have no TimeLag; every row of this benchmark has one.");
        }

        return seconds;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
