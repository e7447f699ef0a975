using Confluent.Kafka.Admin;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class ConfigAndHealthTests
{
    private static KafkaPartition Partition(int id, int leader, int[] replicas, int[] isr) =>
        new() { Topic = "t", Partition = id, Leader = leader, Replicas = replicas, InSyncReplicas = isr };

    private static KafkaTopic Topic(params KafkaPartition[] partitions) => new() { Name = "t", Partitions = partitions };

    [Fact]
    public void Healthy_topic_matches_no_filter()
    {
        var topic = Topic(Partition(0, 1, [1, 2], [1, 2]));
        var all = new TopicQuery { UnderReplicated = true, Unavailable = true, UnderMinIsr = true };
        Assert.False(TopicService.IsUnhealthy(topic, all, new Dictionary<string, string?> { ["min.insync.replicas"] = "2" }));
    }

    [Fact]
    public void Under_replicated_is_isr_smaller_than_replicas()
    {
        var topic = Topic(Partition(0, 1, [1, 2], [1, 2]), Partition(1, 2, [2, 3], [2]));
        Assert.True(TopicService.IsUnhealthy(topic, new TopicQuery { UnderReplicated = true }, null));
        Assert.False(TopicService.IsUnhealthy(topic, new TopicQuery { Unavailable = true }, null));
    }

    [Fact]
    public void Unavailable_is_a_partition_without_leader()
    {
        var topic = Topic(Partition(0, -1, [1], [1]));
        Assert.True(TopicService.IsUnhealthy(topic, new TopicQuery { Unavailable = true }, null));
        Assert.False(TopicService.IsUnhealthy(topic, new TopicQuery { UnderReplicated = true }, null));
    }

    [Theory]
    [InlineData("2", true)]
    [InlineData("1", false)]
    [InlineData("not-a-number", false)]
    public void Under_min_isr_compares_isr_with_the_topic_config(string minIsr, bool expected)
    {
        var topic = Topic(Partition(0, 1, [1, 2, 3], [1]));
        Assert.Equal(expected, TopicService.IsUnhealthy(topic, new TopicQuery { UnderMinIsr = true }, new Dictionary<string, string?> { ["min.insync.replicas"] = minIsr }));
    }

    [Fact]
    public void Under_min_isr_needs_the_config()
    {
        var topic = Topic(Partition(0, 1, [1, 2, 3], [1]));
        Assert.False(TopicService.IsUnhealthy(topic, new TopicQuery { UnderMinIsr = true }, null));
    }

    [Fact]
    public void Health_filter_flag_reflects_any_filter()
    {
        Assert.False(new TopicQuery().HasHealthFilter);
        Assert.True(new TopicQuery { UnderMinIsr = true }.HasHealthFilter);
    }

    [Fact]
    public void Config_change_without_anything_is_refused()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConfigService.Validate(new ConfigChange(), "topic 'x'"));
        Assert.Equal("NoConfigChange", ex.ErrorId);
        Assert.Contains("-Set", ex.Message);
    }

    [Fact]
    public void Config_name_both_set_and_removed_is_refused()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConfigService.Validate(
            new ConfigChange { Set = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, Remove = ["b"] }, "topic 'x'"));
        Assert.Equal("ConflictingConfigChange", ex.ErrorId);
        Assert.Contains("'b'", ex.Message);
    }

    [Fact]
    public void Empty_config_name_in_remove_is_refused() =>
        Assert.Equal("InvalidConfig", Assert.Throws<KafkaCatalogException>(() => ConfigService.Validate(new ConfigChange { Remove = [" "] }, "t")).ErrorId);

    [Fact]
    public void Config_change_describes_itself_in_order() =>
        Assert.Equal("set a=1, set b=2, remove c",
            new ConfigChange { Set = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }, Remove = ["c"] }.ToString());

    [Fact]
    public void Config_change_picks_the_entries_it_set_or_removed()
    {
        static KafkaConfigEntry Entry(string name) => new() { ResourceName = "t", ResourceType = "Topic", Name = name, Source = "DEFAULT_CONFIG" };
        var change = new ConfigChange { Set = new Dictionary<string, string> { ["retention.ms"] = "1" }, Remove = ["cleanup.policy"] };
        var entries = new[] { Entry("cleanup.policy"), Entry("Retention.ms"), Entry("retention.ms"), Entry("segment.ms") };
        Assert.Equal(["cleanup.policy", "retention.ms"], change.Changed(entries).Select(e => e.Name));
        Assert.Empty(new ConfigChange().Changed(entries));
    }

    [Theory]
    [InlineData(ConfigSource.DynamicTopicConfig, "DYNAMIC_TOPIC_CONFIG")]
    [InlineData(ConfigSource.DynamicBrokerConfig, "DYNAMIC_BROKER_CONFIG")]
    [InlineData(ConfigSource.DynamicDefaultBrokerConfig, "DYNAMIC_DEFAULT_BROKER_CONFIG")]
    [InlineData(ConfigSource.StaticBrokerConfig, "STATIC_BROKER_CONFIG")]
    [InlineData(ConfigSource.DefaultConfig, "DEFAULT_CONFIG")]
    [InlineData(ConfigSource.UnknownConfig, "UNKNOWN")]
    public void Config_sources_use_Kafka_names(ConfigSource source, string expected) =>
        Assert.Equal(expected, ConfigService.SourceName(source));

    [Fact]
    public void Config_filter_by_wildcard_and_default()
    {
        KafkaConfigEntry Entry(string name, bool isDefault) => new() { ResourceName = "t", ResourceType = "Topic", Name = name, Source = "X", IsDefault = isDefault };
        var entries = new[] { Entry("retention.ms", false), Entry("retention.bytes", true), Entry("cleanup.policy", false) };

        Assert.Equal(new[] { "retention.ms", "retention.bytes" }, ConfigService.Filter(entries, [NamePattern.Parse("retention.*")], false).Select(e => e.Name));
        Assert.Equal(new[] { "retention.ms", "cleanup.policy" }, ConfigService.Filter(entries, [], true).Select(e => e.Name));
        Assert.Equal(new[] { "retention.ms" }, ConfigService.Filter(entries, [NamePattern.Parse("retention.*")], true).Select(e => e.Name));
    }

    [Fact]
    public async Task Config_filter_over_described_resources_keeps_their_order()
    {
        KafkaConfigEntry Entry(string topic, string name, bool isDefault) => new() { ResourceName = topic, ResourceType = "Topic", Name = name, Source = "X", IsDefault = isDefault };
        async IAsyncEnumerable<(string Topic, IReadOnlyList<KafkaConfigEntry> Entries)> Described()
        {
            await Task.Yield();
            yield return ("b", [Entry("b", "retention.ms", false), Entry("b", "cleanup.policy", false)]);
            yield return ("a", [Entry("a", "retention.bytes", true), Entry("a", "retention.ms", false)]);
        }

        var kept = new List<string>();
        await foreach (var entry in ConfigService.Filter(Described(), [NamePattern.Parse("retention.*")], excludeDefault: true))
        {
            kept.Add($"{entry.ResourceName}/{entry.Name}");
        }

        Assert.Equal(["b/retention.ms", "a/retention.ms"], kept);
    }

    [Fact]
    public void Topic_offset_message_count_is_never_negative()
    {
        Assert.Equal(5, new KafkaTopicOffset { Topic = "t", Partition = 0, LowWatermark = 10, HighWatermark = 15 }.MessageCount);
        Assert.Equal(0, new KafkaTopicOffset { Topic = "t", Partition = 0, LowWatermark = 15, HighWatermark = 10 }.MessageCount);
    }
}
