using System.Diagnostics;
using System.Security;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Resilience;
using KafkaCatalog.TestKit.Atlan;

namespace KafkaCatalog.Benchmarks.Catalog;

/// <summary>
/// catalog-publish: the batched, parallel publisher against the one-save-per-asset pattern of
/// developer.atlan.com's "Manage Kafka assets" page (each asset saved with its own request, in
/// order), both against the Atlan emulator with the same added latency per request.
/// catalog-faults: the same load with a share of requests failing transiently.
/// Options: --assets N (10000), --latency-ms N (50), --batch N (100), --parallel N (4),
/// --baseline-assets N (all), --fault-share F (0.10).
/// </summary>
public static class CatalogBenchmarks
{
    public static async Task<int> PublishAsync(string[] args)
    {
        var o = Options.Parse(args);
        var items = Assets(o.Assets);
        var baselineItems = o.BaselineAssets >= o.Assets ? items : Assets(o.BaselineAssets);
        Console.WriteLine($"catalog-publish: {o.Assets} assets ({items.OfType<KafkaTopic>().Count()} topics, {items.OfType<KafkaConsumerGroup>().Count()} groups), {o.LatencyMs} ms added per request");

        var batched = await MeasureAsync("batched", items, o, new CatalogPublishOptions { BatchSize = o.Batch, MaxParallelism = o.Parallel }, faultShare: 0);
        var baseline = await MeasureAsync("one-save-per-asset", baselineItems, o, new CatalogPublishOptions { BatchSize = 1, MaxParallelism = 1 }, faultShare: 0);

        var scale = (double)items.Count / baselineItems.Count;
        var baselineSeconds = baseline.Elapsed.TotalSeconds * scale;
        var baselineRequests = baseline.Requests * scale;
        Console.WriteLine();
        Console.WriteLine("| run | assets | requests | time (s) | assets/s | peak managed heap (MB) | allocated (MB) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(batched.Row());
        Console.WriteLine(baseline.Row());
        Console.WriteLine();
        Console.WriteLine($"requests: {batched.Requests} vs {baselineRequests:0} -> {baselineRequests / batched.Requests:0.0}x fewer{(scale > 1 ? " (baseline extrapolated from " + baselineItems.Count + " assets)" : string.Empty)}");
        Console.WriteLine($"time: {batched.Elapsed.TotalSeconds:0.00} s vs {baselineSeconds:0.0} s -> {baselineSeconds / batched.Elapsed.TotalSeconds:0.0}x faster");
        Console.WriteLine($"process peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:0} MB (emulator and both runs in one process)");
        var ok = batched.AllReportedOnce && baseline.AllReportedOnce;
        Console.WriteLine(ok ? "every asset reported exactly once in both runs" : "MISMATCH: an asset was lost or reported twice");
        return ok ? 0 : 1;
    }

    public static async Task<int> FaultsAsync(string[] args)
    {
        var o = Options.Parse(args);
        var items = Assets(o.Assets);
        Console.WriteLine($"catalog-faults: {o.Assets} assets, {o.FaultShare:P0} of bulk upserts fail transiently (429/500/502/503/reset), {o.LatencyMs} ms added per request");
        var run = await MeasureAsync("batched with faults", items, o, new CatalogPublishOptions { BatchSize = o.Batch, MaxParallelism = o.Parallel }, o.FaultShare);
        Console.WriteLine();
        Console.WriteLine("| run | assets | requests | time (s) | assets/s | peak managed heap (MB) | allocated (MB) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(run.Row());
        Console.WriteLine($"faults injected: {run.Faults}; results: {run.Results}; distinct assets reported: {run.Distinct}; created: {run.Created}; failed: {run.Failed}; stored topics+groups: {run.Stored}; duplicates in store: {run.StoredDuplicates}");
        var ok = run.AllReportedOnce && run.Stored == o.Assets && run.StoredDuplicates == 0 && run.Failed == 0;
        Console.WriteLine(ok ? "every asset reported exactly once, none lost, none duplicated" : "MISMATCH");
        return ok ? 0 : 1;
    }

    private static async Task<Measurement> MeasureAsync(string name, IReadOnlyList<object> items, Options o, CatalogPublishOptions publish, double faultShare)
    {
        await using var atlan = await AtlanEmulator.StartAsync(new AtlanEmulatorOptions { Latency = TimeSpan.FromMilliseconds(o.LatencyMs) });
        using var catalog = await CatalogConnection.ConnectAsync(new CatalogConnectionOptions
        {
            BaseUri = atlan.BaseUri.ToString(),
            ApiToken = Secure(atlan.ApiToken),
            Resilience = new CatalogResilienceOptions { BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(2), MaxRetryAfter = TimeSpan.FromSeconds(1), MaxRetryAttempts = 10 },
        });
        var connection = await CatalogKafkaConnections.EnsureAsync(catalog, new CatalogKafkaConnectionRequest { Name = "bench", AdminRoles = new[] { "$admin" } });
        var set = CatalogAssetBuilder.Build(connection!.QualifiedName, items);
        atlan.Requests.Reset();
        if (faultShare > 0)
        {
            atlan.Faults.InjectShare(faultShare, AtlanFault.TransientMix(TimeSpan.FromSeconds(1)), AtlanFaults.BulkUpsertOnly, seed: 11);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peakHeap = GC.GetTotalMemory(false);
        using var sampler = new Timer(_ => InterlockedMax(ref peakHeap, GC.GetTotalMemory(false)), null, 0, 20);
        var stopwatch = Stopwatch.StartNew();
        var results = new List<CatalogAssetResult>(items.Count);
        await foreach (var r in CatalogPublisher.PublishAsync(catalog, set, publish with { SkipConnectionCheck = true }))
        {
            results.Add(r);
        }

        stopwatch.Stop();
        InterlockedMax(ref peakHeap, GC.GetTotalMemory(false));
        var stored = atlan.Store.All.Where(e => e.TypeName != "Connection").ToList();
        var m = new Measurement
        {
            Name = name,
            Assets = items.Count,
            Requests = atlan.Requests.Total,
            Elapsed = stopwatch.Elapsed,
            PeakHeapBytes = peakHeap,
            AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore,
            Results = results.Count,
            Distinct = results.Select(r => r.QualifiedName).Distinct().Count(),
            Created = results.Count(r => r.Status == CatalogAssetStatus.Created),
            Failed = results.Count(r => r.Status == CatalogAssetStatus.Failed),
            Faults = atlan.Faults.Injected,
            Stored = stored.Count,
            StoredDuplicates = stored.Count - stored.Select(e => (e.TypeName, e.QualifiedName)).Distinct().Count(),
        };
        Console.WriteLine($"  {name}: {m.Requests} requests, {m.Elapsed.TotalSeconds:0.00} s, {m.Created} created, {m.Failed} failed");
        return m;
    }

    /// <summary>80% topics with configs and sizes, 20% groups consuming two topics each with per-partition lag.</summary>
    public static IReadOnlyList<object> Assets(int count)
    {
        var groups = count / 5;
        var topics = count - groups;
        var items = new List<object>(count);
        for (var i = 0; i < topics; i++)
        {
            var name = $"topic-{i:D6}";
            items.Add(new KafkaTopic
            {
                Name = name,
                Partitions = Enumerable.Range(0, 6).Select(p => new KafkaPartition { Topic = name, Partition = p, Leader = p % 3 + 1, Replicas = new[] { 1, 2, 3 }, InSyncReplicas = new[] { 1, 2, 3 } }).ToList(),
                Config = new Dictionary<string, string?> { ["retention.ms"] = "604800000", ["cleanup.policy"] = "delete", ["segment.bytes"] = "1073741824", ["compression.type"] = "producer" },
                MessageCount = 10_000L + i,
            });
        }

        for (var i = 0; i < groups; i++)
        {
            var consumed = new[] { $"topic-{i % topics:D6}", $"topic-{(i * 7 + 1) % topics:D6}" }.Distinct().ToArray();
            items.Add(new KafkaConsumerGroup
            {
                GroupId = $"group-{i:D6}",
                State = "Stable",
                Topics = consumed,
                Members = new[] { new KafkaConsumerGroupMember { MemberId = "m", ClientId = "c", Host = "/10.0.0.1", Assignment = consumed.Select(t => new KafkaTopicPartition(t, 0)).ToList() } },
                Offsets = consumed.SelectMany(t => Enumerable.Range(0, 6).Select(p => new KafkaConsumerGroupOffset { GroupId = $"group-{i:D6}", Topic = t, Partition = p, CommittedOffset = 100, LogEndOffset = 110, Lag = 10 })).ToList(),
            });
        }

        return items;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    private sealed record Measurement
    {
        public required string Name { get; init; }
        public int Assets { get; init; }
        public long Requests { get; init; }
        public TimeSpan Elapsed { get; init; }
        public long PeakHeapBytes { get; init; }
        public long AllocatedBytes { get; init; }
        public int Results { get; init; }
        public int Distinct { get; init; }
        public int Created { get; init; }
        public int Failed { get; init; }
        public long Faults { get; init; }
        public int Stored { get; init; }
        public int StoredDuplicates { get; init; }

        public bool AllReportedOnce => Results == Assets && Distinct == Assets;

        public string Row() => $"| {Name} | {Assets} | {Requests} | {Elapsed.TotalSeconds:0.00} | {Assets / Elapsed.TotalSeconds:0} | {PeakHeapBytes / 1024.0 / 1024.0:0} | {AllocatedBytes / 1024.0 / 1024.0:0} |";
    }

    private sealed record Options(int Assets, int LatencyMs, int Batch, int Parallel, int BaselineAssets, double FaultShare)
    {
        public static Options Parse(string[] args)
        {
            string? Get(string name)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
            }

            var assets = int.Parse(Get("--assets") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
            return new Options(
                assets,
                int.Parse(Get("--latency-ms") ?? "50", System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(Get("--batch") ?? "100", System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(Get("--parallel") ?? "4", System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(Get("--baseline-assets") ?? assets.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(Get("--fault-share") ?? "0.10", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
