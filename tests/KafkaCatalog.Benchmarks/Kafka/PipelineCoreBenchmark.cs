using System.Diagnostics;
using System.Text.Json;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.Benchmarks.Kafka;

/// <summary>
/// core-pipeline BOOTSTRAP: the Core side of tests/KafkaCatalog.Benchmarks/Invoke-PwshBenchmarks.ps1. One client for the
/// whole process (Connect-KafkaCluster's session), then one measured run per line on standard input, answered with
/// one line "ok run {json}" (seconds, rows, lag, partitions, peak RSS of this process during the run, bytes allocated):
/// <list type="bullet">
/// <item><c>run lag</c>: ConsumerGroupService.GetOffsetsAsync over every group (what Get-KafkaConsumerGroupOffset without -GroupId calls);</item>
/// <item><c>run lag-as-pipeline</c>: the calls `Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset` makes:
/// ConsumerGroupReader.ReadAsync under an open CommittedOffsetScope, each group added to one ConsumerGroupOffsetService,
/// drained per full batch (64);</item>
/// <item><c>run topics</c>: TopicService.ListAsync (Get-KafkaTopic).</item>
/// </list>
/// The peak is /proc/self/status VmHWM after writing 5 to /proc/self/clear_refs before the run (Linux).
/// </summary>
public static class PipelineCoreBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        NativeLibraryLoader.EnsureLoaded();
        using var factory = new KafkaClientFactory(new KafkaConnection("bench", new KafkaConnectionOptions { BootstrapServers = args[0] }));
        Console.WriteLine("ready");
        while (Console.ReadLine() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 2 || words[0] != "run")
            {
                Console.WriteLine($"error unknown command '{line}'");
                continue;
            }

            PeakMemory.Reset();
            var rssBefore = PeakMemory.Read("VmRSS");
            var allocated = GC.GetTotalAllocatedBytes(precise: false);
            var watch = Stopwatch.StartNew();
            var (rows, lag, partitions) = words[1] switch
            {
                "lag" => await LagAsync(factory, new ConsumerGroupQuery()),
                "lag-as-pipeline" => await LagAsPipelineAsync(factory),
                "topics" => await TopicsAsync(factory),
                _ => throw new ArgumentException($"unknown run '{words[1]}'"),
            };
            var seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine("ok run " + JsonSerializer.Serialize(new
            {
                seconds,
                rows,
                lag,
                partitions,
                rss_before_kb = rssBefore,
                peak_rss_kb = PeakMemory.Read("VmHWM"),
                allocated_mb = (GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1048576.0,
            }));
        }

        return 0;
    }

    private static async Task<(long Rows, long Lag, long Partitions)> LagAsync(KafkaClientFactory factory, ConsumerGroupQuery query)
    {
        long rows = 0, lag = 0;
        await foreach (var row in new ConsumerGroupService(factory).GetOffsetsAsync(query))
        {
            rows++;
            lag += row.Lag;
        }

        return (rows, lag, 0);
    }

    private static async Task<(long Rows, long Lag, long Partitions)> LagAsPipelineAsync(KafkaClientFactory factory)
    {
        long rows = 0, lag = 0;

        // Get-KafkaConsumerGroup's service reads the groups; Get-KafkaConsumerGroupOffset's one service (per
        // invocation) takes each described group as it comes, and reads a batch when its queue is full.
        var offsets = new ConsumerGroupOffsetService(factory);
        async Task DrainAsync()
        {
            await foreach (var result in offsets.DrainAsync([]))
            {
                foreach (var row in result.Value ?? throw result.Error!)
                {
                    rows++;
                    lag += row.Lag;
                }
            }
        }

        // Get-KafkaConsumerGroup's scope is open while it streams, so its committed-offset reads travel with the
        // groups; it closes when the upstream command ends (before the downstream's EndProcessing drains the rest).
        var scope = new CommittedOffsetScope();
        await foreach (var group in new ConsumerGroupReader(factory).ReadAsync(new ConsumerGroupQuery { Scope = scope }))
        {
            if (offsets.Add(group.Value ?? throw group.Error!))
            {
                await DrainAsync();
            }
        }

        scope.Close();
        if (offsets.HasPending)
        {
            await DrainAsync();
        }

        return (rows, lag, 0);
    }

    private static async Task<(long Rows, long Lag, long Partitions)> TopicsAsync(KafkaClientFactory factory)
    {
        long topics = 0, partitions = 0;
        await foreach (var topic in new TopicService(factory).ListAsync(new TopicQuery()))
        {
            topics++;
            partitions += topic.PartitionCount;
        }

        return (topics, 0, partitions);
    }
}

/// <summary>This process's peak resident set (Linux /proc/self/status), resettable through /proc/self/clear_refs.</summary>
internal static class PeakMemory
{
    public static void Reset()
    {
        if (OperatingSystem.IsLinux())
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
    }

    /// <summary>A /proc/self/status field in kB (VmHWM, VmRSS), or -1 where there is none.</summary>
    public static long Read(string field)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
