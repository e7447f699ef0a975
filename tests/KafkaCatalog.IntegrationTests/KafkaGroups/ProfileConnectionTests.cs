using System.Collections;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Profiles resolved as Connect-KafkaCluster resolves them, then used through the product's clients against TestKit:
/// a Mage sink/source YAML (default topic, producer batching, consumer group start) and a librdkafka properties file.
/// </summary>
public sealed class ProfileConnectionTests(GroupsFixture fx) : IClassFixture<GroupsFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kc-profiles-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private KafkaClientFactory Connect(string fileName, string content)
    {
        var path = Path.Combine(_folder, fileName);
        File.WriteAllText(path, content);
        var resolution = KafkaConnectionResolver.Resolve(null, path, new Hashtable());
        return new KafkaClientFactory(new KafkaConnection("profile", resolution.Options));
    }

    [Fact]
    public async Task A_mage_profile_names_the_topic_batching_and_where_its_group_resumes()
    {
        var topic = fx.Topic(3);
        var group = GroupsFixture.Unique("mage");
        using var factory = Connect("mage.yaml",
            $"connector_type: kafka\nbootstrap_server: \"{fx.Target.BootstrapServers}\"\ntopic: {topic}\nconsumer_group: {group}\nauto_offset_reset: earliest\nbatch_size: 16384\ntimeout_ms: 20\n");
        var options = factory.Connection.GetOptions();
        Assert.Equal(("16384", "20"), (factory.CreateProducerConfig().Get("batch.size"), factory.CreateProducerConfig().Get("linger.ms")));

        // Publish-KafkaMessage without -Topic: Mage's default topic.
        using (var publisher = new MessagePublisher(factory))
        {
            foreach (var key in new[] { "a", "b", "c", "d" })
            {
                var message = MessagePublishResolver.Resolve(new PublishInput
                {
                    DefaultTopic = options.DefaultTopic,
                    Key = key,
                    Value = "v",
                    CommandLineParameters = new HashSet<string>(["Key", "Value"], StringComparer.OrdinalIgnoreCase),
                });
                Assert.Equal(topic, (await await publisher.SendAsync(message)).Topic);
            }
        }

        // Receive-KafkaMessage without -Topic or a start: where the group would resume; with no commit yet, earliest.
        var request = ReceiveDefaults.Apply(new ReceiveRequest { Topic = string.Empty }, options, startGiven: false);
        Assert.Equal((MessageStartPosition.Committed, group), (request.Start, request.GroupId));
        Assert.Equal(4, (await new MessageReader(factory).ReceiveAsync(request).ToListAsync()).Count);
        Assert.Equal(new long?[] { null, null, null }, await fx.Target.CommittedAsync(group, topic, 3));
    }

    [Fact]
    public async Task A_librdkafka_properties_file_connects_as_kcat_reads_it()
    {
        var topic = fx.Topic(6);
        using var factory = Connect("client.properties",
            $"# kcat -F client.properties\nbootstrap.servers = {fx.Target.BootstrapServers}\nclient.id=props-it\n! Java comment\npartitioner=consistent_random\nlinger.ms=1\n");
        Assert.Equal("props-it", factory.Connection.ClientId);
        using var publisher = new MessagePublisher(factory);
        Assert.Equal("consistent_random", publisher.Partitioner);
        var delivered = await await publisher.SendAsync(MessagePublishResolver.Resolve(new PublishInput
        {
            Topic = topic,
            Key = "abc",
            Value = "v",
            CommandLineParameters = new HashSet<string>(["Topic", "Key", "Value"], StringComparer.OrdinalIgnoreCase),
        }));

        // The file's partitioner (librdkafka's CRC32) puts 'abc' on partition 0 of 6; murmur2 would put it on 3.
        Assert.Equal(0, delivered.Partition);
    }

    [Fact]
    public void A_bad_properties_file_fails_before_any_client_exists()
    {
        var ex = Assert.Throws<Core.Connections.Profiles.ProfileFormatException>(() => Connect("bad.properties", $"bootstrap.servers={fx.Target.BootstrapServers}\nsecurity.protocol\n"));
        Assert.Equal("ProfileSyntaxError", ex.ErrorId);
        Assert.Equal(2, ex.Line);
    }
}
