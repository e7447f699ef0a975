using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.IntegrationTests.RealCluster;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>ClusterService over real TCP; also runs against a real cluster (KAFKACATALOG_TEST_BOOTSTRAP).</summary>
public class ClusterServiceTests(RealCapableKafkaCoreFixture fixture) : IClassFixture<RealCapableKafkaCoreFixture>
{
    [Fact]
    public async Task Describes_cluster_id_controller_and_brokers_and_records_the_id()
    {
        var connection = fixture.NewConnection("describe");
        using var factory = new KafkaClientFactory(connection);

        var cluster = await new ClusterService(factory).DescribeAsync();

        // The test's own view of the cluster (DescribeCluster), independent of the product's client.
        var expected = await Confluent.Kafka.IAdminClientExtensions.DescribeClusterAsync(fixture.Target.Admin);
        Assert.Equal(expected.ClusterId, cluster.ClusterId);
        Assert.Equal(expected.ClusterId, connection.ClusterId);
        Assert.Equal(expected.Nodes.Select(n => n.Id).Order(), cluster.Brokers.Select(b => b.BrokerId));
        Assert.All(cluster.Brokers, b =>
        {
            var node = expected.Nodes.Single(x => x.Id == b.BrokerId);
            Assert.Equal(node.Host, b.Host);
            Assert.Equal(node.Port, b.Port);
            Assert.Equal(b.BrokerId == cluster.ControllerId, b.IsController);
            Assert.Equal("describe", b.ConnectionName);
        });
        Assert.Single(cluster.Brokers, b => b.IsController);
        if (fixture.Target.TestKit is { } kit)
        {
            // KRaft brokers name an arbitrary broker as the controller, so the id itself is compared on TestKit only.
            Assert.Equal(kit.ClusterId, cluster.ClusterId);
            Assert.Equal(kit.ControllerId, cluster.ControllerId);
            Assert.Equal(new[] { 1, 2, 3 }, cluster.Brokers.Select(b => b.BrokerId));
        }
    }

    [Fact]
    public async Task Topics_listed_after_describe_carry_the_cluster_id()
    {
        var connection = fixture.NewConnection("withid");
        using var factory = new KafkaClientFactory(connection);
        var described = await new ClusterService(factory).DescribeAsync();
        var name = KafkaTestTarget.Unique("carry-id");
        await fixture.Target.CreateTopicAsync(name, 1);

        var topics = await new TopicService(factory).ListAsync(new TopicQuery { Names = [name] }).ToListAsync();

        Assert.False(string.IsNullOrEmpty(described.ClusterId));
        Assert.Equal(described.ClusterId, Assert.Single(topics).ClusterId);
        if (fixture.Cluster is not null)
        {
            Assert.Equal(fixture.Cluster.ClusterId, described.ClusterId);
        }
    }

    [Fact]
    public async Task Verbose_lines_name_each_remote_call()
    {
        using var factory = new KafkaClientFactory(fixture.NewConnection("verbose"));
        var sink = new CollectingSink();
        await new ClusterService(factory, sink).DescribeAsync();
        Assert.Contains(sink.Lines, l => l.StartsWith("DescribeCluster request to " + fixture.Target.BootstrapServers, StringComparison.Ordinal));
    }
}
