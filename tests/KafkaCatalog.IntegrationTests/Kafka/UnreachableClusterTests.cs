using System.Net;
using System.Net.Sockets;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>A dead cluster (nothing listening) through the real client: one terminating error naming the servers.</summary>
public class UnreachableClusterTests
{
    private static string ClosedEndpoint()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"127.0.0.1:{port}";
    }

    private static KafkaClientFactory Factory(string servers) =>
        new(new KafkaConnection("dead", new KafkaConnectionOptions { BootstrapServers = servers, RequestTimeout = TimeSpan.FromSeconds(2) }));

    [Fact]
    public async Task Describing_a_dead_cluster_is_KafkaClusterUnreachable()
    {
        var servers = ClosedEndpoint();
        using var factory = Factory(servers);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ClusterService(factory).DescribeAsync());

        Assert.Equal("KafkaClusterUnreachable", ex.ErrorId);
        Assert.Equal(FailureKind.ConnectionError, ex.Kind);
        Assert.Contains($"Cannot reach the Kafka cluster at {servers}", ex.Message);
    }

    [Fact]
    public async Task Listing_topics_of_a_dead_cluster_is_KafkaClusterUnreachable()
    {
        var servers = ClosedEndpoint() + "," + ClosedEndpoint();
        using var factory = Factory(servers);
        var service = new TopicService(factory);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(async () =>
        {
            await foreach (var _ in service.ListAsync(new TopicQuery()))
            {
            }
        });

        Assert.Equal("KafkaClusterUnreachable", ex.ErrorId);
        Assert.Contains(servers, ex.Message);
    }

    [Fact]
    public async Task Bad_topic_spec_fails_before_contacting_the_cluster()
    {
        // Nothing listens there: only a failure before any request can be this specific.
        using var factory = Factory(ClosedEndpoint());
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new TopicService(factory).CreateAsync(new NewTopicSpec { Name = "bad name" }, validateOnly: false));
        Assert.Equal("InvalidTopicName", ex.ErrorId);
    }

    [Fact]
    public void Client_log_lines_reach_the_attached_sink()
    {
        using var factory = Factory(ClosedEndpoint());
        var sink = new LineSink();
        using (factory.AttachSink(sink))
        {
            Assert.ThrowsAny<Exception>(() => factory.AdminClient.GetMetadata(TimeSpan.FromSeconds(1)));
        }

        Assert.Contains(sink.Lines, l => l.StartsWith("librdkafka", StringComparison.Ordinal));
    }

    private sealed class LineSink : IOperationSink
    {
        private readonly object _gate = new();
        private readonly List<string> _lines = new();

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_gate)
                {
                    return _lines.ToArray();
                }
            }
        }

        public void Verbose(string message)
        {
            lock (_gate)
            {
                _lines.Add(message);
            }
        }

        public void Warning(string message) => Verbose(message);

        public void Progress(OperationProgress progress)
        {
        }
    }
}
