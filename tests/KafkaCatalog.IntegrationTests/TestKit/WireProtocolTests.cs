using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>Protocol-level behaviour of the TestKit broker, driven by the schema-driven wire client.</summary>
public sealed class WireProtocolTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private Task<KafkaWireClient> Connect(int broker = 1) =>
        KafkaWireClient.ConnectAsync("127.0.0.1", fx.Cluster.Brokers[broker - 1].Port);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ApiVersions_advertises_every_handler_from_version_zero(short version)
    {
        await using var c = await Connect();
        var req = KafkaWireClient.NewRequest(ApiKeys.ApiVersions);
        if (version >= 3)
        {
            req.Set("ClientSoftwareName", "librdkafka");
            req.Set("ClientSoftwareVersion", "2.15.1");
        }
        var resp = await c.RequestAsync(ApiKeys.ApiVersions, version, req);
        Assert.Equal(0, resp.GetInt16("ErrorCode"));
        var keys = resp.GetArray("ApiKeys")!;
        Assert.All(keys, k => Assert.Equal(0, k.GetInt16("MinVersion")));
        Assert.Contains(keys, k => k.GetInt16("ApiKey") == ApiKeys.Metadata && k.GetInt16("MaxVersion") == 12);
        Assert.Contains(keys, k => k.GetInt16("ApiKey") == ApiKeys.CreateTopics);
    }

    [Fact]
    public async Task Metadata_v12_flexible_roundtrip()
    {
        await using var c = await Connect(2);
        var req = KafkaWireClient.NewRequest(ApiKeys.Metadata);
        req.Set("Topics", null);
        var resp = await c.RequestAsync(ApiKeys.Metadata, 12, req);
        Assert.Equal(fx.Cluster.ClusterId, resp.GetString("ClusterId"));
        Assert.Equal(3, resp.GetArray("Brokers")!.Count);
        Assert.Contains(resp.GetArray("Topics")!, t => t.GetString("Name") == "__consumer_offsets" && t.GetBool("IsInternal"));
    }
}
