using Confluent.Kafka;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.IntegrationTests.RealCluster;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>
/// Delete, partitions, configs, health filters and offsets of topics over real TCP. Runs against a real cluster too
/// (KAFKACATALOG_TEST_BOOTSTRAP): seeding and checks go through the admin API; request counts are asserted on TestKit only.
/// </summary>
public class TopicAdminServiceTests(RealCapableKafkaCoreFixture fixture) : IClassFixture<RealCapableKafkaCoreFixture>
{
    private const short DeleteTopicsKey = 20;
    private const short CreatePartitionsKey = 37;
    private const short IncrementalAlterConfigsKey = 44;

    private static string Unique(string prefix) => KafkaTestTarget.Unique(prefix);

    private KafkaTestTarget T => fixture.Target;

    private Task CreateAsync(string name, int partitions, params (string Key, string Value)[] config) =>
        T.CreateTopicAsync(name, partitions, config.Length == 0 ? null : config.ToDictionary(c => c.Key, c => c.Value));

    /// <summary>Deletion completes asynchronously on a real cluster: wait until no broker lists the topics.</summary>
    private Task GoneAsync(params string[] names) =>
        KafkaTestTarget.WaitUntilAsync($"{string.Join(", ", names)} deleted", () => Task.FromResult(!T.TopicNames().Overlaps(names)));

    private ConfigService Configs() => new(fixture.Factory, null, KafkaCoreFixture.FastRetry);

    // ---- delete

    [Fact]
    public async Task Deletes_topics_and_reports_each()
    {
        var a = Unique("del");
        var b = Unique("del");
        await CreateAsync(a, 1);
        await CreateAsync(b, 2);

        var outcomes = await fixture.Topics().DeleteAsync([a, b]);

        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Equal(new[] { a, b }.Order(), outcomes.Select(o => o.Topic).Order());
        await GoneAsync(a, b);
    }

    [Fact]
    public async Task Deleting_a_missing_topic_is_TopicNotFound_and_the_others_are_deleted()
    {
        var real = Unique("del");
        var never = Unique("never-existed");
        await CreateAsync(real, 1);

        var outcomes = await fixture.Topics().DeleteAsync([real, never]);

        Assert.True(outcomes.Single(o => o.Topic == real).Succeeded);
        var missing = outcomes.Single(o => o.Topic == never);
        Assert.Equal("TopicNotFound", missing.Error!.ErrorId);
        await GoneAsync(real);
        Assert.DoesNotContain(never, T.TopicNames());
    }

    [Fact]
    public async Task Internal_topics_are_refused_without_a_request()
    {
        var existed = T.TopicNames().Contains("__consumer_offsets");
        var before = T.TestKit?.RequestCount(DeleteTopicsKey);
        var outcome = Assert.Single(await fixture.Topics().DeleteAsync(["__consumer_offsets"]));

        Assert.Equal("CannotDeleteInternalTopic", outcome.Error!.ErrorId);
        Assert.Equal(before, T.TestKit?.RequestCount(DeleteTopicsKey));
        Assert.Equal(existed, T.TopicNames().Contains("__consumer_offsets"));
        Assert.True(existed || T.IsReal, "TestKit always has __consumer_offsets");
    }

    // ---- partitions

    [Fact]
    public async Task Adds_partitions_up_to_the_total()
    {
        var name = Unique("grow");
        await T.CreateTopicAsync(name, 2, replicationFactor: T.IsReal ? (short)-1 : (short)2);
        var replicas = T.Admin.GetMetadata(name, TimeSpan.FromSeconds(10)).Topics.Single().Partitions[0].Replicas.Length;

        var topic = await fixture.Topics().AddPartitionsAsync(name, 5, validateOnly: false);

        Assert.Equal(5, topic!.PartitionCount);
        Assert.Equal(replicas, topic.ReplicationFactor);
        Assert.Equal(5, T.PartitionCount(name));
    }

    [Fact]
    public async Task Validate_only_adds_nothing()
    {
        var name = Unique("grow");
        await CreateAsync(name, 2);

        Assert.Null(await fixture.Topics().AddPartitionsAsync(name, 4, validateOnly: true));
        Assert.Equal(2, T.PartitionCount(name));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task A_total_not_above_the_current_count_is_InvalidPartitions(int total)
    {
        var name = Unique("shrink");
        await CreateAsync(name, 3);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().AddPartitionsAsync(name, total, validateOnly: false));

        Assert.Equal("InvalidPartitions", ex.ErrorId);
        Assert.Equal(3, T.PartitionCount(name));
    }

    [Fact]
    public async Task Adding_partitions_to_a_missing_topic_is_TopicNotFound()
    {
        var missing = Unique("no-such-topic");
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().AddPartitionsAsync(missing, 3, validateOnly: false));
        Assert.Equal("TopicNotFound", ex.ErrorId);
        Assert.DoesNotContain(missing, T.TopicNames());
    }

    [Fact]
    public async Task Total_below_one_is_refused_without_a_request()
    {
        var before = T.TestKit?.RequestCount(CreatePartitionsKey);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => fixture.Topics().AddPartitionsAsync("any", 0, validateOnly: false));
        Assert.Equal("InvalidPartitions", ex.ErrorId);
        Assert.Equal(before, T.TestKit?.RequestCount(CreatePartitionsKey));
    }

    // ---- configs

    [Fact]
    public async Task Describes_topic_configs_with_source_default_and_synonyms()
    {
        var name = Unique("cfg");
        await CreateAsync(name, 1, ("retention.ms", "1234"));

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
            await CreateAsync(n, 1);
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
        await CreateAsync(name, 1);
        var errors = new List<KafkaCatalogException>();

        var results = await Configs().DescribeTopicsAsync([name, Unique("no-such-topic-cfg")], errors.Add).ToListAsync();

        Assert.Equal(name, Assert.Single(results).Topic);
        Assert.Equal("TopicNotFound", Assert.Single(errors).ErrorId);
    }

    [Fact]
    public async Task Sets_and_removes_topic_configs_incrementally()
    {
        var name = Unique("alter");
        await CreateAsync(name, 1, ("retention.ms", "1000"), ("segment.ms", "60000"));

        await Configs().AlterTopicAsync(name, new ConfigChange
        {
            Set = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
            Remove = ["retention.ms"],
        }, validateOnly: false);

        var configs = await T.TopicOverridesAsync(name);
        Assert.Equal("compact", configs["cleanup.policy"]);
        Assert.False(configs.ContainsKey("retention.ms"));
        Assert.Equal("60000", configs["segment.ms"]);
    }

    [Fact]
    public async Task Validate_only_config_change_changes_nothing()
    {
        var name = Unique("alter");
        await CreateAsync(name, 1);

        await Configs().AlterTopicAsync(name, new ConfigChange { Set = new Dictionary<string, string> { ["retention.ms"] = "5" } }, validateOnly: true);

        Assert.False((await T.TopicOverridesAsync(name)).ContainsKey("retention.ms"));
    }

    [Theory]
    [InlineData("no.such.config", "1")]
    [InlineData("retention.ms", "forever")]
    [InlineData("cleanup.policy", "sometimes")]
    public async Task Bad_config_change_is_InvalidConfig_and_changes_nothing(string key, string value)
    {
        var name = Unique("alter");
        await CreateAsync(name, 1, ("segment.ms", "60000"));

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => Configs().AlterTopicAsync(name,
            new ConfigChange { Set = new Dictionary<string, string> { [key] = value, ["segment.ms"] = "1" } }, validateOnly: false));

        Assert.Equal("InvalidConfig", ex.ErrorId);
        Assert.Equal(new Dictionary<string, string> { ["segment.ms"] = "60000" }, await T.TopicOverridesAsync(name));
    }

    [Fact]
    public async Task Config_change_of_a_missing_topic_is_TopicNotFound()
    {
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => Configs().AlterTopicAsync(Unique("no-such-topic-alter"),
            new ConfigChange { Set = new Dictionary<string, string> { ["retention.ms"] = "1" } }, validateOnly: false));
        Assert.Equal("TopicNotFound", ex.ErrorId);
    }

    [Fact]
    public async Task Empty_or_conflicting_changes_are_refused_without_a_request()
    {
        var before = T.TestKit?.RequestCount(IncrementalAlterConfigsKey);

        var empty = await Assert.ThrowsAsync<KafkaCatalogException>(() => Configs().AlterTopicAsync("t", new ConfigChange(), validateOnly: false));
        var conflict = await Assert.ThrowsAsync<KafkaCatalogException>(() => Configs().AlterTopicAsync("t",
            new ConfigChange { Set = new Dictionary<string, string> { ["retention.ms"] = "1" }, Remove = ["retention.ms"] }, validateOnly: false));

        Assert.Equal("NoConfigChange", empty.ErrorId);
        Assert.Equal("ConflictingConfigChange", conflict.ErrorId);
        Assert.Equal(before, T.TestKit?.RequestCount(IncrementalAlterConfigsKey));
    }

    private int[] BrokerIds() => T.Admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => b.BrokerId).Order().ToArray();

    [Fact]
    public async Task Broker_configs_are_described()
    {
        var id = BrokerIds()[^1];
        var (resource, entries) = Assert.Single(await Configs().DescribeBrokersAsync([id]).ToListAsync());
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), resource);
        Assert.All(entries, e => Assert.Equal("Broker", e.ResourceType));
        Assert.Contains(entries, e => e.Name == "log.retention.ms" || e.Name == "log.retention.hours");
    }

    [TestKitFact(Because = "changes a broker's log.retention.ms, which would shorten retention on every topic of a shared cluster")]
    public async Task Dynamic_broker_configs_are_changed_and_removed()
    {

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
        var known = BrokerIds()[^1];
        var unknown = known + 1000;
        var errors = new List<KafkaCatalogException>();
        var brokers = await new ClusterService(fixture.Factory).GetBrokersAsync([known, unknown], errors.Add);

        Assert.Equal(known, Assert.Single(brokers).BrokerId);
        var error = Assert.Single(errors);
        Assert.Equal("BrokerNotFound", error.ErrorId);
        Assert.Equal(unknown, error.Target);
    }

    // ---- health filters and -IncludeConfig

    [TestKitFact(Because = "makes partitions under-replicated and offline by editing the broker state")]
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
        await CreateAsync(name, 1, ("cleanup.policy", "compact"));

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
        var created = (await fixture.Topics().CreateAsync(new NewTopicSpec { Name = name, Partitions = 2 }, validateOnly: false)).Topic!;

        // Recent timestamps: a real broker's time-based retention would delete records stamped long ago.
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds() * 1000);
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
        var created = (await fixture.Topics().CreateAsync(new NewTopicSpec { Name = name, Partitions = 1 }, validateOnly: false)).Topic!;
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
