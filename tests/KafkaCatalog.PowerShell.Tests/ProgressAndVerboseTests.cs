using System.Management.Automation;
using KafkaCatalog.PowerShell.Tests.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Progress and verbose records reach the PowerShell streams, with the activity text the cmdlet
/// promises, and every one of them is written on the pipeline's own thread: the test records the
/// thread each record is added on (PSDataCollection raises DataAdded on the writer's thread) and
/// compares it with the thread the script itself runs on.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ProgressAndVerboseTests(EngineFixture fx)
{
    /// <summary>name, script (its first statement prints the pipeline thread id), expected progress activity (null: none promised), expected verbose text.</summary>
    public static TheoryData<string, string, string?, string> Commands => new()
    {
        { "topics", "Get-KafkaTopic -Name orders -BootstrapServer $bs -Verbose", null, "Metadata" },
        { "configs", "Get-KafkaTopicConfig -Name orders -BootstrapServer $bs -Verbose", null, "DescribeConfigs" },
        { "ACLs", "Get-KafkaAcl -BootstrapServer $aclbs -Verbose", null, "DescribeAcls" },
        { "groups", "Get-KafkaConsumerGroup -BootstrapServer $aclbs -Verbose", "Describing consumer groups", "ListGroups and DescribeGroups" },
        { "group offsets", "Get-KafkaConsumerGroup -BootstrapServer $aclbs -IncludeOffsets -Verbose", "Reading consumer group offsets", "ListConsumerGroupOffsets" },
        { "catalog publish", "Get-KafkaTopic -Name orders, payments -BootstrapServer $bs | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false -Verbose", "Publishing Kafka assets to the catalog", "POST" },
        { "catalog search", "Get-CatalogKafkaAsset -AssetType Topic -CatalogConnection $conn -Verbose", "Searching the catalog", "POST" },
        { "catalog remove", "Remove-CatalogKafkaAsset -ConnectionQualifiedName $conn.QualifiedName -CatalogConnection $conn -Force -Verbose", "Removing catalog assets", "DELETE" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Records_come_on_the_pipeline_thread_with_the_expected_text(string name, string script, string? activity, string verbose)
    {
        _ = name;
        EnoughGroupsForSeveralBatches();
        using var engine = fx.Open();
        engine.SetVariable("catalogName", EngineFixture.Unique("pvkafka"));
        engine.Run("Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken | Out-Null; $global:conn = New-CatalogKafkaConnection -Name $catalogName -AdminRole '$admin' -Confirm:$false; Get-KafkaTopic -Name orders -BootstrapServer $bs | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false | Out-Null").AssertNoErrors();

        using var ps = engine.Create("[System.Threading.Thread]::CurrentThread.ManagedThreadId; " + script);
        var writers = new List<(string Stream, int Thread)>();
        ps.Streams.Verbose.DataAdded += (_, _) => Record(writers, "verbose");
        ps.Streams.Progress.DataAdded += (_, _) => Record(writers, "progress");
        ps.Streams.Warning.DataAdded += (_, _) => Record(writers, "warning");
        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, _) => Record(writers, "output");
        ps.Invoke(null, output);
        var run = Run.From(ps, output, null).AssertNoErrors();

        var pipelineThread = Assert.IsType<int>(run.Output[0].BaseObject);
        Assert.NotEmpty(run.Verbose);
        Assert.Contains(run.Verbose, v => v.Contains(verbose, StringComparison.Ordinal));
        if (activity is not null)
        {
            var records = run.Progress.Where(p => p.Activity == activity).ToList();
            Assert.NotEmpty(records);
            Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
            Assert.Single(records.Select(p => p.ActivityId).Distinct());
        }

        List<(string Stream, int Thread)> seen;
        lock (writers)
        {
            seen = [.. writers];
        }

        var elsewhere = seen.Where(w => w.Thread != pipelineThread).ToList();
        Assert.True(elsewhere.Count == 0, $"written from another thread than the pipeline's ({pipelineThread}): {string.Join(", ", elsewhere.Select(w => $"{w.Stream} on {w.Thread}"))}");
    }

    private static void Record(List<(string Stream, int Thread)> writers, string stream)
    {
        lock (writers)
        {
            writers.Add((stream, Environment.CurrentManagedThreadId));
        }
    }

    /// <summary>More groups on the ACL cluster than one describe batch (64) holds, so the group listing reports progress.</summary>
    private void EnoughGroupsForSeveralBatches()
    {
        var state = fx.AclCluster.State;
        if (state.Groups.ListGroups().Count >= 70)
        {
            return;
        }

        if (state.GetTopic("pv-groups") is null)
        {
            state.CreateTopic("pv-groups", 1, 1);
        }

        for (var i = 0; i < 70; i++)
        {
            state.CommitOffsets($"pv-group-{i:D2}", "pv-groups", 0, 0);
        }
    }
}
