using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.IntegrationTests.RealCluster;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>TopicService over real TCP. Runs against a real cluster too (KAFKACATALOG_TEST_BOOTSTRAP); [TestKitFact]s need the TestKit broker.</summary>
public class TopicServiceTests(RealCapableKafkaCoreFixture fixture) : IClassFixture<RealCapableKafkaCoreFixture>
{
    private static readonly short CreateTopicsKey = 19;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    private KafkaTestTarget T => fixture.Target;

    private int BrokerCount() => T.Admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Count;

    /// <summary>A broker's static or default config value, as DescribeConfigs reports it.</summary>
    private async Task<string> BrokerConfigAsync(string name)
    {
        var id = T.Admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers[0].BrokerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await T.Admin.DescribeConfigsAsync([new Confluent.Kafka.Admin.ConfigResource { Type = Confluent.Kafka.Admin.ResourceType.Broker, Name = id }]);
        return result.Single().Entries[name].Value;
    }

    [Fact]
    public async Task Message_counts_are_high_minus_low_watermark_summed_over_partitions_and_only_when_asked()
    {
        var name = Unique("counted");
        await T.CreateTopicAsync(name, 2);
        await T.SetLogAsync(name, 0, start: 3, end: 10);
        await T.SetLogAsync(name, 1, start: 0, end: 5);
        var sink = new CapturingSink();
        var service = fixture.Topics(sink);

        var counted = Assert.Single(await service.ListAsync(new TopicQuery { Names = [name], IncludeMessageCount = true }).ToListAsync());
        var plain = Assert.Single(await service.ListAsync(new TopicQuery { Names = [name] }).ToListAsync());

        Assert.Equal(7 + 5, counted.MessageCount);
        Assert.Null(plain.MessageCount);
        Assert.Contains(sink.Verbose, l => l.Contains("DescribeLogDirs", StringComparison.Ordinal));
    }

    private sealed class CapturingSink : IOperationSink
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Verbose { get; } = new();

        void IOperationSink.Verbose(string message) => Verbose.Enqueue(message);

        public void Warning(string message) => Verbose.Enqueue("WARNING: " + message);

        public void Progress(OperationProgress progress)
        {
        }
    }

    [Fact]
    public async Task Creates_a_topic_and_describes_it_with_partitions_leaders_and_replicas()
    {
        var name = Unique("orders");
        var rf = (short)Math.Min(2, BrokerCount());
        var result = await fixture.Topics().CreateAsync(new NewTopicSpec
        {
            Name = name,
            Partitions = 3,
            ReplicationFactor = rf,
            Config = new Dictionary<string, string> { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact" },
        }, validateOnly: false);

        var topic = Assert.IsType<KafkaTopic>(result.Topic);
        Assert.False(result.ValidateOnly);
        Assert.Equal(name, topic.Name);
        Assert.Equal(3, topic.PartitionCount);
        Assert.Equal(rf, topic.ReplicationFactor);
        Assert.False(topic.IsInternal);
        Assert.Equal("it", topic.ConnectionName);
        Assert.Equal(fixture.Target.BootstrapServers, topic.BootstrapServers);
        Assert.Equal(new[] { 0, 1, 2 }, topic.Partitions.Select(p => p.Partition));
        Assert.All(topic.Partitions, p =>
        {
            Assert.Equal(name, p.Topic);
            Assert.Equal(rf, p.Replicas.Count);
            Assert.Contains(p.Leader, p.Replicas);
            Assert.Equal(p.Replicas.OrderBy(r => r), p.InSyncReplicas.OrderBy(r => r));
            Assert.False(p.IsUnderReplicated);
            Assert.Null(p.Error);
        });

        var overrides = await T.TopicOverridesAsync(name);
        Assert.Equal("3600000", overrides["retention.ms"]);
        Assert.Equal("compact", overrides["cleanup.policy"]);
        var described = T.Admin.GetMetadata(name, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        foreach (var p in topic.Partitions)
        {
            var m = described.Single(d => d.PartitionId == p.Partition);
            Assert.Equal(m.Replicas, p.Replicas);
            Assert.Equal(m.Leader, p.Leader);
        }
    }

    [Fact]
    public async Task Omitted_partitions_and_replication_factor_take_the_broker_defaults()
    {
        var name = Unique("defaults");
        var result = await fixture.Topics().CreateAsync(new NewTopicSpec { Name = name }, validateOnly: false);
        Assert.Equal(int.Parse(await BrokerConfigAsync("num.partitions"), System.Globalization.CultureInfo.InvariantCulture), result.Topic!.PartitionCount);
        Assert.Equal(int.Parse(await BrokerConfigAsync("default.replication.factor"), System.Globalization.CultureInfo.InvariantCulture), result.Topic.ReplicationFactor);
        if (T.TestKit is { } kit)
        {
            Assert.Equal((kit.Options.DefaultPartitions, (int)kit.Options.DefaultReplicationFactor), (result.Topic.PartitionCount, result.Topic.ReplicationFactor));
        }
    }

    [Fact]
    public async Task Validate_only_creates_nothing()
    {
        var name = Unique("whatif");
        var result = await fixture.Topics().CreateAsync(new NewTopicSpec { Name = name, Partitions = 2, ReplicationFactor = 3 }, validateOnly: true);

        Assert.True(result.ValidateOnly);
        Assert.Null(result.Topic);
        Assert.DoesNotContain(name, T.TopicNames());
        Assert.Empty(await fixture.Topics().ListAsync(new TopicQuery { Names = [name + "*"] }).ToListAsync());
    }

    [Fact]
    public async Task Lists_with_wildcards_sorted_by_name()
    {
        var prefix = "wild" + Guid.NewGuid().ToString("N")[..8];
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await fixture.Target.CreateTopicAsync($"{prefix}-{suffix}", 2);
        }

        await fixture.Target.CreateTopicAsync($"other-{prefix}", 1);

        var topics = await fixture.Topics().ListAsync(new TopicQuery { Names = [prefix + "-*"] }).ToListAsync();

        Assert.Equal(new[] { $"{prefix}-a", $"{prefix}-b", $"{prefix}-c" }, topics.Select(t => t.Name));
        Assert.All(topics, t => Assert.Equal(2, t.PartitionCount));
    }

    [Fact]
    public async Task Wildcards_are_case_insensitive_and_several_patterns_combine()
    {
        var prefix = "Case" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Target.CreateTopicAsync($"{prefix}-x", 1);
        await fixture.Target.CreateTopicAsync($"{prefix}-y", 1);

        var topics = await fixture.Topics().ListAsync(new TopicQuery { Names = [prefix.ToUpperInvariant() + "-X*", $"{prefix}-y"] }).ToListAsync();

        Assert.Equal(new[] { $"{prefix}-x", $"{prefix}-y" }, topics.Select(t => t.Name));
    }

    [Fact]
    public async Task Internal_topics_are_hidden_unless_asked_for_or_named()
    {
        // A commit makes sure a real cluster has created its offsets topic.
        var topic = Unique("internal");
        await T.CreateTopicAsync(topic, 1);
        await T.CommitAsync(Unique("internal-g"), topic, 0L);
        var all = await fixture.Topics().ListAsync(new TopicQuery()).ToListAsync();
        Assert.DoesNotContain(all, t => t.Name == "__consumer_offsets");

        var withInternal = await fixture.Topics().ListAsync(new TopicQuery { IncludeInternal = true }).ToListAsync();
        var offsets = Assert.Single(withInternal, t => t.Name == "__consumer_offsets");
        Assert.True(offsets.IsInternal);
        Assert.Equal(T.PartitionCount("__consumer_offsets"), offsets.PartitionCount);
        Assert.Equal(T.TestKit?.Options.OffsetsTopicPartitions ?? offsets.PartitionCount, offsets.PartitionCount);

        Assert.Empty(await fixture.Topics().ListAsync(new TopicQuery { Names = ["__*"] }).ToListAsync());
        Assert.Single(await fixture.Topics().ListAsync(new TopicQuery { Names = ["__consumer_offsets"] }).ToListAsync());
    }

    [Fact]
    public async Task A_missing_plain_name_is_a_per_item_error_and_the_rest_are_listed()
    {
        var existing = Unique("present");
        await fixture.Target.CreateTopicAsync(existing, 1);
        var errors = new List<KafkaCatalogException>();

        var topics = await fixture.Topics().ListAsync(new TopicQuery { Names = ["missing-topic-xyz", existing, "nomatch-*"] }, errors.Add).ToListAsync();

        Assert.Equal(existing, Assert.Single(topics).Name);
        var error = Assert.Single(errors);
        Assert.Equal("TopicNotFound", error.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
        Assert.Equal("missing-topic-xyz", error.Target);
    }

    [TestKitFact(Because = "counts metadata requests on a TestKit cluster of its own")]
    public async Task Listing_is_one_metadata_request_whatever_the_number_of_patterns()
    {
        // Its own cluster: no other client's background metadata refreshes in the count.
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        using var factory = new KafkaClientFactory(new KafkaCatalog.Core.Connections.KafkaConnection("count", new KafkaCatalog.Core.Connections.KafkaConnectionOptions { BootstrapServers = cluster.BootstrapServers }));
        var service = new TopicService(factory);
        await service.ListAsync(new TopicQuery()).ToListAsync();

        // librdkafka sends metadata requests of its own while it connects to the brokers it has
        // just learned about; count only once the client is idle.
        await MetadataCountOnceIdleAsync(cluster);
        var before = cluster.State.AllTopicsMetadataRequests;
        await service.ListAsync(new TopicQuery { Names = ["a*", "b*", "c", "d*"] }).ToListAsync();

        Assert.Equal(1, cluster.State.AllTopicsMetadataRequests - before);
    }

    private static async Task<long> MetadataCountOnceIdleAsync(KafkaTestCluster cluster)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var count = cluster.RequestCount(3);
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline && DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(50);
            var now = cluster.RequestCount(3);
            if (now != count)
            {
                count = now;
                quietSince = DateTime.UtcNow;
            }
        }

        return count;
    }

    [Fact]
    public async Task Duplicate_topic_is_TopicAlreadyExists_and_leaves_it_unchanged()
    {
        var name = Unique("dup");
        await fixture.Target.CreateTopicAsync(name, 2);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().CreateAsync(new NewTopicSpec { Name = name, Partitions = 5 }, validateOnly: false));

        Assert.Equal("TopicAlreadyExists", ex.ErrorId);
        Assert.Equal(FailureKind.ResourceExists, ex.Kind);
        Assert.Equal($"Topic '{name}' already exists. Use Get-KafkaTopic to inspect it.", ex.Message);
        Assert.Equal(2, Assert.Single(await fixture.Topics().ListAsync(new TopicQuery { Names = [name] }).ToListAsync()).PartitionCount);
    }

    [Fact]
    public async Task Validate_only_reports_the_same_errors()
    {
        var name = Unique("dupv");
        await fixture.Target.CreateTopicAsync(name, 1);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().CreateAsync(new NewTopicSpec { Name = name }, validateOnly: true));
        Assert.Equal("TopicAlreadyExists", ex.ErrorId);
    }

    [Fact]
    public async Task More_replicas_than_brokers_is_InvalidReplicationFactor_and_creates_nothing()
    {
        var name = Unique("rf");
        var tooMany = (short)(BrokerCount() + 1);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().CreateAsync(new NewTopicSpec { Name = name, Partitions = 1, ReplicationFactor = tooMany }, validateOnly: false));

        Assert.Equal("InvalidReplicationFactor", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.DoesNotContain(name, T.TopicNames());
    }

    [Theory]
    [InlineData("no.such.config", "1")]
    [InlineData("cleanup.policy", "sometimes")]
    [InlineData("retention.ms", "soon")]
    public async Task Bad_config_is_InvalidConfig_and_creates_nothing(string key, string value)
    {
        var name = Unique("cfg");
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().CreateAsync(
            new NewTopicSpec { Name = name, Config = new Dictionary<string, string> { [key] = value } }, validateOnly: false));

        Assert.Equal("InvalidConfig", ex.ErrorId);
        Assert.Contains(name, ex.Message);
        Assert.DoesNotContain(name, T.TopicNames());
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("bad/name")]
    [InlineData("..")]
    public async Task Bad_names_are_refused_without_a_request(string name)
    {
        var before = T.TestKit?.RequestCount(CreateTopicsKey);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().CreateAsync(new NewTopicSpec { Name = name }, validateOnly: false));
        Assert.Equal("InvalidTopicName", ex.ErrorId);
        Assert.Equal(before, T.TestKit?.RequestCount(CreateTopicsKey));
    }

    [Fact]
    public async Task Zero_partitions_are_refused_without_a_request()
    {
        var name = Unique("zero");
        var before = T.TestKit?.RequestCount(CreateTopicsKey);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().CreateAsync(new NewTopicSpec { Name = name, Partitions = 0 }, validateOnly: false));
        Assert.Equal("InvalidPartitions", ex.ErrorId);
        Assert.Equal(before, T.TestKit?.RequestCount(CreateTopicsKey));
        Assert.DoesNotContain(name, T.TopicNames());
    }

    [TestKitFact]
    public async Task Create_refused_by_a_non_controller_is_retried_and_creates_once()
    {
        var name = Unique("retry");
        var sink = new CollectingSink();
        fixture.Cluster.Faults.FailNext(CreateTopicsKey, errorCode: 41 /* NOT_CONTROLLER */, count: 2);

        var result = await fixture.Topics(sink).CreateAsync(new NewTopicSpec { Name = name, Partitions = 2 }, validateOnly: false);

        Assert.Equal(2, result.Topic!.PartitionCount);
        Assert.Equal(0, fixture.Cluster.Faults.PendingErrors(CreateTopicsKey));
        Assert.Equal(2, sink.Lines.Count(l => l.StartsWith("CreateTopics: transient error", StringComparison.Ordinal)));
        Assert.Single(fixture.Cluster.State.Topics, t => t.Name == name);
    }

    [TestKitFact]
    public async Task Create_that_timed_out_on_the_broker_is_not_retried()
    {
        var name = Unique("timeout");
        fixture.Cluster.Faults.FailNext(CreateTopicsKey, errorCode: 7 /* REQUEST_TIMED_OUT */, count: 1);
        try
        {
            var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().CreateAsync(new NewTopicSpec { Name = name }, validateOnly: false));
            Assert.Equal("KafkaRequestTimedOut", ex.ErrorId);
            Assert.Contains("may or may not have applied it", ex.Message);
            Assert.Equal(0, fixture.Cluster.Faults.PendingErrors(CreateTopicsKey));
        }
        finally
        {
            fixture.Cluster.Faults.ClearErrors();
        }
    }

    [Fact]
    public async Task Many_creations_in_parallel_share_the_one_admin_client()
    {
        var prefix = "par" + Guid.NewGuid().ToString("N")[..8];
        var service = fixture.Topics();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => service.CreateAsync(new NewTopicSpec { Name = $"{prefix}-{i:00}", Partitions = 1 }, validateOnly: false)));

        var topics = await service.ListAsync(new TopicQuery { Names = [prefix + "-*"] }).ToListAsync();
        Assert.Equal(20, topics.Count);
    }
}
