using System.Text.Json;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.TestKit.Atlan;

namespace KafkaCatalog.IntegrationTests.Catalog;

public sealed class CatalogSecretTests
{
    [Fact]
    public async Task The_api_token_never_appears_in_results_errors_payloads_or_messages()
    {
        await using var bed = await CatalogTestBed.StartAsync(new AtlanEmulatorOptions { ApiToken = "tok-SECRET-5f1e9c" });
        var seen = new List<object?>();
        var connection = await CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "kafka-test", AdminRoles = new[] { "$admin" } }, bed.Sink);
        seen.Add(connection);
        seen.Add(bed.Catalog);

        bed.Atlan.Faults.InjectNext(2, AtlanFault.TooManyRequests(TimeSpan.FromMilliseconds(10)), AtlanFaults.BulkUpsertOnly);
        seen.AddRange(await bed.PublishAsync(new object[] { Kafka.Topic("a"), Kafka.Topic("bad name"), Kafka.Group("g", "a"), Kafka.Group("orphan", "missing") }));
        var set = CatalogAssetBuilder.Build(bed.ConnectionQualifiedName, new object[] { Kafka.Topic("a") });
        seen.AddRange(CatalogPublisher.Batches(set, new CatalogPublishOptions(), indented: true).Select(b => b.Json));
        await foreach (var a in CatalogAssetSearch.SearchAsync(bed.Catalog, new CatalogAssetQuery { ConnectionQualifiedName = bed.ConnectionQualifiedName }, bed.Sink))
        {
            seen.Add(a);
        }

        seen.AddRange(await bed.SyncAsync(new InMemoryKafkaInventory(Array.Empty<Core.Kafka.KafkaTopic>(), Array.Empty<Core.Kafka.KafkaConsumerGroup>())));
        seen.Add(await Assert.ThrowsAsync<Core.KafkaCatalogException>(() => CatalogKafkaConnections.GetAsync(bed.Catalog, "default/kafka/9")));

        // A session with a wrong token: its authentication error must not echo either token.
        seen.Add(await Assert.ThrowsAsync<CatalogApiException>(() => CatalogConnection.ConnectAsync(new CatalogConnectionOptions { BaseUri = bed.Atlan.BaseUri.ToString(), ApiToken = CatalogTestBed.Secure("tok-WRONG-77aa") })));

        Assert.True(seen.Count > 10);
        foreach (var item in seen)
        {
            var text = Leak.Render(item);
            Assert.DoesNotContain("tok-SECRET-5f1e9c", text);
            Assert.DoesNotContain("tok-WRONG-77aa", text);
        }

        Assert.DoesNotContain("tok-SECRET-5f1e9c", bed.Sink.Everything());
        Assert.DoesNotContain("ApiToken", JsonSerializer.Serialize(bed.Catalog));
    }
}
