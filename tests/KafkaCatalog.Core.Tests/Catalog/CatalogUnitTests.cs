using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Resilience;
using Polly;

namespace KafkaCatalog.Core.Tests.Catalog;

public sealed class QualifiedNameTests
{
    [Fact]
    public void Builds_the_qualified_names_atlan_expects()
    {
        Assert.Equal("default/kafka/1718000000", QualifiedNames.Connection(1718000000));
        Assert.Equal("default/kafka/1718000000/topic/orders", QualifiedNames.Topic("default/kafka/1718000000", "orders"));
        Assert.Equal("default/kafka/1718000000/consumer-group/billing", QualifiedNames.ConsumerGroup("default/kafka/1718000000", "billing"));
        Assert.Equal("default/kafka/1718000000", QualifiedNames.ConnectionOf("default/kafka/1718000000/topic/orders"));
        Assert.Equal(5, QualifiedNames.Topic("default/kafka/1", "a.b_c-d").Split('/').Length);
    }

    [Theory]
    [InlineData("default/kafka/1718000000", true)]
    [InlineData("default/kafka/", false)]
    [InlineData("default/kafka/abc", false)]
    [InlineData("default/apache-kafka/1718000000", true)]
    [InlineData("default/confluent-kafka/1718000000", true)]
    [InlineData("default/amazon-msk/1718000000", true)]
    [InlineData("default/aiven-kafka/1718000000", true)]
    [InlineData("default/redpanda-kafka/1718000000", true)]
    [InlineData("default/snowflake/1718000000", false)]
    [InlineData("default/Kafka/1718000000", false)]
    [InlineData("kafka-prod", false)]
    [InlineData("default/kafka/1/topic/x", false)]
    public void Recognises_kafka_connection_qualified_names(string qn, bool valid)
    {
        Assert.Equal(valid, QualifiedNames.IsConnection(qn));
        Assert.Equal(valid, QualifiedNames.ValidateConnection(qn) is null);
    }

    [Theory]
    [InlineData("orders", true)]
    [InlineData("__consumer_offsets", true)]
    [InlineData("a.b-c_D9", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("with space", false)]
    [InlineData("ünïcode", false)]
    public void Validates_topic_names_atlan_would_reject(string name, bool valid) =>
        Assert.Equal(valid, QualifiedNames.ValidateTopicName(name) is null);

    [Fact]
    public void Rejects_topic_names_longer_than_kafka_allows() =>
        Assert.Contains("249", QualifiedNames.ValidateTopicName(new string('a', 250)));

    [Theory]
    [InlineData("billing", true)]
    [InlineData("console-consumer-123", true)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData("bad\u0001id", false)]
    public void Validates_group_ids(string id, bool valid) => Assert.Equal(valid, QualifiedNames.ValidateGroupId(id) is null);

    [Fact]
    public void Name_filters_use_powershell_wildcards()
    {
        var f = new NameFilter(new[] { "ord*", "pay?ents" });
        Assert.True(f.IsMatch("orders"));
        Assert.True(f.IsMatch("ORDERS-dlq"));
        Assert.True(f.IsMatch("payments"));
        Assert.False(f.IsMatch("xorders"));
        Assert.Null(f.ExactName);
        Assert.Equal("orders", new NameFilter(new[] { "orders" }).ExactName);
        Assert.True(new NameFilter(null).IsMatch("anything"));
        Assert.False(new NameFilter(new[] { "a.b" }).IsMatch("aXb"));
    }
}

public sealed class PayloadTests
{
    private const string Qn = "default/kafka/1718000000";

    private static KafkaTopic Topic(string name, int partitions = 3, IReadOnlyDictionary<string, string?>? config = null) => new()
    {
        Name = name,
        Partitions = Enumerable.Range(0, partitions).Select(p => new KafkaPartition { Topic = name, Partition = p, Leader = 1, Replicas = new[] { 1, 2 }, InSyncReplicas = new[] { 1, 2 } }).ToList(),
        Config = config,
    };

    [Fact]
    public void Topic_attributes_come_from_the_cluster_record()
    {
        var asset = CatalogAssetBuilder.Topic(Qn, Topic("orders", 12, new Dictionary<string, string?>
        {
            ["retention.ms"] = "604800000",
            ["retention.bytes"] = "-1",
            ["segment.bytes"] = "1073741824",
            ["cleanup.policy"] = "delete",
            ["compression.type"] = "producer",
            ["min.insync.replicas"] = "2",
        }) with
        { MessageCount = 5, IsInternal = false });
        var a = asset.Attributes;
        Assert.Equal("orders", a["name"]!.GetValue<string>());
        Assert.Equal($"{Qn}/topic/orders", a["qualifiedName"]!.GetValue<string>());
        Assert.Equal(Qn, a["connectionQualifiedName"]!.GetValue<string>());
        Assert.Equal("kafka", a["connectorName"]!.GetValue<string>());
        Assert.Equal(12L, a["kafkaTopicPartitionsCount"]!.GetValue<long>());
        Assert.Equal(2L, a["kafkaTopicReplicationFactor"]!.GetValue<long>());
        Assert.Equal(604800000L, a["kafkaTopicRetentionTimeInMs"]!.GetValue<long>());
        Assert.Equal(-1L, a["kafkaTopicRetentionBytes"]!.GetValue<long>());
        Assert.Equal(1073741824L, a["kafkaTopicSegmentBytes"]!.GetValue<long>());
        Assert.Equal("delete", a["kafkaTopicCleanupPolicy"]!.GetValue<string>());
        Assert.Equal("delete", a["kafkaTopicLogCleanupPolicy"]!.GetValue<string>());
        Assert.Equal("producer", a["kafkaTopicCompressionType"]!.GetValue<string>());
        Assert.False(a.ContainsKey("kafkaTopicSizeInBytes"));
        Assert.Equal(5L, a["kafkaTopicRecordCount"]!.GetValue<long>());
        Assert.False(a["kafkaTopicIsInternal"]!.GetValue<bool>());
        Assert.False(a.ContainsKey("min.insync.replicas"));
    }

    [Fact]
    public void Without_configs_or_sizes_those_attributes_are_left_out_not_zeroed()
    {
        var a = CatalogAssetBuilder.Topic(Qn, Topic("t")).Attributes;
        foreach (var key in new[] { "kafkaTopicRetentionTimeInMs", "kafkaTopicSegmentBytes", "kafkaTopicSizeInBytes", "kafkaTopicRecordCount", "kafkaTopicCleanupPolicy" })
        {
            Assert.False(a.ContainsKey(key), key);
        }
    }

    [Theory]
    [InlineData("delete", "delete", "delete")]
    [InlineData("compact", "compact", "compact")]
    [InlineData("compact,delete", "compact,delete", null)]
    [InlineData("delete, compact", "delete,compact", null)]
    public void Cleanup_policy_keeps_the_full_value_and_sets_the_enum_only_when_one_policy_holds(string config, string logPolicy, string? enumValue)
    {
        var a = CatalogAssetBuilder.Topic(Qn, Topic("t", config: new Dictionary<string, string?> { ["cleanup.policy"] = config })).Attributes;
        Assert.Equal(logPolicy, a["kafkaTopicLogCleanupPolicy"]!.GetValue<string>());
        Assert.True(a.ContainsKey("kafkaTopicCleanupPolicy"));
        Assert.Equal(enumValue, a["kafkaTopicCleanupPolicy"]?.GetValue<string>());
    }

    [Fact]
    public void Assets_of_a_crawler_made_connection_carry_its_connector_name()
    {
        const string msk = "default/amazon-msk/1718000000";
        var set = CatalogAssetBuilder.Build(msk, new object[] { Topic("orders"), new KafkaConsumerGroup { GroupId = "g", State = "Stable", Topics = new[] { "orders" } } });
        Assert.Equal("amazon-msk", set.Topics[0].Attributes["connectorName"]!.GetValue<string>());
        Assert.Equal("amazon-msk", set.Groups[0].Attributes["connectorName"]!.GetValue<string>());
        Assert.Equal($"{msk}/topic/orders", set.Groups[0].ReferencedTopics[0]);
    }

    [Fact]
    public void A_group_whose_topics_are_unknown_leaves_its_topic_links_out()
    {
        var a = CatalogAssetBuilder.Group(Qn, new KafkaConsumerGroup { GroupId = "idle", State = "Empty" }).Attributes;
        Assert.False(a.ContainsKey("kafkaTopics"));
        Assert.False(a.ContainsKey("kafkaTopicNames"));
        Assert.False(a.ContainsKey("kafkaTopicQualifiedNames"));
        Assert.Equal("Empty", a["kafkaConsumerGroupState"]!.GetValue<string>());
    }

    [Fact]
    public void Unknown_compression_types_are_not_sent_to_the_enum_attribute()
    {
        var a = CatalogAssetBuilder.Topic(Qn, Topic("t", config: new Dictionary<string, string?> { ["compression.type"] = "brotli" })).Attributes;
        Assert.False(a.ContainsKey("kafkaTopicCompressionType"));
    }

    [Fact]
    public void Group_attributes_include_topics_and_per_partition_consumption()
    {
        var group = new KafkaConsumerGroup
        {
            GroupId = "billing",
            State = "Stable",
            Topics = new[] { "payments", "orders" },
            Members = new[] { new KafkaConsumerGroupMember { MemberId = "m", ClientId = "c", Host = "h", Assignment = new[] { new KafkaTopicPartition("orders", 1), new KafkaTopicPartition("orders", 0) } } },
            Offsets = new[]
            {
                new KafkaConsumerGroupOffset { GroupId = "billing", Topic = "orders", Partition = 1, CommittedOffset = 5, LogEndOffset = 9, Lag = 4 },
                new KafkaConsumerGroupOffset { GroupId = "billing", Topic = "orders", Partition = 0, CommittedOffset = null, LogEndOffset = 3, Lag = 3 },
            },
        };
        var asset = CatalogAssetBuilder.Group(Qn, group);
        var a = asset.Attributes;
        Assert.Equal($"{Qn}/consumer-group/billing", asset.QualifiedName);
        Assert.Equal(new[] { "orders", "payments" }, ((JsonArray)a["kafkaTopicNames"]!).Select(n => n!.GetValue<string>()));
        Assert.Equal(new[] { $"{Qn}/topic/orders", $"{Qn}/topic/payments" }, asset.ReferencedTopics);
        Assert.Equal(1L, a["kafkaConsumerGroupMemberCount"]!.GetValue<long>());
        Assert.Equal("Stable", a["kafkaConsumerGroupState"]!.GetValue<string>());
        var rows = (JsonArray)a["kafkaConsumerGroupTopicConsumptionProperties"]!;
        Assert.Equal("0", rows[0]!["topicPartition"]!.GetValue<string>());
        Assert.False(((JsonObject)rows[0]!).ContainsKey("topicCurrentOffset"));
        Assert.Equal(5L, rows[1]!["topicCurrentOffset"]!.GetValue<long>());
        Assert.Equal(new[] { "orders-0", "orders-1" }, ((JsonArray)a["kafkaConsumerGroupAssignedPartitions"]!).Select(n => n!.GetValue<string>()));
        Assert.Equal($"{Qn}/topic/orders", a["kafkaTopics"]![0]!["uniqueAttributes"]!["qualifiedName"]!.GetValue<string>());
    }

    [Fact]
    public void Unknown_group_states_are_not_sent()
    {
        var a = CatalogAssetBuilder.Group(Qn, new KafkaConsumerGroup { GroupId = "g", State = "Unknown" }).Attributes;
        Assert.False(a.ContainsKey("kafkaConsumerGroupState"));
    }

    [Fact]
    public void Build_deduplicates_by_qualified_name_last_wins_and_separates_topics_from_groups()
    {
        var set = CatalogAssetBuilder.Build(Qn, new object[]
        {
            new KafkaConsumerGroup { GroupId = "g", State = "Empty" },
            Topic("a", 1),
            Topic("b"),
            Topic("a", 7),
            new KafkaConsumerGroup { GroupId = "g", State = "Stable" },
            "not a kafka record",
        });
        Assert.Equal(new[] { "a", "b" }, set.Topics.Select(t => t.Name).OrderBy(n => n));
        Assert.Equal(7L, set.Topics.Single(t => t.Name == "a").Attributes["kafkaTopicPartitionsCount"]!.GetValue<long>());
        Assert.Equal("Stable", Assert.Single(set.Groups).Attributes["kafkaConsumerGroupState"]!.GetValue<string>());
        Assert.Equal("CatalogUnsupportedInput", Assert.Single(set.Rejected).ErrorId);
    }

    [Fact]
    public void Bulk_body_uses_sequential_placeholders_and_status_active()
    {
        var set = CatalogAssetBuilder.Build(Qn, new object[] { Topic("a"), Topic("b") });
        var body = CatalogAssetBuilder.BulkBody(set.Topics);
        var entities = (JsonArray)body["entities"]!;
        Assert.Equal(new[] { "-1", "-2" }, entities.Select(e => e!["guid"]!.GetValue<string>()));
        Assert.All(entities, e => Assert.Equal("ACTIVE", e!["status"]!.GetValue<string>()));
        Assert.All(entities, e => Assert.Equal("KafkaTopic", e!["typeName"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Batch_size_outside_1_to_100_is_refused(int size)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => new CatalogPublishOptions { BatchSize = size }.Validate());
        Assert.Equal("CatalogInvalidBatchSize", ex.ErrorId);
    }

    [Fact]
    public void Batches_put_every_topic_before_any_group_and_respect_the_size()
    {
        var items = Enumerable.Range(0, 45).Select(i => (object)Topic($"t{i}")).Concat(Enumerable.Range(0, 5).Select(i => (object)new KafkaConsumerGroup { GroupId = $"g{i}", State = "Stable" })).Reverse();
        var set = CatalogAssetBuilder.Build(Qn, items);
        var batches = CatalogPublisher.Batches(set, new CatalogPublishOptions { BatchSize = 20 }).ToList();
        Assert.Equal(new[] { 20, 20, 5, 5 }, batches.Select(b => b.Assets.Count));
        Assert.Equal(new[] { "KafkaTopic", "KafkaTopic", "KafkaTopic", "KafkaConsumerGroup" }, batches.Select(b => b.TypeName));
    }

    [Fact]
    public void Connection_needs_an_admin_and_a_name()
    {
        Assert.Equal("CatalogConnectionAdminRequired", Assert.Throws<KafkaCatalogException>(() => CatalogKafkaConnections.Validate(new CatalogKafkaConnectionRequest { Name = "p" })).ErrorId);
        Assert.Equal("CatalogConnectionNameMissing", Assert.Throws<KafkaCatalogException>(() => CatalogKafkaConnections.Validate(new CatalogKafkaConnectionRequest { Name = " ", AdminUsers = new[] { "u" } })).ErrorId);
        var a = CatalogKafkaConnections.BuildAttributes(new CatalogKafkaConnectionRequest { Name = "prod", AdminGroups = new[] { "g", "g" } }, "default/kafka/1", new[] { "role-guid" });
        Assert.Equal("kafka", a["connectorName"]!.GetValue<string>());
        Assert.Equal("eventbus", a["category"]!.GetValue<string>());
        Assert.Single((JsonArray)a["adminGroups"]!);
    }
}

public sealed class ResponseClassificationTests
{
    [Fact]
    public void Classifies_created_updated_and_unchanged_from_the_mutation_lists()
    {
        var sent = CatalogAssetBuilder.Build("default/kafka/1", Enumerable.Range(0, 3).Select(i => (object)new KafkaTopic { Name = $"t{i}", Partitions = Array.Empty<KafkaPartition>() })).Topics;
        var response = JsonNode.Parse("""
            { "mutatedEntities": { "CREATE": [ { "guid": "g1" } ], "UPDATE": [ { "guid": "g2" } ] },
              "guidAssignments": { "-1": "g1", "-2": "g2", "-3": "g3" } }
            """);
        var results = CatalogPublisher.Classify(sent, response, "default/kafka/1").ToList();
        Assert.Equal(new[] { CatalogAssetStatus.Created, CatalogAssetStatus.Updated, CatalogAssetStatus.Unchanged }, results.Select(r => r.Status));
        Assert.Equal(new[] { "g1", "g2", "g3" }, results.Select(r => r.Guid));
    }

    [Fact]
    public void Top_level_partial_updated_entities_count_as_updated()
    {
        var sent = CatalogAssetBuilder.Build("default/kafka/1", Enumerable.Range(0, 3).Select(i => (object)new KafkaTopic { Name = $"t{i}", Partitions = Array.Empty<KafkaPartition>() })).Topics;
        var response = JsonNode.Parse("""
            { "mutatedEntities": { "PARTIAL_UPDATE": [ { "guid": "g1" } ] },
              "partialUpdatedEntities": [ { "guid": "g2" } ],
              "guidAssignments": { "-1": "g1", "-2": "g2", "-3": "g3" } }
            """);
        var results = CatalogPublisher.Classify(sent, response, "default/kafka/1").ToList();
        Assert.Equal(new[] { CatalogAssetStatus.Updated, CatalogAssetStatus.Updated, CatalogAssetStatus.Unchanged }, results.Select(r => r.Status));
    }

    [Fact]
    public void An_asset_without_a_guid_assignment_is_failed()
    {
        var sent = CatalogAssetBuilder.Build("default/kafka/1", new object[] { new KafkaTopic { Name = "t", Partitions = Array.Empty<KafkaPartition>() } }).Topics;
        var r = Assert.Single(CatalogPublisher.Classify(sent, JsonNode.Parse("{}"), "default/kafka/1"));
        Assert.Equal(CatalogAssetStatus.Failed, r.Status);
        Assert.Equal("CatalogNoGuidAssigned", r.ErrorId);
    }

    [Theory]
    [InlineData(401, "{\"code\":401,\"message\":\"Unauthorized\"}", "CatalogAuthenticationFailed")]
    [InlineData(403, "{\"errorCode\":\"ATLAS-403-00-001\",\"errorMessage\":\"no\"}", "CatalogPermissionDenied")]
    [InlineData(404, "{\"errorCode\":\"ATLAS-404-00-00A\",\"errorMessage\":\"Referenced entity\",\"entityGuid\":\"-3\"}", "CatalogReferencedAssetNotFound")]
    [InlineData(404, "{\"errorCode\":\"ATLAS-404-00-007\",\"errorMessage\":\"Invalid\"}", "CatalogInvalidAsset")]
    [InlineData(404, "{\"errorCode\":\"ATLAS-404-00-009\"}", "CatalogAssetNotFound")]
    [InlineData(400, "not json", "CatalogInvalidRequest")]
    [InlineData(429, "{}", "CatalogRateLimited")]
    [InlineData(503, "", "CatalogServerError")]
    public void Maps_atlan_error_answers_to_stable_error_ids(int status, string body, string errorId)
    {
        var ex = CatalogApiClient.ToException((HttpStatusCode)status, body, "POST /api/meta/entity/bulk");
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Contains("POST /api/meta/entity/bulk", ex.Message);
    }

    [Fact]
    public void Reads_the_blamed_entity_guid()
    {
        var ex = CatalogApiClient.ToException(HttpStatusCode.NotFound, "{\"errorCode\":\"ATLAS-404-00-00A\",\"errorMessage\":\"x\",\"entityGuid\":\"-3\"}", "POST /x");
        Assert.Equal("-3", ex.EntityGuid);
        Assert.Equal("ATLAS-404-00-00A", ex.ServerErrorCode);
    }
}

public sealed class ResilienceTests
{
    [Theory]
    [InlineData(HttpStatusCode.Found, true)]
    [InlineData(HttpStatusCode.Forbidden, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.RequestTimeout, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    public void Retries_exactly_pyatlans_status_list(HttpStatusCode status, bool transient) =>
        Assert.Equal(transient, CatalogHttpResilience.IsTransientStatus(status));

    [Fact]
    public void Defaults_are_pyatlans_retry_settings()
    {
        var options = new CatalogResilienceOptions();
        Assert.Equal(5, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(120), options.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(120), options.MaxRetryAfter);
    }

    [Theory]
    [InlineData(1, 1.0, 2000)]
    [InlineData(3, 1.0, 8000)]
    [InlineData(3, 0.5, 4000)]
    [InlineData(3, 0.0, 0)]
    [InlineData(7, 1.0, 120000)]
    public void Backoff_is_factor_times_two_to_the_retry_times_jitter_capped_at_120_s(int retry, double jitter, double expectedMs) =>
        Assert.Equal(expectedMs, CatalogHttpResilience.Backoff(retry, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120), jitter).TotalMilliseconds);

    [Fact]
    public void Transport_errors_are_transient_but_caller_cancellation_is_not()
    {
        Assert.True(CatalogHttpResilience.IsTransient(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("reset")), default));
        Assert.True(CatalogHttpResilience.IsTransient(Outcome.FromException<HttpResponseMessage>(new IOException("reset")), default));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.False(CatalogHttpResilience.IsTransient(Outcome.FromException<HttpResponseMessage>(new OperationCanceledException(cts.Token)), cts.Token));
    }

    [Fact]
    public void Retry_after_in_seconds_or_as_a_date_is_used_and_capped()
    {
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), CatalogHttpResilience.RetryAfter(seconds, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));
        Assert.Equal(TimeSpan.FromSeconds(1), CatalogHttpResilience.RetryAfter(seconds, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1)));

        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), CatalogHttpResilience.RetryAfter(date, now, TimeSpan.FromSeconds(60)));

        using var none = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        Assert.Null(CatalogHttpResilience.RetryAfter(none, now, TimeSpan.FromSeconds(60)));
    }
}
