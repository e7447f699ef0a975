using System.Net;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using KafkaCatalog.TestKit.OAuth;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>OAUTHBEARER through the client factory's refresh handler, fed by the connection's own token source.</summary>
public sealed class OAuthBearerTests
{
    private static async Task<(KafkaTestCluster Cluster, KafkaSecurityAuthenticator Auth)> StartAsync(OAuthTestServer oauth)
    {
        NativeLibraryLoader.EnsureLoaded();
        var security = new KafkaSecurityOptions { Protocol = TkProtocol.SaslPlaintext, OAuthTokenValidator = oauth.Validate };
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        var auth = options.UseSecurity(security);
        return (await KafkaTestCluster.StartAsync(options), auth);
    }

    private static KafkaConnection Connection(KafkaTestCluster cluster, OAuthTestServer oauth, string secret) =>
        new("oauth", KafkaConnectionResolver.Resolve(new KafkaConnectionSettings
        {
            BootstrapServers = cluster.BootstrapServers,
            SecurityProtocol = Core.Connections.KafkaSecurityProtocol.SaslPlaintext,
            OAuthTokenEndpoint = oauth.TokenEndpoint,
            OAuthClientId = "kafka-client",
            OAuthClientSecret = new NetworkCredential(string.Empty, secret).SecurePassword,
            OAuthScope = "kafka",
            RequestTimeout = TimeSpan.FromSeconds(8),
        }, null, null).Options);

    [Theory]
    [InlineData(OAuthTokenFormat.JwtRs256)]
    [InlineData(OAuthTokenFormat.Opaque)]
    public async Task Client_credentials_token_authenticates_the_admin_client(OAuthTokenFormat format)
    {
        await using var oauth = await OAuthTestServer.StartAsync(new OAuthTestServerOptions { TokenFormat = format });
        oauth.AddClient("kafka-client", "client-secret-123");
        var (cluster, auth) = await StartAsync(oauth);
        await using var _ = cluster;
        using var factory = new KafkaClientFactory(Connection(cluster, oauth, "client-secret-123"));

        var described = await new ClusterService(factory).DescribeAsync();
        var topics = await new TopicService(factory).ListAsync(new TopicQuery { IncludeInternal = true }).ToListAsync();

        Assert.Equal(cluster.ClusterId, described.ClusterId);
        Assert.Contains(topics, t => t.Name == "__consumer_offsets");
        Assert.True(oauth.IssuedTokenCount >= 1);
        Assert.Contains(auth.AuthenticatedPrincipals, p => p.Contains("kafka-client", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Factory_from_the_session_client_cache_gets_its_token_from_the_connection_token_source()
    {
        await using var oauth = await OAuthTestServer.StartAsync();
        oauth.AddClient("kafka-client", "client-secret-123");
        var (cluster, auth) = await StartAsync(oauth);
        await using var _ = cluster;
        var connection = Connection(cluster, oauth, "client-secret-123");
        // The cmdlets' way: ModuleState.KafkaClients is a KafkaClientCache built without a provider.
        using var cache = new KafkaClientCache();
        var factory = cache.GetOrCreate(connection);

        var described = await new ClusterService(factory).DescribeAsync();

        Assert.Equal(cluster.ClusterId, described.ClusterId);
        Assert.Same(factory, cache.GetOrCreate(connection));
        var source = connection.GetTokenSource();
        Assert.NotNull(source);
        Assert.True(source.FetchCount >= 1);
        Assert.Equal(oauth.IssuedTokenCount, source.FetchCount);
        Assert.Contains(auth.AuthenticatedPrincipals, p => p.Contains("kafka-client", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_client_secret_fails_without_leaking_it()
    {
        await using var oauth = await OAuthTestServer.StartAsync();
        oauth.AddClient("kafka-client", "client-secret-123");
        var (cluster, _) = await StartAsync(oauth);
        await using var __ = cluster;
        const string wrong = "not-The-Secret-999";
        using var factory = new KafkaClientFactory(Connection(cluster, oauth, wrong));
        var sink = new CollectingSink();
        using var lease = factory.AttachSink(sink);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ClusterService(factory, sink).DescribeAsync());

        Assert.Equal(FailureKind.AuthenticationError, ex.Kind);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.All(sink.Lines, l => Assert.DoesNotContain(wrong, l));
        Assert.Equal(0, oauth.IssuedTokenCount);
    }
}
