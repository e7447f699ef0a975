using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Resilience;
using KafkaCatalog.TestKit.Atlan;

namespace KafkaCatalog.IntegrationTests.Catalog;

/// <summary>The catalog client over HTTP against the emulator, on the points where it must behave as pyatlan does.</summary>
public sealed class CatalogPyatlanParityTests
{
    [Theory]
    [InlineData("apache-kafka")]
    [InlineData("confluent-kafka")]
    [InlineData("amazon-msk")]
    [InlineData("aiven-kafka")]
    [InlineData("redpanda-kafka")]
    public async Task Publishes_into_a_connection_made_by_an_atlan_crawler(string connector)
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        var qn = $"default/{connector}/1718000000";
        bed.Atlan.Store.SeedConnection("crawled", qn);
        var set = CatalogAssetBuilder.Build(qn, new object[] { Kafka.Topic("orders"), Kafka.Group("billing", "orders") });

        var results = new List<CatalogAssetResult>();
        await foreach (var r in CatalogPublisher.PublishAsync(bed.Catalog, set))
        {
            results.Add(r);
        }

        Assert.All(results, r => Assert.Equal(CatalogAssetStatus.Created, r.Status));
        Assert.Equal(connector, bed.Atlan.Store.Find("KafkaTopic", $"{qn}/topic/orders")!.Attributes["connectorName"]!.GetValue<string>());
        Assert.Equal(new[] { $"{qn}/topic/orders" }, bed.Atlan.Store.Find("KafkaConsumerGroup", $"{qn}/consumer-group/billing")!.KafkaTopics);
    }

    [Fact]
    public async Task A_connection_whose_connectorName_does_not_match_its_qualified_name_is_refused()
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        const string qn = "default/kafka/1718000001";
        bed.Atlan.Store.SeedConnection("odd", qn, connectorName: "snowflake");
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogKafkaConnections.GetAsync(bed.Catalog, qn));
        Assert.Equal("CatalogNotAKafkaConnection", ex.ErrorId);
    }

    [Theory]
    [InlineData(302)]
    [InlineData(403)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Every_status_pyatlan_retries_is_retried_on_a_bulk_post(int status)
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var before = bed.Atlan.Requests.BulkUpserts;
        bed.Atlan.Faults.InjectNext(2, status == 429 ? AtlanFault.TooManyRequests(TimeSpan.Zero) : AtlanFault.ServerError(status), AtlanFaults.BulkUpsertOnly);

        var result = Assert.Single(await bed.PublishAsync(new object[] { Kafka.Topic("a") }));

        Assert.Equal(CatalogAssetStatus.Created, result.Status);
        Assert.Equal(3, bed.Atlan.Requests.BulkUpserts - before);
    }

    [Fact]
    public async Task A_delete_is_retried_too()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("a") });
        bed.Atlan.Faults.InjectNext(1, AtlanFault.ServerError(502), r => r.Method == "DELETE");
        var refs = new[] { new CatalogAssetReference(CatalogTypeNames.KafkaTopic, $"{bed.ConnectionQualifiedName}/topic/a") };
        var results = new List<CatalogAssetResult>();
        await foreach (var r in CatalogAssetDeleter.DeleteAsync(bed.Catalog, refs))
        {
            results.Add(r);
        }

        Assert.Equal(CatalogAssetStatus.Archived, Assert.Single(results).Status);
        Assert.Equal(2, bed.Atlan.Requests.BulkDeletes);
    }

    [Fact]
    public async Task Five_retries_then_the_error_as_pyatlan_gives_up()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var before = bed.Atlan.Requests.BulkUpserts;
        bed.Atlan.Faults.InjectNext(10, AtlanFault.ServerError(500), AtlanFaults.BulkUpsertOnly);

        var result = Assert.Single(await bed.PublishAsync(new object[] { Kafka.Topic("a") }));
        bed.Atlan.Faults.Clear();

        Assert.Equal("CatalogServerError", result.ErrorId);
        Assert.Equal(6, bed.Atlan.Requests.BulkUpserts - before);
    }

    [Fact]
    public async Task Search_pages_past_the_result_window_by_timestamp_and_returns_each_asset_once()
    {
        await using var bed = await CatalogTestBed.StartAsync(new AtlanEmulatorOptions { MaxResultWindow = 30 });
        await bed.PublishAsync(Enumerable.Range(0, 55).Select(i => (object)Kafka.Topic($"t{i:D2}")), new CatalogPublishOptions { BatchSize = 7 });
        var query = new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName, PageSize = 10, MassExtractThreshold = 20 };

        var names = new List<string>();
        await foreach (var asset in CatalogAssetSearch.SearchAsync(bed.Catalog, query, bed.Sink))
        {
            names.Add(asset.Name);
        }

        Assert.Equal(Enumerable.Range(0, 55).Select(i => $"t{i:D2}"), names.Order(StringComparer.Ordinal));
        Assert.Contains(bed.Sink.Lines, l => l.Contains("paging by __timestamp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Below_the_threshold_from_size_paging_is_kept()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(Enumerable.Range(0, 25).Select(i => (object)Kafka.Topic($"t{i:D2}")));
        var names = new List<string>();
        await foreach (var asset in CatalogAssetSearch.SearchAsync(bed.Catalog, new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName, PageSize = 10 }, bed.Sink))
        {
            names.Add(asset.Name);
        }

        Assert.Equal(25, names.Distinct().Count());
        Assert.DoesNotContain(bed.Sink.Lines, l => l.Contains("paging by __timestamp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admin_users_and_groups_are_checked_before_the_connection_is_created()
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        var user = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "k", AdminUsers = new[] { "nobody" } }));
        var group = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "k", AdminGroups = new[] { "no-such-group" } }));

        Assert.Equal("CatalogUserNotFound", user.ErrorId);
        Assert.Equal("CatalogGroupNotFound", group.ErrorId);
        Assert.Empty(bed.Atlan.Store.OfType("Connection"));
        Assert.Equal(0, bed.Atlan.Requests.BulkUpserts);
    }

    [Fact]
    public async Task Known_users_groups_and_the_tokens_own_service_account_are_accepted()
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        var connection = await CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest
        {
            Name = "k",
            AdminUsers = new[] { "jsmith", bed.Atlan.Options.ServiceUser },
            AdminGroups = new[] { "data-engineers" },
        });

        Assert.NotNull(connection);
        Assert.Contains("jsmith", connection!.AdminUsers);
        Assert.Equal(new[] { "data-engineers" }, connection.AdminGroups);
    }

    [Fact]
    public async Task Updates_reported_only_in_the_top_level_partialUpdatedEntities_count_as_updated()
    {
        await using var bed = await CatalogTestBed.StartAsync(new AtlanEmulatorOptions { ReportUpdatesAsPartial = true });
        await bed.PublishAsync(new object[] { Kafka.Topic("a", partitions: 1) });
        var result = Assert.Single(await bed.PublishAsync(new object[] { Kafka.Topic("a", partitions: 2) }));
        Assert.Equal(CatalogAssetStatus.Updated, result.Status);
    }

    [Fact]
    public async Task A_group_published_without_known_topics_keeps_the_links_the_catalog_has()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("orders"), Kafka.Group("billing", "orders") });
        var idle = new KafkaConsumerGroup { GroupId = "billing", State = "Empty" };

        var result = Assert.Single(await bed.PublishAsync(new object[] { idle }));

        Assert.NotEqual(CatalogAssetStatus.Failed, result.Status);
        var stored = bed.Atlan.Store.Find("KafkaConsumerGroup", $"{bed.ConnectionQualifiedName}/consumer-group/billing")!;
        Assert.Equal(new[] { $"{bed.ConnectionQualifiedName}/topic/orders" }, stored.KafkaTopics);
        Assert.Equal("orders", stored.Attributes["kafkaTopicNames"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_session_of_a_kafka_connection_object_publishes_into_that_connection()
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        var conn = await CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "tour", AdminRoles = new[] { "$admin" } });
        bed.Catalog.DefaultConnectionQualifiedName = null;
        using var session = conn!.ToCatalogSession()!;

        var set = CatalogAssetBuilder.Build(session.ResolveConnectionQualifiedName(null), new object[] { Kafka.Topic("orders") });
        var results = new List<CatalogAssetResult>();
        await foreach (var r in CatalogPublisher.PublishAsync(session, set))
        {
            results.Add(r);
        }

        Assert.Equal(CatalogAssetStatus.Created, Assert.Single(results).Status);
        Assert.NotNull(bed.Atlan.Store.Find("KafkaTopic", $"{conn.QualifiedName}/topic/orders"));
        // The scoped session shares the HTTP client and leaves it open for the original session.
        session.Dispose();
        Assert.NotNull(await CatalogKafkaConnections.GetAsync(bed.Catalog, conn.QualifiedName));
    }

    [Fact]
    public async Task A_sync_of_a_subset_archives_nothing_outside_it()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("orders"), Kafka.Topic("payments"), Kafka.Topic("clicks") });
        var subset = new InMemoryKafkaInventory(new[] { Kafka.Topic("orders", partitions: 6) }, Array.Empty<KafkaConsumerGroup>());

        var results = await bed.SyncAsync(subset, new CatalogSyncOptions { IncludeGroups = false });

        Assert.Equal(CatalogAssetStatus.Updated, Assert.Single(results).Status);
        Assert.All(bed.Atlan.Store.OfType("KafkaTopic"), t => Assert.Equal("ACTIVE", t.Status));
        Assert.Equal(0, bed.Atlan.Requests.BulkDeletes);
    }
}

/// <summary>The emulator drops rules neither SDK nor the server evidence supports.</summary>
public sealed class AtlanEmulatorEvidenceTests
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(AtlanEmulator atlan, string path, string json)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(atlan.BaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", atlan.ApiToken);
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task A_connection_without_admins_is_accepted_and_gets_its_creator_as_admin()
    {
        await using var atlan = await AtlanEmulator.StartAsync();
        var (status, _) = await PostAsync(atlan, "api/meta/entity/bulk", """{"entities":[{"typeName":"Connection","guid":"-1","attributes":{"name":"c","qualifiedName":"default/kafka/1","connectorName":"kafka","category":"eventbus","adminRoles":[],"adminGroups":[],"adminUsers":[]}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var stored = atlan.Store.Find("Connection", "default/kafka/1")!;
        Assert.Equal(atlan.Options.ServiceUser, stored.Attributes["adminUsers"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_qualified_name_twice_in_one_request_is_applied_in_order()
    {
        await using var atlan = await AtlanEmulator.StartAsync();
        atlan.Store.SeedConnection("c", "default/kafka/2");
        var (status, _) = await PostAsync(atlan, "api/meta/entity/bulk", """{"entities":[{"typeName":"KafkaTopic","guid":"-1","attributes":{"name":"t","qualifiedName":"default/kafka/2/topic/t","connectionQualifiedName":"default/kafka/2","kafkaTopicPartitionsCount":1}},{"typeName":"KafkaTopic","guid":"-2","attributes":{"name":"t","qualifiedName":"default/kafka/2/topic/t","connectionQualifiedName":"default/kafka/2","kafkaTopicPartitionsCount":2}}]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var topic = Assert.Single(atlan.Store.OfType("KafkaTopic"));
        Assert.Equal(2, topic.Attributes["kafkaTopicPartitionsCount"]!.GetValue<long>());
    }
}
