using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>Produce, Fetch, ListOffsets and DeleteRecords through the real Confluent.Kafka clients.</summary>
public sealed class DataPlaneTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private KafkaTestCluster Cluster => fx.Cluster;

    private string NewTopic(int partitions = 3, short rf = 2, Dictionary<string, string>? configs = null)
    {
        var name = "data-" + Guid.NewGuid().ToString("N")[..12];
        Cluster.State.CreateTopic(name, partitions, rf, configs);
        return name;
    }

    private static List<ConsumeResult<string?, string?>> ConsumeN(IConsumer<string?, string?> c, int n)
    {
        var list = new List<ConsumeResult<string?, string?>>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (list.Count < n)
        {
            var r = c.Consume(cts.Token);
            if (r is not null && !r.IsPartitionEOF)
            {
                list.Add(r);
            }
        }
        return list;
    }

    [Fact]
    public async Task Produced_messages_are_stored_on_the_leader_and_consumed_back_in_order()
    {
        var topic = NewTopic(partitions: 1);
        using (var p = fx.Producer())
        {
            for (var i = 0; i < 10; i++)
            {
                var dr = await p.ProduceAsync(topic, new Message<string?, string?>
                {
                    Key = $"k{i}",
                    Value = $"v{i}",
                    Headers = new Headers { { "h", new byte[] { (byte)i } } },
                });
                Assert.Equal(i, dr.Offset.Value);
            }
        }
        var part = Cluster.State.GetPartition(topic, 0)!;
        Assert.Equal(10, part.HighWatermark);
        Assert.True(part.SizeBytes > 0);

        using var c = fx.Consumer();
        c.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var got = ConsumeN(c, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}"), got.Select(r => r.Message.Value));
        Assert.Equal("k3", got[3].Message.Key);
        Assert.Equal(new byte[] { 3 }, got[3].Message.Headers.GetLastBytes("h"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), got.Select(r => r.Offset.Value));
    }

    [Fact]
    public async Task Compressed_and_batched_messages_round_trip()
    {
        var topic = NewTopic(partitions: 1);
        using (var p = fx.Producer(c => { c.CompressionType = CompressionType.Gzip; c.LingerMs = 50; }))
        {
            var tasks = Enumerable.Range(0, 50).Select(i => p.ProduceAsync(topic, new Message<string?, string?> { Key = null, Value = new string('x', 100) + i })).ToList();
            await Task.WhenAll(tasks);
        }
        Assert.Equal(50, Cluster.State.GetPartition(topic, 0)!.HighWatermark);
        using var c = fx.Consumer();
        c.Assign(new TopicPartitionOffset(topic, 0, 25));
        var got = ConsumeN(c, 25);
        Assert.Equal(25, got[0].Offset.Value);
        Assert.EndsWith("49", got[^1].Message.Value);
    }

    [Fact]
    public async Task Watermarks_offsets_for_times_and_max_timestamp_use_ListOffsets()
    {
        var topic = NewTopic(partitions: 1);
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using (var p = fx.Producer())
        {
            for (var i = 0; i < 5; i++)
            {
                await p.ProduceAsync(topic, new Message<string?, string?> { Value = $"v{i}", Timestamp = new Timestamp(t0.AddMinutes(i == 3 ? 100 : i)) });
            }
        }
        using var c = fx.Consumer();
        var wm = c.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        Assert.Equal(0, wm.Low.Value);
        Assert.Equal(5, wm.High.Value);

        var byTime = c.OffsetsForTimes(new[] { new TopicPartitionTimestamp(topic, 0, new Timestamp(t0.AddMinutes(2))) }, TimeSpan.FromSeconds(10));
        Assert.Equal(2, Assert.Single(byTime).Offset.Value);

        using var admin = fx.Admin();
        var res = await admin.ListOffsetsAsync(new[]
        {
            new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, 0), OffsetSpec = OffsetSpec.MaxTimestamp() },
        });
        Assert.Equal(3, Assert.Single(res.ResultInfos).TopicPartitionOffsetError.Offset.Value);
    }

    [Fact]
    public async Task DeleteRecords_moves_the_log_start_offset()
    {
        var topic = NewTopic(partitions: 1);
        using (var p = fx.Producer())
        {
            for (var i = 0; i < 6; i++)
            {
                await p.ProduceAsync(topic, new Message<string?, string?> { Value = $"v{i}" });
            }
        }

        using var admin = fx.Admin();
        var result = await admin.DeleteRecordsAsync(new[] { new TopicPartitionOffset(topic, 0, 4) });
        Assert.Equal(4, Assert.Single(result).Offset.Value);
        Assert.Equal(4, Cluster.State.GetPartition(topic, 0)!.LogStartOffset);

        using var c = fx.Consumer();
        var wm = c.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        Assert.Equal(4, wm.Low.Value);
        Assert.Equal(6, wm.High.Value);

        var ex = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync(new[] { new TopicPartitionOffset(topic, 0, 99) }));
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Single(ex.Results).Error.Code);
        Assert.Equal(4, Cluster.State.GetPartition(topic, 0)!.LogStartOffset);
    }

    [Fact]
    public async Task Produce_to_unknown_topic_times_out_without_auto_creating_it()
    {
        using var p = fx.Producer(c => c.MessageTimeoutMs = 3000);
        var name = "no-such-topic-" + Guid.NewGuid().ToString("N")[..6];
        var ex = await Assert.ThrowsAsync<ProduceException<string?, string?>>(() =>
            p.ProduceAsync(name, new Message<string?, string?> { Value = "x" }));
        // librdkafka waits for the topic to appear (auto-create is off), then times the message out.
        Assert.Contains(ex.Error.Code, new[] { ErrorCode.Local_MsgTimedOut, ErrorCode.Local_UnknownTopic });
        Assert.Null(Cluster.State.GetTopic(name));
    }

    [Fact]
    public async Task Produce_with_acks_all_below_min_insync_replicas_fails_with_NotEnoughReplicas()
    {
        var topic = NewTopic(partitions: 1, rf: 1, configs: new() { ["min.insync.replicas"] = "2" });
        using var p = fx.Producer(c => { c.MessageTimeoutMs = 3000; c.MessageSendMaxRetries = 0; });
        var ex = await Assert.ThrowsAsync<ProduceException<string?, string?>>(() =>
            p.ProduceAsync(topic, new Message<string?, string?> { Value = "x" }));
        Assert.Equal(ErrorCode.NotEnoughReplicas, ex.Error.Code);
        Assert.Equal(0, Cluster.State.GetPartition(topic, 0)!.HighWatermark);
    }

    [Fact]
    public async Task Idempotent_producer_gets_a_producer_id_and_produces()
    {
        var topic = NewTopic(partitions: 2);
        using (var p = fx.Producer(c => c.EnableIdempotence = true))
        {
            for (var i = 0; i < 4; i++)
            {
                await p.ProduceAsync(new TopicPartition(topic, i % 2), new Message<string?, string?> { Value = $"i{i}" });
            }
        }
        Assert.True(Cluster.RequestCount(KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.InitProducerId) >= 1);
        Assert.Equal(4, Cluster.State.GetTopic(topic)!.Partitions.Sum(p => p.HighWatermark));
    }

    [Fact]
    public async Task Request_counts_can_be_filtered_by_client_id()
    {
        var topic = NewTopic(partitions: 1);
        var clientId = "counted-" + Guid.NewGuid().ToString("N")[..8];
        using (var p = fx.Producer(c => c.ClientId = clientId))
        {
            await p.ProduceAsync(topic, new Message<string?, string?> { Value = "x" });
        }

        Assert.Equal(1, Cluster.RequestCount(KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.Produce, clientId));
        Assert.True(Cluster.RequestCount(KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.Metadata, clientId) >= 1);
        Assert.Equal(0, Cluster.RequestCount(KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.Produce, "nobody"));
    }
}
