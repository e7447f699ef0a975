using System.Collections;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.TopicState;

namespace KafkaCatalog.Core.Tests.Kafka;

public sealed class TopicStatePlannerTests
{
    private static KafkaTopic Topic(string name, int partitions, int replicas = 1, bool isInternal = false) => new()
    {
        Name = name,
        IsInternal = isInternal,
        Partitions = Enumerable.Range(0, partitions)
            .Select(p => new KafkaPartition { Topic = name, Partition = p, Leader = 1, Replicas = Enumerable.Range(1, replicas).ToArray(), InSyncReplicas = Enumerable.Range(1, replicas).ToArray() })
            .ToArray(),
    };

    private static KafkaConfigEntry Entry(string topic, string name, string value, string source) => new()
    {
        ResourceName = topic,
        ResourceType = "Topic",
        Name = name,
        Value = value,
        Source = source,
        IsDefault = source == "DEFAULT_CONFIG",
    };

    private static IReadOnlyList<KafkaTopicDifference> Plan(IReadOnlyList<DesiredTopic> desired, IReadOnlyList<KafkaTopic> topics, IReadOnlyDictionary<string, IReadOnlyList<KafkaConfigEntry>>? configs = null, string[]? scope = null, string[]? names = null) =>
        TopicStatePlanner.Plan(new TopicStateRequest { Topics = desired, Scope = scope ?? [], Names = names ?? [] }, topics, configs ?? new Dictionary<string, IReadOnlyList<KafkaConfigEntry>>(), "c", "b:9092");

    private static Dictionary<string, IReadOnlyList<KafkaConfigEntry>> Configs(string topic, params KafkaConfigEntry[] entries) => new() { [topic] = entries };

    [Fact]
    public void A_desired_topic_that_does_not_exist_is_one_Create_with_its_settings()
    {
        var plan = Plan([new DesiredTopic { Name = "orders", Partitions = 6, ReplicationFactor = 3, Config = new Dictionary<string, string> { ["retention.ms"] = "1000" } }], []);
        var create = Assert.Single(plan);
        Assert.Equal(KafkaTopicDifferenceKind.Create, create.Kind);
        Assert.Equal(6, create.DesiredTopic!.Partitions);
        Assert.Contains("retention.ms=1000", create.Desired, StringComparison.Ordinal);
        Assert.True(create.CanApply);
        Assert.Equal("c", create.ConnectionName);
        Assert.Equal("b:9092", create.BootstrapServers);
    }

    [Fact]
    public void Partitions_above_are_AddPartitions_and_below_are_reported_as_impossible()
    {
        var plan = Plan([new DesiredTopic { Name = "a", Partitions = 6 }, new DesiredTopic { Name = "b", Partitions = 2 }], [Topic("a", 3), Topic("b", 4)]);
        Assert.Equal(2, plan.Count);
        Assert.Equal((KafkaTopicDifferenceKind.AddPartitions, "3", "6"), (plan[0].Kind, plan[0].Current, plan[0].Desired));
        Assert.Equal((KafkaTopicDifferenceKind.PartitionsDecreaseRequested, "4", "2"), (plan[1].Kind, plan[1].Current, plan[1].Desired));
        Assert.True(plan[0].CanApply);
        Assert.False(plan[1].CanApply);
    }

    [Fact]
    public void A_different_replication_factor_is_reported_never_applied()
    {
        var difference = Assert.Single(Plan([new DesiredTopic { Name = "a", ReplicationFactor = 3 }], [Topic("a", 1, replicas: 1)]));
        Assert.Equal(KafkaTopicDifferenceKind.ReplicationFactorDiffers, difference.Kind);
        Assert.Equal(("1", "3"), (difference.Current, difference.Desired));
        Assert.False(difference.CanApply);
    }

    [Fact]
    public void A_config_that_differs_from_the_effective_value_is_SetConfig_whatever_its_source()
    {
        var configs = Configs("a",
            Entry("a", "retention.ms", "604800000", "DEFAULT_CONFIG"),
            Entry("a", "cleanup.policy", "delete", "DYNAMIC_TOPIC_CONFIG"),
            Entry("a", "segment.bytes", "1073741824", "STATIC_BROKER_CONFIG"));
        var desired = new DesiredTopic { Name = "a", Config = new Dictionary<string, string> { ["retention.ms"] = "1000", ["cleanup.policy"] = "delete", ["segment.bytes"] = " 1073741824 " } };
        var set = Assert.Single(Plan([desired], [Topic("a", 1)], configs));
        Assert.Equal((KafkaTopicDifferenceKind.SetConfig, "retention.ms", "604800000", "1000"), (set.Kind, set.Setting, set.Current, set.Desired));
    }

    [Fact]
    public void An_unknown_config_is_SetConfig_from_not_set()
    {
        var set = Assert.Single(Plan([new DesiredTopic { Name = "a", Config = new Dictionary<string, string> { ["x.y"] = "1" } }], [Topic("a", 1)], Configs("a")));
        Assert.Equal(KafkaTopicDifferenceKind.SetConfig, set.Kind);
        Assert.Null(set.Current);
        Assert.Contains("(not set)", set.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_an_entry_that_lists_configs_resets_the_overrides_it_does_not_name()
    {
        var overrides = Configs("a",
            Entry("a", "retention.ms", "1000", "DYNAMIC_TOPIC_CONFIG"),
            Entry("a", "segment.bytes", "1024", "DYNAMIC_BROKER_CONFIG"),
            Entry("a", "cleanup.policy", "delete", "DEFAULT_CONFIG"));

        // No configs listed: configs are not managed.
        Assert.Empty(Plan([new DesiredTopic { Name = "a" }], [Topic("a", 1)], overrides));

        // An empty list: the topic's own override goes; broker-level and default values are not overrides.
        var reset = Assert.Single(Plan([new DesiredTopic { Name = "a", Config = new Dictionary<string, string>() }], [Topic("a", 1)], overrides));
        Assert.Equal((KafkaTopicDifferenceKind.ResetConfig, "retention.ms", "1000", (string?)null), (reset.Kind, reset.Setting, reset.Current, reset.Desired));
        Assert.True(reset.CanApply);

        // Named with the same value: nothing to do.
        Assert.Empty(Plan([new DesiredTopic { Name = "a", Config = new Dictionary<string, string> { ["retention.ms"] = "1000" } }], [Topic("a", 1)], overrides));
    }

    [Fact]
    public void A_topic_that_matches_is_no_difference()
    {
        var configs = Configs("a", Entry("a", "retention.ms", "1000", "DYNAMIC_TOPIC_CONFIG"));
        Assert.Empty(Plan([new DesiredTopic { Name = "a", Partitions = 3, ReplicationFactor = 2, Config = new Dictionary<string, string> { ["retention.ms"] = "1000" } }], [Topic("a", 3, 2)], configs, scope: ["*"]));
    }

    [Fact]
    public void Without_Scope_nothing_is_Missing()
    {
        Assert.Empty(Plan([new DesiredTopic { Name = "a" }], [Topic("a", 1), Topic("b", 1), Topic("c", 1)]));
    }

    [Fact]
    public void Scope_makes_the_undesired_topics_it_matches_Missing_but_never_internal_ones()
    {
        var topics = new[] { Topic("app-a", 1), Topic("app-b", 2), Topic("other", 1), Topic("__consumer_offsets", 50, isInternal: true), Topic("__transaction_state", 50) };
        var plan = Plan([new DesiredTopic { Name = "app-a" }], topics, scope: ["app-*", "__*"]);
        var missing = Assert.Single(plan);
        Assert.Equal((KafkaTopicDifferenceKind.Missing, "app-b"), (missing.Kind, missing.Topic));
        Assert.Equal("2 partitions, replication factor 1", missing.Current);
        Assert.True(missing.CanApply);

        var everything = Plan([], topics, scope: ["*"]);
        Assert.Equal(["app-a", "app-b", "other"], everything.Select(d => d.Topic));
    }

    [Fact]
    public void Name_limits_desired_and_Missing_topics_and_a_desired_topic_left_out_is_never_Missing()
    {
        var topics = new[] { Topic("a1", 1), Topic("a2", 1), Topic("b1", 1), Topic("b2", 1) };
        var desired = new[] { new DesiredTopic { Name = "a1", Partitions = 2 }, new DesiredTopic { Name = "b1", Partitions = 2 }, new DesiredTopic { Name = "new-b" } };
        var plan = Plan(desired, topics, scope: ["*"], names: ["b*"]);
        Assert.Equal([("b1", KafkaTopicDifferenceKind.AddPartitions), ("b2", KafkaTopicDifferenceKind.Missing)], plan.Select(d => (d.Topic, d.Kind)));

        // a1 is desired but outside -Name: neither planned nor Missing.
        plan = Plan(desired, topics, scope: ["a*"], names: ["a2"]);
        Assert.Equal([("a2", KafkaTopicDifferenceKind.Missing)], plan.Select(d => (d.Topic, d.Kind)));
    }

    [Fact]
    public void The_plan_is_ordered_by_topic_then_kind_then_setting()
    {
        var configs = Configs("a", Entry("a", "z.z", "1", "DYNAMIC_TOPIC_CONFIG"));
        var desired = new DesiredTopic { Name = "a", Partitions = 2, ReplicationFactor = 3, Config = new Dictionary<string, string> { ["b.b"] = "1", ["a.a"] = "1" } };
        var plan = Plan([desired, new DesiredTopic { Name = "0" }], [Topic("a", 1)], configs);
        Assert.Equal(
            ["0 Create ", "a AddPartitions Partitions", "a SetConfig a.a", "a SetConfig b.b", "a ResetConfig z.z", "a ReplicationFactorDiffers ReplicationFactor"],
            plan.Select(d => $"{d.Topic} {d.Kind} {d.Setting}"));
    }

    [Fact]
    public void A_bad_Scope_pattern_is_InvalidNamePattern()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => TopicStatePlanner.ParsePatterns(new TopicStateRequest { Topics = [], Scope = ["[a"] }));
        Assert.Equal("InvalidNamePattern", ex.ErrorId);
    }
}

public sealed class DesiredTopicStateReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("topicstate").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reads_a_yaml_file_with_configs_lists_and_aliases()
    {
        var path = Write("topics.yaml", """
            topics:
              - name: orders
                partitions: 6
                replicationFactor: 3
                configs:
                  retention.ms: 604800000
                  cleanup.policy: [compact, delete]
                  preallocate: true
              - Topic: audit
                replication_factor: 1
              - name: empty
                configs: {}
            """);
        var topics = DesiredTopicStateReader.ReadFile(path);
        Assert.Equal(["orders", "audit", "empty"], topics.Select(t => t.Name));
        Assert.Equal((6, 3), (topics[0].Partitions!.Value, topics[0].ReplicationFactor!.Value));
        Assert.Equal("604800000", topics[0].Config!["retention.ms"]);
        Assert.Equal("compact,delete", topics[0].Config!["cleanup.policy"]);
        Assert.Equal("true", topics[0].Config!["preallocate"]);
        Assert.Null(topics[1].Partitions);
        Assert.Null(topics[1].Config);
        Assert.Empty(topics[2].Config!);
        Assert.Contains("line", topics[0].Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_json_file_and_a_top_level_list()
    {
        var path = Write("topics.json", """
            { "topics": [ { "name": "orders", "partitions": 3, "configs": { "retention.ms": "1000", "min.insync.replicas": 2 } } ] }
            """);
        var topic = Assert.Single(DesiredTopicStateReader.ReadFile(path));
        Assert.Equal(3, topic.Partitions);
        Assert.Equal("2", topic.Config!["min.insync.replicas"]);

        var list = Write("list.yml", "- name: a\n- name: b\n  partitions: 2\n");
        Assert.Equal(["a", "b"], DesiredTopicStateReader.ReadFile(list).Select(t => t.Name));
        Assert.Empty(DesiredTopicStateReader.ReadFile(Write("none.yaml", "topics: []\n")));
    }

    [Theory]
    [InlineData("bad.txt", "name: a", "DesiredStateUnknownFormat")]
    [InlineData("dup.yaml", "topics:\n  - name: a\n  - name: a\n", "DesiredStateDuplicateTopic")]
    [InlineData("nan.yaml", "topics:\n  - name: a\n    partitions: six\n", "DesiredStateInvalidPartitions")]
    [InlineData("zero.json", "{\"topics\":[{\"name\":\"a\",\"partitions\":0}]}", "DesiredStateInvalidPartitions")]
    [InlineData("frac.json", "{\"topics\":[{\"name\":\"a\",\"partitions\":1.5}]}", "DesiredStateInvalidPartitions")]
    [InlineData("rf.yaml", "topics:\n  - name: a\n    replicationFactor: -1\n", "DesiredStateInvalidReplicationFactor")]
    [InlineData("typo.yaml", "topics:\n  - name: a\n    partitons: 3\n", "DesiredStateInvalidEntry")]
    [InlineData("top.yaml", "topic:\n  - name: a\n", "DesiredStateInvalidEntry")]
    [InlineData("noname.yaml", "topics:\n  - partitions: 3\n", "DesiredStateInvalidEntry")]
    [InlineData("nullconfig.yaml", "topics:\n  - name: a\n    configs:\n      retention.ms:\n", "DesiredStateInvalidEntry")]
    [InlineData("syntax.yaml", "topics:\n  - name: a\n   partitions: 3\n", "DesiredStateSyntaxError")]
    [InlineData("syntax.json", "{\"topics\": [ {\"name\": \"a\",} ]}", "DesiredStateSyntaxError")]
    [InlineData("empty.yaml", "", "DesiredStateEmpty")]
    [InlineData("name.yaml", "topics:\n  - name: 'bad name'\n", "DesiredStateInvalidTopicName")]
    [InlineData("internal.yaml", "topics:\n  - name: __consumer_offsets\n", "DesiredStateInternalTopic")]
    public void A_bad_file_is_a_specific_error(string name, string text, string errorId)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => DesiredTopicStateReader.ReadFile(Write(name, text)));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_DesiredStateFileNotFound()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => DesiredTopicStateReader.ReadFile(Path.Combine(_dir, "nope.yaml")));
        Assert.Equal("DesiredStateFileNotFound", ex.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
    }

    private static Dictionary<string, object?> Row(params (string Key, object? Value)[] properties) =>
        properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Reads_csv_rows_with_config_text_and_config_columns()
    {
        var topics = DesiredTopicStateReader.ReadObjects([
            Row(("Name", "orders"), ("Partitions", "6"), ("ReplicationFactor", "3"), ("Config", "retention.ms=1000;cleanup.policy=compact"), ("segment.bytes", "")),
            Row(("Name", "audit"), ("Partitions", ""), ("ReplicationFactor", ""), ("Config", ""), ("segment.bytes", "1024")),
            Row(("Name", "plain"), ("Partitions", "1"), ("ReplicationFactor", "1"), ("Config", ""), ("segment.bytes", "")),
        ]);
        Assert.Equal((6, 3), (topics[0].Partitions!.Value, topics[0].ReplicationFactor!.Value));
        Assert.Equal(["cleanup.policy", "retention.ms"], topics[0].Config!.Keys.Order(StringComparer.Ordinal));
        Assert.Null(topics[1].Partitions);
        Assert.Equal("1024", topics[1].Config!["segment.bytes"]);
        Assert.Null(topics[2].Config);
        Assert.Equal("pipeline object 2", topics[1].Origin);
    }

    [Fact]
    public void Reads_Get_KafkaTopic_output_partition_count_and_skips_sensitive_nulls()
    {
        var topic = new KafkaTopic
        {
            Name = "orders",
            Partitions = [new KafkaPartition { Topic = "orders", Partition = 0, Leader = 1, Replicas = [1, 2], InSyncReplicas = [1, 2] }, new KafkaPartition { Topic = "orders", Partition = 1, Leader = 1, Replicas = [1, 2], InSyncReplicas = [1, 2] }],
            Config = new Dictionary<string, string?> { ["retention.ms"] = "1000", ["secret.thing"] = null },
        };
        var row = Row(("Name", topic.Name), ("Partitions", topic.Partitions), ("PartitionCount", topic.PartitionCount), ("ReplicationFactor", topic.ReplicationFactor), ("Config", new Hashtable { ["retention.ms"] = "1000", ["secret.thing"] = null }), ("IsInternal", false), ("ConnectionName", "prod"));
        var desired = Assert.Single(DesiredTopicStateReader.ReadObjects([row]));
        Assert.Equal((2, 2), (desired.Partitions!.Value, desired.ReplicationFactor!.Value));
        Assert.Equal(["retention.ms"], desired.Config!.Keys);

        // Without -IncludeConfig the partition list alone gives the count, and configs are not managed.
        desired = Assert.Single(DesiredTopicStateReader.ReadObjects([Row(("Name", "orders"), ("Partitions", topic.Partitions), ("Config", null))]));
        Assert.Equal(2, desired.Partitions);
        Assert.Null(desired.Config);
    }

    [Theory]
    [InlineData("six", "DesiredStateInvalidPartitions")]
    [InlineData("0", "DesiredStateInvalidPartitions")]
    [InlineData("2.5", "DesiredStateInvalidPartitions")]
    public void A_bad_row_is_a_specific_error(string partitions, string errorId)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => DesiredTopicStateReader.ReadObjects([Row(("Name", "a"), ("Partitions", partitions))]));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains("pipeline object 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_rows_and_rows_without_a_name_are_refused()
    {
        Assert.Equal("DesiredStateDuplicateTopic", Assert.Throws<KafkaCatalogException>(() => DesiredTopicStateReader.ReadObjects([Row(("Name", "a")), Row(("Name", "a"))])).ErrorId);
        Assert.Equal("DesiredStateInvalidEntry", Assert.Throws<KafkaCatalogException>(() => DesiredTopicStateReader.ReadObjects([Row(("Partitions", "1"))])).ErrorId);
        Assert.Equal("DesiredStateInvalidEntry", Assert.Throws<KafkaCatalogException>(() => DesiredTopicStateReader.ReadObjects([Row(("Name", "a"), ("Config", "novalue"))])).ErrorId);
        Assert.Equal("DesiredStateInvalidReplicationFactor", Assert.Throws<KafkaCatalogException>(() => DesiredTopicStateReader.ReadObjects([Row(("Name", "a"), ("ReplicationFactor", "x"))])).ErrorId);
    }
}
