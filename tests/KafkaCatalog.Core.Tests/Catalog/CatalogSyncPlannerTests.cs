using System.Text.Json.Nodes;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Catalog;

public sealed class CatalogSyncPlannerTests
{
    private const string Qn = "default/kafka/1";

    private static KafkaTopic Topic(string name, int partitions = 1) => new()
    {
        Name = name,
        Partitions = Enumerable.Range(0, partitions).Select(p => new KafkaPartition { Topic = name, Partition = p, Leader = 1, Replicas = new[] { 1 }, InSyncReplicas = new[] { 1 } }).ToList(),
    };

    private static JsonObject Hit(PlannedAsset asset, string guid, string status = "ACTIVE", Action<JsonObject>? edit = null)
    {
        var attributes = (JsonObject)asset.Attributes.DeepClone();
        attributes.Remove("kafkaTopics");
        edit?.Invoke(attributes);
        return new JsonObject { ["typeName"] = asset.TypeName, ["guid"] = guid, ["status"] = status, ["attributes"] = attributes };
    }

    [Fact]
    public void Plans_create_update_restore_archive_and_unchanged()
    {
        var desired = CatalogAssetBuilder.Build(Qn, new object[] { Topic("new"), Topic("same"), Topic("changed", 4), Topic("back") });
        var hits = new[]
        {
            Hit(CatalogAssetBuilder.Topic(Qn, Topic("same")), "g-same"),
            Hit(CatalogAssetBuilder.Topic(Qn, Topic("changed", 2)), "g-changed"),
            Hit(CatalogAssetBuilder.Topic(Qn, Topic("back")), "g-back", "DELETED"),
            Hit(CatalogAssetBuilder.Topic(Qn, Topic("gone")), "g-gone"),
            Hit(CatalogAssetBuilder.Topic(Qn, Topic("long-gone")), "g-long-gone", "DELETED"),
        };

        var plan = CatalogSynchronizer.Plan(Qn, desired, hits, CatalogSyncArchive.All);

        CatalogSyncActionKind KindOf(string name) => plan.Actions.Single(a => a.Name == name).Kind;
        Assert.Equal(CatalogSyncActionKind.Create, KindOf("new"));
        Assert.Equal(CatalogSyncActionKind.Unchanged, KindOf("same"));
        Assert.Equal(CatalogSyncActionKind.Update, KindOf("changed"));
        Assert.Equal(CatalogSyncActionKind.Restore, KindOf("back"));
        Assert.Equal(CatalogSyncActionKind.Archive, KindOf("gone"));
        Assert.DoesNotContain(plan.Actions, a => a.Name == "long-gone");
        Assert.Equal(new[] { "kafkaTopicPartitionsCount" }, plan.Actions.Single(a => a.Name == "changed").ChangedAttributes);
        Assert.Equal("g-gone", plan.Actions.Single(a => a.Name == "gone").Guid);
    }

    [Fact]
    public void Wrapped_structs_and_reordered_sets_from_the_server_compare_equal()
    {
        var group = CatalogAssetBuilder.Group(Qn, new KafkaConsumerGroup
        {
            GroupId = "g",
            State = "Stable",
            Topics = new[] { "a", "b" },
            Offsets = new[] { new KafkaConsumerGroupOffset { GroupId = "g", Topic = "a", Partition = 0, CommittedOffset = 1, Lag = 2 } },
        });
        var hit = Hit(group, "g1", edit: a =>
        {
            a["kafkaTopicNames"] = new JsonArray("b", "a");
            a["kafkaConsumerGroupTopicConsumptionProperties"] = new JsonArray(new JsonObject
            {
                ["typeName"] = "KafkaTopicConsumption",
                ["attributes"] = new JsonObject { ["topicName"] = "a", ["topicPartition"] = "0", ["topicLag"] = 2.0, ["topicCurrentOffset"] = 1 },
            });
        });
        var desired = CatalogAssetBuilder.Build(Qn, new object[] { new KafkaConsumerGroup { GroupId = "g", State = "Stable", Topics = new[] { "a", "b" }, Offsets = new[] { new KafkaConsumerGroupOffset { GroupId = "g", Topic = "a", Partition = 0, CommittedOffset = 1, Lag = 2 } } } });
        var plan = CatalogSynchronizer.Plan(Qn, desired, new[] { hit });
        Assert.Equal(CatalogSyncActionKind.Unchanged, Assert.Single(plan.Actions).Kind);
    }

    [Fact]
    public void A_changed_lag_is_an_update()
    {
        var before = CatalogAssetBuilder.Group(Qn, new KafkaConsumerGroup { GroupId = "g", State = "Stable", Offsets = new[] { new KafkaConsumerGroupOffset { GroupId = "g", Topic = "a", Partition = 0, Lag = 2 } } });
        var desired = CatalogAssetBuilder.Build(Qn, new object[] { new KafkaConsumerGroup { GroupId = "g", State = "Stable", Offsets = new[] { new KafkaConsumerGroupOffset { GroupId = "g", Topic = "a", Partition = 0, Lag = 9 } } } });
        var plan = CatalogSynchronizer.Plan(Qn, desired, new[] { Hit(before, "g1") });
        var action = Assert.Single(plan.Actions);
        Assert.Equal(CatalogSyncActionKind.Update, action.Kind);
        Assert.Contains("kafkaConsumerGroupTopicConsumptionProperties", action.ChangedAttributes);
    }

    [Fact]
    public void Summary_of_a_plan_counts_each_kind()
    {
        var desired = CatalogAssetBuilder.Build(Qn, new object[] { Topic("new"), Topic("bad name") });
        var plan = CatalogSynchronizer.Plan(Qn, desired, new[] { Hit(CatalogAssetBuilder.Topic(Qn, Topic("gone")), "x") }, CatalogSyncArchive.All);
        var s = CatalogSynchronizer.Summarize(plan);
        Assert.Equal((1, 0, 0, 1, 0, 1), (s.Created, s.Updated, s.Restored, s.Archived, s.Unchanged, s.Failed));
        Assert.True(s.IsWhatIf);
    }

    [Fact]
    public void Without_archive_permission_a_subset_archives_nothing()
    {
        var desired = CatalogAssetBuilder.Build(Qn, new object[] { Topic("orders") });
        var hits = new[] { Hit(CatalogAssetBuilder.Topic(Qn, Topic("orders")), "g1"), Hit(CatalogAssetBuilder.Topic(Qn, Topic("payments")), "g2") };
        var plan = CatalogSynchronizer.Plan(Qn, desired, hits);
        Assert.Equal(CatalogSyncActionKind.Unchanged, Assert.Single(plan.Actions).Kind);
    }

    [Fact]
    public void Archive_permission_is_per_kind()
    {
        var desired = CatalogAssetBuilder.Build(Qn, Array.Empty<object>());
        var group = CatalogAssetBuilder.Group(Qn, new KafkaConsumerGroup { GroupId = "g", State = "Empty", Topics = new[] { "t" } });
        var plan = CatalogSynchronizer.Plan(Qn, desired, new[] { Hit(CatalogAssetBuilder.Topic(Qn, Topic("t")), "g1"), Hit(group, "g2") }, CatalogSyncArchive.ConsumerGroups);
        var action = Assert.Single(plan.Actions);
        Assert.Equal((CatalogSyncActionKind.Archive, "g"), (action.Kind, action.Name));
    }
}

public sealed class CatalogSyncScopeTests
{
    private static readonly KafkaTopic Orders = new() { Name = "orders", Partitions = Array.Empty<KafkaPartition>() };
    private static readonly KafkaConsumerGroup Billing = new() { GroupId = "billing", State = "Stable" };

    [Fact]
    public void Piped_topics_are_the_scope_and_archive_nothing()
    {
        var scope = CatalogSyncScope.Choose(new CatalogSyncRequest { Topics = new[] { Orders }, ClusterAvailable = true });
        Assert.Equal((CatalogInventorySource.Input, CatalogInventorySource.None, CatalogSyncArchive.None), (scope.TopicSource, scope.GroupSource, scope.Archive));
        Assert.False(scope.ReadsCluster);
    }

    [Fact]
    public void ArchiveMissing_makes_the_piped_kinds_complete()
    {
        var scope = CatalogSyncScope.Choose(new CatalogSyncRequest { Topics = new[] { Orders }, Groups = new[] { Billing }, ArchiveMissing = true });
        Assert.Equal(CatalogSyncArchive.All, scope.Archive);
    }

    [Fact]
    public void With_nothing_piped_the_cluster_is_read_whole_and_archiving_follows_it()
    {
        var scope = CatalogSyncScope.Choose(new CatalogSyncRequest { ClusterAvailable = true, IncludeGroups = false });
        Assert.Equal((CatalogInventorySource.Cluster, CatalogInventorySource.None, CatalogSyncArchive.Topics), (scope.TopicSource, scope.GroupSource, scope.Archive));
        Assert.True(scope.ReadsCluster);
    }

    [Fact]
    public void Nothing_given_and_no_cluster_is_CatalogSyncNoInventory()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => CatalogSyncScope.Choose(new CatalogSyncRequest()));
        Assert.Equal("CatalogSyncNoInventory", ex.ErrorId);
    }

    [Fact]
    public void AllowEmpty_without_ArchiveMissing_changes_nothing_and_with_it_archives_everything_in_scope()
    {
        Assert.Equal(CatalogSyncArchive.None, CatalogSyncScope.Choose(new CatalogSyncRequest { AllowEmpty = true }).Archive);
        Assert.Equal(CatalogSyncArchive.All, CatalogSyncScope.Choose(new CatalogSyncRequest { AllowEmpty = true, ArchiveMissing = true }).Archive);
    }

    [Fact]
    public void Piping_a_kind_that_AssetType_excludes_leaves_nothing_in_scope()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => CatalogSyncScope.Choose(new CatalogSyncRequest { Groups = new[] { Billing }, IncludeGroups = false }));
        Assert.Equal("CatalogSyncNoInventory", ex.ErrorId);
    }

    [Fact]
    public async Task The_inventory_serves_input_kinds_from_the_records_and_cluster_kinds_from_the_cluster()
    {
        var request = new CatalogSyncRequest { ClusterAvailable = true };
        var scope = CatalogSyncScope.Choose(request);
        var cluster = new InMemoryKafkaInventory(new[] { Orders }, new[] { Billing });
        var inventory = scope.CreateInventory(request, cluster);
        Assert.Equal("orders", Assert.Single(await inventory.ListTopicsAsync(default)).Name);
        Assert.Equal("billing", Assert.Single(await inventory.ListConsumerGroupsAsync(default)).GroupId);
    }
}
