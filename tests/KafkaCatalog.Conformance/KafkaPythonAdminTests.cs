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

/// <summary>Cluster with the authorizer on (ANONYMOUS is a super user) so ACL calls are served.</summary>
public sealed class AclConformanceCluster : ConformanceCluster
{
    protected override KafkaCatalog.TestKit.Kafka.KafkaTestClusterOptions CreateOptions()
    {
        var o = new KafkaCatalog.TestKit.Kafka.KafkaTestClusterOptions { Brokers = 3, EnableAcls = true };
        o.SuperUsers.Add("User:ANONYMOUS");
        return o;
    }
}

/// <summary>kafka-python 2.0.2 configs and ACL calls.</summary>
public sealed class KafkaPythonConfigAclTests(AclConformanceCluster fx) : IClassFixture<AclConformanceCluster>
{
    [Fact]
    public void Configs_DescribeAlter_And_Acls_CreateDescribeDelete()
    {
        var prefix = ConformanceCluster.Prefix("cfg");
        var run = ExternalTools.RunPythonScript("admin_configs_acls.py", "--bootstrap", fx.Bootstrap, "--prefix", prefix);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ok true", run.Results);
        Assert.Contains("altered_retention \"7200000\"", run.Results);
        Assert.Equal("7200000", fx.Cluster.State.GetTopic(prefix + "-cfg")!.Configs["retention.ms"]);
    }
}
