using System.Diagnostics;
using System.Management.Automation;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using Xunit.Abstractions;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// PowerShell.Stop() (what Ctrl+C does) while a command of each cmdlet family waits on an address
/// that does not answer: a closed port and a listener that accepts and never answers. Stop() must
/// return, the pipeline must end Stopped, and no work may be left running (every worker ended; a
/// one-off Kafka client closed its connections). The latency is written to the test output and, as
/// one table, to TestResults/stop-latency.md next to the test assembly (see <see cref="StopLatencyTable"/>);
/// the only bound asserted is a generous one that catches a hang.
/// </summary>
[Collection(DeadEndCollection.Name)]
public sealed class StopTests(EngineFixture fx, StopLatencyTable table, ITestOutputHelper output) : IClassFixture<StopLatencyTable>
{
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

    /// <summary>family, script ($dead is host:port, $deadUri http://host:port/); true when the command holds a one-off Kafka client.</summary>
    public static TheoryData<string, string, bool> Commands => new()
    {
        { "connections", "Connect-KafkaCluster -BootstrapServer $dead -Name stop-test", true },
        { "cluster", "Get-KafkaCluster -BootstrapServer $dead", true },
        { "cluster", "Get-KafkaBroker -BootstrapServer $dead", true },
        { "cluster", "Get-KafkaBrokerConfig -BrokerId 1 -BootstrapServer $dead", true },
        { "cluster", "Set-KafkaBrokerConfig -BrokerId 1 -Set @{ 'log.retention.ms' = '60000' } -BootstrapServer $dead -Confirm:$false", true },
        { "topics", "Get-KafkaTopic -BootstrapServer $dead", true },
        { "topics", "New-KafkaTopic -Name stop-test -Partitions 1 -BootstrapServer $dead -Confirm:$false", true },
        { "topics", "Remove-KafkaTopic -Name stop-test -BootstrapServer $dead -Force", true },
        { "topics", "Add-KafkaPartition -Name orders -TotalCount 9 -BootstrapServer $dead -Confirm:$false", true },
        { "topics", "Get-KafkaTopicOffset -Name orders -BootstrapServer $dead", true },
        { "configs", "Get-KafkaTopicConfig -Name orders -BootstrapServer $dead", true },
        { "configs", "Set-KafkaTopicConfig -Name orders -Set @{ 'retention.ms' = '1000' } -BootstrapServer $dead -Confirm:$false", true },
        { "groups", "Get-KafkaConsumerGroup -BootstrapServer $dead", true },
        { "groups", "Get-KafkaConsumerGroupOffset -GroupId billing -BootstrapServer $dead", true },
        { "groups", "Reset-KafkaConsumerGroupOffset -GroupId billing -ToEarliest -BootstrapServer $dead -Force", true },
        { "groups", "Remove-KafkaConsumerGroup -GroupId billing -BootstrapServer $dead -Force", true },
        { "ACLs", "Get-KafkaAcl -BootstrapServer $dead", true },
        { "ACLs", "Add-KafkaAcl -ResourceType Topic -ResourceName orders -Principal User:alice -Operation Read -BootstrapServer $dead -Confirm:$false", true },
        { "ACLs", "Remove-KafkaAcl -ResourceType Topic -ResourceName orders -BootstrapServer $dead -Force", true },
        { "SCRAM users", "Get-KafkaUserScramCredential -BootstrapServer $dead", true },
        { "messages", "Receive-KafkaMessage -Topic orders -FromBeginning -BootstrapServer $dead", true },
        { "messages", "Publish-KafkaMessage -Topic orders -Value hello -BootstrapServer $dead", true },
        { "catalog", "Connect-Catalog -BaseUri $deadUri -ApiToken $atlanToken", false },
        { "catalog", "$cat = Connect-Catalog -BaseUri $deadUri -ApiToken $atlanToken -SkipVerify; Get-CatalogKafkaAsset -CatalogConnection $cat -ConnectionQualifiedName default/kafka/1700000000", false },
        { "catalog", "$k = Connect-KafkaCluster -BootstrapServer $dead -Name stop-sync -SkipVerify; $null = Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken; $null = New-CatalogKafkaConnection -Name \"kc-stop-$(New-Guid)\" -AdminRole '$admin' -Confirm:$false; Sync-CatalogKafkaAsset -Connection $k -WhatIf", false },
        { "Polaris", "Connect-Polaris -BaseUri $deadUri -ApiKey $polarisKey -ProjectId p1 -Name stop-test", false },
        { "Polaris", "$p = Connect-Polaris -BaseUri $deadUri -ApiKey $polarisKey -ProjectId p1 -Name stop-skip -SkipVerify; Get-PolarisIngestionJob -PolarisConnection $p", false },
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
        using var engine = fx.Open();
        using var bridges = new BridgeObserver(engine.Runspace);
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
        table.Add(family, target, script, latency);

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

/// <summary>
/// The Stop() latencies of one run of <see cref="StopTests"/>, written as a markdown table to
/// TestResults/stop-latency.md next to the test assembly when the class has run (the table of the
/// issue's "done when"; numbers, not asserts).
/// </summary>
public sealed class StopLatencyTable : IDisposable
{
    private readonly List<(string Family, string Target, string Command, long Milliseconds)> _rows = [];

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "TestResults", "stop-latency.md");

    public void Add(string family, string target, string command, long milliseconds)
    {
        lock (_rows)
        {
            _rows.Add((family, target, command, milliseconds));
        }
    }

    public void Dispose()
    {
        lock (_rows)
        {
            if (_rows.Count == 0)
            {
                return;
            }

            var lines = new List<string>
            {
                $"# PowerShell.Stop() latency ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)",
                string.Empty,
                "| family | command | closed port (ms) | silent listener (ms) |",
                "|---|---|---:|---:|",
            };
            foreach (var command in _rows.GroupBy(r => (r.Family, r.Command)))
            {
                string Cell(string target) => string.Join(", ", command.Key.Command.Length == 0 ? [] : command.Where(r => r.Target == target).Select(r => r.Milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                lines.Add($"| {command.Key.Family} | `{command.Key.Command.Replace("|", "\\|", StringComparison.Ordinal)}` | {Cell("closed port")} | {Cell("silent listener")} |");
            }

            lines.Add(string.Empty);
            lines.Add($"Slowest: {_rows.Max(r => r.Milliseconds)} ms over {_rows.Count} stops.");
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.WriteAllLines(FilePath, lines);
        }
    }
}
