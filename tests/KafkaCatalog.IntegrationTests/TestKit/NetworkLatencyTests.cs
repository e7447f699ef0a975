using System.Diagnostics;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>
/// The sandbox's network latency (<see cref="KafkaFaults.NetworkLatency"/>, `latency MS`, `serve --latency`):
/// each response leaves the latency after its request arrived, in request order, while the broker goes on
/// handling the connection's next requests, as Kafka does behind a real network (it handles one request per
/// connection at a time and answers in order; the wait is on the wire, not in the broker).
/// </summary>
public sealed class NetworkLatencyTests
{
    private static async Task<KafkaTestCluster> Start() =>
        await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 1 });

    private static Task<KafkaWireClient> Connect(KafkaTestCluster cluster) =>
        KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers.Single().Port);

    [Fact]
    public async Task Pipelined_requests_are_all_handled_before_the_first_response_leaves()
    {
        await using var cluster = await Start();
        cluster.Faults.NetworkLatency = TimeSpan.FromMilliseconds(SandboxCommands.MaxLatencyMs);
        await using var client = await Connect(cluster);

        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        }

        // The broker handles (and counts) all five while the first answer is still a minute away; a broker
        // that waited inside the connection would count the second only after that minute.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        while (cluster.RequestCount(ApiKeys.ApiVersions) < 5)
        {
            await Task.Delay(20, limit.Token);
        }

        Assert.Equal(5, cluster.RequestCount(ApiKeys.ApiVersions));
    }

    [Fact]
    public async Task Responses_arrive_in_request_order_and_no_sooner_than_the_latency()
    {
        await using var cluster = await Start();
        var latency = TimeSpan.FromMilliseconds(300);
        cluster.Faults.NetworkLatency = latency;
        await using var client = await Connect(cluster);

        var sent = new List<(int Id, long At)>();
        foreach (var version in new short[] { 0, 1, 2, 0, 1 })
        {
            var at = Stopwatch.GetTimestamp();
            sent.Add((await client.SendAsync(ApiKeys.ApiVersions, version, KafkaWireClient.NewRequest(ApiKeys.ApiVersions)), at));
        }

        var versions = new short[] { 0, 1, 2, 0, 1 };
        for (var i = 0; i < sent.Count; i++)
        {
            var (id, body) = await client.ReceiveAsync(ApiKeys.ApiVersions, versions[i]);
            Assert.Equal(sent[i].Id, id);
            Assert.Equal(0, body.GetInt16("ErrorCode"));
            Assert.True(Stopwatch.GetElapsedTime(sent[i].At) >= latency, $"response {i} came before the latency");
        }
    }

    [Fact]
    public async Task Switching_the_latency_off_keeps_the_order_of_responses_on_their_way()
    {
        await using var cluster = await Start();
        cluster.Faults.NetworkLatency = TimeSpan.FromMilliseconds(500);
        await using var client = await Connect(cluster);

        var first = await client.SendAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        while (cluster.RequestCount(ApiKeys.ApiVersions) < 1)
        {
            await Task.Delay(10, limit.Token);
        }

        cluster.Faults.ClearLatency();
        Assert.Equal(TimeSpan.Zero, cluster.Faults.NetworkLatency);
        var second = await client.SendAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));

        Assert.Equal(first, (await client.ReceiveAsync(ApiKeys.ApiVersions, 0)).CorrelationId);
        Assert.Equal(second, (await client.ReceiveAsync(ApiKeys.ApiVersions, 0)).CorrelationId);
    }

    [Fact]
    public async Task A_negative_latency_is_refused_and_changes_nothing()
    {
        await using var cluster = await Start();
        cluster.Faults.NetworkLatency = TimeSpan.FromMilliseconds(5);
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.Faults.NetworkLatency = TimeSpan.FromMilliseconds(-1));
        Assert.Equal(TimeSpan.FromMilliseconds(5), cluster.Faults.NetworkLatency);
    }
}
