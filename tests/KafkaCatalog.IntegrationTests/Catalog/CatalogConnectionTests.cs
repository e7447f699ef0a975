using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.TestKit.Atlan;

namespace KafkaCatalog.IntegrationTests.Catalog;

public sealed class CatalogConnectionTests
{
    [Fact]
    public async Task Connect_with_the_right_token_verifies_it_with_one_call()
    {
        await using var atlan = await AtlanEmulator.StartAsync();
        using var catalog = await CatalogConnection.ConnectAsync(new CatalogConnectionOptions { BaseUri = atlan.BaseUri.ToString().TrimEnd('/'), ApiToken = CatalogTestBed.Secure(atlan.ApiToken) });
        Assert.Equal(1, atlan.Requests.Total);
        Assert.Equal(1, catalog.RequestCount);
        Assert.Equal(atlan.BaseUri, catalog.BaseUri);
        Assert.DoesNotContain(atlan.ApiToken, Leak.Render(catalog));
    }

    [Fact]
    public async Task Connect_with_a_bad_token_fails_with_an_authentication_error()
    {
        await using var atlan = await AtlanEmulator.StartAsync();
        var ex = await Assert.ThrowsAsync<CatalogApiException>(() => CatalogConnection.ConnectAsync(new CatalogConnectionOptions { BaseUri = atlan.BaseUri.ToString(), ApiToken = CatalogTestBed.Secure("wrong-token-123") }));
        Assert.Equal("CatalogAuthenticationFailed", ex.ErrorId);
        Assert.Equal(FailureKind.AuthenticationError, ex.Kind);
        Assert.Equal(1, atlan.UnauthorizedRequests);
        Assert.DoesNotContain("wrong-token-123", Leak.Render(ex));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://tenant.atlan.com")]
    [InlineData("tenant.atlan.com")]
    [InlineData("https://user:secret@tenant.atlan.com")]
    [InlineData("https://tenant.atlan.com/?token=abc")]
    public async Task Connect_with_a_malformed_base_uri_fails_before_any_request(string uri)
    {
        await using var atlan = await AtlanEmulator.StartAsync();
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogConnection.ConnectAsync(new CatalogConnectionOptions { BaseUri = uri, ApiToken = CatalogTestBed.Secure(atlan.ApiToken) }));
        Assert.Equal("CatalogInvalidBaseUri", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.DoesNotContain("secret", ex.Message);
        Assert.Equal(0, atlan.Requests.Total);
    }

    [Fact]
    public async Task Connect_without_a_token_fails_before_any_request()
    {
        await using var atlan = await AtlanEmulator.StartAsync();
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogConnection.ConnectAsync(new CatalogConnectionOptions { BaseUri = atlan.BaseUri.ToString(), ApiToken = new System.Security.SecureString() }));
        Assert.Equal("CatalogApiTokenMissing", ex.ErrorId);
        Assert.Equal(0, atlan.Requests.Total);
    }

    [Fact]
    public async Task Connect_to_a_closed_port_reports_the_catalog_unreachable()
    {
        var atlan = await AtlanEmulator.StartAsync();
        var uri = atlan.BaseUri.ToString();
        await atlan.DisposeAsync();
        var ex = await Assert.ThrowsAsync<CatalogApiException>(() => CatalogConnection.ConnectAsync(new CatalogConnectionOptions
        {
            BaseUri = uri,
            ApiToken = CatalogTestBed.Secure("t"),
            Resilience = Core.Resilience.CatalogResilienceOptions.Fast with { MaxRetryAttempts = 1 },
        }));
        Assert.Equal("CatalogUnreachable", ex.ErrorId);
    }

    [Fact]
    public async Task New_connection_resolves_the_admin_role_and_waits_for_access()
    {
        await using var bed = await CatalogTestBed.StartAsync(new AtlanEmulatorOptions { ConnectionAccessDelay = TimeSpan.FromMilliseconds(400) }, withKafkaConnection: false);
        var connection = await CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "prod", AdminRoles = new[] { "$admin" }, AdminUsers = new[] { "jsmith" } }, bed.Sink);

        Assert.NotNull(connection);
        Assert.False(connection!.Reused);
        Assert.Matches("^default/kafka/[0-9]+$", connection.QualifiedName);
        Assert.Equal(bed.Atlan.Options.Roles[0].Id, Assert.Single(connection.AdminRoles));
        Assert.Contains("jsmith", connection.AdminUsers);
        Assert.Equal(connection.QualifiedName, bed.Catalog.DefaultConnectionQualifiedName);
        var stored = Assert.Single(bed.Atlan.Store.OfType("Connection"));
        Assert.Equal("kafka", stored.Attributes["connectorName"]!.GetValue<string>());
        Assert.Equal("eventbus", stored.Attributes["category"]!.GetValue<string>());
        // It was read at least twice: 403 while the policies were missing, then 200.
        Assert.True(bed.Atlan.Requests["GET /api/meta/entity/guid/{guid}"] >= 2);
        Assert.Contains(bed.Sink.ProgressRecords, p => p.ActivityId == 5103 && p.Completed);
    }

    [Fact]
    public async Task New_connection_reuses_one_of_the_same_name_unless_forced()
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        var request = new CatalogKafkaConnectionRequest { Name = "prod", AdminGroups = new[] { "data-engineers" } };
        var first = await CatalogKafkaConnections.EnsureAsync(bed.Catalog, request);
        var second = await CatalogKafkaConnections.EnsureAsync(bed.Catalog, request);
        Assert.True(second!.Reused);
        Assert.Equal(first!.QualifiedName, second.QualifiedName);
        Assert.Single(bed.Atlan.Store.OfType("Connection"));

        var forced = await CatalogKafkaConnections.EnsureAsync(bed.Catalog, request with { Force = true, Clock = () => DateTimeOffset.FromUnixTimeSeconds(1718000000) });
        Assert.False(forced!.Reused);
        Assert.Equal("default/kafka/1718000000", forced.QualifiedName);
        Assert.Equal(2, bed.Atlan.Store.OfType("Connection").Count);
    }

    [Fact]
    public async Task New_connection_without_admins_fails_with_no_request()
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        var before = bed.Atlan.Requests.Total;
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "prod", AdminUsers = new[] { " " } }));
        Assert.Equal("CatalogConnectionAdminRequired", ex.ErrorId);
        Assert.Equal(before, bed.Atlan.Requests.Total);
        Assert.Empty(bed.Atlan.Store.All);
    }

    [Fact]
    public async Task New_connection_with_an_unknown_role_fails_and_creates_nothing()
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "prod", AdminRoles = new[] { "$superuser" } }));
        Assert.Equal("CatalogRoleNotFound", ex.ErrorId);
        Assert.Contains("$admin", ex.Message);
        Assert.Empty(bed.Atlan.Store.All);
    }

    [Fact]
    public async Task New_connection_gives_up_after_the_access_timeout_with_a_specific_error()
    {
        await using var bed = await CatalogTestBed.StartAsync(new AtlanEmulatorOptions { ConnectionAccessDelay = TimeSpan.FromMinutes(5) }, withKafkaConnection: false);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "prod", AdminRoles = new[] { "$admin" }, AccessTimeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Equal("CatalogConnectionAccessTimeout", ex.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, ex.Kind);
        Assert.Single(bed.Atlan.Store.OfType("Connection"));
    }

    [Fact]
    public async Task Declined_creation_sends_nothing()
    {
        await using var bed = await CatalogTestBed.StartAsync(withKafkaConnection: false);
        var result = await CatalogKafkaConnections.EnsureAsync(bed.Catalog, new CatalogKafkaConnectionRequest { Name = "prod", AdminRoles = new[] { "$admin" } }, approveCreate: _ => false);
        Assert.Null(result);
        Assert.Equal(0, bed.Atlan.Requests.BulkUpserts);
        Assert.Empty(bed.Atlan.Store.All);
    }
}
