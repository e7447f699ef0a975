using KafkaCatalog.TestKit;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>serve --bench-groups / --bench-partitions / --latency and the "requests" line (the pwsh benchmarks' sandbox).</summary>
public sealed class SandboxBenchmarkSeedTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    [Fact]
    public void Bench_options_parse_and_bad_values_are_rejected()
    {
        var (o, error) = Cli.Parse(["serve", "--no-seed", "--latency", "2", "--bench-groups", "1000", "--bench-partitions", "100000"]);
        Assert.Null(error);
        Assert.Equal((2, 1000, 100000), (o!.LatencyMs, o.BenchGroups, o.BenchPartitions));
        Assert.Equal("--latency must be between 0 and 60000 (milliseconds).", Cli.Parse(["serve", "--latency", "-1"]).Error);
        Assert.Equal("--bench-groups must be between 0 and 99999.", Cli.Parse(["serve", "--bench-groups", "100000"]).Error);
        Assert.Equal("--bench-partitions needs a value.", Cli.Parse(["serve", "--bench-partitions"]).Error);
        Assert.False(o.BenchRecords);
        Assert.True(Cli.Parse(["serve", "--bench-groups", "10", "--bench-records"]).Options!.BenchRecords);
    }

    [Fact]
    public async Task Seeded_lag_with_records_has_the_same_totals_and_records_a_time_lag_read_finds()
    {
        var prefix = "seedrec-" + Guid.NewGuid().ToString("N")[..6];
        var lag = BenchmarkSeeder.SeedLag(fx.Cluster, prefix, groups: 4, partitions: 3, topics: 2, records: true);

        Assert.Equal((12, (1000 + 1001 + 1002) * 4 - 3 * (0 + 1 + 2 + 3)), (lag.ExpectedRows, lag.ExpectedLag));
        var partition = fx.Cluster.State.GetPartition(prefix + "-topic-01", 2)!;
        Assert.Equal((BenchmarkSeeder.RecordsFrom, 10_002L), (partition.LogStartOffset, partition.HighWatermark));

        using var factory = new KafkaCatalog.Core.Kafka.KafkaClientFactory(new KafkaCatalog.Core.Connections.KafkaConnection("seed", new KafkaCatalog.Core.Connections.KafkaConnectionOptions { BootstrapServers = fx.Cluster.BootstrapServers }));
        using var reader = new KafkaCatalog.Core.Kafka.Groups.TimeLagRecordReader(factory);
        var committed = new KafkaCatalog.Core.Kafka.Groups.TimeLagRead(new KafkaCatalog.Core.Kafka.KafkaTopicPartition(prefix + "-topic-01", 2), 9_003);
        var newest = committed with { Offset = 10_001 };
        var read = await reader.ReadAsync([committed, newest], CancellationToken.None);
        Assert.Equal(1_700_000_000_000 + (9_003 * 1000L), read[committed]);
        Assert.Equal(1_700_000_000_000 + (10_001 * 1000L), read[newest]);
    }

    [Fact]
    public async Task Serve_seeds_benchmark_data_prints_its_totals_and_answers_requests()
    {
        var stdout = new StringWriter();
        var rc = await Cli.RunAsync(["serve", "--brokers", "1", "--no-seed", "--latency", "1", "--bench-groups", "3", "--bench-partitions", "25"], stdout, new StringWriter(), new StringReader("requests\n"));
        Assert.Equal(0, rc);
        var text = stdout.ToString();
        foreach (var line in new[] { "bench.prefix=bench", "bench.groups=3", "bench.expected_rows=36", "bench.topics=3", "bench.partitions=25", "latency.ms=1", "ok requests total=0" })
        {
            Assert.Contains(line + Environment.NewLine, text);
        }
    }

    [Fact]
    public void Seeded_lag_and_listing_match_the_cluster_and_requests_are_counted_by_api()
    {
        var prefix = "seedtest-" + Guid.NewGuid().ToString("N")[..6];
        var lag = BenchmarkSeeder.SeedLag(fx.Cluster, prefix, groups: 4, partitions: 3, topics: 2);
        // group g: 3 partitions at 10,000 + p, committed 9,000 + g
        Assert.Equal((12, (1000 + 1001 + 1002) * 4 - 3 * (0 + 1 + 2 + 3)), (lag.ExpectedRows, lag.ExpectedLag));
        Assert.Equal(9_003, fx.Cluster.State.GetCommittedOffset(prefix + "-00003", prefix + "-topic-01", 2));

        var listing = BenchmarkSeeder.SeedPartitions(fx.Cluster, prefix, 25);
        Assert.Equal((3, 25L), (listing.Topics, listing.Partitions));
        Assert.Equal(5, fx.Cluster.State.GetTopic(prefix + "-p-000002")!.Partitions.Count);

        using var admin = fx.Admin();
        admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Matches(@"^ok requests total=\d+ .*\bMetadata=[1-9]\d*", BenchmarkSeeder.RequestCounts(fx.Cluster));
    }
}
