namespace KafkaCatalog.Conformance;

/// <summary>kafka-python 2.0.2 KafkaAdminClient against the TestKit broker.</summary>
public sealed class KafkaPythonAdminTests(ConformanceCluster fx) : IClassFixture<ConformanceCluster>
{
    [Fact]
    public void Topics_Create_Describe_Grow_Delete()
    {
        var prefix = ConformanceCluster.Prefix("topics");
        var run = ExternalTools.RunPythonScript("admin_topics.py", "--bootstrap", fx.Bootstrap, "--prefix", prefix);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ok true", run.Results);
        Assert.Contains("describe_partitions [0, 1, 2]", run.Results);
        Assert.Contains("brokers [1, 2, 3]", run.Results);
        Assert.Null(fx.Cluster.State.GetTopic(prefix + "-orders"));
    }
}
