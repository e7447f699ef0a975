using System.Buffers.Binary;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>Protocol-level behaviour of the TestKit broker, driven by the schema-driven wire client.</summary>
public sealed class WireProtocolTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private KafkaTestCluster Cluster => fx.Cluster;

    private Task<KafkaWireClient> Connect(int broker = 1) =>
        KafkaWireClient.ConnectAsync("127.0.0.1", Cluster.Brokers.Single(b => b.Id == broker).Port);

    private string NewTopic(int partitions = 1, short rf = 1)
    {
        var name = "wire-" + Guid.NewGuid().ToString("N")[..12];
        Cluster.State.CreateTopic(name, partitions, rf);
        return name;
    }

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
        Assert.Contains(keys, k => k.GetInt16("ApiKey") == ApiKeys.CreateTopics && k.GetInt16("MaxVersion") == 7);
        Assert.Contains(keys, k => k.GetInt16("ApiKey") == ApiKeys.Produce && k.GetInt16("MaxVersion") == 9);
        Assert.Contains(keys, k => k.GetInt16("ApiKey") == ApiKeys.Fetch && k.GetInt16("MaxVersion") == 12);
    }

    [Fact]
    public async Task Unknown_ApiVersions_version_gets_error_35_in_v0_layout_and_the_connection_stays_open()
    {
        await using var c = await Connect();
        var id = await c.SendAsync(ApiKeys.ApiVersions, 99, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        var frame = await c.ReadFrameAsync();
        Assert.NotNull(frame);
        var (cid, body) = KafkaWireClient.DecodeResponse(frame!, ApiKeys.ApiVersions, 0);
        Assert.Equal(id, cid);
        Assert.Equal(ErrorCode.UnsupportedVersion, body.GetInt16("ErrorCode"));
        var k = Assert.Single(body.GetArray("ApiKeys")!);
        Assert.Equal((ApiKeys.ApiVersions, 0, 3), (k.GetInt16("ApiKey"), k.GetInt16("MinVersion"), k.GetInt16("MaxVersion")));

        var again = await c.RequestAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        Assert.Equal(0, again.GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        await using var c = await Connect(2);
        var md = KafkaWireClient.NewRequest(ApiKeys.Metadata);
        md.Set("Topics", null);
        var a = await c.SendAsync(ApiKeys.Metadata, 1, md);
        var b = await c.SendAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        var d = await c.SendAsync(ApiKeys.Metadata, 12, md);
        var r1 = await c.ReceiveAsync(ApiKeys.Metadata, 1);
        var r2 = await c.ReceiveAsync(ApiKeys.ApiVersions, 0);
        var r3 = await c.ReceiveAsync(ApiKeys.Metadata, 12);
        Assert.Equal(new[] { a, b, d }, new[] { r1.CorrelationId, r2.CorrelationId, r3.CorrelationId });
        Assert.Equal(Cluster.ControllerId, r1.Body.GetInt32("ControllerId"));
        Assert.Equal(Cluster.ClusterId, r3.Body.GetString("ClusterId"));
        Assert.Contains(r3.Body.GetArray("Topics")!, t => t.GetString("Name") == "__consumer_offsets" && t.GetBool("IsInternal"));
    }

    [Fact]
    public async Task Produce_with_acks_zero_gets_no_response_but_is_stored()
    {
        var topic = NewTopic();
        var leader = Cluster.State.GetPartition(topic, 0)!.LeaderId;
        await using var c = await Connect(leader);
        await c.SendAsync(ApiKeys.Produce, 7, TestBatches.ProduceRequest(topic, 0, 0, TestBatches.Build(1000, "a", "b")));
        var next = await c.SendAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        var (cid, _) = await c.ReceiveAsync(ApiKeys.ApiVersions, 0);
        Assert.Equal(next, cid);
        Assert.Equal(2, Cluster.State.GetPartition(topic, 0)!.HighWatermark);
    }

    [Fact]
    public async Task Produce_errors_not_leader_unknown_topic_and_corrupt_crc()
    {
        var topic = NewTopic();
        var leader = Cluster.State.GetPartition(topic, 0)!.LeaderId;
        var other = Cluster.Brokers.First(b => b.Id != leader).Id;
        await using var c = await Connect(other);
        var resp = await c.RequestAsync(ApiKeys.Produce, 9, TestBatches.ProduceRequest(topic, 0, -1, TestBatches.Build(1, "x")));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, resp.GetArray("Responses")![0].GetArray("PartitionResponses")![0].GetInt16("ErrorCode"));

        resp = await c.RequestAsync(ApiKeys.Produce, 3, TestBatches.ProduceRequest("nope-" + topic, 0, 1, TestBatches.Build(1, "x")));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, resp.GetArray("Responses")![0].GetArray("PartitionResponses")![0].GetInt16("ErrorCode"));

        await using var l = await Connect(leader);
        var bad = TestBatches.Build(1, "x");
        bad[^1] ^= 0xFF;
        resp = await l.RequestAsync(ApiKeys.Produce, 8, TestBatches.ProduceRequest(topic, 0, 1, bad));
        Assert.Equal(ErrorCode.CorruptMessage, resp.GetArray("Responses")![0].GetArray("PartitionResponses")![0].GetInt16("ErrorCode"));
        Assert.Equal(0, Cluster.State.GetPartition(topic, 0)!.HighWatermark);
    }

    [Theory]
    [InlineData(7)] // no such codec
    [InlineData(5)] // no such codec
    public async Task Produce_with_unknown_compression_codec_is_unsupported_compression_type_and_appends_nothing(int codec)
    {
        var topic = NewTopic();
        var leader = Cluster.State.GetPartition(topic, 0)!.LeaderId;
        await using var l = await Connect(leader);
        var bad = TestBatches.Build(1, "x");
        BinaryPrimitives.WriteInt16BigEndian(bad.AsSpan(21), (short)codec);
        BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(17), Crc32C.Compute(bad.AsSpan(21)));
        // A good batch ahead of the bad one in the same records set must not be appended either.
        var records = TestBatches.Build(1, "ok").Concat(bad).ToArray();
        var resp = await l.RequestAsync(ApiKeys.Produce, 9, TestBatches.ProduceRequest(topic, 0, -1, records));
        var pr = resp.GetArray("Responses")![0].GetArray("PartitionResponses")![0];
        Assert.Equal(ErrorCode.UnsupportedCompressionType, pr.GetInt16("ErrorCode"));
        Assert.Equal(76, ErrorCode.UnsupportedCompressionType);
        Assert.Contains($"codec {codec}", pr.GetString("ErrorMessage"));
        Assert.Equal(0, Cluster.State.GetPartition(topic, 0)!.HighWatermark);

        // The connection stays usable and a supported (uncompressed) batch still goes in.
        resp = await l.RequestAsync(ApiKeys.Produce, 9, TestBatches.ProduceRequest(topic, 0, -1, TestBatches.Build(1, "y")));
        Assert.Equal(ErrorCode.None, resp.GetArray("Responses")![0].GetArray("PartitionResponses")![0].GetInt16("ErrorCode"));
        Assert.Equal(1, Cluster.State.GetPartition(topic, 0)!.HighWatermark);
    }

    [Fact]
    public async Task Fetch_long_poll_returns_when_data_arrives()
    {
        var topic = NewTopic();
        var leader = Cluster.State.GetPartition(topic, 0)!.LeaderId;
        await using var c = await Connect(leader);
        var fetch = KafkaWireClient.NewRequest(ApiKeys.Fetch);
        fetch.Set("MaxWaitMs", 60000);
        fetch.Set("MinBytes", 1);
        var ft = fetch.AddElement("Topics");
        ft.Set("Topic", topic);
        var fp = ft.AddElement("Partitions");
        fp.Set("Partition", 0);
        fp.Set("FetchOffset", 0L);
        fp.Set("PartitionMaxBytes", 1 << 20);
        var id = await c.SendAsync(ApiKeys.Fetch, 12, fetch);
        var pending = c.ReceiveAsync(ApiKeys.Fetch, 12);

        await using (var p = await Connect(leader))
        {
            await p.RequestAsync(ApiKeys.Produce, 9, TestBatches.ProduceRequest(topic, 0, 1, TestBatches.Build(5, "late")));
        }

        var (cid, body) = await pending;
        Assert.Equal(id, cid);
        var part = body.GetArray("Responses")![0].GetArray("Partitions")![0];
        Assert.Equal(0, part.GetInt16("ErrorCode"));
        Assert.Equal(1, part.GetInt64("HighWatermark"));
        Assert.True(part.GetBytes("Records")!.Length > 61);
    }

    [Fact]
    public async Task Fetch_out_of_range_offset_fails_with_OffsetOutOfRange()
    {
        var topic = NewTopic();
        var leader = Cluster.State.GetPartition(topic, 0)!.LeaderId;
        await using var c = await Connect(leader);
        var fetch = KafkaWireClient.NewRequest(ApiKeys.Fetch);
        var ft = fetch.AddElement("Topics");
        ft.Set("Topic", topic);
        var fp = ft.AddElement("Partitions");
        fp.Set("FetchOffset", 42L);
        fp.Set("PartitionMaxBytes", 1024);
        var body = await c.RequestAsync(ApiKeys.Fetch, 4, fetch);
        Assert.Equal(ErrorCode.OffsetOutOfRange, body.GetArray("Responses")![0].GetArray("Partitions")![0].GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task ListOffsets_v0_uses_old_style_offsets()
    {
        var topic = NewTopic();
        var leader = Cluster.State.GetPartition(topic, 0)!.LeaderId;
        await using var c = await Connect(leader);
        await c.RequestAsync(ApiKeys.Produce, 7, TestBatches.ProduceRequest(topic, 0, 1, TestBatches.Build(5, "a", "b", "c")));
        var req = KafkaWireClient.NewRequest(ApiKeys.ListOffsets);
        req.Set("ReplicaId", -1);
        var t = req.AddElement("Topics");
        t.Set("Name", topic);
        var p = t.AddElement("Partitions");
        p.Set("Timestamp", -1L);
        var resp = await c.RequestAsync(ApiKeys.ListOffsets, 0, req);
        Assert.Equal(new List<long> { 3 }, resp.GetArray("Topics")![0].GetArray("Partitions")![0].GetList<long>("OldStyleOffsets"));
    }

    [Fact]
    public async Task Unknown_api_key_closes_the_connection()
    {
        await using var c = await Connect();
        await c.SendAsync(57, 0, KafkaSchema.Request(57)!.NewMessage());
        Assert.Null(await c.ReadFrameAsync());
    }

    [Fact]
    public async Task DeleteTopics_v6_by_topic_id()
    {
        var topic = NewTopic();
        var id = Cluster.State.GetTopic(topic)!.TopicId;
        await using var c = await Connect();
        var req = KafkaWireClient.NewRequest(ApiKeys.DeleteTopics);
        req.AddElement("Topics").Set("Name", null).Set("TopicId", id);
        req.Set("TimeoutMs", 1000);
        var resp = await c.RequestAsync(ApiKeys.DeleteTopics, 6, req);
        var r = Assert.Single(resp.GetArray("Responses")!);
        Assert.Equal(0, r.GetInt16("ErrorCode"));
        Assert.Equal(topic, r.GetString("Name"));
        Assert.Null(Cluster.State.GetTopic(topic));
    }

    [Fact]
    public async Task DescribeConfigs_broker_resource_for_another_broker_is_an_invalid_request()
    {
        await using var c = await Connect(1);
        var req = KafkaWireClient.NewRequest(ApiKeys.DescribeConfigs);
        var r = req.AddElement("Resources");
        r.Set("ResourceType", (sbyte)4);
        r.Set("ResourceName", "2");
        r.Set("ConfigurationKeys", null);
        var resp = await c.RequestAsync(ApiKeys.DescribeConfigs, 1, req);
        var res = Assert.Single(resp.GetArray("Results")!);
        Assert.Equal(ErrorCode.InvalidRequest, res.GetInt16("ErrorCode"));
        Assert.Equal("Unexpected broker id, expected 1 or empty string, but received 2", res.GetString("ErrorMessage"));
    }

    [Fact]
    public async Task Acl_apis_report_security_disabled_without_an_authorizer()
    {
        await using var c = await Connect();
        var req = KafkaWireClient.NewRequest(ApiKeys.DescribeAcls);
        req.Set("ResourceTypeFilter", (sbyte)1);
        req.Set("PatternTypeFilter", (sbyte)1);
        req.Set("Operation", (sbyte)1);
        req.Set("PermissionType", (sbyte)1);
        req.Set("ResourceNameFilter", null);
        req.Set("PrincipalFilter", null);
        req.Set("HostFilter", null);
        var resp = await c.RequestAsync(ApiKeys.DescribeAcls, 2, req);
        Assert.Equal(ErrorCode.SecurityDisabled, resp.GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task ApiVersions_advertises_exactly_the_registered_handlers()
    {
        await using var c = await Connect();
        var resp = await c.RequestAsync(ApiKeys.ApiVersions, 3, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        var advertised = resp.GetArray("ApiKeys")!.Select(k => (k.GetInt16("ApiKey"), k.GetInt16("MinVersion"), k.GetInt16("MaxVersion"))).ToList();
        var registered = KafkaCatalog.TestKit.Kafka.Server.HandlerRegistry.Handlers.Values.Select(h => (h.ApiKey, h.MinVersion, h.MaxVersion)).ToList();
        Assert.Equal(registered, advertised);
        Assert.All(registered, r => Assert.True(r.Item3 <= KafkaSchema.Request(r.Item1)!.ValidVersions.Max));
    }

    [Fact]
    public async Task DescribeCluster_key_60_lists_live_brokers_and_controller()
    {
        await using var c = await Connect(3);
        var resp = await c.RequestAsync(ApiKeys.DescribeCluster, 1, KafkaWireClient.NewRequest(ApiKeys.DescribeCluster).Set("IncludeClusterAuthorizedOperations", true));
        Assert.Equal(0, resp.GetInt16("ErrorCode"));
        Assert.Equal(Cluster.ClusterId, resp.GetString("ClusterId"));
        Assert.Equal(Cluster.ControllerId, resp.GetInt32("ControllerId"));
        Assert.Equal(new[] { 1, 2, 3 }, resp.GetArray("Brokers")!.Select(b => b.GetInt32("BrokerId")));
        Assert.NotEqual(int.MinValue, resp.GetInt32("ClusterAuthorizedOperations"));

        var bad = await c.RequestAsync(ApiKeys.DescribeCluster, 1, KafkaWireClient.NewRequest(ApiKeys.DescribeCluster).Set("EndpointType", (sbyte)2));
        Assert.Equal(115, bad.GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task CreateTopics_v7_returns_topic_id_and_configs()
    {
        await using var c = await Connect();
        var name = "v7-" + Guid.NewGuid().ToString("N")[..10];
        var req = KafkaWireClient.NewRequest(ApiKeys.CreateTopics);
        var t = req.AddElement("Topics").Set("Name", name).Set("NumPartitions", 2).Set("ReplicationFactor", (short)2);
        t.AddElement("Configs").Set("Name", "retention.ms").Set("Value", "5000");
        var resp = await c.RequestAsync(ApiKeys.CreateTopics, 7, req);
        var r = Assert.Single(resp.GetArray("Topics")!);
        Assert.Equal(0, r.GetInt16("ErrorCode"));
        Assert.Equal(Cluster.State.GetTopic(name)!.TopicId, r.GetUuid("TopicId"));
        Assert.Equal((2, (short)2), (r.GetInt32("NumPartitions"), r.GetInt16("ReplicationFactor")));
        var retention = r.GetArray("Configs")!.Single(x => x.GetString("Name") == "retention.ms");
        Assert.Equal(("5000", (sbyte)1), (retention.GetString("Value"), retention.GetInt8("ConfigSource")));
    }

    [Fact]
    public async Task CreateTopics_non_positive_partitions_and_replication_factor_fail()
    {
        await using var c = await Connect();
        var req = KafkaWireClient.NewRequest(ApiKeys.CreateTopics);
        req.AddElement("Topics").Set("Name", "zero-parts").Set("NumPartitions", 0).Set("ReplicationFactor", (short)1);
        req.AddElement("Topics").Set("Name", "zero-rf").Set("NumPartitions", 1).Set("ReplicationFactor", (short)0);
        req.AddElement("Topics").Set("Name", "dup").Set("NumPartitions", 1).Set("ReplicationFactor", (short)1);
        req.AddElement("Topics").Set("Name", "dup").Set("NumPartitions", 1).Set("ReplicationFactor", (short)1);
        var resp = await c.RequestAsync(ApiKeys.CreateTopics, 4, req);
        var r = resp.GetArray("Topics")!;
        Assert.Equal(ErrorCode.InvalidPartitions, r[0].GetInt16("ErrorCode"));
        Assert.Equal("Number of partitions was set to an invalid non-positive value.", r[0].GetString("ErrorMessage"));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, r[1].GetInt16("ErrorCode"));
        Assert.Equal(ErrorCode.InvalidRequest, r[2].GetInt16("ErrorCode"));
        Assert.Equal(ErrorCode.InvalidRequest, r[3].GetInt16("ErrorCode"));
        Assert.Null(Cluster.State.GetTopic("zero-parts"));
        Assert.Null(Cluster.State.GetTopic("zero-rf"));
        Assert.Null(Cluster.State.GetTopic("dup"));
    }

    [Fact]
    public async Task Injected_error_on_acks_zero_produce_sends_nothing()
    {
        var topic = NewTopic();
        var leader = Cluster.State.GetPartition(topic, 0)!.LeaderId;
        Cluster.Faults.FailNext(ApiKeys.Produce, ErrorCode.RequestTimedOut, brokerId: leader);
        await using var c = await Connect(leader);
        await c.SendAsync(ApiKeys.Produce, 7, TestBatches.ProduceRequest(topic, 0, 0, TestBatches.Build(1, "dropped")));
        var next = await c.SendAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        Assert.Equal(next, (await c.ReceiveAsync(ApiKeys.ApiVersions, 0)).CorrelationId);
        Assert.Equal(0, Cluster.State.GetPartition(topic, 0)!.HighWatermark);
    }

    [Fact]
    public async Task Broker_logger_levels_can_be_described_and_changed()
    {
        await using var c = await Connect(3);
        var alter = KafkaWireClient.NewRequest(ApiKeys.IncrementalAlterConfigs);
        var res = alter.AddElement("Resources").Set("ResourceType", (sbyte)8).Set("ResourceName", "3");
        res.AddElement("Configs").Set("Name", "kafka.controller").Set("ConfigOperation", (sbyte)0).Set("Value", "DEBUG");
        Assert.Equal(0, (await c.RequestAsync(ApiKeys.IncrementalAlterConfigs, 0, alter)).GetArray("Responses")![0].GetInt16("ErrorCode"));

        var bad = KafkaWireClient.NewRequest(ApiKeys.IncrementalAlterConfigs);
        bad.AddElement("Resources").Set("ResourceType", (sbyte)8).Set("ResourceName", "3")
            .AddElement("Configs").Set("Name", "kafka").Set("ConfigOperation", (sbyte)0).Set("Value", "LOUD");
        var badResp = (await c.RequestAsync(ApiKeys.IncrementalAlterConfigs, 1, bad)).GetArray("Responses")![0];
        Assert.Equal(ErrorCode.InvalidConfig, badResp.GetInt16("ErrorCode"));
        Assert.Equal("INFO", Cluster.State.BrokerLoggers(3)["kafka"]);

        var describe = KafkaWireClient.NewRequest(ApiKeys.DescribeConfigs);
        describe.AddElement("Resources").Set("ResourceType", (sbyte)8).Set("ResourceName", "3").Set("ConfigurationKeys", new[] { "kafka.controller" });
        var entry = Assert.Single((await c.RequestAsync(ApiKeys.DescribeConfigs, 2, describe)).GetArray("Results")![0].GetArray("Configs")!);
        Assert.Equal(("DEBUG", (sbyte)6), (entry.GetString("Value"), entry.GetInt8("ConfigSource")));
    }
}
