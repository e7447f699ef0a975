using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.Core.Tests.Kafka;

/// <summary>Which librdkafka partitioner a producer gets: -Partitioner, else the connection's property, else murmur2_random.</summary>
public class PartitionerChoiceTests
{
    private static KafkaClientFactory Factory(IReadOnlyDictionary<string, string>? properties = null) =>
        new(new KafkaConnection("c", new KafkaConnectionOptions { BootstrapServers = "b1:9092", Properties = properties ?? new Dictionary<string, string>() }));

    [Fact]
    public void Producers_use_the_java_compatible_murmur2_by_default()
    {
        using var factory = Factory();
        Assert.Equal("murmur2_random", factory.CreateProducerConfig().Get("partitioner"));
        Assert.Equal(Confluent.Kafka.Partitioner.Murmur2Random, factory.CreateProducerConfig().Partitioner);
        Assert.Equal("murmur2_random", KafkaPartitioners.Resolve(null, null));
    }

    [Theory]
    [InlineData("consistent_random")]
    [InlineData("murmur2")]
    [InlineData("FNV1A_random")]
    [InlineData("random")]
    public void Partitioner_parameter_chooses_any_librdkafka_value(string requested)
    {
        using var factory = Factory(new Dictionary<string, string> { ["partitioner"] = "consistent" });
        Assert.Equal(requested.ToLowerInvariant(), factory.CreateProducerConfig(requested).Get("partitioner"));
    }

    [Fact]
    public void A_partitioner_given_with_Property_is_kept_when_no_parameter_overrides_it()
    {
        using var factory = Factory(new Dictionary<string, string> { ["partitioner"] = "consistent" });
        Assert.Equal("consistent", factory.CreateProducerConfig().Get("partitioner"));
        using var publisher = new MessagePublisher(factory);
        Assert.Equal("consistent", publisher.Partitioner);
    }

    [Fact]
    public void Admin_and_consumer_configs_get_no_partitioner()
    {
        using var factory = Factory();
        Assert.Null(factory.CreateAdminConfig().Get("partitioner"));
        Assert.Null(factory.CreateConsumerConfig().Get("partitioner"));
    }

    [Theory]
    [InlineData("crc32")]
    [InlineData("")]
    [InlineData("murmur3")]
    public void An_unknown_partitioner_is_PartitionerInvalid_before_any_producer_exists(string requested)
    {
        using var factory = Factory();
        var ex = Assert.Throws<KafkaCatalogException>(() => new MessagePublisher(factory, partitioner: requested));
        Assert.Equal("PartitionerInvalid", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains("murmur2_random", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_name_is_one_the_real_librdkafka_accepts()
    {
        // Confluent.Kafka's Partitioner enum lacks the fnv1a values; librdkafka 2.15.1 itself validates each name when
        // the producer is created (a closed port: it never reaches a broker).
        NativeLibraryLoader.EnsureLoaded();
        foreach (var name in KafkaPartitioners.Names)
        {
            using var factory = new KafkaClientFactory(new KafkaConnection("c", new KafkaConnectionOptions { BootstrapServers = "127.0.0.1:1" }));
            using var producer = factory.CreateProducer(partitioner: name);
            Assert.NotNull(producer.Name);
        }

        using var rejecting = new KafkaClientFactory(new KafkaConnection("c", new KafkaConnectionOptions
        {
            BootstrapServers = "127.0.0.1:1",
            Properties = new Dictionary<string, string> { ["partitioner"] = "crc32" },
        }));
        Assert.Equal("InvalidKafkaClientSetting", Assert.Throws<KafkaCatalogException>(() => rejecting.CreateProducer()).ErrorId);
    }
}
