using System.Text.Json;

namespace KafkaCatalog.Conformance;

/// <summary>kcat (its own librdkafka build) against the TestKit broker: metadata, produce, consume, offsets by time.</summary>
public sealed class KcatTests(ConformanceCluster fx) : IClassFixture<ConformanceCluster>
{
    private string NewTopic(int partitions)
    {
        var name = ConformanceCluster.Prefix("kcat");
        fx.Cluster.State.CreateTopic(name, partitions, 1);
        return name;
    }

    [Fact]
    public void Metadata_Json_ListsBrokersAndTopics()
    {
        var topic = NewTopic(3);
        var run = ExternalTools.RunKcat(null, "-b", fx.Bootstrap, "-L", "-J", "-m", "30");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var brokers = doc.RootElement.GetProperty("brokers").EnumerateArray().Select(b => b.GetProperty("id").GetInt32()).OrderBy(x => x);
        Assert.Equal(new[] { 1, 2, 3 }, brokers);
        var t = doc.RootElement.GetProperty("topics").EnumerateArray().Single(x => x.GetProperty("topic").GetString() == topic);
        Assert.Equal(3, t.GetProperty("partitions").GetArrayLength());
        Assert.All(t.GetProperty("partitions").EnumerateArray(), p => Assert.True(p.GetProperty("leader").GetInt32() >= 1));
    }

    [Fact]
    public void Produce_ThenConsumeFromBeginningAndEnd()
    {
        var topic = NewTopic(1);
        var produce = ExternalTools.RunKcat("k1:v1\nk2:v2\nk3:v3\n", "-b", fx.Bootstrap, "-P", "-t", topic, "-p", "0", "-K:", "-m", "30");
        Assert.True(produce.ExitCode == 0, produce.ToString());
        Assert.Equal(3, fx.Cluster.State.GetPartition(topic, 0)!.HighWatermark);

        var all = ExternalTools.RunKcat(null, "-b", fx.Bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-f", "%k=%s@%o\\n", "-m", "30");
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(new[] { "k1=v1@0", "k2=v2@1", "k3=v3@2" }, all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var fromEnd = ExternalTools.RunKcat(null, "-b", fx.Bootstrap, "-C", "-t", topic, "-o", "end", "-e", "-f", "%k=%s\\n", "-m", "30");
        Assert.True(fromEnd.ExitCode == 0, fromEnd.ToString());
        Assert.Equal("", fromEnd.Stdout.Trim());

        var lastTwo = ExternalTools.RunKcat(null, "-b", fx.Bootstrap, "-C", "-t", topic, "-o", "-2", "-e", "-f", "%s\\n", "-m", "30");
        Assert.Equal(new[] { "v2", "v3" }, lastTwo.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void QueryOffsetsByTimestamp()
    {
        var topic = NewTopic(1);
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        var produce = ExternalTools.RunKcat("a\nb\n", "-b", fx.Bootstrap, "-P", "-t", topic, "-p", "0", "-m", "30");
        Assert.True(produce.ExitCode == 0, produce.ToString());

        var q = ExternalTools.RunKcat(null, "-b", fx.Bootstrap, "-Q", "-t", $"{topic}:0:{before}", "-m", "30");
        Assert.True(q.ExitCode == 0, q.ToString());
        Assert.Contains($"{topic} [0] offset 0", q.Stdout);

        long future = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        var none = ExternalTools.RunKcat(null, "-b", fx.Bootstrap, "-Q", "-t", $"{topic}:0:{future}", "-m", "30");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Contains($"{topic} [0] offset -1", none.Stdout);
    }

    [Fact]
    public void ConsumerGroupMode_CommitsOffsets()
    {
        var topic = NewTopic(2);
        var produce = ExternalTools.RunKcat("x\ny\nz\n", "-b", fx.Bootstrap, "-P", "-t", topic, "-m", "30");
        Assert.True(produce.ExitCode == 0, produce.ToString());
        var group = ConformanceCluster.Prefix("kcatgrp");
        var consume = ExternalTools.RunKcat(null, "-b", fx.Bootstrap, "-G", group, "-X", "auto.offset.reset=earliest",
            "-X", "enable.auto.commit=true", "-X", "auto.commit.interval.ms=100", "-e", "-f", "%s\\n", "-m", "30", topic);
        Assert.True(consume.ExitCode == 0, consume.ToString());
        Assert.Equal(new[] { "x", "y", "z" }, consume.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).OrderBy(x => x));
        long committed = Enumerable.Range(0, 2).Sum(p => fx.Cluster.State.GetCommittedOffset(group, topic, p) ?? 0);
        Assert.Equal(3, committed);
    }
}
