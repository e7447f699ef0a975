using System.Diagnostics;
using System.Management.Automation;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using Xunit.Abstractions;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Tab completion of -GroupId in a real engine (CommandCompletion.CompleteInput, what PSReadLine calls on Tab):
/// it completes the cluster's group ids, and against an address that never answers (a closed port, a listener
/// that accepts and stays silent: every request would wait its 30 s timeout) it returns with no names instead of
/// holding the prompt. The only bound asserted is a generous one that catches a Tab waiting on the cluster (the
/// completer's own wait is 2 s); the time taken is written to the test output.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class GroupIdCompletionTests(EngineFixture fx, ITestOutputHelper output)
{
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(10);

    [Fact]
    public void Tab_completes_the_group_ids_of_the_cluster()
    {
        using var engine = fx.Open();
        var line = $"Get-KafkaConsumerGroupOffset -BootstrapServer {fx.BootstrapServers} -GroupId orders";

        // The first Tab may land before the cluster answered (it waits 2 s at most); the next ones use the names fetched.
        var until = DateTime.UtcNow.AddMinutes(1);
        var matches = Complete(engine, line);
        while (matches.Count == 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(250);
            matches = Complete(engine, line);
        }

        Assert.Equal(["orders-processor"], matches.Select(m => m.CompletionText));
    }

    [Fact]
    public void Tab_against_a_silent_listener_returns_no_names_without_waiting_for_the_cluster()
    {
        using var listener = new SilentListener();
        AssertReturnsEmpty("silent listener", listener.Address);
        Assert.True(listener.Accepted > 0, "the completer never connected to the listener");
    }

    [Fact]
    public void Tab_against_a_closed_port_returns_no_names_without_waiting_for_the_cluster() =>
        AssertReturnsEmpty("closed port", DeadEndpoints.ClosedPort());

    private void AssertReturnsEmpty(string target, string address)
    {
        using var engine = fx.Open();
        var line = $"Get-KafkaConsumerGroup -BootstrapServer {address} -GroupId ";
        for (var tab = 1; tab <= 2; tab++)
        {
            var started = Stopwatch.StartNew();
            var completion = Task.Run(() => Complete(engine, line));
            Assert.True(completion.Wait(HangBound), $"Tab {tab} against a {target} did not return within {HangBound.TotalSeconds} s");
            output.WriteLine($"TAB-LATENCY | {target} | Tab {tab} | {started.ElapsedMilliseconds} ms");
            Assert.Empty(completion.Result);
        }
    }

    private static IReadOnlyList<CompletionResult> Complete(Engine engine, string line)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = engine.Runspace;
        return CommandCompletion.CompleteInput(line, line.Length, null, ps).CompletionMatches.ToList();
    }
}
