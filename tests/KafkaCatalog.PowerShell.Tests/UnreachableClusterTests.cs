using System.Diagnostics;
using System.Management.Automation;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using Xunit.Abstractions;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// An unreachable cluster is one terminating KafkaClusterUnreachable, raised before any per-item
/// work: every Kafka cmdlet, given many items (piped rows or a list), against a closed port, writes
/// exactly one error, naming the bootstrap servers and the timeout, and no per-row error. The time
/// taken is written to the output; the only bound asserted is a generous one that a per-row timeout
/// (20 rows x 2 s) could not meet.
/// </summary>
[Collection(DeadEndCollection.Name)]
public sealed class UnreachableClusterTests(EngineFixture fx, ITestOutputHelper output)
{
    private const int TimeoutSec = 2;
    private const int Rows = 20;

    /// <summary>Far below Rows x TimeoutSec (what timing out row by row would take), far above one timeout.</summary>
    private static readonly TimeSpan OneTimeoutBound = TimeSpan.FromSeconds(Rows * TimeoutSec / 2);

    /// <summary>cmdlet, script: $conn is a connection to the closed port $dead (-TimeoutSec 2, not verified); $rows are 20 CSV rows; $csv their file.</summary>
    public static TheoryData<string, string> Commands => new()
    {
        { "New-KafkaTopic", "Import-Csv $csv | New-KafkaTopic -Connection $conn -Confirm:$false" },
        { "Set-KafkaTopicConfig", "Import-Csv $csv | Set-KafkaTopicConfig -Set @{ 'retention.ms' = '1000' } -Connection $conn -Confirm:$false" },
        { "Add-KafkaPartition", "Import-Csv $csv | Add-KafkaPartition -TotalCount 4 -Connection $conn -Confirm:$false" },
        { "Remove-KafkaTopic", "Import-Csv $csv | Remove-KafkaTopic -Connection $conn -Force" },
        { "Get-KafkaTopic", "Import-Csv $csv | Get-KafkaTopic -Connection $conn" },
        { "Get-KafkaTopicConfig", "Import-Csv $csv | Get-KafkaTopicConfig -Connection $conn" },
        { "Get-KafkaTopicOffset", "Import-Csv $csv | Get-KafkaTopicOffset -Connection $conn" },
        { "Get-KafkaCluster", "Get-KafkaCluster -Connection $conn" },
        { "Get-KafkaBroker", "Get-KafkaBroker -BrokerId (1..20) -Connection $conn" },
        { "Get-KafkaBrokerConfig", "Get-KafkaBrokerConfig -BrokerId (1..20) -Connection $conn" },
        { "Set-KafkaBrokerConfig", "Set-KafkaBrokerConfig -BrokerId (1..20) -Set @{ 'log.retention.ms' = '60000' } -Connection $conn -Confirm:$false" },
        { "Get-KafkaConsumerGroup", "Import-Csv $csv | Get-KafkaConsumerGroup -Connection $conn" },
        { "Get-KafkaConsumerGroupOffset", "Import-Csv $csv | Get-KafkaConsumerGroupOffset -Connection $conn" },
        { "Reset-KafkaConsumerGroupOffset", "Import-Csv $csv | Reset-KafkaConsumerGroupOffset -ToEarliest -Connection $conn -Force" },
        { "Remove-KafkaConsumerGroup", "Import-Csv $csv | Remove-KafkaConsumerGroup -Connection $conn -Force" },
        { "Get-KafkaAcl", "Get-KafkaAcl -Connection $conn" },
        { "Add-KafkaAcl", "Import-Csv $csv | Select-Object @{ n = 'ResourceName'; e = { $_.Name } } | Add-KafkaAcl -ResourceType Topic -Principal User:alice -Operation Read -Connection $conn -Confirm:$false" },
        { "Remove-KafkaAcl", "Remove-KafkaAcl -ResourceType Topic -ResourceName orders -Connection $conn -Force" },
        { "Receive-KafkaMessage", "Receive-KafkaMessage -Topic orders -FromBeginning -Connection $conn" },
        { "Publish-KafkaMessage", "Import-Csv $csv | Publish-KafkaMessage -Topic orders -Connection $conn -Confirm:$false" },
        { "Connect-KafkaCluster", "Connect-KafkaCluster -BootstrapServer $dead -Name dead-verified -TimeoutSec 2" },
        { "Sync-CatalogKafkaAsset", "$null = Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken; $null = New-CatalogKafkaConnection -Name \"kc-unreachable-$(New-Guid)\" -AdminRole '$admin' -Confirm:$false; Sync-CatalogKafkaAsset -Connection $conn -Confirm:$false" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void An_unreachable_cluster_is_one_KafkaClusterUnreachable_before_any_row(string cmdlet, string script)
    {
        var dead = DeadEndpoints.ClosedPort();
        var csv = Path.Combine(Path.GetTempPath(), $"kc-unreachable-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(csv, new[] { "Name,Partitions,TotalCount,GroupId,Value" }
            .Concat(Enumerable.Range(1, Rows).Select(i => $"row-{i},1,4,group-{i},value-{i}")));
        try
        {
            using var engine = fx.Open();
            engine.SetVariable("dead", dead);
            engine.SetVariable("csv", csv);
            engine.Run($"$conn = Connect-KafkaCluster -BootstrapServer $dead -Name dead -TimeoutSec {TimeoutSec} -SkipVerify").AssertNoErrors();

            // try/catch catches only a terminating error: the record comes out as the one output object.
            var watch = Stopwatch.StartNew();
            var run = engine.Run("try { " + script + " } catch { $_ }");
            watch.Stop();
            var caught = run.Objects<ErrorRecord>();
            output.WriteLine($"UNREACHABLE | {cmdlet} | {watch.ElapsedMilliseconds} ms | caught: {string.Join(" | ", caught.Select(e => e.FullyQualifiedErrorId))} | other errors: {string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId))}");

            Assert.Empty(run.AllErrors);
            var error = Assert.Single(caught);
            Assert.Single(run.Output);
            Assert.StartsWith("KafkaClusterUnreachable,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains(dead, error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains($"within {TimeoutSec} s", error.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("Check that the brokers are running", error.Exception.Message, StringComparison.Ordinal);
            Assert.True(watch.Elapsed < OneTimeoutBound, $"{cmdlet} took {watch.ElapsedMilliseconds} ms: more like a timeout per row than one");
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
