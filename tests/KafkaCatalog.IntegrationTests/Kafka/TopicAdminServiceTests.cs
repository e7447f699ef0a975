using Confluent.Kafka;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.IntegrationTests.Kafka;

public class TopicAdminServiceTests(KafkaCoreFixture fixture) : IClassFixture<KafkaCoreFixture>
{
    private const short DeleteTopicsKey = 20;
    private const short CreatePartitionsKey = 37;
    private const short IncrementalAlterConfigsKey = 44;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private ConfigService Configs() => new(fixture.Factory, null, KafkaCoreFixture.FastRetry);

    // ---- delete

    [Fact]
    public async Task Deletes_topics_and_reports_each()
    {
        var a = Unique("del");
        var b = Unique("del");
        fixture.Cluster.State.CreateTopic(a, 1, 1);
        fixture.Cluster.State.CreateTopic(b, 2, 1);

        var outcomes = await fixture.Topics().DeleteAsync([a, b]);

        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Equal(new[] { a, b }.Order(), outcomes.Select(o => o.Topic).Order());
        Assert.Null(fixture.Cluster.State.GetTopic(a));
        Assert.Null(fixture.Cluster.State.GetTopic(b));
    }

    [Fact]
    public async Task Deleting_a_missing_topic_is_TopicNotFound_and_the_others_are_deleted()
    {
        var real = Unique("del");
        fixture.Cluster.State.CreateTopic(real, 1, 1);

        var outcomes = await fixture.Topics().DeleteAsync([real, "never-existed-xyz"]);

        Assert.True(outcomes.Single(o => o.Topic == real).Succeeded);
        var missing = outcomes.Single(o => o.Topic == "never-existed-xyz");
        Assert.Equal("TopicNotFound", missing.Error!.ErrorId);
        Assert.Null(fixture.Cluster.State.GetTopic(real));
    }

    [Fact]
    public async Task Internal_topics_are_refused_without_a_request()
    {
        var before = fixture.Cluster.RequestCount(DeleteTopicsKey);
        var outcome = Assert.Single(await fixture.Topics().DeleteAsync(["__consumer_offsets"]));

        Assert.Equal("CannotDeleteInternalTopic", outcome.Error!.ErrorId);
        Assert.Equal(before, fixture.Cluster.RequestCount(DeleteTopicsKey));
        Assert.NotNull(fixture.Cluster.State.GetTopic("__consumer_offsets"));
    }

    // ---- partitions

    [Fact]
    public async Task Adds_partitions_up_to_the_total()
    {
        var name = Unique("grow");
        fixture.Cluster.State.CreateTopic(name, 2, 2);

        var topic = await fixture.Topics().AddPartitionsAsync(name, 5, validateOnly: false);

        Assert.Equal(5, topic!.PartitionCount);
        Assert.Equal(2, topic.ReplicationFactor);
        Assert.Equal(5, fixture.Cluster.State.GetTopic(name)!.Partitions.Count);
    }

    [Fact]
    public async Task Validate_only_adds_nothing()
    {
        var name = Unique("grow");
        fixture.Cluster.State.CreateTopic(name, 2, 1);

        Assert.Null(await fixture.Topics().AddPartitionsAsync(name, 4, validateOnly: true));
        Assert.Equal(2, fixture.Cluster.State.GetTopic(name)!.Partitions.Count);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task A_total_not_above_the_current_count_is_InvalidPartitions(int total)
    {
        var name = Unique("shrink");
        fixture.Cluster.State.CreateTopic(name, 3, 1);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().AddPartitionsAsync(name, total, validateOnly: false));

        Assert.Equal("InvalidPartitions", ex.ErrorId);
        Assert.Equal(3, fixture.Cluster.State.GetTopic(name)!.Partitions.Count);
    }

    [Fact]
    public async Task Adding_partitions_to_a_missing_topic_is_TopicNotFound()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().AddPartitionsAsync("no-such-topic-abc", 3, validateOnly: false));
        Assert.Equal("TopicNotFound", ex.ErrorId);
        Assert.Null(fixture.Cluster.State.GetTopic("no-such-topic-abc"));
    }

    [Fact]
    public async Task Total_below_one_is_refused_without_a_request()
    {
        var before = fixture.Cluster.RequestCount(CreatePartitionsKey);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().AddPartitionsAsync("any", 0, validateOnly: false));
        Assert.Equal("InvalidPartitions", ex.ErrorId);
        Assert.Equal(before, fixture.Cluster.RequestCount(CreatePartitionsKey));
    }

    // ---- configs

    [Fact]
    public async Task Describes_topic_configs_with_source_default_and_synonyms()
    {
        var name = Unique("cfg");
        fixture.Cluster.State.CreateTopic(name, 1, 1, new Dictionary<string, string> { ["retention.ms"] = "1234" });

        var (topic, entries) = Assert.Single(await Configs().DescribeTopicsAsync([name]).ToListAsync());

        Assert.Equal(name, topic);
        var retention = entries.Single(e => e.Name == "retention.ms");
        Assert.Equal("1234", retention.Value);
        Assert.Equal("DYNAMIC_TOPIC_CONFIG", retention.Source);
        Assert.False(retention.IsDefault);
        Assert.Equal("Topic", retention.ResourceType);
        Assert.Equal(name, retention.ResourceName);
        Assert.Equal("it", retention.ConnectionName);
        Assert.Contains(retention.Synonyms, s => s.Name == "retention.ms" && s.Value == "1234");

        var cleanup = entries.Single(e => e.Name == "cleanup.policy");
        Assert.Equal("delete", cleanup.Value);
        Assert.True(cleanup.IsDefault);
    }

    [Fact]
    public async Task Configs_of_many_topics_come_in_batches()
    {
        var prefix = "batch" + Guid.NewGuid().ToString("N")[..6];
        var names = Enumerable.Range(0, 7).Select(i => $"{prefix}-{i}").ToArray();
        foreach (var n in names)
        {
            fixture.Cluster.State.CreateTopic(n, 1, 1);
        }

        var sink = new CollectingSink();
        var results = await new ConfigService(fixture.Factory, sink) { BatchSize = 3 }.DescribeTopicsAsync(names).ToListAsync();

        Assert.Equal(names, results.Select(r => r.Topic));
        Assert.Equal(3, sink.Lines.Count(l => l.StartsWith("DescribeConfigs request", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Missing_topic_config_is_a_per_item_error()
    {
        var name = Unique("cfg");
        fixture.Cluster.State.CreateTopic(name, 1, 1);
        var errors = new List<KafkaCatalogException>();

        var results = await Configs().DescribeTopicsAsync([name, "no-such-topic-cfg"], errors.Add).ToListAsync();

        Assert.Equal(name, Assert.Single(results).Topic);
        Assert.Equal("TopicNotFound", Assert.Single(errors).ErrorId);
    }

    [Fact]
    public async Task Sets_and_removes_topic_configs_incrementally()
    {
        var name = Unique("alter");
        fixture.Cluster.State.CreateTopic(name, 1, 1, new Dictionary<string, string> { ["retention.ms"] = "1000", ["segment.ms"] = "60000" });

        await Configs().AlterTopicAsync(name, new ConfigChange
        {
            Set = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
            Remove = ["retention.ms"],
        }, validateOnly: false);

        var configs = fixture.Cluster.State.GetTopic(name)!.Configs;
        Assert.Equal("compact", configs["cleanup.policy"]);
        Assert.False(configs.ContainsKey("retention.ms"));
        Assert.Equal("60000", configs["segment.ms"]);
    }

    [Fact]
    public async Task Validate_only_config_change_changes_nothing()
    {
        var name = Unique("alter");
        fixture.Cluster.State.CreateTopic(name, 1, 1);

        await Configs().AlterTopicAsync(name, new ConfigChange { Set = new Dictionary<string, string> { ["retention.ms"] = "5" } }, validateOnly: true);

        Assert.False(fixture.Cluster.State.GetTopic(name)!.Configs.ContainsKey("retention.ms"));
    }

    [Theory]
    [InlineData("no.such.config", "1")]
    [InlineData("retention.ms", "forever")]
    [InlineData("cleanup.policy", "sometimes")]
    public async Task Bad_config_change_is_InvalidConfig_and_changes_nothing(string key, string value)
    {
        var name = Unique("alter");
        fixture.Cluster.State.CreateTopic(name, 1, 1, new Dictionary<string, string> { ["segment.ms"] = "60000" });

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => Configs().AlterTopicAsync(name,
            new ConfigChange { Set = new Dictionary<string, string> { [key] = value, ["segment.ms"] = "1" } }, validateOnly: false));

        Assert.Equal("InvalidConfig", ex.ErrorId);
        Assert.Equal(new Dictionary<string, string> { ["segment.ms"] = "60000" }, fixture.Cluster.State.GetTopic(name)!.Configs);
    }

    [Fact]
    public async Task Config_change_of_a_missing_topic_is_TopicNotFound()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => Configs().AlterTopicAsync("no-such-topic-alter",
            new ConfigChange { Set = new Dictionary<string, string> { ["retention.ms"] = "1" } }, validateOnly: false));
        Assert.Equal("TopicNotFound", ex.ErrorId);
    }

    [Fact]
    public async Task Empty_or_conflicting_changes_are_refused_without_a_request()
    {
        var before = fixture.Cluster.RequestCount(IncrementalAlterConfigsKey);

        var empty = await Assert.ThrowsAsync<KafkaCatalogException>(() => Configs().AlterTopicAsync("t", new ConfigChange(), validateOnly: false));
        var conflict = await Assert.ThrowsAsync<KafkaCatalogException>(() => Configs().AlterTopicAsync("t",
            new ConfigChange { Set = new Dictionary<string, string> { ["retention.ms"] = "1" }, Remove = ["retention.ms"] }, validateOnly: false));

        Assert.Equal("NoConfigChange", empty.ErrorId);
        Assert.Equal("ConflictingConfigChange", conflict.ErrorId);
        Assert.Equal(before, fixture.Cluster.RequestCount(IncrementalAlterConfigsKey));
    }

    [Fact]
    public async Task Broker_configs_are_described_and_dynamic_ones_changed()
    {
        var (resource, entries) = Assert.Single(await Configs().DescribeBrokersAsync([2]).ToListAsync());
        Assert.Equal("2", resource);
        Assert.All(entries, e => Assert.Equal("Broker", e.ResourceType));
        Assert.NotEmpty(entries);

        await Configs().AlterBrokerAsync(2, new ConfigChange { Set = new Dictionary<string, string> { ["log.retention.ms"] = "7200000" } }, validateOnly: false);
        Assert.Equal("7200000", fixture.Cluster.State.DynamicBrokerConfigs(2)["log.retention.ms"]);

        var (_, after) = Assert.Single(await Configs().DescribeBrokersAsync([2]).ToListAsync());
        var entry = after.Single(e => e.Name == "log.retention.ms");
        Assert.Equal("7200000", entry.Value);
        Assert.Equal("DYNAMIC_BROKER_CONFIG", entry.Source);

        await Configs().AlterBrokerAsync(2, new ConfigChange { Remove = ["log.retention.ms"] }, validateOnly: false);
        Assert.False(fixture.Cluster.State.DynamicBrokerConfigs(2).ContainsKey("log.retention.ms"));
    }

    [Fact]
    public async Task Unknown_broker_ids_are_per_item_errors()
    {
        var errors = new List<KafkaCatalogException>();
        var brokers = await new ClusterService(fixture.Factory).GetBrokersAsync([3, 9], errors.Add);

        Assert.Equal(3, Assert.Single(brokers).BrokerId);
        var error = Assert.Single(errors);
        Assert.Equal("BrokerNotFound", error.ErrorId);
        Assert.Equal(9, error.Target);
    }

    // ---- health filters and -IncludeConfig

    [Fact]
    public async Task Health_filters_find_under_replicated_unavailable_and_under_min_isr_topics()
    {
        var prefix = "health" + Guid.NewGuid().ToString("N")[..6];
        var healthy = fixture.Cluster.State.CreateTopic($"{prefix}-ok", 2, 2);
        var under = fixture.Cluster.State.CreateTopic($"{prefix}-under", 2, 2);
        var offline = fixture.Cluster.State.CreateTopic($"{prefix}-offline", 1, 1);
        var minIsr = fixture.Cluster.State.CreateTopic($"{prefix}-minisr", 1, 2, new Dictionary<string, string> { ["min.insync.replicas"] = "2" });
        lock (fixture.Cluster.State.Sync)
        {
            var p = under.Partitions[0];
            p.Isr.Remove(p.Replicas.First(r => r != p.LeaderId));
            offline.Partitions[0].LeaderId = -1;
            var m = minIsr.Partitions[0];
            m.Isr.Remove(m.Replicas.First(r => r != m.LeaderId));
        }

        async Task<string[]> Names(TopicQuery q) =>
            (await fixture.Topics().ListAsync(q with { Names = [prefix + "-*"] }).ToListAsync()).Select(t => t.Name[(prefix.Length + 1)..]).ToArray();

        Assert.Equal(new[] { "minisr", "offline", "ok", "under" }, await Names(new TopicQuery()));
        Assert.Equal(new[] { "minisr", "under" }, await Names(new TopicQuery { UnderReplicated = true }));
        Assert.Equal(new[] { "offline" }, await Names(new TopicQuery { Unavailable = true }));
        Assert.Equal(new[] { "minisr" }, await Names(new TopicQuery { UnderMinIsr = true }));
        Assert.Equal(new[] { "minisr", "offline", "under" }, await Names(new TopicQuery { UnderReplicated = true, Unavailable = true }));
        _ = healthy;
    }

    [Fact]
    public async Task Include_config_fills_each_topic_config()
    {
        var name = Unique("withcfg");
        fixture.Cluster.State.CreateTopic(name, 1, 1, new Dictionary<string, string> { ["cleanup.policy"] = "compact" });

        var topic = Assert.Single(await fixture.Topics().ListAsync(new TopicQuery { Names = [name], IncludeConfig = true }).ToListAsync());

        Assert.NotNull(topic.Config);
        Assert.Equal("compact", topic.Config!["cleanup.policy"]);
        Assert.True(topic.Config.ContainsKey("retention.ms"));
        Assert.Null((await fixture.Topics().ListAsync(new TopicQuery { Names = [name] }).ToListAsync())[0].Config);
    }

    // ---- offsets

    [Fact]
    public async Task Offsets_give_watermarks_message_counts_and_the_offset_for_a_time()
    {
        var name = Unique("offs");
        var created = (await fixture.Topics().CreateAsync(new NewTopicSpec { Name = name, Partitions = 2, ReplicationFactor = 1 }, validateOnly: false)).Topic!;
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        using (var producer = fixture.Factory.CreateProducer())
        {
            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync(new TopicPartition(name, 0), new Message<byte[]?, byte[]?> { Value = [(byte)i], Timestamp = new Timestamp(t0.AddMinutes(i)) });
            }

            await producer.ProduceAsync(new TopicPartition(name, 1), new Message<byte[]?, byte[]?> { Value = [9], Timestamp = new Timestamp(t0) });
        }

        var offsets = await new TopicOffsetService(fixture.Factory).GetAsync([created], t0.AddMinutes(2).AddSeconds(1)).ToListAsync();

        Assert.Equal(2, offsets.Count);
        var p0 = offsets[0];
        Assert.Equal((name, 0, 0L, 5L, 5L), (p0.Topic, p0.Partition, p0.LowWatermark, p0.HighWatermark, p0.MessageCount));
        Assert.Equal(3, p0.OffsetForTimestamp);
        var p1 = offsets[1];
        Assert.Equal((1, 1L), (p1.Partition, p1.MessageCount));
        Assert.Null(p1.OffsetForTimestamp);

        var withoutTime = await new TopicOffsetService(fixture.Factory).GetAsync([created]).ToListAsync();
        Assert.All(withoutTime, o => Assert.Null(o.Timestamp));
    }

    [Fact]
    public async Task Offsets_after_records_were_deleted_start_at_the_new_log_start()
    {
        var name = Unique("trunc");
        var created = (await fixture.Topics().CreateAsync(new NewTopicSpec { Name = name, Partitions = 1, ReplicationFactor = 1 }, validateOnly: false)).Topic!;
        using (var producer = fixture.Factory.CreateProducer())
        {
            for (var i = 0; i < 4; i++)
            {
                await producer.ProduceAsync(name, new Message<byte[]?, byte[]?> { Value = [(byte)i] });
            }
        }

        await fixture.Factory.AdminClient.DeleteRecordsAsync([new TopicPartitionOffset(name, 0, 3)]);

        var offset = Assert.Single(await new TopicOffsetService(fixture.Factory).GetAsync([created]).ToListAsync());
        Assert.Equal((3L, 4L, 1L), (offset.LowWatermark, offset.HighWatermark, offset.MessageCount));
    }
}
