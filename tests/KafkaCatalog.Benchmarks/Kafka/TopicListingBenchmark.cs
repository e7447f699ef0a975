using System.Diagnostics;
using System.Globalization;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.Benchmarks.Kafka;

/// <summary>
/// kafka-topics: Get-KafkaTopic's service (TopicService.ListAsync: one metadata request, typed
/// KafkaTopic/KafkaPartition records) over N topics on a 3-broker TestKit, against `kcat -L` on
/// the same cluster in the same run. Reports wall time per listing (median of --runs), time to
/// the first object, GC bytes allocated per listing and per topic, and peak memory (kcat: max RSS
/// from /usr/bin/time; ours: working-set growth of this process during the listings, which also
/// hosts the broker). Options: --topics N (10000), --partitions N (3), --runs N (5).
/// </summary>
public static class TopicListingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var topics = Option(args, "--topics", 10_000);
        var partitions = Option(args, "--partitions", 3);
        var runs = Option(args, "--runs", 5);

        NativeLibraryLoader.EnsureLoaded();
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        for (var i = 0; i < topics; i++)
        {
            cluster.State.CreateTopic($"bench-topic-{i:00000}", partitions, (short)Math.Min(3, 1 + (i % 3)));
        }

        Console.WriteLine($"kafka-topics: {topics} topics x {partitions} partitions on a 3-broker TestKit ({cluster.BootstrapServers}), {runs} runs each, librdkafka {NativeLibraryLoader.LoadedVersion}");

        using var factory = new KafkaClientFactory(new KafkaConnection("bench", new KafkaConnectionOptions { BootstrapServers = cluster.BootstrapServers, RequestTimeout = TimeSpan.FromSeconds(60) }));
        var service = new TopicService(factory);
        await CountAsync(service); // warm-up: connections, ApiVersions, JIT

        var ours = new List<(double Seconds, double FirstSeconds, long Allocated, int Count)>();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var workingSetBefore = process.WorkingSet64;
        long peakDuring = workingSetBefore;
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            double first = -1;
            var count = 0;
            await foreach (var topic in service.ListAsync(new TopicQuery()))
            {
                if (count++ == 0)
                {
                    first = stopwatch.Elapsed.TotalSeconds;
                }

                GC.KeepAlive(topic);
            }

            stopwatch.Stop();
            ours.Add((stopwatch.Elapsed.TotalSeconds, first, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, count));
            process.Refresh();
            peakDuring = Math.Max(peakDuring, process.WorkingSet64);
        }

        var kcat = new List<(double Seconds, long MaxRssKb, int Lines)>();
        for (var run = 0; run < runs; run++)
        {
            kcat.Add(await RunKcatAsync(cluster.BootstrapServers));
        }

        var oursMedian = Median(ours.Select(o => o.Seconds));
        var kcatMedian = Median(kcat.Select(k => k.Seconds));
        var allocatedMedian = Median(ours.Select(o => (double)o.Allocated));
        Console.WriteLine();
        Console.WriteLine("| tool | topics | median wall (s) | min (s) | max (s) | first object (s) | allocated per listing (MB) | bytes per topic | peak memory (MB) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| TopicService.ListAsync (Get-KafkaTopic) | {ours[0].Count} | {oursMedian:0.000} | {ours.Min(o => o.Seconds):0.000} | {ours.Max(o => o.Seconds):0.000} | {Median(ours.Select(o => o.FirstSeconds)):0.000} | {allocatedMedian / 1048576:0.0} | {allocatedMedian / Math.Max(1, ours[0].Count):0} | +{(peakDuring - workingSetBefore) / 1048576.0:0.0} working set (process {peakDuring / 1048576.0:0} incl. broker) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| kcat -L | {topics} | {kcatMedian:0.000} | {kcat.Min(k => k.Seconds):0.000} | {kcat.Max(k => k.Seconds):0.000} | n/a | n/a | n/a | {Median(kcat.Select(k => (double)k.MaxRssKb)) / 1024:0.0} max RSS |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: TopicService / kcat -L = {oursMedian / kcatMedian:0.00} (target <= 2.0)"));
        return 0;
    }

    private static async Task<int> CountAsync(TopicService service)
    {
        var count = 0;
        await foreach (var _ in service.ListAsync(new TopicQuery()))
        {
            count++;
        }

        return count;
    }

    private static async Task<(double Seconds, long MaxRssKb, int Lines)> RunKcatAsync(string servers)
    {
        // /usr/bin/time reports kcat's own wall time and peak resident memory; stdout is drained, as a shell pipe would.
        var start = new ProcessStartInfo("/usr/bin/time", ["-f", "TIME %e %M", "kcat", "-L", "-b", servers, "-m", "60"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kcat = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start (apt-get install kcat).");
        var stdout = kcat.StandardOutput.ReadToEndAsync();
        var stderr = kcat.StandardError.ReadToEndAsync();
        await kcat.WaitForExitAsync();
        var lines = (await stdout).Count(c => c == '\n');
        var timing = (await stderr).Split('\n').Last(l => l.StartsWith("TIME ", StringComparison.Ordinal)).Split(' ');
        if (kcat.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat -L failed with exit code {kcat.ExitCode}.");
        }

        return (double.Parse(timing[1], CultureInfo.InvariantCulture), long.Parse(timing[2], CultureInfo.InvariantCulture), lines);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
