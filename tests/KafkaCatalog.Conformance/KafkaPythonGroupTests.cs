using KafkaCatalog.TestKit.Kafka.Groups;
using KafkaCatalog.TestKit.Kafka.Records;

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

        // kafka-python (broker guessed >= 0.11) wrote magic-2 gzip batches with valid CRC-32C.
        var topic = fx.Cluster.State.GetTopic(prefix + "-events")!;
        byte[][] batches;
        lock (fx.Cluster.State.Sync)
        {
            batches = topic.Partitions.SelectMany(p => p.Batches).Select(b => b.Data).ToArray();
        }

        Assert.All(batches, b => Assert.Equal(2, b[16]));
        var decoded = batches.Select(b => RecordBatch.Decode(b)).ToList();
        Assert.All(decoded, b => Assert.Equal(CompressionType.Gzip, b.Compression));
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"v{i}").OrderBy(x => x),
            decoded.SelectMany(b => b.Records).Select(r => r.ValueString!).OrderBy(x => x));
    }
}
