using System.Net;
using System.Security;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Scram;
using KafkaCatalog.IntegrationTests.Kafka;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.Scram;

/// <summary>
/// ScramCredentialService through Confluent.Kafka over TCP against TestKit's SASL_PLAINTEXT listener: a credential it
/// creates authenticates a new connection over SASL/SCRAM, a wrong password does not, and after removal the user is out.
/// </summary>
public sealed class ScramCredentialServiceTests
{
    private const string AdminPassword = "admin-Secret-1";
    private const string NewPassword = "Carol-Pa55word-Only-Here";

    private static async Task<(KafkaTestCluster Cluster, KafkaSecurityAuthenticator Auth)> StartAsync()
    {
        NativeLibraryLoader.EnsureLoaded();
        var security = new KafkaSecurityOptions { Protocol = TkProtocol.SaslPlaintext };
        security.AddUser("admin", AdminPassword);
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        var auth = options.UseSecurity(security);
        return (await KafkaTestCluster.StartAsync(options), auth);
    }

    private static SecureString Secure(string s) => new NetworkCredential(string.Empty, s).SecurePassword;

    private static KafkaClientFactory Factory(KafkaTestCluster cluster, string user, string password, KafkaSaslMechanism mechanism) =>
        new(new KafkaConnection("scram-" + user, KafkaConnectionResolver.Resolve(new KafkaConnectionSettings
        {
            BootstrapServers = cluster.BootstrapServers,
            RequestTimeout = TimeSpan.FromSeconds(8),
            SecurityProtocol = Core.Connections.KafkaSecurityProtocol.SaslPlaintext,
            SaslMechanism = mechanism,
            SaslUsername = user,
            SaslPassword = Secure(password),
        }, null, null).Options));

    [Theory]
    [InlineData(ScramMechanisms.Sha256, KafkaSaslMechanism.ScramSha256)]
    [InlineData(ScramMechanisms.Sha512, KafkaSaslMechanism.ScramSha512)]
    public async Task A_credential_set_here_authenticates_over_SCRAM_and_stops_after_removal(string mechanism, KafkaSaslMechanism sasl)
    {
        var (cluster, auth) = await StartAsync();
        await using var _ = cluster;
        using var admin = Factory(cluster, "admin", AdminPassword, KafkaSaslMechanism.ScramSha512);
        var sink = new CollectingSink();
        using var lease = admin.AttachSink(sink);
        var service = new ScramCredentialService(admin, sink);

        var set = await service.SetAsync("carol", Secure(NewPassword), mechanism, 5000);
        var listed = await service.GetAsync(["carol"]);

        Assert.Equal(new KafkaUserScramCredential("carol", mechanism, 5000), set with { ConnectionName = null });
        var only = Assert.Single(listed.Credentials);
        Assert.Equal(("carol", mechanism, 5000), (only.User, only.Mechanism, only.Iterations));
        Assert.Empty(listed.Errors);

        // The broker keeps the salted form of what the client derived: StoredKey/ServerKey, a 32/64-byte salt.
        var stored = ScramCredentials.Of(cluster).GetScram("carol", mechanism)!;
        Assert.Equal(ScramMechanisms.SaltLength(mechanism), stored.Salt.Length);
        Assert.Equal(5000, stored.Iterations);

        using (var carol = Factory(cluster, "carol", NewPassword, sasl))
        {
            var described = await new ClusterService(carol).DescribeAsync();
            Assert.Equal(cluster.ClusterId, described.ClusterId);
        }

        Assert.Contains("User:carol", auth.AuthenticatedPrincipals);

        using (var wrong = Factory(cluster, "carol", "not-" + NewPassword, sasl))
        {
            var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ClusterService(wrong).DescribeAsync());
            Assert.Equal("KafkaAuthenticationFailed", ex.ErrorId);
        }

        var removed = await service.RemoveAsync("carol", mechanism);
        Assert.Equal(5000, removed.Iterations);
        Assert.Null(ScramCredentials.Of(cluster).GetScram("carol", mechanism));
        using (var after = Factory(cluster, "carol", NewPassword, sasl))
        {
            var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ClusterService(after).DescribeAsync());
            Assert.Equal("KafkaAuthenticationFailed", ex.ErrorId);
        }

        Assert.All(sink.Lines, l => Assert.DoesNotContain(NewPassword, l));
        Assert.DoesNotContain(NewPassword, JsonSerializer.Serialize(set));
        Assert.DoesNotContain(NewPassword, set.ToString());
    }

    [Fact]
    public async Task Get_lists_every_user_filters_by_wildcard_and_reports_an_unknown_name()
    {
        var (cluster, _) = await StartAsync();
        await using var _c = cluster;
        using var admin = Factory(cluster, "admin", AdminPassword, KafkaSaslMechanism.ScramSha256);
        var service = new ScramCredentialService(admin);
        await service.SetAsync("app-orders", Secure("p1-orders"), ScramMechanisms.Sha512, 4096);
        await service.SetAsync("app-billing", Secure("p2-billing"), ScramMechanisms.Sha256, 8192);

        var all = await service.GetAsync(null);
        var apps = await service.GetAsync(["APP-*"]);
        var mixed = await service.GetAsync(["app-orders", "nobody"]);
        var wildcardNothing = await service.GetAsync(["zz*"]);

        // admin has both mechanisms (4096, added by the listener's user set-up).
        Assert.Equal(["admin SCRAM-SHA-256", "admin SCRAM-SHA-512", "app-billing SCRAM-SHA-256", "app-orders SCRAM-SHA-512"],
            all.Credentials.Select(c => $"{c.User} {c.Mechanism}"));
        Assert.Equal(["app-billing", "app-orders"], apps.Credentials.Select(c => c.User));
        Assert.Equal("app-orders", Assert.Single(mixed.Credentials).User);
        var error = Assert.Single(mixed.Errors);
        Assert.Equal("ScramUserNotFound", error.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
        Assert.Equal("nobody", error.Target);
        Assert.Empty(wildcardNothing.Credentials);
        Assert.Empty(wildcardNothing.Errors);
        Assert.All(all.Credentials, c => Assert.Equal("scram-admin", c.ConnectionName));
    }

    [Theory]
    [InlineData("", "pw", ScramMechanisms.Sha512, 8192, "ScramUserNameEmpty")]
    [InlineData("dave", "", ScramMechanisms.Sha512, 8192, "ScramPasswordEmpty")]
    [InlineData("dave", "pw", "SCRAM-SHA-1", 8192, "ScramMechanismUnsupported")]
    [InlineData("dave", "pw", ScramMechanisms.Sha256, 4095, "ScramIterationsOutOfRange")]
    [InlineData("dave", "pw", ScramMechanisms.Sha512, 16385, "ScramIterationsOutOfRange")]
    public async Task Bad_input_is_refused_before_any_request(string user, string password, string mechanism, int iterations, string errorId)
    {
        var (cluster, _) = await StartAsync();
        await using var _c = cluster;
        using var admin = Factory(cluster, "admin", AdminPassword, KafkaSaslMechanism.ScramSha256);
        var service = new ScramCredentialService(admin);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.SetAsync(user, Secure(password), mechanism, iterations));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Equal(0, cluster.RequestCount(KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.AlterUserScramCredentials));
        Assert.Null(ScramCredentials.Of(cluster).GetScram("dave", ScramMechanisms.Sha512));
    }

    [Fact]
    public async Task Removing_a_credential_that_does_not_exist_is_ScramCredentialNotFound_and_changes_nothing()
    {
        var (cluster, _) = await StartAsync();
        await using var _c = cluster;
        using var admin = Factory(cluster, "admin", AdminPassword, KafkaSaslMechanism.ScramSha256);
        var service = new ScramCredentialService(admin);
        await service.SetAsync("erin", Secure("erin-pw"), ScramMechanisms.Sha256, 4096);

        var otherMechanism = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.RemoveAsync("erin", ScramMechanisms.Sha512));
        var unknownUser = await Assert.ThrowsAsync<KafkaCatalogException>(() => service.RemoveAsync("nobody", ScramMechanisms.Sha512));

        Assert.Equal("ScramCredentialNotFound", otherMechanism.ErrorId);
        Assert.Contains("SCRAM-SHA-256", otherMechanism.Message);
        Assert.Equal("ScramCredentialNotFound", unknownUser.ErrorId);
        Assert.NotNull(ScramCredentials.Of(cluster).GetScram("erin", ScramMechanisms.Sha256));
        Assert.Equal(1, cluster.RequestCount(KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.AlterUserScramCredentials));
    }

    [Fact]
    public async Task Set_replaces_the_credential_the_old_password_no_longer_works()
    {
        var (cluster, _) = await StartAsync();
        await using var _c = cluster;
        using var admin = Factory(cluster, "admin", AdminPassword, KafkaSaslMechanism.ScramSha256);
        var service = new ScramCredentialService(admin);
        await service.SetAsync("frank", Secure("first-pw"), ScramMechanisms.Sha512, 4096);
        var firstSalt = ScramCredentials.Of(cluster).GetScram("frank", ScramMechanisms.Sha512)!.Salt;

        await service.SetAsync("frank", Secure("second-pw"), ScramMechanisms.Sha512, 9000);

        Assert.NotEqual(firstSalt, ScramCredentials.Of(cluster).GetScram("frank", ScramMechanisms.Sha512)!.Salt);
        Assert.Equal(9000, Assert.Single((await service.GetAsync(["frank"])).Credentials).Iterations);
        using var old = Factory(cluster, "frank", "first-pw", KafkaSaslMechanism.ScramSha512);
        Assert.Equal("KafkaAuthenticationFailed", (await Assert.ThrowsAsync<KafkaCatalogException>(() => new ClusterService(old).DescribeAsync())).ErrorId);
        using var current = Factory(cluster, "frank", "second-pw", KafkaSaslMechanism.ScramSha512);
        Assert.Equal(cluster.ClusterId, (await new ClusterService(current).DescribeAsync()).ClusterId);
    }
}
