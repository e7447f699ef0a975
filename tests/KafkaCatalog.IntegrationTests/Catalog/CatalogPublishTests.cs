using System.Text.Json.Nodes;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.TestKit.Atlan;

namespace KafkaCatalog.IntegrationTests.Catalog;

public sealed class CatalogPublishTests
{
    [Fact]
    public async Task Publishes_topics_before_groups_whatever_the_input_order()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var items = new object[]
        {
            Kafka.Group("billing", "orders", "payments"),
            Kafka.Topic("orders", partitions: 12, replicas: 3, config: Kafka.Config(("retention.ms", "604800000"), ("cleanup.policy", "compact,delete"), ("segment.bytes", "1073741824"), ("compression.type", "zstd"), ("retention.bytes", "-1")), messages: 42),
            Kafka.Group("audit", "orders"),
            Kafka.Topic("payments"),
        };

        var results = await bed.PublishAsync(items, new CatalogPublishOptions { BatchSize = 1, MaxParallelism = 1 });

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(CatalogAssetStatus.Created, r.Status));
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.Guid)));
        var topics = bed.Atlan.Store.OfType("KafkaTopic");
        var groups = bed.Atlan.Store.OfType("KafkaConsumerGroup");
        Assert.Equal(2, topics.Count);
        Assert.Equal(2, groups.Count);
        Assert.True(groups.Min(g => g.Sequence) > topics.Max(t => t.Sequence), "every group was stored after every topic");

        var qn = bed.ConnectionQualifiedName;
        var orders = bed.Atlan.Store.Find("KafkaTopic", $"{qn}/topic/orders")!;
        Assert.Equal(12, orders.Attributes["kafkaTopicPartitionsCount"]!.GetValue<long>());
        Assert.Equal(3, orders.Attributes["kafkaTopicReplicationFactor"]!.GetValue<long>());
        Assert.Equal(604800000, orders.Attributes["kafkaTopicRetentionTimeInMs"]!.GetValue<long>());
        Assert.Equal(-1, orders.Attributes["kafkaTopicRetentionBytes"]!.GetValue<long>());
        Assert.Equal("compact,delete", orders.Attributes["kafkaTopicLogCleanupPolicy"]!.GetValue<string>());
        Assert.Null(orders.Attributes["kafkaTopicCleanupPolicy"]);
        Assert.Equal("zstd", orders.Attributes["kafkaTopicCompressionType"]!.GetValue<string>());
        Assert.False(orders.Attributes.ContainsKey("kafkaTopicSizeInBytes"));
        Assert.Equal(42, orders.Attributes["kafkaTopicRecordCount"]!.GetValue<long>());
        Assert.Equal(qn, orders.Attributes["connectionQualifiedName"]!.GetValue<string>());

        var billing = bed.Atlan.Store.Find("KafkaConsumerGroup", $"{qn}/consumer-group/billing")!;
        Assert.Equal(new[] { $"{qn}/topic/orders", $"{qn}/topic/payments" }, billing.KafkaTopics);
        Assert.Equal(1, billing.Attributes["kafkaConsumerGroupMemberCount"]!.GetValue<long>());
        Assert.Equal("Stable", billing.Attributes["kafkaConsumerGroupState"]!.GetValue<string>());
        var consumption = (JsonArray)billing.Attributes["kafkaConsumerGroupTopicConsumptionProperties"]!;
        Assert.Equal(2, consumption.Count);
        Assert.Equal("0", consumption[0]!["topicPartition"]!.GetValue<string>());
        Assert.Equal(10, consumption[0]!["topicLag"]!.GetValue<long>());
        Assert.Equal(90, consumption[0]!["topicCurrentOffset"]!.GetValue<long>());
    }

    [Fact]
    public async Task Republishing_the_same_records_reports_every_asset_unchanged()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var items = Enumerable.Range(0, 30).Select(i => (object)Kafka.Topic($"t{i}")).Append(Kafka.Group("g", "t1", "t2")).ToList();
        var first = await bed.PublishAsync(items);
        var second = await bed.PublishAsync(items);

        Assert.All(first, r => Assert.Equal(CatalogAssetStatus.Created, r.Status));
        Assert.Equal(31, second.Count);
        Assert.All(second, r => Assert.Equal(CatalogAssetStatus.Unchanged, r.Status));
        Assert.Equal(first.Select(r => r.Guid).OrderBy(g => g), second.Select(r => r.Guid).OrderBy(g => g));
        Assert.Equal(32, bed.Atlan.Store.Count);
    }

    [Fact]
    public async Task A_changed_topic_is_updated_and_the_others_stay_unchanged()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("a"), Kafka.Topic("b") });
        var results = await bed.PublishAsync(new object[] { Kafka.Topic("a", partitions: 6), Kafka.Topic("b") });
        Assert.Equal(CatalogAssetStatus.Updated, results.Single(r => r.Name == "a").Status);
        Assert.Equal(CatalogAssetStatus.Unchanged, results.Single(r => r.Name == "b").Status);
        Assert.Equal(6, bed.Atlan.Store.Find("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/a")!.Attributes["kafkaTopicPartitionsCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Duplicates_are_sent_once_and_reported_once_last_one_wins()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var before = bed.Atlan.Requests.EntitiesReceived;
        var results = await bed.PublishAsync(new object[] { Kafka.Topic("dup", partitions: 1), Kafka.Topic("other"), Kafka.Topic("dup", partitions: 9) });
        Assert.Equal(2, results.Count);
        Assert.Single(results, r => r.Name == "dup");
        Assert.Equal(9, bed.Atlan.Store.Find("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/dup")!.Attributes["kafkaTopicPartitionsCount"]!.GetValue<long>());
        Assert.Equal(2, bed.Atlan.Requests.EntitiesReceived - before);
    }

    [Fact]
    public async Task Batches_follow_the_batch_size()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var before = bed.Atlan.Requests.BulkUpserts;
        var results = await bed.PublishAsync(Enumerable.Range(0, 45).Select(i => (object)Kafka.Topic($"t{i}")), new CatalogPublishOptions { BatchSize = 20, MaxParallelism = 3 });
        Assert.Equal(45, results.Count);
        Assert.Equal(3, bed.Atlan.Requests.BulkUpserts - before);
        Assert.Equal(45, results.Select(r => r.QualifiedName).Distinct().Count());
    }

    [Theory]
    [InlineData("bad/name")]
    [InlineData("")]
    [InlineData("spaces are bad")]
    [InlineData("..")]
    public async Task Topic_names_atlan_would_reject_fail_without_being_sent(string name)
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var before = bed.Atlan.Requests.BulkUpserts;
        var results = await bed.PublishAsync(new object[] { Kafka.Topic(name), Kafka.Group("g", name) });
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(CatalogAssetStatus.Failed, r.Status));
        Assert.All(results, r => Assert.Equal("CatalogInvalidTopicName", r.ErrorId));
        Assert.Equal(before, bed.Atlan.Requests.BulkUpserts);
        Assert.Empty(bed.Atlan.Store.OfType("KafkaTopic"));
    }

    [Fact]
    public async Task A_group_whose_topic_is_missing_from_the_catalog_fails_and_its_batch_mates_succeed()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("orders") });
        var results = await bed.PublishAsync(new object[] { Kafka.Group("ok-1", "orders"), Kafka.Group("orphan", "never-published"), Kafka.Group("ok-2", "orders") });
        Assert.Equal(3, results.Count);
        var orphan = results.Single(r => r.Name == "orphan");
        Assert.Equal(CatalogAssetStatus.Failed, orphan.Status);
        Assert.Equal("CatalogReferencedTopicMissing", orphan.ErrorId);
        Assert.Contains("ATLAS-404-00-00A", orphan.Error);
        Assert.All(results.Where(r => r.Name != "orphan"), r => Assert.Equal(CatalogAssetStatus.Created, r.Status));
        Assert.Null(bed.Atlan.Store.Find("KafkaConsumerGroup", $"{bed.ConnectionQualifiedName}/consumer-group/orphan"));
    }

    [Fact]
    public async Task A_group_whose_topic_failed_in_the_run_is_reported_and_not_sent()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        // Every topic upsert fails for good (more 500s than retries); groups must not be sent.
        bed.Atlan.Faults.InjectNext(50, AtlanFault.ServerError(500), r => AtlanFaults.BulkUpsertOnly(r));
        var results = await bed.PublishAsync(new object[] { Kafka.Topic("orders"), Kafka.Group("billing", "orders") }, new CatalogPublishOptions { BatchSize = 5 });
        bed.Atlan.Faults.Clear();
        var topic = results.Single(r => r.TypeName == "KafkaTopic");
        var group = results.Single(r => r.TypeName == "KafkaConsumerGroup");
        Assert.Equal(CatalogAssetStatus.Failed, topic.Status);
        Assert.Equal("CatalogServerError", topic.ErrorId);
        Assert.Equal(CatalogAssetStatus.Failed, group.Status);
        Assert.Equal("CatalogTopicNotPublished", group.ErrorId);
        Assert.Empty(bed.Atlan.Store.OfType("KafkaConsumerGroup"));
    }

    [Fact]
    public async Task Publishing_to_an_unknown_connection_fails_before_sending_anything()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var set = CatalogAssetBuilder.Build("default/kafka/1", new object[] { Kafka.Topic("orders") });
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(async () =>
        {
            await foreach (var _ in CatalogPublisher.PublishAsync(bed.Catalog, set))
            {
            }
        });
        Assert.Equal("CatalogConnectionNotFound", ex.ErrorId);
        Assert.Equal(1, bed.Atlan.Requests.BulkUpserts);
        Assert.Empty(bed.Atlan.Store.OfType("KafkaTopic"));
    }

    [Fact]
    public async Task Publishing_into_a_connection_the_token_cannot_access_fails_with_permission_denied()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        bed.Atlan.Store.SeedConnection("someone-elses", "default/kafka/123", foreign: true);
        var set = CatalogAssetBuilder.Build("default/kafka/123", new object[] { Kafka.Topic("orders") });
        var ex = await Assert.ThrowsAsync<CatalogApiException>(async () =>
        {
            await foreach (var _ in CatalogPublisher.PublishAsync(bed.Catalog, set))
            {
            }
        });
        Assert.Equal("CatalogPermissionDenied", ex.ErrorId);
        Assert.Empty(bed.Atlan.Store.OfType("KafkaTopic"));
    }

    [Fact]
    public async Task Malformed_connection_qualified_names_are_refused_up_front()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => CatalogAssetBuilder.Build("default/kafka", new object[] { Kafka.Topic("orders") }));
        Assert.Equal("CatalogInvalidConnectionQualifiedName", ex.ErrorId);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Payload_mode_builds_the_exact_bulk_json_and_sends_nothing()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var before = bed.Atlan.Requests.Total;
        var set = CatalogAssetBuilder.Build(bed.ConnectionQualifiedName, new object[] { Kafka.Group("g", "a"), Kafka.Topic("a"), Kafka.Topic("b") });
        var batches = CatalogPublisher.Batches(set, new CatalogPublishOptions { BatchSize = 1 }).ToList();
        Assert.Equal(3, batches.Count);
        Assert.Equal(new[] { "KafkaTopic", "KafkaTopic", "KafkaConsumerGroup" }, batches.Select(b => b.TypeName));
        var body = JsonNode.Parse(batches[2].Json)!;
        Assert.Equal("-1", body["entities"]![0]!["guid"]!.GetValue<string>());
        Assert.Equal($"{bed.ConnectionQualifiedName}/topic/a", body["entities"]![0]!["attributes"]!["kafkaTopics"]![0]!["uniqueAttributes"]!["qualifiedName"]!.GetValue<string>());
        Assert.Equal(before, bed.Atlan.Requests.Total);
    }

    [Fact]
    public async Task Declined_batches_are_not_sent()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var set = CatalogAssetBuilder.Build(bed.ConnectionQualifiedName, new object[] { Kafka.Topic("a"), Kafka.Group("g", "a") });
        var asked = new List<string>();
        var results = new List<CatalogAssetResult>();
        await foreach (var r in CatalogPublisher.PublishAsync(bed.Catalog, set, approve: b => { asked.Add(b.Describe()); return false; }))
        {
            results.Add(r);
        }

        Assert.Empty(results);
        Assert.Equal(2, asked.Count);
        Assert.StartsWith("POST /api/meta/entity/bulk with 1 KafkaTopic asset(s): a", asked[0]);
        Assert.Equal(0, bed.Atlan.Requests.BulkUpserts - 1);
        Assert.Empty(bed.Atlan.Store.OfType("KafkaTopic"));
    }

    [Fact]
    public async Task Description_owners_and_certificate_come_from_parameters()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("orders") }, decoration: new CatalogAssetDecoration { Description = "Order events", OwnerUsers = new[] { "jsmith" }, OwnerGroups = new[] { "data" }, CertificateStatus = "VERIFIED", CertificateStatusMessage = "Managed by KafkaCatalog" });
        var e = bed.Atlan.Store.Find("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/orders")!;
        Assert.Equal("Order events", e.Attributes["description"]!.GetValue<string>());
        Assert.Equal("jsmith", e.Attributes["ownerUsers"]![0]!.GetValue<string>());
        Assert.Equal("VERIFIED", e.Attributes["certificateStatus"]!.GetValue<string>());
        var ex = Assert.Throws<KafkaCatalogException>(() => CatalogAssetBuilder.Build(bed.ConnectionQualifiedName, new object[] { Kafka.Topic("x") }, new CatalogAssetDecoration { CertificateStatus = "GOLD" }));
        Assert.Equal("CatalogInvalidCertificate", ex.ErrorId);
    }
}
