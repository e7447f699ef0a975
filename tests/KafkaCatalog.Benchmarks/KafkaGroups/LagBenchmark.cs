using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.Benchmarks.KafkaGroups;

/// <summary>
/// Lag of 1,000 consumer groups x 12 partitions on a 3-broker TestKit: our ConsumerGroupService
/// (one metadata request, batched ListOffsets per leader, OffsetFetch with bounded concurrency)
/// against kafka-python 2.0.2 (list_consumer_group_offsets per group + end offsets), in the same run.
/// Options: --groups N (1000), --partitions N (12), --topics N (20), --runs N (3), --concurrency N (service default),
/// --python PATH (/usr/bin/python3), --in-process (brokers in the benchmark process instead of their own), --no-python, --trace (timed verbose lines).
/// </summary>
public static class LagBenchmark
{
    private static bool Trace;

    public static async Task<int> RunAsync(string[] args)
    {
        var groups = Option(args, "--groups", 1000);
        var partitions = Option(args, "--partitions", 12);
        var topics = Option(args, "--topics", 20);
        var runs = Option(args, "--runs", 3);
        var python = OptionText(args, "--python", "/usr/bin/python3");
        var concurrency = Option(args, "--concurrency", new ConsumerGroupQuery().MaxConcurrency);

        Trace = args.Contains("--trace");
        NativeLibraryLoader.EnsureLoaded();

        // The brokers run in a process of their own (as a real cluster would), unless --in-process:
        // then they share this process, its thread pool and its GC with the client being measured.
        await using var brokers = await LagCluster.StartAsync(args.Contains("--in-process"), groups, partitions, topics);
        var bootstrap = brokers.BootstrapServers;
        var prefix = brokers.Prefix;
        var expectedLag = brokers.ExpectedLag;
        Console.WriteLine($"lag benchmark: {groups} groups x {partitions} partitions ({topics} topics), 3-broker TestKit {(brokers.InProcess ? "in this process" : "in its own process")} at {bootstrap}");
        Console.WriteLine($"expected: {groups * partitions} rows, total lag {expectedLag}; group offset fetch concurrency {concurrency}");

        var options = new KafkaConnectionOptions { BootstrapServers = bootstrap };
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
            perGroup.Add(RunPython(python, bootstrap, prefix, batchedEnds: false, groups * partitions, expectedLag, run));
            batched.Add(RunPython(python, bootstrap, prefix, batchedEnds: true, groups * partitions, expectedLag, run));
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
            var sink = Trace ? new TraceSink(watch) : null;
            await foreach (var row in new ConsumerGroupService(factory, sink).GetOffsetsAsync(query))
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
            Console.WriteLine($"  KafkaCatalog {label}: {seconds:0.000} s ({rows} rows, first row after {firstRowMs:0} ms, process CPU {cpu:0.000} s)");
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


    internal static long Seed(KafkaTestCluster cluster, string prefix, int groups, int partitions, int topics) =>
        KafkaCatalog.TestKit.Sandbox.BenchmarkSeeder.SeedLag(cluster, prefix, groups, partitions, topics).ExpectedLag;

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

    /// <summary>
    /// kafka-lag-cluster: the brokers of the lag benchmark in a process of their own. Starts and seeds a 3-broker
    /// TestKit, prints one line "ready &lt;bootstrap&gt; &lt;prefix&gt; &lt;expected lag&gt;", and stops when its standard input closes.
    /// </summary>
    public static async Task<int> ServeClusterAsync(string[] args)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        var prefix = "bench-" + Guid.NewGuid().ToString("N")[..6];
        var lag = Seed(cluster, prefix, Option(args, "--groups", 1000), Option(args, "--partitions", 12), Option(args, "--topics", 20));
        Console.WriteLine($"ready {cluster.BootstrapServers} {prefix} {lag}");
        await Console.In.ReadToEndAsync();
        return 0;
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

/// <summary>--trace: the service's verbose lines (except the one per group) and progress, with the time since the call began.</summary>
internal sealed class TraceSink(Stopwatch watch) : KafkaCatalog.Core.IOperationSink
{
    public void Verbose(string message)
    {
        if (!message.StartsWith("ListConsumerGroupOffsets for", StringComparison.Ordinal))
        {
            Console.WriteLine($"    {watch.Elapsed.TotalMilliseconds,8:0.0} ms  {message}");
        }
    }

    public void Warning(string message) => Console.WriteLine($"    {watch.Elapsed.TotalMilliseconds,8:0.0} ms  WARNING {message}");

    public void Progress(KafkaCatalog.Core.OperationProgress progress) => Console.WriteLine($"    {watch.Elapsed.TotalMilliseconds,8:0.0} ms  progress: {progress.Status}");
}

/// <summary>The seeded brokers of one lag benchmark run: a child process (default) or in this process.</summary>
internal sealed class LagCluster : IAsyncDisposable
{
    private readonly Process? _child;
    private readonly KafkaTestCluster? _inProcess;

    private LagCluster(string bootstrapServers, string prefix, long expectedLag, Process? child, KafkaTestCluster? inProcess)
    {
        BootstrapServers = bootstrapServers;
        Prefix = prefix;
        ExpectedLag = expectedLag;
        _child = child;
        _inProcess = inProcess;
    }

    public string BootstrapServers { get; }

    public string Prefix { get; }

    public long ExpectedLag { get; }

    public bool InProcess => _inProcess is not null;

    public static async Task<LagCluster> StartAsync(bool inProcess, int groups, int partitions, int topics)
    {
        if (inProcess)
        {
            var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
            var prefix = "bench-" + Guid.NewGuid().ToString("N")[..6];
            return new LagCluster(cluster.BootstrapServers, prefix, LagBenchmark.Seed(cluster, prefix, groups, partitions, topics), null, cluster);
        }

        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LagCluster).Assembly.Location);
        }

        foreach (var arg in new[] { "kafka-lag-cluster", "--groups", groups.ToString(CultureInfo.InvariantCulture), "--partitions", partitions.ToString(CultureInfo.InvariantCulture), "--topics", topics.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var child = Process.Start(start) ?? throw new InvalidOperationException("the broker process did not start");
        string? line;
        while ((line = await child.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("ready ", StringComparison.Ordinal))
        {
        }

        var parts = line?.Split(' ') ?? throw new InvalidOperationException("the broker process ended before it was ready");
        return new LagCluster(parts[1], parts[2], long.Parse(parts[3], CultureInfo.InvariantCulture), child, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
        }

        if (_child is not null)
        {
            _child.StandardInput.Close();
            if (!_child.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _child.Kill(entireProcessTree: true);
            }

            _child.Dispose();
        }
    }
}
