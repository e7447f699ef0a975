using System.Text.Json;
using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.Conformance;

/// <summary>
/// TestKit's ElectLeaders and DeleteRecords against an independent client encoding: kafka-python 2.0.2 has no admin
/// call for either, so scripts/admin_elect_delete.py defines the v0/v1 requests with kafka-python's protocol types
/// and sends them raw. Error codes are Kafka's (kafka-protocol/errors.tsv): 84 ELECTION_NOT_NEEDED, 3
/// UNKNOWN_TOPIC_OR_PARTITION, 1 OFFSET_OUT_OF_RANGE, 6 NOT_LEADER_OR_FOLLOWER.
/// </summary>
public sealed class KafkaPythonElectDeleteTests(ConformanceCluster fx) : IClassFixture<ConformanceCluster>
{
    private const short None = 0, OffsetOutOfRange = 1, UnknownTopicOrPartition = 3, NotLeaderOrFollower = 6, ElectionNotNeeded = 84;

    [Fact]
    public void ElectLeaders_and_DeleteRecords_answer_kafka_python_with_Kafka_error_codes()
    {
        var topic = ConformanceCluster.Prefix("elect");
        fx.Cluster.State.CreateTopic(topic, 2, 3);
        fx.Cluster.State.MoveLeader(topic, 1);
        fx.Cluster.State.AppendRecords(topic, 0, Enumerable.Range(0, 10).Select(i => new SeedRecord("k", "v" + i, 1_700_000_000_000 + i)).ToArray());

        var run = ExternalTools.RunPythonScript("admin_elect_delete.py", "--bootstrap", fx.Bootstrap, "--topic", topic);

        Assert.True(run.ExitCode == 0, run.ToString());
        var results = run.Results.Select(r => r.Split(' ', 2)).ToDictionary(r => r[0], r => JsonDocument.Parse(r[1]).RootElement);
        Assert.True(results["ok"].GetBoolean(), run.ToString());

        Assert.Equal(None, results["elect_v1_error"].GetInt16());
        Assert.Equal(
            new Dictionary<string, short> { [$"{topic}-0"] = ElectionNotNeeded, [$"{topic}-1"] = None, [$"{topic}-99"] = UnknownTopicOrPartition, [$"{topic}-missing-0"] = UnknownTopicOrPartition },
            Codes(results["elect_v1"]));
        Assert.True(results["partition1_back_on_preferred"].GetBoolean());
        Assert.Equal(new Dictionary<string, short> { [$"{topic}-1"] = ElectionNotNeeded }, Codes(results["elect_v0"]));
        var p1 = fx.Cluster.State.GetPartition(topic, 1)!;
        Assert.Equal(p1.Replicas[0], p1.LeaderId);

        // [error code, low watermark]
        Assert.Equal([None, 4], Deletion(results["delete_v0"], $"{topic}-0"));
        Assert.Equal([OffsetOutOfRange, -1], Deletion(results["delete_v1_out_of_range"], $"{topic}-0"));
        Assert.Equal([UnknownTopicOrPartition, -1], Deletion(results["delete_v1_out_of_range"], $"{topic}-missing-0"));
        Assert.Equal([None, 10], Deletion(results["delete_v1_high_watermark"], $"{topic}-0"));
        Assert.Equal([NotLeaderOrFollower, -1], Deletion(results["delete_v1_not_leader"], $"{topic}-0"));
        var p0 = fx.Cluster.State.GetPartition(topic, 0)!;
        Assert.Equal((10L, 10L), (p0.LogStartOffset, p0.HighWatermark));
    }

    private static Dictionary<string, short> Codes(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt16());

    private static long[] Deletion(JsonElement element, string partition) =>
        element.GetProperty(partition).EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
