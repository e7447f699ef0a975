using KafkaCatalog.Module.Tests.Infrastructure;
using KafkaCatalog.Module.Tests.Rules;
using Xunit.Abstractions;

namespace KafkaCatalog.Module.Tests;

/// <summary>
/// "A | B" pipelines planned before their cmdlets are usable: B binds A's output by property name
/// (name or alias, compatible type) or by value, and a parameter set of B is then complete with the
/// row's typed parameters. Once a pipeline runs in the real engine (KafkaCatalog.PowerShell.Tests:
/// PipelineTests for the architecture's table, MorePipelineTests for the rest), its row leaves this
/// file: the engine test proves the binding with PowerShell's own binder and checks what B did.
/// </summary>
[Collection(MetadataLoadContextCollection.Name)]
public sealed class PipelineContractTests(ITestOutputHelper output)
{
    /// <summary>CSV columns of the Import-Csv row (topics.csv in design/architecture.md).</summary>
    public static readonly string[] TopicCsvColumns = ["Name", "Partitions", "ReplicationFactor"];

    /// <summary>
    /// New pipelines (design/architecture.md, the issues). Checked by reflection as soon as both
    /// cmdlets exist; until then listed by <see cref="PlannedPipelinesAwaitingCmdlets"/>. Move a row to
    /// the engine tests (KafkaCatalog.PowerShell.Tests, MorePipelineTests) once it can run there.
    /// Supplied parameters are the ones the user types on B ("*": whatever else B needs).
    /// </summary>
    public static readonly IReadOnlyList<PipelineRow> Planned =
    [
        // Every pipeline of the design runs in the engine tests; new ones are checked here until they run there.
        PipelineRow.Of("Get-KafkaUserScramCredential", "Remove-KafkaUserScramCredential"),
        PipelineRow.Of("Get-KafkaTopic", "Invoke-KafkaLeaderElection"),
        PipelineRow.Of("Get-KafkaTopic", "Compare-KafkaTopic"),
        PipelineRow.Of("Get-KafkaTopic", "Sync-KafkaTopic"),
    ];

    private static ModuleUnderTest Module => ModuleUnderTest.Real;

    private static bool Ready(PipelineRow row) => row.Cmdlets.All(c => Module.Assembly.Find(c) is not null);

    /// <summary>Planned rows whose cmdlets all exist; a placeholder row (passes) while none does.</summary>
    public static TheoryData<string> ReadyPlannedRows
    {
        get
        {
            var data = Rows(Planned.Where(Ready));
            if (data.Count == 0)
            {
                data.Add("(none yet)");
            }
            return data;
        }
    }

    private static TheoryData<string> Rows(IEnumerable<PipelineRow> rows)
    {
        var data = new TheoryData<string>();
        foreach (var row in rows)
        {
            data.Add(row.ToString());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReadyPlannedRows))]
    public void PlannedPipelineBindsOnceItsCmdletsExist(string pipeline)
    {
        if (pipeline == "(none yet)")
        {
            Assert.DoesNotContain(Planned, Ready);
            output.WriteLine("No planned pipeline has all its cmdlets yet.");
            return;
        }
        AssertBinds(Planned.Single(r => r.ToString() == pipeline));
    }

    /// <summary>
    /// Lists (in the test output) the planned rows still waiting for a cmdlet; xunit 2 cannot skip
    /// dynamically, so this passes, but it fails when the tables themselves are inconsistent.
    /// </summary>
    [Fact]
    public void PlannedPipelinesAwaitingCmdlets()
    {
        var all = Planned.Select(r => r.ToString()).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(Planned, r => Assert.Contains('-', r.Target));

        var waiting = Planned.Where(r => !Ready(r)).ToList();
        output.WriteLine($"{waiting.Count} of {Planned.Count} planned pipelines wait for cmdlets:");
        foreach (var row in waiting)
        {
            var missing = row.Cmdlets.Where(c => Module.Assembly.Find(c) is null);
            output.WriteLine($"  {row}    (missing: {string.Join(", ", missing)})");
        }
    }

    private void AssertBinds(PipelineRow row)
    {
        var bindings = new List<string>();
        var violations = PipelineRules.Check(Module, row, bindings);
        foreach (var binding in bindings)
        {
            output.WriteLine(binding);
        }
        Violations.AssertNone(violations);
        Assert.NotEmpty(bindings);
    }
}
