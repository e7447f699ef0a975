using System.Management.Automation;
using KafkaCatalog.PowerShell.Infrastructure;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// A slow consumer downstream does not make memory grow without limit: the bridge between a
/// cmdlet's worker and the pipeline thread never holds more than its capacity, and the worker waits
/// (it cannot post everything while the consumer holds the pipeline thread). Only the bound and what
/// follows from it are asserted, never how fast anything ran.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class BridgeBoundTests(EngineFixture fx)
{
    private const int Items = 300;
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(30);

    [Fact]
    public void Get_KafkaTopic_waits_for_a_slow_consumer_with_at_most_the_bridge_capacity_queued()
    {
        var prefix = EngineFixture.Unique("pbound");
        for (var i = 0; i < Items; i++)
        {
            fx.Cluster.State.CreateTopic($"{prefix}-{i:D3}", fx.Cluster.State.AssignReplicas(1, 1), new Dictionary<string, string>());
        }

        try
        {
            HoldTheConsumer("Get-KafkaTopic -BootstrapServer $bs -Name \"$source-*\"", prefix);
        }
        finally
        {
            // The cluster is shared: other tests' full listings stay small.
            for (var i = 0; i < Items; i++)
            {
                fx.Cluster.State.DeleteTopic($"{prefix}-{i:D3}");
            }
        }
    }

    [Fact]
    public void Receive_KafkaMessage_waits_for_a_slow_consumer_with_at_most_the_bridge_capacity_queued()
    {
        var topic = fx.NewTopic(partitions: 1, prefix: "pboundmsg");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        fx.Cluster.State.AppendRecords(topic, 0, Enumerable.Range(0, Items).Select(i => new SeedRecord($"k{i}", $"v{i}", now)).ToList());

        HoldTheConsumer($"Receive-KafkaMessage -BootstrapServer $bs -Topic $source -FromBeginning -MaxMessages {Items} -TimeoutSec 60", topic);
    }

    /// <summary>
    /// Runs <paramref name="command"/> into a consumer that blocks on its first object until the
    /// queue is full, checks the bound and that the worker is waiting, then lets it drain.
    /// </summary>
    private void HoldTheConsumer(string command, string source)
    {
        using var engine = fx.Open();
        using var bridges = new BridgeObserver(engine.Runspace);
        using var gate = new ManualResetEventSlim(false);
        engine.SetVariable("gate", gate);
        engine.SetVariable("source", source);
        using var ps = engine.Create($"$seen = 0; {command} | ForEach-Object {{ $seen++; if ($seen -eq 1) {{ [void]$gate.Wait() }} }}; $seen");
        var output = new PSDataCollection<PSObject>();
        var invocation = ps.BeginInvoke<PSObject, PSObject>(null, output);
        try
        {
            // The consumer holds the pipeline thread on the first object: the worker fills the bridge.
            var deadline = DateTime.UtcNow + HangBound;
            PipelineBridge? bridge = null;
            while (DateTime.UtcNow < deadline && !invocation.IsCompleted)
            {
                bridge = bridges.Bridges.FirstOrDefault(b => b.Queued >= b.Capacity);
                if (bridge is not null)
                {
                    break;
                }

                Thread.Sleep(20);
            }

            Assert.False(invocation.IsCompleted, "the command ended while its consumer was held: " + ps.InvocationStateInfo.Reason?.Message);
            Assert.True(bridge is not null, $"the bridge never filled up within {HangBound.TotalSeconds} s");
            Assert.Equal(PipelineBridge.DefaultCapacity, bridge.Capacity);

            // The bound holds, and the worker waits: it has not posted every object, and has not ended.
            Assert.True(bridge.Queued <= bridge.Capacity);
            Assert.True(bridge.QueuedPeak <= bridge.Capacity, $"peak {bridge.QueuedPeak} > capacity {bridge.Capacity}");
            Assert.True(bridge.Posted < Items, $"the worker posted {bridge.Posted} of {Items} objects while the consumer held the first one");
            Assert.False(bridge.WorkerEnded.IsCompleted, "the worker ended while the consumer held the first object");

            gate.Set();
            Assert.True(invocation.AsyncWaitHandle.WaitOne(HangBound), "the command did not end after the consumer let go");
            ps.EndInvoke(invocation);
            Run.From(ps, output, null).AssertNoErrors();

            // Nothing was lost to the bound, and it held to the end.
            Assert.Equal(Items, Convert.ToInt32(output.Last().BaseObject, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(bridge.Posted >= Items);
            Assert.True(bridge.QueuedPeak <= bridge.Capacity, $"peak {bridge.QueuedPeak} > capacity {bridge.Capacity}");
            Assert.True(bridge.WorkerEnded.Wait(HangBound), "the worker did not end");
        }
        finally
        {
            gate.Set();
            if (!invocation.IsCompleted)
            {
                ps.Stop();
            }
        }
    }
}
