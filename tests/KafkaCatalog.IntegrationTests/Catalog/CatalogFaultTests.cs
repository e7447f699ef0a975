using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Resilience;
using KafkaCatalog.TestKit.Atlan;

namespace KafkaCatalog.IntegrationTests.Catalog;

public sealed class CatalogFaultTests
{
    public static TheoryData<string> TransientFaults => new() { "429", "500", "502", "503", "reset", "slow" };

    private static AtlanFault Fault(string name) => name switch
    {
        "429" => AtlanFault.TooManyRequests(TimeSpan.FromSeconds(1)),
        "reset" => AtlanFault.Reset(),
        "slow" => AtlanFault.Slow(TimeSpan.FromSeconds(3)),
        _ => AtlanFault.ServerError(int.Parse(name)),
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_transient_fault_on_the_next_requests_is_retried_and_every_asset_lands_once(string fault)
    {
        var resilience = CatalogResilienceOptions.Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(fault == "slow" ? 500 : 5000) };
        await using var bed = await CatalogTestBed.StartAsync(resilience: resilience);
        var upsertsBefore = bed.Atlan.Requests.BulkUpserts;
        bed.Atlan.Faults.InjectNext(2, Fault(fault), AtlanFaults.BulkUpsertOnly);

        var results = await bed.PublishAsync(Enumerable.Range(0, 10).Select(i => (object)Kafka.Topic($"t{i}")).Append(Kafka.Group("g", "t0")), new CatalogPublishOptions { BatchSize = 20 });

        Assert.Equal(11, results.Count);
        Assert.All(results, r => Assert.Equal(CatalogAssetStatus.Created, r.Status));
        Assert.Equal(2, bed.Atlan.Faults.Injected);
        // Two faulted attempts, then one topic batch and one group batch.
        Assert.Equal(4, bed.Atlan.Requests.BulkUpserts - upsertsBefore);
        Assert.Equal(10, bed.Atlan.Store.OfType("KafkaTopic").Count);
        Assert.Contains(bed.Sink.Lines, l => l.StartsWith("VERBOSE: Catalog: POST /api/meta/entity/bulk attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_after_is_honoured_up_to_the_cap()
    {
        var resilience = CatalogResilienceOptions.Fast with { MaxRetryAfter = TimeSpan.FromMilliseconds(150) };
        await using var bed = await CatalogTestBed.StartAsync(resilience: resilience);
        bed.Atlan.Faults.InjectNext(1, AtlanFault.TooManyRequests(TimeSpan.FromSeconds(30)), AtlanFaults.BulkUpsertOnly);
        var results = await bed.PublishAsync(new object[] { Kafka.Topic("a") });
        Assert.Equal(CatalogAssetStatus.Created, Assert.Single(results).Status);
        Assert.Contains(bed.Sink.Lines, l => l.Contains("after HTTP 429", StringComparison.Ordinal) && l.Contains("waiting 150 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_retries_run_out_every_asset_is_reported_failed_exactly_once()
    {
        await using var bed = await CatalogTestBed.StartAsync(resilience: CatalogResilienceOptions.Fast with { MaxRetryAttempts = 2 });
        bed.Atlan.Faults.InjectNext(3, AtlanFault.ServerError(503), AtlanFaults.BulkUpsertOnly);
        var results = await bed.PublishAsync(Enumerable.Range(0, 5).Select(i => (object)Kafka.Topic($"t{i}")), new CatalogPublishOptions { BatchSize = 5 });
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal("CatalogServerError", r.ErrorId));
        Assert.All(results, r => Assert.Contains("503", r.Error));
        Assert.Empty(bed.Atlan.Store.OfType("KafkaTopic"));
    }

    [Fact]
    public async Task The_total_time_of_one_call_is_bounded()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        using var tight = await bed.ConnectAsync(CatalogResilienceOptions.Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(200), TotalTimeout = TimeSpan.FromMilliseconds(500), MaxRetryAttempts = 100 });
        bed.Atlan.Faults.InjectNext(100, AtlanFault.Slow(TimeSpan.FromSeconds(2)), AtlanFaults.BulkUpsertOnly);
        var set = CatalogAssetBuilder.Build(bed.ConnectionQualifiedName, new object[] { Kafka.Topic("a") });
        var results = new List<CatalogAssetResult>();
        await foreach (var r in CatalogPublisher.PublishAsync(tight, set, new CatalogPublishOptions { SkipConnectionCheck = true }))
        {
            results.Add(r);
        }

        bed.Atlan.Faults.Clear();
        var result = Assert.Single(results);
        Assert.Equal(CatalogAssetStatus.Failed, result.Status);
        Assert.Equal("CatalogTimeout", result.ErrorId);
        Assert.Empty(bed.Atlan.Store.OfType("KafkaTopic"));
    }

    [Fact]
    public async Task A_403_is_retried_five_times_as_pyatlan_does_then_reported()
    {
        await using var bed = await CatalogTestBed.StartAsync(new AtlanEmulatorOptions { ConnectionAccessDelay = TimeSpan.FromMinutes(10) }, withKafkaConnection: false);
        var qn = "default/kafka/1718000000";
        bed.Atlan.Store.SeedConnection("foreign", qn, foreign: true);
        var before = bed.Atlan.Requests.Total;
        var ex = await Assert.ThrowsAsync<CatalogApiException>(() => CatalogKafkaConnections.GetAsync(bed.Catalog, qn));
        Assert.Equal("CatalogPermissionDenied", ex.ErrorId);
        Assert.Equal(1 + 5, bed.Atlan.Requests.Total - before);
    }

    [Fact]
    public async Task Load_with_ten_percent_transient_failures_reports_every_asset_exactly_once()
    {
        await using var bed = await CatalogTestBed.StartAsync(resilience: CatalogResilienceOptions.Fast with { MaxRetryAttempts = 10, MaxRetryAfter = TimeSpan.FromMilliseconds(20) });
        const int topicCount = 8_000;
        const int groupCount = 2_000;
        var items = new List<object>(topicCount + groupCount);
        items.AddRange(Enumerable.Range(0, topicCount).Select(i => Kafka.Topic($"topic-{i:D5}")));
        items.AddRange(Enumerable.Range(0, groupCount).Select(i => Kafka.Group($"group-{i:D5}", $"topic-{i:D5}", $"topic-{(i * 7) % topicCount:D5}")));
        bed.Atlan.Faults.InjectShare(0.10, AtlanFault.TransientMix(TimeSpan.FromMilliseconds(10)), AtlanFaults.BulkUpsertOnly, seed: 7);

        var results = await bed.PublishAsync(items, new CatalogPublishOptions { BatchSize = 100, MaxParallelism = 8 });

        Assert.True(bed.Atlan.Faults.Injected > 0);
        Assert.Equal(10_000, results.Count);
        Assert.Equal(10_000, results.Select(r => r.QualifiedName).Distinct().Count());
        Assert.All(results, r => Assert.Equal(CatalogAssetStatus.Created, r.Status));
        Assert.Equal(topicCount, bed.Atlan.Store.OfType("KafkaTopic").Count);
        Assert.Equal(groupCount, bed.Atlan.Store.OfType("KafkaConsumerGroup").Count);
        Assert.Equal(10_001, bed.Atlan.Store.All.Select(e => (e.TypeName, e.QualifiedName)).Distinct().Count());
        Assert.Equal(10_000, bed.Atlan.Requests.EntitiesReceived - 1);
    }
}
