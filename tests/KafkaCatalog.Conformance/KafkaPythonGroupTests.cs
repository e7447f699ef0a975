using KafkaCatalog.TestKit.Kafka.Groups;

namespace KafkaCatalog.Conformance;

/// <summary>kafka-python 2.0.2 producer, consumer group and group admin calls.</summary>
public sealed class KafkaPythonGroupTests(ConformanceCluster fx) : IClassFixture<ConformanceCluster>
{
    [Fact]
    public void Produce_ConsumeInGroup_Rebalance_Commit_AndGroupAdmin()
    {
        var prefix = ConformanceCluster.Prefix("grp");
        var run = ExternalTools.RunPythonScript("groups.py", "--bootstrap", fx.Bootstrap, "--prefix", prefix);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ok true", run.Results);
        Assert.Contains("after_join [2, 2]", run.Results);
        Assert.Contains("described [\"Stable\", 2]", run.Results);
        Assert.Contains("after_leave 4", run.Results);
        Assert.Equal(40, fx.Cluster.State.GetTopic(prefix + "-events")!.Partitions.Sum(p => p.HighWatermark));
        Assert.Null(fx.Cluster.State.Groups.GetState(prefix + "-group"));
    }
}
