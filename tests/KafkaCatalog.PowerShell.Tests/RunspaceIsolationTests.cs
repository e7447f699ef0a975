using System.Management.Automation;
using KafkaCatalog.PowerShell.Tests.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Module state is per runspace: two runspaces of one process, running at the same time, each with
/// its own Connect-KafkaCluster default, each see only their own; ForEach-Object -Parallel works
/// with -Connection and does not see the caller's default.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RunspaceIsolationTests(EngineFixture fx)
{
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    [Fact]
    public void Two_runspaces_at_once_each_see_only_their_own_default_connection()
    {
        using var ready = new CountdownEvent(2);
        using var go = new ManualResetEventSlim(false);
        using var a = fx.Open();
        using var b = fx.Open();
        const string script = """
            $own = Connect-KafkaCluster -BootstrapServer $bs -Name $name -ClientId $name
            $ready.Signal() | Out-Null
            if (-not $go.Wait([timespan]::FromSeconds(60))) { throw 'the other runspace never connected' }
            foreach ($i in 1..10) {
                [pscustomobject]@{
                    Default = (Get-KafkaConnection -Default).Name
                    All = (@(Get-KafkaConnection).Name | Sort-Object) -join ','
                    ClientId = (Get-KafkaConnection -Default).ClientId
                    Topic = (Get-KafkaTopic -Name orders).ConnectionName
                }
            }
            """;
        var runs = new[] { (Engine: a, Name: "rs-alpha"), (Engine: b, Name: "rs-beta") }.Select(r =>
        {
            r.Engine.SetVariable("name", r.Name);
            r.Engine.SetVariable("ready", ready);
            r.Engine.SetVariable("go", go);
            var ps = r.Engine.Create(script);
            var output = new PSDataCollection<PSObject>();
            return (r.Name, Ps: ps, Output: output, Invocation: ps.BeginInvoke<PSObject, PSObject>(null, output));
        }).ToList();

        try
        {
            // Both have connected (each made itself its runspace's default) before either reads.
            Assert.True(ready.Wait(HangBound), "the runspaces did not both connect");
            go.Set();
            foreach (var (name, ps, output, invocation) in runs)
            {
                Assert.True(invocation.AsyncWaitHandle.WaitOne(HangBound), $"{name} did not finish");
                ps.EndInvoke(invocation);
                Run.From(ps, output, null).AssertNoErrors();
                Assert.Equal(10, output.Count);
                Assert.All(output, row =>
                {
                    Assert.Equal(name, row.Properties["Default"].Value?.ToString());
                    Assert.Equal(name, row.Properties["All"].Value?.ToString());
                    Assert.Equal(name, row.Properties["ClientId"].Value?.ToString());
                    Assert.Equal(name, row.Properties["Topic"].Value?.ToString());
                });
            }
        }
        finally
        {
            go.Set();
            foreach (var run in runs)
            {
                run.Ps.Dispose();
            }
        }

        // Afterwards too: each runspace holds only its own.
        Assert.Equal("rs-alpha", a.Run("(Get-KafkaConnection -Default).Name").AssertNoErrors().Output.Single().ToString());
        Assert.Equal("rs-beta", b.Run("(Get-KafkaConnection -Default).Name").AssertNoErrors().Output.Single().ToString());
    }

    [Fact]
    public void ForEach_Object_Parallel_uses_the_Connection_it_is_given_and_not_the_callers_default()
    {
        using var engine = fx.Open();
        engine.SetVariable("manifest", Engine.ModuleManifest);
        var run = engine.Run("""
            $conn = Connect-KafkaCluster -BootstrapServer $bs -Name par-main
            1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:manifest
                $c = $using:conn
                [pscustomobject]@{
                    Item = $_
                    Topic = (Get-KafkaTopic -Connection $c -Name orders).Name
                    ConnectionName = (Get-KafkaTopic -Connection $c -Name orders).ConnectionName
                    Defaults = @(Get-KafkaConnection).Count
                }
            }
            """).AssertNoErrors();

        Assert.Equal([1, 2, 3, 4], run.Output.Select(o => Int(o.Properties["Item"].Value)).Order());
        Assert.All(run.Output, row =>
        {
            Assert.Equal("orders", row.Properties["Topic"].Value?.ToString());
            Assert.Equal("par-main", row.Properties["ConnectionName"].Value?.ToString());
            Assert.Equal(0, Int(row.Properties["Defaults"].Value));
        });
        Assert.Equal("par-main", engine.Run("(Get-KafkaConnection -Default).Name").AssertNoErrors().Output.Single().ToString());
    }

    private static int Int(object? value) => Convert.ToInt32(value is PSObject o ? o.BaseObject : value, System.Globalization.CultureInfo.InvariantCulture);
}
