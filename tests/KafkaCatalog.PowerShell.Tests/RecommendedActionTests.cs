using System.Management.Automation;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.PowerShell.Tests.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// The catalogue's fix reaches the user as the ErrorRecord's ErrorDetails.RecommendedAction, read from a script the
/// way users read it ($_.ErrorDetails.RecommendedAction, $err[0].ErrorDetails), while ErrorDetails.Message stays the
/// exception's message, so what PowerShell shows ("$_") and what $_.Exception.Message reads are unchanged. Cases: a
/// bad parameter (refused by Core before any request) and errors the broker returns (TOPIC_ALREADY_EXISTS,
/// SECURITY_DISABLED). The unreachable cluster is in <see cref="UnreachableRecommendedActionTests"/>.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RecommendedActionTests(EngineFixture fx)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "New-KafkaTopic -Name 'not a topic name!' -Partitions 1 -BootstrapServer $bs", nameof(ErrorCatalog.InvalidTopicName) },
        { "New-KafkaTopic -Name $existing -Partitions 1 -BootstrapServer $bs", nameof(ErrorCatalog.TopicAlreadyExists) },
        { "Add-KafkaAcl -ResourceType Topic -ResourceName $existing -Principal User:alice -Operation Read -BootstrapServer $bs -Confirm:$false", nameof(ErrorCatalog.AclAuthorizerDisabled) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_error_record_recommends_the_catalogue_fix_and_keeps_the_message(string script, string id)
    {
        var entry = ErrorCatalog.Find(id);
        Assert.NotNull(entry);
        using var engine = fx.Open();
        engine.SetVariable("existing", fx.NewTopic(1, "recact"));

        var run = engine.Run(script + " -ErrorVariable err; "
            + "$err[0].ErrorDetails.RecommendedAction; ($err[0].ErrorDetails.Message -ceq $err[0].Exception.Message); ($err[0].ToString() -ceq $err[0].Exception.Message)");

        var error = Assert.Single(run.AllErrors);
        Assert.StartsWith(id + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.NotNull(error.ErrorDetails);
        Assert.Equal(entry.Fix, error.ErrorDetails.RecommendedAction);
        Assert.Equal(error.Exception.Message, error.ErrorDetails.Message);
        Assert.Equal(new object[] { entry.Fix, true, true }, run.Output.Select(o => o.BaseObject).ToArray());
    }
}

/// <summary>The unreachable cluster's one terminating KafkaClusterUnreachable recommends its fix (caught with try/catch as $_).</summary>
[Collection(DeadEndCollection.Name)]
public sealed class UnreachableRecommendedActionTests(EngineFixture fx)
{
    [Fact]
    public void An_unreachable_cluster_recommends_checking_the_bootstrap_servers()
    {
        using var engine = fx.Open();
        engine.SetVariable("dead", DeadEndpoints.ClosedPort());
        engine.Run("$conn = Connect-KafkaCluster -BootstrapServer $dead -Name dead-recact -TimeoutSec 2 -SkipVerify").AssertNoErrors();

        var run = engine.Run("try { Get-KafkaTopic -Connection $conn } catch { $_; $_.ErrorDetails.RecommendedAction; $_.ErrorDetails.Message -ceq $_.Exception.Message }");

        Assert.Empty(run.AllErrors);
        var output = run.Output.Select(o => o.BaseObject).ToArray();
        Assert.Equal(3, output.Length);
        var error = Assert.IsType<ErrorRecord>(output[0]);
        Assert.StartsWith(nameof(ErrorCatalog.KafkaClusterUnreachable) + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCatalog.KafkaClusterUnreachable.Fix, output[1]);
        Assert.Equal(true, output[2]);
    }
}
