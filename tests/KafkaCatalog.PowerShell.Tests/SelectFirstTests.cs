using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// "| Select-Object -First 1" ends the upstream cmdlet's work: once the pipeline has ended, the
/// requests its client sent (TestKit's per-API counters, for the command's own client.id) stop
/// growing. Read after a pause, then again after another pause; only "did not grow" is asserted,
/// never how many requests were in flight or how long anything took.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SelectFirstTests(EngineFixture fx)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Watch = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("Get-KafkaTopic")]
    [InlineData("Get-KafkaTopic -IncludeConfig -IncludeMessageCount")]
    public void Get_KafkaTopic_piped_to_Select_First_1_leaves_no_work_running(string command)
    {
        // Enough topics that the listing has more to emit after the first.
        for (var i = 0; i < 5; i++)
        {
            fx.NewTopic(partitions: 2, prefix: "psel");
        }

        using var engine = fx.Open();
        using var bridges = new BridgeObserver(engine.Runspace);
        var clientId = EngineFixture.Unique("select-first");
        engine.SetVariable("clientId", clientId);

        var run = engine.Run($"$env:KAFKA_CLIENT_ID = $clientId; try {{ {command} -BootstrapServer $bs | Select-Object -First 1 }} finally {{ Remove-Item Env:KAFKA_CLIENT_ID }}").AssertNoErrors();

        Assert.Single(run.Objects<KafkaTopic>());
        Assert.True(bridges.AllWorkersEnded(HangBound), "the listing's worker was still running after the pipeline ended");
        AssertNoFurtherRequests(clientId, mustHaveSent: ApiKeys.Metadata);
    }

    [Fact]
    public void Receive_KafkaMessage_piped_to_Select_First_1_leaves_no_work_running()
    {
        var topic = fx.NewTopic(partitions: 3, prefix: "precv");
        using var engine = fx.Open();
        using var bridges = new BridgeObserver(engine.Runspace);
        var clientId = EngineFixture.Unique("select-first");
        engine.SetVariable("clientId", clientId);
        engine.SetVariable("topic", topic);
        using var ps = engine.Create("$env:KAFKA_CLIENT_ID = $clientId; try { Receive-KafkaMessage -Topic $topic -BootstrapServer $bs | Select-Object -First 1 } finally { Remove-Item Env:KAFKA_CLIENT_ID }");
        var output = new PSDataCollection<PSObject>();
        var invocation = ps.BeginInvoke<PSObject, PSObject>(null, output);

        // From the end (the default) it waits for new messages: keep publishing until one is read.
        var deadline = DateTime.UtcNow + HangBound;
        while (!invocation.IsCompleted && DateTime.UtcNow < deadline)
        {
            fx.AppendRecords(topic, 0, 1);
            invocation.AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
        }

        Assert.True(invocation.IsCompleted, "Receive-KafkaMessage | Select-Object -First 1 did not end while messages arrived");
        ps.EndInvoke(invocation);
        var run = Run.From(ps, output, null).AssertNoErrors();
        var message = Assert.Single(run.Objects<KafkaMessage>());
        Assert.Equal(topic, message.Topic);
        Assert.True(bridges.AllWorkersEnded(HangBound), "the reader's worker was still running after the pipeline ended");
        AssertNoFurtherRequests(clientId, mustHaveSent: ApiKeys.Fetch);
    }

    /// <summary>The control: while a reader is still running, the same counters do grow, so the checks above can fail.</summary>
    [Fact]
    public void The_counters_see_a_reader_that_is_still_running()
    {
        var topic = fx.NewTopic(partitions: 1, prefix: "pctl");
        using var engine = fx.Open();
        var clientId = EngineFixture.Unique("still-running");
        engine.SetVariable("clientId", clientId);
        engine.SetVariable("topic", topic);
        using var ps = engine.Create("$env:KAFKA_CLIENT_ID = $clientId; try { Receive-KafkaMessage -Topic $topic -BootstrapServer $bs -TimeoutSec 60 } finally { Remove-Item Env:KAFKA_CLIENT_ID }");
        var invocation = ps.BeginInvoke<PSObject>(null);
        try
        {
            var deadline = DateTime.UtcNow + HangBound;
            while (fx.Cluster.RequestCount(ApiKeys.Fetch, clientId) == 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }

            var first = fx.Cluster.RequestCount(ApiKeys.Fetch, clientId);
            Assert.True(first > 0, "the reader never fetched");
            Thread.Sleep(Watch);
            Assert.True(fx.Cluster.RequestCount(ApiKeys.Fetch, clientId) > first, "a running reader's fetches did not show in the counters");
        }
        finally
        {
            ps.Stop();
        }
    }

    private void AssertNoFurtherRequests(string clientId, short mustHaveSent)
    {
        Thread.Sleep(Settle);
        var before = RequestsBy(clientId);
        Assert.True(before.GetValueOrDefault(mustHaveSent) > 0, $"client {clientId} sent no request of API {mustHaveSent}: the counters did not see the command");
        Thread.Sleep(Watch);
        var after = RequestsBy(clientId);
        var grown = after.Where(kv => kv.Value != before.GetValueOrDefault(kv.Key)).Select(kv => $"API {kv.Key}: {before.GetValueOrDefault(kv.Key)} -> {kv.Value}").ToList();
        Assert.True(grown.Count == 0, "requests kept coming after the pipeline ended: " + string.Join(", ", grown));
    }

    /// <summary>Requests per API key that clients with <paramref name="clientId"/> sent.</summary>
    private Dictionary<short, int> RequestsBy(string clientId)
    {
        var counts = new Dictionary<short, int>();
        for (short api = 0; api < 100; api++)
        {
            var n = fx.Cluster.RequestCount(api, clientId);
            if (n > 0)
            {
                counts[api] = n;
            }
        }

        return counts;
    }
}
