using KafkaCatalog.Benchmarks.Catalog;
using KafkaCatalog.Benchmarks.Kafka;

namespace KafkaCatalog.Benchmarks;

/// <summary>Name to benchmark. Add a line per benchmark (areas keep their code in their own folder).</summary>
public static class BenchmarkRegistry
{
    public static readonly IReadOnlyDictionary<string, (string Description, Func<string[], Task<int>> Run)> All =
        new Dictionary<string, (string, Func<string[], Task<int>>)>(StringComparer.OrdinalIgnoreCase)
        {
            ["catalog-publish"] = ("10,000 assets to the Atlan emulator (50 ms per request): batched publisher vs one save per asset", CatalogBenchmarks.PublishAsync),
            ["kafka-topics"] = ("Get-KafkaTopic's service over 10,000 topics on a 3-broker TestKit vs kcat -L: wall time and memory", TopicListingBenchmark.RunAsync),
            ["catalog-faults"] = ("10,000 assets with 10% transient failures: every asset reported once, none lost or duplicated", CatalogBenchmarks.FaultsAsync),
            ["kafka-lag"] = ("lag of 1,000 groups x 12 partitions on a 3-broker TestKit: ConsumerGroupService vs kafka-python 2.0.2", KafkaGroups.LagBenchmark.RunAsync),
            ["core-pipeline"] = ("(used by Invoke-PwshBenchmarks.ps1) BOOTSTRAP: the Core side of the pwsh benchmarks, one run per 'run lag|lag-as-pipeline|topics' line on stdin", PipelineCoreBenchmark.RunAsync),
            ["kafka-time-lag"] = ("extra cost of -IncludeTimeLag for 1,000 groups x 3 partitions on a 3-broker TestKit (real records), without vs with", KafkaGroups.TimeLagBenchmark.RunAsync),
            ["kafka-lag-cluster"] = ("(used by kafka-lag) the seeded 3-broker TestKit of the lag benchmark, in a process of its own until stdin closes", KafkaGroups.LagBenchmark.ServeClusterAsync),
        };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !All.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine("usage: KafkaCatalog.Benchmarks <name> [options]");
            foreach (var (name, (description, _)) in All)
            {
                Console.Error.WriteLine($"  {name,-20} {description}");
            }

            return 2;
        }

        return await benchmark.Run(args[1..]);
    }
}
