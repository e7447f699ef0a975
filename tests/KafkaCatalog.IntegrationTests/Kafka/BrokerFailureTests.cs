using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>Brokers going away under the real client. Each test owns its cluster: they stop brokers.</summary>
public class BrokerFailureTests
{
    [Fact]
    public async Task Listing_goes_on_when_one_broker_is_stopped()
    {
        var fixture = new KafkaCoreFixture();
        await fixture.InitializeAsync();
        try
        {
            fixture.Cluster.State.CreateTopic("survivor", 3, 3);
            await fixture.Topics().ListAsync(new TopicQuery()).ToListAsync();

            await fixture.Cluster.StopBrokerAsync(1);
            var topics = await fixture.Topics().ListAsync(new TopicQuery { Names = ["survivor"] }).ToListAsync();

            var topic = Assert.Single(topics);
            Assert.All(topic.Partitions, p =>
            {
                Assert.NotEqual(1, p.Leader);
                Assert.DoesNotContain(1, p.InSyncReplicas);
                Assert.True(p.IsUnderReplicated);
            });
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task All_brokers_stopped_is_KafkaClusterUnreachable_naming_the_servers()
    {
        var fixture = new KafkaCoreFixture();
        await fixture.InitializeAsync();
        try
        {
            using var factory = new KafkaClientFactory(fixture.NewConnection("doomed", TimeSpan.FromSeconds(3)));
            await new ClusterService(factory).DescribeAsync();

            foreach (var broker in fixture.Cluster.Brokers)
            {
                await fixture.Cluster.StopBrokerAsync(broker.Id);
            }

            var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new TopicService(factory).ListAsync(new TopicQuery()).ToListAsync());
            Assert.Equal("KafkaClusterUnreachable", ex.ErrorId);
            Assert.Contains(fixture.Cluster.BootstrapServers, ex.Message);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
