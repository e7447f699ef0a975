using KafkaCatalog.Core;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.TestKit.Polaris;
using static KafkaCatalog.IntegrationTests.Polaris.PolarisTest;

namespace KafkaCatalog.IntegrationTests.Polaris;

public sealed class PolarisFaultTests
{
    [Fact]
    public async Task Rate_limit_with_Retry_After_is_retried_until_it_succeeds()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Faults.Next(2, PolarisFault.Status(429, retryAfterSeconds: 0));
        var sink = new RecordingSink();
        using var client = Client(polaris, sink);

        var list = await client.ListKafkaConnectionsAsync();

        Assert.Empty(list);
        Assert.Equal(new[] { 429, 429, 200 }, polaris.Requests.Select(r => r.StatusCode));
        Assert.Contains(sink.Verboses, v => v.Contains("HTTP 429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retry_After_beyond_the_limit_fails_at_once_with_the_wait_in_the_message()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Faults.Next(1, PolarisFault.Status(429, retryAfterSeconds: 3600));
        using var client = Client(polaris, resilience: FastRetries with { MaxRetryAfter = TimeSpan.FromSeconds(10) });

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.ListKafkaConnectionsAsync());

        Assert.Equal("PolarisRateLimited", ex.ErrorId);
        Assert.Equal(FailureKind.LimitsExceeded, ex.Kind);
        Assert.Contains("3600 s", ex.Message);
        Assert.Single(polaris.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Transient_server_errors_are_retried(int status)
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        polaris.Faults.Next(2, PolarisFault.Status(status));

        var read = await client.GetKafkaConnectionAsync("clicks");

        Assert.Equal("clicks", read.Name);
        Assert.Equal(2, polaris.Requests.Count(r => r.Faulted));
    }

    [Fact]
    public async Task Persistent_server_error_gives_up_after_the_bounded_attempts()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Faults.Next(100, PolarisFault.Status(500));
        using var client = Client(polaris);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.ListKafkaConnectionsAsync());

        Assert.Equal("PolarisServerError", ex.ErrorId);
        Assert.Equal(FailureKind.ResourceUnavailable, ex.Kind);
        Assert.Equal(FastRetries.MaxRetryAttempts + 1, polaris.Requests.Count);
    }

    [Fact]
    public async Task Connection_resets_are_retried()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Faults.Next(2, PolarisFault.Reset());
        using var client = Client(polaris);

        var created = await client.CreateKafkaConnectionAsync(Plain("clicks"));

        Assert.Equal("clicks", created.Name);
        Assert.Equal(new[] { "clicks" }, polaris.Store.ConnectionNames);
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_the_retry_succeeds()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Faults.Next(1, PolarisFault.Slow(TimeSpan.FromSeconds(20)));
        using var client = Client(polaris, requestTimeout: TimeSpan.FromMilliseconds(300));

        var list = await client.ListKafkaConnectionsAsync();

        Assert.Empty(list);
        Assert.Contains(polaris.Requests, r => r.StatusCode == 200);
    }

    [Fact]
    public async Task Every_attempt_slow_ends_in_a_timeout_error()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Faults.Next(100, PolarisFault.Slow(TimeSpan.FromSeconds(20)));
        using var client = Client(polaris, requestTimeout: TimeSpan.FromMilliseconds(200), resilience: FastRetries with { MaxRetryAttempts = 1 });

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.ListKafkaConnectionsAsync());

        Assert.Equal("PolarisTimeout", ex.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, ex.Kind);
    }

    [Fact]
    public async Task Create_whose_answer_was_lost_is_not_duplicated_the_409_on_retry_reads_it_back()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Faults.Next(1, PolarisFault.StatusAfterProcessing(503) with { Method = "POST" });
        var sink = new RecordingSink();
        using var client = Client(polaris, sink);

        var created = await client.CreateKafkaConnectionAsync(Plain("clicks"));

        Assert.Equal("clicks", created.Name);
        Assert.Equal(new[] { "clicks" }, polaris.Store.ConnectionNames);
        Assert.Equal(new[] { ("POST", 503), ("POST", 409), ("GET", 200) }, polaris.Requests.Select(r => (r.Method, r.StatusCode)));
        Assert.Contains(sink.Verboses, v => v.Contains("earlier attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Job_create_whose_connection_reset_after_processing_returns_the_one_job()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        polaris.Faults.Next(1, PolarisFault.ResetAfterProcessing() with { Method = "POST", PathContains = "/jobs" });

        var job = await client.StartIngestionJobAsync(Job("clicks", "clicks"));

        var only = Assert.Single(polaris.Store.Jobs);
        Assert.Equal(only.Id, job.JobId);
    }

    [Fact]
    public async Task A_share_of_failures_is_absorbed_by_the_retries()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris, resilience: FastRetries with { MaxRetryAttempts = 8 });
        polaris.Faults.Share(0.3, PolarisFault.Status(503), seed: 7);

        for (var i = 0; i < 10; i++)
        {
            await client.CreateKafkaConnectionAsync(Plain($"c{i}"));
        }

        Assert.Equal(10, polaris.Store.ConnectionNames.Count);
        Assert.True(polaris.Faults.Injected > 0);
    }

    [Fact]
    public async Task Client_errors_are_final_and_not_retried()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Faults.Next(1, PolarisFault.Status(403));
        using var client = Client(polaris);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.ListKafkaConnectionsAsync());

        Assert.Equal("PolarisForbidden", ex.ErrorId);
        Assert.Single(polaris.Requests);
    }

    [Fact]
    public async Task Unreachable_Polaris_is_a_connection_error()
    {
        var port = PolarisTestConnectionTests.ClosedPort();
        var connection = PolarisConnection.Create("x", new Uri($"http://127.0.0.1:{port}/v1/projects/p1"), Secure("pok_x"));
        using var client = new PolarisClient(connection, new PolarisClientOptions { Resilience = FastRetries with { MaxRetryAttempts = 1 } });

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.ListKafkaConnectionsAsync());

        Assert.Equal("PolarisUnreachable", ex.ErrorId);
        Assert.Equal(FailureKind.ConnectionError, ex.Kind);
        Assert.Contains("2 attempt", ex.Message);
    }
}
