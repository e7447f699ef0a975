using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.Benchmarks.KafkaGroups;

/// <summary>
/// Lag of 1,000 consumer groups x 12 partitions on a 3-broker TestKit: our ConsumerGroupService
/// (one metadata request, batched ListOffsets per leader, OffsetFetch with bounded concurrency)
/// against kafka-python 2.0.2 (list_consumer_group_offsets per group + end offsets), in the same run.
/// Options: --groups N (1000), --partitions N (12), --topics N (20), --runs N (3), --concurrency N (service default),
/// --python PATH (/usr/bin/python3).
/// </summary>
public static class LagBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var groups = Option(args, "--groups", 1000);
        var partitions = Option(args, "--partitions", 12);
        var topics = Option(args, "--topics", 20);
        var runs = Option(args, "--runs", 3);
        var python = OptionText(args, "--python", "/usr/bin/python3");
        var concurrency = Option(args, "--concurrency", new ConsumerGroupQuery().MaxConcurrency);

        NativeLibraryLoader.EnsureLoaded();
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        var prefix = "bench-" + Guid.NewGuid().ToString("N")[..6];
        var expectedLag = Seed(cluster, prefix, groups, partitions, topics);
        Console.WriteLine($"lag benchmark: {groups} groups x {partitions} partitions ({topics} topics), 3-broker TestKit at {cluster.BootstrapServers}");
        Console.WriteLine($"expected: {groups * partitions} rows, total lag {expectedLag}; group offset fetch concurrency {concurrency}");

        var options = new KafkaConnectionOptions { BootstrapServers = cluster.BootstrapServers };
        var query = new ConsumerGroupQuery { GroupIds = [prefix + "-*"], MaxConcurrency = concurrency };
        await MeasureOnceAsync(new KafkaClientFactory(new KafkaConnection("bench", options)), query, groups * partitions, expectedLag, "warm-up (JIT)", disposeFactory: true);

        // A fresh client per run is what a script or a new PowerShell session pays, and what the kafka-python
        // script pays (its time includes building its clients); a reused client is Connect-KafkaCluster's session.
        var fresh = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            fresh.Add(await MeasureOnceAsync(new KafkaClientFactory(new KafkaConnection("bench", options)), query, groups * partitions, expectedLag, $"fresh client, run {run}", disposeFactory: true));
        }

        var ours = new List<double>();
        using (var factory = new KafkaClientFactory(new KafkaConnection("bench", options)))
        {
            await MeasureOnceAsync(factory, query, groups * partitions, expectedLag, "session client, first call", disposeFactory: false);
            for (var run = 1; run <= runs; run++)
            {
                ours.Add(await MeasureOnceAsync(factory, query, groups * partitions, expectedLag, $"session client, run {run}", disposeFactory: false));
            }
        }

        if (args.Contains("--no-python"))
        {
            Console.WriteLine($"KafkaCatalog median: fresh client {Median(fresh):0.000} s, session client {Median(ours):0.000} s");
            return 0;
        }

        var perGroup = new List<(double Total, double Setup)>();
        var batched = new List<(double Total, double Setup)>();
        for (var run = 1; run <= runs; run++)
        {
            perGroup.Add(RunPython(python, cluster.BootstrapServers, prefix, batchedEnds: false, groups * partitions, expectedLag, run));
            batched.Add(RunPython(python, cluster.BootstrapServers, prefix, batchedEnds: true, groups * partitions, expectedLag, run));
        }

        var freshMedian = Median(fresh);
        var ourMedian = Median(ours);
        var perGroupMedian = Median(perGroup.Select(p => p.Total).ToList());
        var batchedMedian = Median(batched.Select(p => p.Total).ToList());
        var perGroupJobMedian = Median(perGroup.Select(p => p.Total - p.Setup).ToList());
        var batchedJobMedian = Median(batched.Select(p => p.Total - p.Setup).ToList());
        Console.WriteLine();
        Console.WriteLine("Whole job from a new client (kafka-python's time includes building its two clients):");
        Console.WriteLine("| client | median s | ratio (kafka-python / KafkaCatalog) |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| KafkaCatalog ConsumerGroupService, new client | {freshMedian:0.000} | 1.0 |");
        Console.WriteLine($"| kafka-python 2.0.2, end offsets per group | {perGroupMedian:0.000} | {perGroupMedian / freshMedian:0.0}x |");
        Console.WriteLine($"| kafka-python 2.0.2, end offsets once | {batchedMedian:0.000} | {batchedMedian / freshMedian:0.0}x |");
        Console.WriteLine();
        Console.WriteLine("The job alone, clients already connected:");
        Console.WriteLine("| client | median s | ratio (kafka-python / KafkaCatalog) |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| KafkaCatalog ConsumerGroupService, session client | {ourMedian:0.000} | 1.0 |");
        Console.WriteLine($"| kafka-python 2.0.2, end offsets per group | {perGroupJobMedian:0.000} | {perGroupJobMedian / ourMedian:0.0}x |");
        Console.WriteLine($"| kafka-python 2.0.2, end offsets once | {batchedJobMedian:0.000} | {batchedJobMedian / ourMedian:0.0}x |");
        return 0;
    }

    private static async Task<double> MeasureOnceAsync(KafkaClientFactory factory, ConsumerGroupQuery query, long expectedRows, long expectedLag, string label, bool disposeFactory)
    {
        try
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            long rows = 0, lag = 0;
            double firstRowMs = -1;
            await foreach (var row in new ConsumerGroupService(factory).GetOffsetsAsync(query))
            {
                if (firstRowMs < 0)
                {
                    firstRowMs = watch.Elapsed.TotalMilliseconds;
                }

                rows++;
                lag += row.Lag;
            }

            var seconds = watch.Elapsed.TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            Check(rows, lag, expectedRows, expectedLag, "KafkaCatalog");
            Console.WriteLine($"  KafkaCatalog {label}: {seconds:0.000} s ({rows} rows, first row after {firstRowMs:0} ms, process CPU incl. TestKit {cpu:0.000} s)");
            return seconds;
        }
        finally
        {
            if (disposeFactory)
            {
                factory.Dispose();
            }
        }
    }


    private static long Seed(KafkaTestCluster cluster, string prefix, int groups, int partitions, int topics)
    {
        var names = Enumerable.Range(0, topics).Select(t => $"{prefix}-topic-{t:D2}").ToArray();
        foreach (var name in names)
        {
            cluster.State.CreateTopic(name, partitions, 1);
            for (var p = 0; p < partitions; p++)
            {
                var partition = cluster.State.GetPartition(name, p)!;
                lock (cluster.State.Sync)
                {
                    partition.LogStartOffset = 0;
                    partition.HighWatermark = 10_000 + p;
                }
            }
        }

        long lag = 0;
        for (var g = 0; g < groups; g++)
        {
            var topic = names[g % topics];
            var committed = Enumerable.Range(0, partitions).Select(p => (long)(9_000 + (g % 500))).ToArray();
            cluster.State.CommitOffsets($"{prefix}-{g:D5}", topic, committed);
            lag += Enumerable.Range(0, partitions).Sum(p => 10_000 + p - committed[p]);
        }

        return lag;
    }

    private static (double Total, double Setup) RunPython(string python, string bootstrap, string prefix, bool batchedEnds, long rows, long lag, int run)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "KafkaGroups", "kafka_python_lag.py");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(bootstrap);
        start.ArgumentList.Add(prefix + "-0");
        if (batchedEnds)
        {
            start.ArgumentList.Add("--batched-ends");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kafka-python failed ({process.ExitCode}): {stderr.Result}");
        }

        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var seconds = json.RootElement.GetProperty("seconds").GetDouble();
        var setup = json.RootElement.GetProperty("setup_seconds").GetDouble();
        Check(json.RootElement.GetProperty("rows").GetInt64(), json.RootElement.GetProperty("total_lag").GetInt64(), rows, lag, "kafka-python");
        Console.WriteLine($"  kafka-python ({(batchedEnds ? "end offsets once" : "end offsets per group")}) run {run}: {seconds:0.000} s (of which client construction {setup:0.000} s)");
        return (seconds, setup);
    }

    private static void Check(long rows, long lag, long expectedRows, long expectedLag, string who)
    {
        if (rows != expectedRows || lag != expectedLag)
        {
            throw new InvalidOperationException($"{who} got {rows} rows / lag {lag}, expected {expectedRows} / {expectedLag}");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
