using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>DeleteTopics, CreatePartitions and the config APIs through the Confluent.Kafka AdminClient.</summary>
public sealed class TopicLifecycleAndConfigTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private KafkaTestCluster Cluster => fx.Cluster;

    private string NewTopic(int partitions = 3, Dictionary<string, string>? configs = null)
    {
        var name = "life-" + Guid.NewGuid().ToString("N")[..12];
        Cluster.State.CreateTopic(name, partitions, 2, configs);
        return name;
    }

    [Fact]
    public async Task DeleteTopics_removes_the_topic()
    {
        var name = NewTopic();
        using var admin = fx.Admin();
        await admin.DeleteTopicsAsync(new[] { name });
        Assert.Null(Cluster.State.GetTopic(name));
    }

    [Fact]
    public async Task DeleteTopics_unknown_topic_fails_with_UnknownTopicOrPartition()
    {
        using var admin = fx.Admin();
        var ex = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(new[] { "never-existed-topic" }));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(ex.Results).Error.Code);
    }

    [Fact]
    public async Task DeleteTopics_internal_topic_is_refused_and_kept()
    {
        using var admin = fx.Admin();
        var ex = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(new[] { "__consumer_offsets" }));
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Single(ex.Results).Error.Code);
        Assert.NotNull(Cluster.State.GetTopic("__consumer_offsets"));
    }

    [Fact]
    public async Task CreatePartitions_grows_the_topic_and_spreads_new_leaders()
    {
        var name = NewTopic(partitions: 2);
        using var admin = fx.Admin();
        await admin.CreatePartitionsAsync(new[] { new PartitionsSpecification { Topic = name, IncreaseTo = 6 } });
        var t = Cluster.State.GetTopic(name)!;
        Assert.Equal(6, t.Partitions.Count);
        Assert.All(t.Partitions, p => Assert.Equal(2, p.Replicas.Length));
        Assert.Equal(Enumerable.Range(0, 6), t.Partitions.Select(p => p.Index));
    }

    [Fact]
    public async Task CreatePartitions_to_a_lower_count_fails_with_InvalidPartitions_and_changes_nothing()
    {
        var name = NewTopic(partitions: 3);
        using var admin = fx.Admin();
        var ex = await Assert.ThrowsAsync<CreatePartitionsException>(() =>
            admin.CreatePartitionsAsync(new[] { new PartitionsSpecification { Topic = name, IncreaseTo = 2 } }));
        var r = Assert.Single(ex.Results);
        Assert.Equal(ErrorCode.InvalidPartitions, r.Error.Code);
        Assert.Equal("Topic currently has 3 partitions, which is higher than the requested 2.", r.Error.Reason);
        Assert.Equal(3, Cluster.State.GetTopic(name)!.Partitions.Count);
    }

    [Fact]
    public async Task CreatePartitions_ValidateOnly_changes_nothing()
    {
        var name = NewTopic(partitions: 1);
        using var admin = fx.Admin();
        await admin.CreatePartitionsAsync(new[] { new PartitionsSpecification { Topic = name, IncreaseTo = 4 } },
            new CreatePartitionsOptions { ValidateOnly = true });
        Assert.Single(Cluster.State.GetTopic(name)!.Partitions);
    }

    [Fact]
    public async Task DescribeConfigs_topic_reports_dynamic_and_default_sources_with_synonyms()
    {
        var name = NewTopic(configs: new() { ["retention.ms"] = "1000" });
        using var admin = fx.Admin();
        var res = await admin.DescribeConfigsAsync(new[] { new ConfigResource { Type = ResourceType.Topic, Name = name } });
        var entries = Assert.Single(res).Entries;
        Assert.Equal("1000", entries["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, entries["retention.ms"].Source);
        Assert.Equal("delete", entries["cleanup.policy"].Value);
        Assert.Equal(ConfigSource.DefaultConfig, entries["cleanup.policy"].Source);
        Assert.True(entries["cleanup.policy"].IsDefault);
        Assert.Equal("1073741824", entries["segment.bytes"].Value);
        Assert.Equal("1048588", entries["max.message.bytes"].Value);
        Assert.Equal("1", entries["min.insync.replicas"].Value);
        Assert.Equal("CreateTime", entries["message.timestamp.type"].Value);
        Assert.Equal("producer", entries["compression.type"].Value);
        Assert.Equal("-1", entries["retention.bytes"].Value);
        Assert.Contains(entries["retention.ms"].Synonyms, s => s.Name == "retention.ms" && s.Source == ConfigSource.DynamicTopicConfig);
    }

    [Fact]
    public async Task DescribeConfigs_broker_reports_static_config_and_hides_sensitive_values()
    {
        using var admin = fx.Admin();
        var res = await admin.DescribeConfigsAsync(new[] { new ConfigResource { Type = ResourceType.Broker, Name = "2" } });
        var entries = Assert.Single(res).Entries;
        Assert.Equal("2", entries["broker.id"].Value);
        Assert.Equal(ConfigSource.StaticBrokerConfig, entries["broker.id"].Source);
        Assert.True(entries["broker.id"].IsReadOnly);
        Assert.True(entries["ssl.keystore.password"].IsSensitive);
        Assert.Null(entries["ssl.keystore.password"].Value);
        Assert.Equal("604800000", entries["log.roll.ms"].Value);
        Assert.Equal(ConfigSource.DefaultConfig, entries["log.roll.ms"].Source);
    }

    [Fact]
    public async Task DescribeConfigs_unknown_topic_fails()
    {
        using var admin = fx.Admin();
        var ex = await Assert.ThrowsAsync<DescribeConfigsException>(() =>
            admin.DescribeConfigsAsync(new[] { new ConfigResource { Type = ResourceType.Topic, Name = "no-such-topic-cfg" } }));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(ex.Results).Error.Code);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_set_delete_append_subtract()
    {
        var name = NewTopic(configs: new() { ["segment.ms"] = "100000" });
        using var admin = fx.Admin();
        var res = new ConfigResource { Type = ResourceType.Topic, Name = name };
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [res] = new()
            {
                new ConfigEntry { Name = "retention.ms", Value = "86400000", IncrementalOperation = AlterConfigOpType.Set },
                new ConfigEntry { Name = "segment.ms", IncrementalOperation = AlterConfigOpType.Delete },
                new ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = AlterConfigOpType.Append },
            },
        });
        var t = Cluster.State.GetTopic(name)!;
        Assert.Equal("86400000", t.Configs["retention.ms"]);
        Assert.False(t.Configs.ContainsKey("segment.ms"));
        Assert.Equal("delete,compact", t.Configs["cleanup.policy"]);

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [res] = new() { new ConfigEntry { Name = "cleanup.policy", Value = "delete", IncrementalOperation = AlterConfigOpType.Subtract } },
        });
        Assert.Equal("compact", Cluster.State.GetTopic(name)!.Configs["cleanup.policy"]);
    }

    [Theory]
    [InlineData("retention.ms", "abc", AlterConfigOpType.Set, "Invalid value abc for configuration retention.ms: Not a number of type LONG")]
    [InlineData("no.such.key", "1", AlterConfigOpType.Set, "Unknown topic config name: no.such.key")]
    [InlineData("retention.ms", "5", AlterConfigOpType.Append, "Config value append is not allowed for config key: retention.ms")]
    public async Task IncrementalAlterConfigs_bad_input_fails_with_InvalidConfig_and_changes_nothing(string key, string value, AlterConfigOpType op, string message)
    {
        var name = NewTopic(configs: new() { ["retention.ms"] = "1000" });
        using var admin = fx.Admin();
        var ex = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() => admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = name }] = new() { new ConfigEntry { Name = key, Value = value, IncrementalOperation = op } },
        }));
        var r = Assert.Single(ex.Results);
        Assert.Equal(ErrorCode.InvalidConfig, r.Error.Code);
        Assert.Equal(message, r.Error.Reason);
        Assert.Equal(new Dictionary<string, string> { ["retention.ms"] = "1000" }, Cluster.State.GetTopic(name)!.Configs);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_ValidateOnly_changes_nothing()
    {
        var name = NewTopic();
        using var admin = fx.Admin();
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = name }] = new() { new ConfigEntry { Name = "retention.ms", Value = "5", IncrementalOperation = AlterConfigOpType.Set } },
        }, new IncrementalAlterConfigsOptions { ValidateOnly = true });
        Assert.Empty(Cluster.State.GetTopic(name)!.Configs);
    }

    [Fact]
    public async Task AlterConfigs_replaces_the_whole_dynamic_set()
    {
        var name = NewTopic(configs: new() { ["retention.ms"] = "1000", ["segment.ms"] = "2000" });
        using var admin = fx.Admin();
#pragma warning disable CS0618 // AlterConfigs is deprecated in the client but still a Kafka API
        await admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = name }] = new() { new ConfigEntry { Name = "retention.bytes", Value = "1048576" } },
        });
#pragma warning restore CS0618
        Assert.Equal(new Dictionary<string, string> { ["retention.bytes"] = "1048576" }, Cluster.State.GetTopic(name)!.Configs);
    }

    [Fact]
    public async Task Broker_dynamic_config_changes_topic_defaults_and_source()
    {
        using var admin = fx.Admin();
        var name = NewTopic();
        var broker = new ConfigResource { Type = ResourceType.Broker, Name = Cluster.ControllerId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [broker] = new() { new ConfigEntry { Name = "log.retention.bytes", Value = "2147483648", IncrementalOperation = AlterConfigOpType.Set } },
        });
        try
        {
            var res = await admin.DescribeConfigsAsync(new[] { new ConfigResource { Type = ResourceType.Topic, Name = name } });
            var e = Assert.Single(res).Entries["retention.bytes"];
            Assert.Equal("2147483648", e.Value);
            Assert.Equal(ConfigSource.DynamicBrokerConfig, e.Source);
        }
        finally
        {
            await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
            {
                [broker] = new() { new ConfigEntry { Name = "log.retention.bytes", IncrementalOperation = AlterConfigOpType.Delete } },
            });
        }
        Assert.Empty(Cluster.State.DynamicBrokerConfigs(Cluster.ControllerId));
    }
}
