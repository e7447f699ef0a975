using System.Net;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Scram;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;

namespace KafkaCatalog.Conformance;

/// <summary>SASL_PLAINTEXT cluster with only an admin user: the SCRAM users of the tests are created through the API.</summary>
public sealed class ScramUserConformanceCluster : ConformanceCluster
{
    public const string AdminPassword = "admin-Conformance-1";

    public KafkaSecurityAuthenticator Auth { get; private set; } = null!;

    protected override KafkaTestClusterOptions CreateOptions()
    {
        var security = new KafkaSecurityOptions { Protocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol.SaslPlaintext };
        security.EnabledMechanisms.Remove(SaslMechanisms.OAuthBearer);
        security.AddUser("admin", AdminPassword);
        var o = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        Auth = o.UseSecurity(security);
        return o;
    }
}

/// <summary>
/// A SCRAM user created with AlterUserScramCredentials (Core + librdkafka, which derives the salted password) logs
/// in from kafka-python 2.0.2, an independent SCRAM client implementation; a wrong password fails, and after the
/// credential is deleted the login fails too. kafka-python 2.0.2 has no SCRAM admin API, so it only logs in.
/// </summary>
public sealed class KafkaPythonScramUserTests(ScramUserConformanceCluster fx) : IClassFixture<ScramUserConformanceCluster>
{
    private KafkaClientFactory Admin()
    {
        NativeLibraryLoader.EnsureLoaded();
        return new KafkaClientFactory(new KafkaConnection("conformance-admin", KafkaConnectionResolver.Resolve(new KafkaConnectionSettings
        {
            BootstrapServers = fx.Bootstrap,
            RequestTimeout = TimeSpan.FromSeconds(8),
            SecurityProtocol = KafkaCatalog.Core.Connections.KafkaSecurityProtocol.SaslPlaintext,
            SaslMechanism = KafkaSaslMechanism.ScramSha512,
            SaslUsername = "admin",
            SaslPassword = new NetworkCredential(string.Empty, ScramUserConformanceCluster.AdminPassword).SecurePassword,
        }, null, null).Options));
    }

    private ToolRun Login(string mechanism, string user, string password, string expect) =>
        ExternalTools.RunPythonScript("sasl.py", "--bootstrap", fx.Bootstrap, "--mechanism", mechanism, "--user", user, "--password", password, "--expect", expect);

    [Theory]
    [InlineData(ScramMechanisms.Sha256, 4096)]
    [InlineData(ScramMechanisms.Sha512, 10000)]
    public async Task A_user_created_through_the_API_logs_in_from_kafka_python_until_it_is_removed(string mechanism, int iterations)
    {
        var user = ConformanceCluster.Prefix("py");
        var password = "Py-" + Guid.NewGuid().ToString("N");
        using var admin = Admin();
        var service = new ScramCredentialService(admin);

        await service.SetAsync(user, new NetworkCredential(string.Empty, password).SecurePassword, mechanism, iterations);
        var good = Login(mechanism, user, password, "ok");
        var wrong = Login(mechanism, user, password + "x", "fail");
        var otherMechanism = Login(mechanism == ScramMechanisms.Sha256 ? ScramMechanisms.Sha512 : ScramMechanisms.Sha256, user, password, "fail");
        await service.RemoveAsync(user, mechanism);
        var removed = Login(mechanism, user, password, "fail");

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains("topics_listed true", good.Results);
        Assert.Contains($"User:{user}", fx.Auth.AuthenticatedPrincipals);
        Assert.True(wrong.ExitCode == 0, wrong.ToString());
        Assert.True(otherMechanism.ExitCode == 0, otherMechanism.ToString());
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Empty((await service.GetAsync([user])).Credentials);
    }
}
