using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>Metadata, DescribeCluster, DescribeTopics and CreateTopics through the real Confluent.Kafka AdminClient.</summary>
public sealed class TopicAdminTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private KafkaTestCluster Cluster => fx.Cluster;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];

    [Fact]
    public void BootstrapServers_lists_every_broker_on_its_own_loopback_port()
    {
        var parts = Cluster.BootstrapServers.Split(',');
        Assert.Equal(3, parts.Length);
        Assert.All(parts, p => Assert.StartsWith("127.0.0.1:", p));
        Assert.Equal(3, parts.Distinct().Count());
        Assert.Equal(22, Cluster.ClusterId.Length);
    }

    [Fact]
    public void GetMetadata_returns_brokers_and_internal_offsets_topic()
    {
        using var admin = fx.Admin();
        var md = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { 1, 2, 3 }, md.Brokers.Select(b => b.BrokerId).OrderBy(x => x));
        Assert.All(md.Brokers, b => Assert.Equal("127.0.0.1", b.Host));
        var offsets = Assert.Single(md.Topics, t => t.Topic == "__consumer_offsets");
        Assert.Equal(50, offsets.Partitions.Count);
        Assert.All(offsets.Partitions, p => Assert.Equal(3, p.Replicas.Length));
        Assert.Equal(new[] { 1, 2, 3 }, offsets.Partitions.Select(p => p.Leader).Distinct().OrderBy(x => x));
    }

    [Fact]
    public async Task DescribeCluster_reports_cluster_id_controller_and_nodes()
    {
        using var admin = fx.Admin();
        var d = await admin.DescribeClusterAsync();
        Assert.Equal(Cluster.ClusterId, d.ClusterId);
        Assert.Equal(Cluster.ControllerId, d.Controller.Id);
        Assert.Equal(3, d.Nodes.Count);
        Assert.Contains(d.Nodes, n => n.Port == Cluster.Brokers[1].Port);
    }

    [Fact]
    public async Task CreateTopics_creates_spread_partitions_visible_to_describe_and_state()
    {
        using var admin = fx.Admin();
        var name = Unique("orders");
        await admin.CreateTopicsAsync(new[]
        {
            new TopicSpecification
            {
                Name = name, NumPartitions = 6, ReplicationFactor = 3,
                Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact,delete" },
            },
        });

        var t = Cluster.State.GetTopic(name);
        Assert.NotNull(t);
        Assert.Equal(6, t!.Partitions.Count);
        Assert.Equal(3, t.ReplicationFactor);
        Assert.Equal("3600000", t.Configs["retention.ms"]);
        Assert.Equal(new[] { 1, 2, 3 }, t.Partitions.Select(p => p.LeaderId).Distinct().OrderBy(x => x));
        Assert.All(t.Partitions, p => Assert.Equal(p.Replicas.OrderBy(x => x), p.Isr.OrderBy(x => x)));

        var desc = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(new[] { name }));
        var td = Assert.Single(desc.TopicDescriptions);
        Assert.Equal(ErrorCode.NoError, td.Error.Code);
        Assert.False(td.IsInternal);
        Assert.Equal(6, td.Partitions.Count);
        Assert.Equal(t.TopicId, ToGuid(td.TopicId));
        Assert.All(td.Partitions, p => Assert.Equal(3, p.Replicas.Count));
    }

    private static Guid ToGuid(Uuid id)
    {
        var b = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(b, id.MostSignificantBits);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(8), id.LeastSignificantBits);
        return new Guid(b, bigEndian: true);
    }

    [Fact]
    public async Task DescribeTopics_marks_offsets_topic_internal_and_unknown_topic_as_error()
    {
        using var admin = fx.Admin();
        var desc = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(new[] { "__consumer_offsets" }));
        Assert.True(Assert.Single(desc.TopicDescriptions).IsInternal);

        var ex = await Assert.ThrowsAsync<DescribeTopicsException>(() =>
            admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(new[] { "does-not-exist" })));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(ex.Results.TopicDescriptions).Error.Code);
    }

    [Fact]
    public async Task CreateTopics_with_broker_defaults_uses_one_partition_and_rf_one()
    {
        using var admin = fx.Admin();
        var name = Unique("defaults");
        await admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = name, NumPartitions = -1, ReplicationFactor = -1 } });
        var t = Cluster.State.GetTopic(name)!;
        Assert.Single(t.Partitions);
        Assert.Equal(1, t.ReplicationFactor);
    }

    [Fact]
    public async Task CreateTopics_ValidateOnly_creates_nothing()
    {
        using var admin = fx.Admin();
        var name = Unique("validate");
        await admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = name, NumPartitions = 3, ReplicationFactor = 2 } },
            new CreateTopicsOptions { ValidateOnly = true });
        Assert.Null(Cluster.State.GetTopic(name));
    }

    [Fact]
    public async Task CreateTopics_with_explicit_assignment_uses_it()
    {
        using var admin = fx.Admin();
        var name = Unique("assigned");
        await admin.CreateTopicsAsync(new[]
        {
            new TopicSpecification
            {
                Name = name, NumPartitions = 2, ReplicationFactor = -1,
                ReplicasAssignments = new Dictionary<int, List<int>> { [0] = new() { 2, 3 }, [1] = new() { 3, 1 } },
            },
        });
        var t = Cluster.State.GetTopic(name)!;
        Assert.Equal(new[] { 2, 3 }, t.Partitions[0].Replicas);
        Assert.Equal(3, t.Partitions[1].LeaderId);
    }

    public static TheoryData<string, int, short, string, ErrorCode, string?> InvalidTopics => new()
    {
        { "bad name!", 1, 1, "", ErrorCode.TopicException, "contains a character other than ASCII alphanumerics" },
        { ".", 1, 1, "", ErrorCode.TopicException, "cannot be \".\" or \"..\"" },
        { "..", 1, 1, "", ErrorCode.TopicException, null },
        { new string('x', 250), 1, 1, "", ErrorCode.TopicException, "can't be longer than 249 characters" },
        { "rf-too-big", 1, 4, "", ErrorCode.InvalidReplicationFactor, "Replication factor: 4 larger than available brokers: 3." },
        { "unknown-config", 1, 1, "no.such.config=1", ErrorCode.InvalidConfig, "Unknown topic config name: no.such.config" },
        { "bad-retention", 1, 1, "retention.ms=abc", ErrorCode.InvalidConfig, "Invalid value abc for configuration retention.ms: Not a number of type LONG" },
        { "bad-policy", 1, 1, "cleanup.policy=shred", ErrorCode.InvalidConfig, "cleanup.policy" },
        { "bad-min-isr", 1, 1, "min.insync.replicas=0", ErrorCode.InvalidConfig, "Value must be at least 1" },
    };

    [Theory]
    [MemberData(nameof(InvalidTopics))]
    public async Task CreateTopics_rejects_invalid_requests_with_the_specific_error_and_creates_nothing(
        string name, int partitions, short rf, string config, ErrorCode expected, string? message)
    {
        using var admin = fx.Admin();
        var before = Cluster.State.Topics.Count;
        var spec = new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = rf };
        if (config.Length > 0)
        {
            spec.Configs = new Dictionary<string, string> { [config.Split('=')[0]] = config.Split('=')[1] };
        }

        var ex = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync(new[] { spec }));
        var r = Assert.Single(ex.Results);
        Assert.Equal(expected, r.Error.Code);
        if (message is not null)
        {
            Assert.Contains(message, r.Error.Reason);
        }

        Assert.Equal(before, Cluster.State.Topics.Count);
        Assert.Null(Cluster.State.GetTopic(name));
    }

    [Fact]
    public async Task CreateTopics_existing_topic_fails_with_TopicAlreadyExists()
    {
        using var admin = fx.Admin();
        var name = Unique("exists");
        await admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = name, NumPartitions = 2, ReplicationFactor = 1 } });
        var id = Cluster.State.GetTopic(name)!.TopicId;
        var ex = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = name, NumPartitions = 5, ReplicationFactor = 1 } }));
        Assert.Equal(ErrorCode.TopicAlreadyExists, Assert.Single(ex.Results).Error.Code);
        Assert.Equal($"Topic '{name}' already exists.", ex.Results[0].Error.Reason);
        Assert.Equal(2, Cluster.State.GetTopic(name)!.Partitions.Count);
        Assert.Equal(id, Cluster.State.GetTopic(name)!.TopicId);
    }

    [Fact]
    public async Task CreateTopics_colliding_name_fails_with_InvalidTopic()
    {
        using var admin = fx.Admin();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = $"a_b{suffix}", NumPartitions = 1, ReplicationFactor = 1 } });
        var ex = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync(new[] { new TopicSpecification { Name = $"a.b{suffix}", NumPartitions = 1, ReplicationFactor = 1 } }));
        Assert.Equal(ErrorCode.TopicException, ex.Results[0].Error.Code);
        Assert.Equal($"Topic 'a.b{suffix}' collides with existing topic: a_b{suffix}", ex.Results[0].Error.Reason);
        Assert.Null(Cluster.State.GetTopic($"a.b{suffix}"));
    }

    [Fact]
    public async Task CreateTopics_assignment_with_unknown_broker_fails_with_InvalidReplicaAssignment()
    {
        using var admin = fx.Admin();
        var name = Unique("badassign");
        var ex = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync(new[]
        {
            new TopicSpecification
            {
                Name = name, NumPartitions = 1, ReplicationFactor = -1,
                ReplicasAssignments = new Dictionary<int, List<int>> { [0] = new() { 1, 7 } },
            },
        }));
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, ex.Results[0].Error.Code);
        Assert.Null(Cluster.State.GetTopic(name));
    }

    [Fact]
    public async Task CreateTopics_mixed_batch_creates_only_the_valid_topic()
    {
        using var admin = fx.Admin();
        var good = Unique("good");
        var ex = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync(new[]
        {
            new TopicSpecification { Name = good, NumPartitions = 1, ReplicationFactor = 1 },
            new TopicSpecification { Name = "bad/name", NumPartitions = 1, ReplicationFactor = 1 },
        }));
        Assert.Equal(ErrorCode.NoError, ex.Results.Single(r => r.Topic == good).Error.Code);
        Assert.Equal(ErrorCode.TopicException, ex.Results.Single(r => r.Topic == "bad/name").Error.Code);
        Assert.NotNull(Cluster.State.GetTopic(good));
    }
}
