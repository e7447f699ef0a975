using System.Diagnostics;
using System.Management.Automation;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using Xunit.Abstractions;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// PowerShell.Stop() (what Ctrl+C does) while a command of each cmdlet family waits on an address
/// that does not answer: a closed port and a listener that accepts and never answers. Stop() must
/// return, the pipeline must end Stopped, and no work may be left running (every worker ended; a
/// one-off Kafka client closed its connections). The latency is written to the test output (the
/// table in the report comes from it); the only bound asserted is a generous one that catches a hang.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class StopTests(EngineFixture fx, ITestOutputHelper output)
{
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

    /// <summary>family, script ($dead is host:port, $deadUri http://host:port/); true when the command holds a one-off Kafka client.</summary>
    public static TheoryData<string, string, bool> Commands => new()
    {
        { "connections", "Connect-KafkaCluster -BootstrapServer $dead -Name stop-test", true },
        { "cluster", "Get-KafkaCluster -BootstrapServer $dead", true },
        { "cluster", "Get-KafkaBrokerConfig -BrokerId 1 -BootstrapServer $dead", true },
        { "topics", "Get-KafkaTopic -BootstrapServer $dead", true },
        { "topics", "New-KafkaTopic -Name stop-test -Partitions 1 -BootstrapServer $dead -Confirm:$false", true },
        { "topics", "Get-KafkaTopicOffset -Name orders -BootstrapServer $dead", true },
        { "configs", "Get-KafkaTopicConfig -Name orders -BootstrapServer $dead", true },
        { "configs", "Set-KafkaTopicConfig -Name orders -Set @{ 'retention.ms' = '1000' } -BootstrapServer $dead -Confirm:$false", true },
        { "groups", "Get-KafkaConsumerGroup -BootstrapServer $dead", true },
        { "groups", "Get-KafkaConsumerGroupOffset -GroupId billing -BootstrapServer $dead", true },
        { "ACLs", "Get-KafkaAcl -BootstrapServer $dead", true },
        { "messages", "Receive-KafkaMessage -Topic orders -FromBeginning -BootstrapServer $dead", true },
        { "messages", "Publish-KafkaMessage -Topic orders -Value hello -BootstrapServer $dead", true },
        { "catalog", "Connect-Catalog -BaseUri $deadUri -ApiToken $atlanToken", false },
        { "Polaris", "Connect-Polaris -BaseUri $deadUri -ApiKey $polarisKey -ProjectId p1 -Name stop-test", false },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Stop_ends_a_command_waiting_on_a_closed_port(string family, string script, bool oneOffKafkaClient)
    {
        _ = oneOffKafkaClient;
        var address = DeadEndpoints.ClosedPort();
        StopWhileWaiting(family, "closed port", script, address, listener: null);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Stop_ends_a_command_waiting_on_a_silent_listener(string family, string script, bool oneOffKafkaClient)
    {
        using var listener = new SilentListener();
        StopWhileWaiting(family, "silent listener", script, listener.Address, oneOffKafkaClient ? listener : null);
    }

    private void StopWhileWaiting(string family, string target, string script, string address, SilentListener? listener)
    {
        using var bridges = new BridgeObserver();
        using var engine = fx.Open();
        engine.SetVariable("dead", address);
        engine.SetVariable("deadUri", $"http://{address}/");
        using var ps = engine.Create(script);
        var started = Stopwatch.StartNew();
        ps.BeginInvoke<PSObject>(null);

        // Long enough to be inside the wait (every timeout involved is 30 s or more).
        Thread.Sleep(1000);
        if (ps.InvocationStateInfo.State != PSInvocationState.Running)
        {
            // Enumerating a stream of a running pipeline blocks until it ends: only read them once it has.
            Assert.Fail($"the command should still be waiting, but it is {ps.InvocationStateInfo.State} after {started.ElapsedMilliseconds} ms: {ps.InvocationStateInfo.Reason?.Message} {string.Join(" | ", ps.Streams.Error.ReadAll().Select(e => e.FullyQualifiedErrorId))}");
        }

        var stopping = Stopwatch.StartNew();
        var stop = ps.BeginStop(null, null);
        Assert.True(stop.AsyncWaitHandle.WaitOne(HangBound), $"{script}: Stop() did not return within {HangBound.TotalSeconds} s");
        ps.EndStop(stop);
        var latency = stopping.ElapsedMilliseconds;
        output.WriteLine($"STOP-LATENCY | {family} | {target} | {latency} ms | {script}");

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.NotEmpty(bridges.Bridges);
        Assert.True(bridges.AllWorkersEnded(HangBound), $"{script}: a worker was still running {HangBound.TotalSeconds} s after Stop()");
        if (listener is not null)
        {
            Assert.True(listener.Accepted > 0, "the client never connected to the listener");
            Assert.True(listener.WaitUntilClientClosedAll(HangBound), $"{script}: the one-off Kafka client still holds {listener.Open} connection(s) {HangBound.TotalSeconds} s after Stop()");
        }
    }
}
