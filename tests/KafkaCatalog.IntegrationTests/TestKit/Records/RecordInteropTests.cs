using Confluent.Kafka;
using KafkaCatalog.IntegrationTests.TestKit;
using KafkaCatalog.TestKit.Kafka.Records;

namespace KafkaCatalog.IntegrationTests.TestKit.Records;

/// <summary>Batches written by librdkafka (every codec) decoded by the TestKit record reader.</summary>
public sealed class RecordInteropTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    [Theory]
    [InlineData(Confluent.Kafka.CompressionType.None, KafkaCatalog.TestKit.Kafka.Records.CompressionType.None)]
    [InlineData(Confluent.Kafka.CompressionType.Gzip, KafkaCatalog.TestKit.Kafka.Records.CompressionType.Gzip)]
    [InlineData(Confluent.Kafka.CompressionType.Lz4, KafkaCatalog.TestKit.Kafka.Records.CompressionType.Lz4)]
    [InlineData(Confluent.Kafka.CompressionType.Zstd, KafkaCatalog.TestKit.Kafka.Records.CompressionType.Zstd)]
    [InlineData(Confluent.Kafka.CompressionType.Snappy, KafkaCatalog.TestKit.Kafka.Records.CompressionType.Snappy)]
    public void LibrdkafkaBatches_DecodeWithKeysValuesHeadersAndTimestamps(Confluent.Kafka.CompressionType codec, KafkaCatalog.TestKit.Kafka.Records.CompressionType expected)
    {
        var topic = $"rec-{codec}-{Guid.NewGuid():N}"[..24].ToLowerInvariant();
        fx.Cluster.State.CreateTopic(topic, 1, 1);
        var ts = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        using (var p = fx.Producer(c => { c.CompressionType = codec; c.LingerMs = 50; c.BatchNumMessages = 100; }))
        {
            for (int i = 0; i < 20; i++)
            {
                p.Produce(topic, new Message<string?, string?>
                {
                    Key = i % 5 == 0 ? null : $"key-{i}",
                    Value = string.Concat(Enumerable.Repeat($"value-{i} ", 20)),
                    Headers = new Headers { { "trace", new byte[] { (byte)i } } },
                    Timestamp = new Timestamp(ts.AddSeconds(i)),
                });
            }
            p.Flush(TimeSpan.FromSeconds(30));
        }
        var partition = fx.Cluster.State.GetPartition(topic, 0)!;
        byte[][] stored;
        lock (fx.Cluster.State.Sync)
        {
            stored = partition.Batches.Select(b => b.Data).ToArray();
        }

        Assert.NotEmpty(stored);
        Assert.All(stored, b => Assert.Equal(expected, RecordBatch.ReadHeader(b).Compression));

        if (!RecordCompression.IsSupported(expected))
        {
            var ex = Assert.Throws<RecordFormatException>(() => RecordBatch.Decode(stored[0]));
            Assert.Equal(KafkaRecordErrors.UnsupportedCompressionType, ex.ErrorCode);
            return;
        }
        var records = stored.SelectMany(b => RecordBatch.Decode(b).Records).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Null(records[0].Key);
        Assert.Equal("key-7", records[7].KeyString);
        Assert.StartsWith("value-7 value-7", records[7].ValueString);
        Assert.Equal(new byte[] { 7 }, Assert.Single(records[7].Headers).Value);
        Assert.Equal(new DateTimeOffset(ts.AddSeconds(7)).ToUnixTimeMilliseconds(), records[7].Timestamp);
    }
}
