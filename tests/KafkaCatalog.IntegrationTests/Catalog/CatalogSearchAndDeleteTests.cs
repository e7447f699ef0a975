using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;

namespace KafkaCatalog.IntegrationTests.Catalog;

public sealed class CatalogSearchAndDeleteTests
{
    private static async Task<List<CatalogKafkaAsset>> Search(CatalogTestBed bed, CatalogAssetQuery query)
    {
        var list = new List<CatalogKafkaAsset>();
        await foreach (var a in CatalogAssetSearch.SearchAsync(bed.Catalog, query, bed.Sink))
        {
            list.Add(a);
        }

        return list;
    }

    private static async Task<List<CatalogAssetResult>> Delete(CatalogTestBed bed, IEnumerable<CatalogAssetReference> refs, CatalogDeleteType type = CatalogDeleteType.Soft)
    {
        var list = new List<CatalogAssetResult>();
        await foreach (var r in CatalogAssetDeleter.DeleteAsync(bed.Catalog, refs, new CatalogDeleteOptions { DeleteType = type }, bed.Sink))
        {
            list.Add(r);
        }

        return list;
    }

    [Fact]
    public async Task Search_pages_through_every_asset_with_stable_sorting()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(Enumerable.Range(0, 20).Select(i => (object)Kafka.Topic($"t{i:D2}", partitions: i + 1)).Append(Kafka.Group("g", "t01")));
        var before = bed.Atlan.Requests.IndexSearches;
        var all = await Search(bed, new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName, PageSize = 7 });
        Assert.Equal(21, all.Count);
        Assert.Equal(21, all.Select(a => a.Guid).Distinct().Count());
        Assert.Equal(4, bed.Atlan.Requests.IndexSearches - before);
        var t05 = all.Single(a => a.Name == "t05");
        Assert.Equal(6, t05.PartitionCount);
        Assert.Equal("ACTIVE", t05.Status);
        var g = all.Single(a => a.TypeName == "KafkaConsumerGroup");
        Assert.Equal(10, g.TotalLag);
        Assert.Equal(new[] { "t01" }, g.TopicNames);
    }

    [Fact]
    public async Task Search_filters_by_type_and_wildcard_name()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("orders"), Kafka.Topic("orders-dlq"), Kafka.Topic("payments"), Kafka.Group("orders-svc", "orders") });
        var topics = await Search(bed, new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName, TypeNames = new[] { "KafkaTopic" }, Names = new[] { "orders*" } });
        Assert.Equal(new[] { "orders", "orders-dlq" }, topics.Select(t => t.Name).OrderBy(n => n));
        var exact = await Search(bed, new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName, Names = new[] { "payments" } });
        Assert.Equal("payments", Assert.Single(exact).Name);
    }

    [Fact]
    public async Task Search_with_a_malformed_connection_qualified_name_fails_without_a_request()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var before = bed.Atlan.Requests.Total;
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => Search(bed, new CatalogAssetQuery { ConnectionQualifiedName = "kafka-prod" }));
        Assert.Equal("CatalogInvalidConnectionQualifiedName", ex.ErrorId);
        Assert.Equal(before, bed.Atlan.Requests.Total);
    }

    [Fact]
    public async Task Delete_removes_groups_before_topics_and_soft_delete_archives()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("a"), Kafka.Topic("b"), Kafka.Group("g", "a") });
        var assets = await Search(bed, new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName });
        var refs = assets.OrderBy(a => a.TypeName == "KafkaConsumerGroup" ? 1 : 0).Select(a => new CatalogAssetReference(a.TypeName, a.QualifiedName, a.Guid)).ToList();

        var results = await Delete(bed, refs);

        Assert.Equal(new[] { "KafkaConsumerGroup", "KafkaTopic", "KafkaTopic" }, results.Select(r => r.TypeName));
        Assert.All(results, r => Assert.Equal(CatalogAssetStatus.Archived, r.Status));
        Assert.All(bed.Atlan.Store.OfType("KafkaTopic"), e => Assert.Equal("DELETED", e.Status));
        Assert.Empty(await Search(bed, new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName }));
        Assert.Equal(3, (await Search(bed, new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName, IncludeArchived = true })).Count);

        var again = await Delete(bed, refs);
        Assert.All(again, r => Assert.Equal(CatalogAssetStatus.Unchanged, r.Status));
    }

    [Fact]
    public async Task Hard_delete_by_qualified_name_removes_the_asset()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("a") });
        var qn = $"{bed.ConnectionQualifiedName}/topic/a";
        var results = await Delete(bed, new[] { new CatalogAssetReference("KafkaTopic", qn) }, CatalogDeleteType.Hard);
        Assert.Equal(CatalogAssetStatus.Deleted, Assert.Single(results).Status);
        Assert.Null(bed.Atlan.Store.Find("KafkaTopic", qn));
    }

    [Fact]
    public async Task Deleting_an_unknown_asset_reports_it_not_found()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        var before = bed.Atlan.Requests.BulkDeletes;
        var results = await Delete(bed, new[] { new CatalogAssetReference("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/ghost") });
        var r = Assert.Single(results);
        Assert.Equal(CatalogAssetStatus.Failed, r.Status);
        Assert.Equal("CatalogAssetNotFound", r.ErrorId);
        Assert.Equal(before, bed.Atlan.Requests.BulkDeletes);
    }

    [Fact]
    public async Task Deleting_a_connection_removes_its_assets_bottom_up_then_the_connection()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("a"), Kafka.Group("g", "a") });
        var results = new List<CatalogAssetResult>();
        await foreach (var r in CatalogAssetDeleter.DeleteConnectionAsync(bed.Catalog, bed.ConnectionQualifiedName, new CatalogDeleteOptions { DeleteType = CatalogDeleteType.Purge }))
        {
            results.Add(r);
        }

        Assert.Equal(new[] { "KafkaConsumerGroup", "KafkaTopic", "Connection" }, results.Select(r => r.TypeName));
        Assert.All(results, r => Assert.Equal(CatalogAssetStatus.Deleted, r.Status));
        Assert.Empty(bed.Atlan.Store.All);
    }

    [Fact]
    public async Task Declined_deletes_send_nothing()
    {
        await using var bed = await CatalogTestBed.StartAsync();
        await bed.PublishAsync(new object[] { Kafka.Topic("a") });
        var list = new List<CatalogAssetResult>();
        await foreach (var r in CatalogAssetDeleter.DeleteAsync(bed.Catalog, new[] { new CatalogAssetReference("KafkaTopic", $"{bed.ConnectionQualifiedName}/topic/a") }, approve: _ => false))
        {
            list.Add(r);
        }

        Assert.Empty(list);
        Assert.Equal(0, bed.Atlan.Requests.BulkDeletes);
        Assert.Equal("ACTIVE", bed.Atlan.Store.OfType("KafkaTopic").Single().Status);
    }
}
