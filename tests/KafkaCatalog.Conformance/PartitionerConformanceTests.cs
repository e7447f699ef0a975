using System.Text.Json;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.Conformance;

/// <summary>
/// Keyed messages published by KafkaCatalog (Core's MessagePublisher: Confluent.Kafka + librdkafka 2.15.1) land on the
/// partitions where kafka-python 2.0.2's KafkaProducer (DefaultPartitioner, murmur2 as the Java client) puts them.
/// </summary>
public sealed class PartitionerConformanceTests(ConformanceCluster fx) : IClassFixture<ConformanceCluster>
{
    private const int Partitions = 6;

    /// <summary>At least 100 keys: the three, order ids, mixed lengths (murmur2's tail bytes), non-ASCII text.</summary>
    private static IReadOnlyList<string> Keys()
    {
        var keys = new List<string> { "abc", "order-1", "order-3" };
        keys.AddRange(Enumerable.Range(1, 100).Select(i => $"customer-{i}"));
        keys.AddRange(Enumerable.Range(1, 12).Select(i => new string('k', i)));
        keys.AddRange(["ключ", "キー", "clé-ü", "🔑-emoji", "a b c", "UPPER", "0", "-1", "x:y=z"]);
        return keys.Distinct(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Keys_land_where_kafka_python_puts_them()
    {
        var keys = Keys();
        Assert.True(keys.Count >= 100);
        var pythonTopic = ConformanceCluster.Prefix("kp-keys");
        var keysFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(keysFile, keys);
            var run = ExternalTools.RunPythonScript("partitioner.py", "--bootstrap", fx.Bootstrap, "--topic", pythonTopic,
                "--partitions", Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture), "--keys", keysFile);
            Assert.True(run.ExitCode == 0, run.ToString());
            var line = Assert.Single(run.Results, r => r.StartsWith("placement ", StringComparison.Ordinal));
            var kafkaPython = JsonSerializer.Deserialize<Dictionary<string, int>>(line["placement ".Length..])!;

            var ourTopic = ConformanceCluster.Prefix("kc-keys");
            fx.Cluster.State.CreateTopic(ourTopic, Partitions, 1);
            NativeLibraryLoader.EnsureLoaded();
            using var factory = new KafkaClientFactory(new KafkaConnection("conformance", new KafkaConnectionOptions { BootstrapServers = fx.Bootstrap }));
            using var publisher = new MessagePublisher(factory);
            Assert.Equal("murmur2_random", publisher.Partitioner);
            var pending = new List<(string Key, Task<KafkaDeliveryResult> Delivery)>();
            foreach (var key in keys)
            {
                var message = MessagePublishResolver.Resolve(new PublishInput
                {
                    Topic = ourTopic,
                    Key = key,
                    Value = "v",
                    CommandLineParameters = new HashSet<string>(["Topic", "Key", "Value"], StringComparer.OrdinalIgnoreCase),
                });
                pending.Add((key, await publisher.SendAsync(message)));
            }

            var ours = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (key, delivery) in pending)
            {
                ours[key] = (await delivery).Partition;
            }

            // The example: librdkafka's default (consistent_random, CRC32) put these on 0/1/5.
            Assert.Equal((3, 4, 3), (kafkaPython["abc"], kafkaPython["order-1"], kafkaPython["order-3"]));
            var differing = keys.Where(k => ours[k] != kafkaPython[k]).Select(k => $"{k}: ours {ours[k]}, kafka-python {kafkaPython[k]}").ToList();
            Assert.True(differing.Count == 0, string.Join("\n", differing));

            // Read back from the broker's own log, not only from the delivery reports.
            for (var p = 0; p < Partitions; p++)
            {
                var expected = keys.Count(k => kafkaPython[k] == p);
                Assert.Equal(expected, fx.Cluster.State.GetPartition(ourTopic, p)!.HighWatermark);
            }
        }
        finally
        {
            File.Delete(keysFile);
        }
    }
}
