using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using KafkaCatalog.TestKit.OAuth;

namespace KafkaCatalog.Conformance;

/// <summary>SASL_PLAINTEXT cluster (single broker) with user alice and an OAuth endpoint for OAUTHBEARER.</summary>
public sealed class SaslConformanceCluster : ConformanceCluster
{
    public KafkaSecurityAuthenticator Auth { get; private set; } = null!;

    public OAuthTestServer OAuth { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await OAuth.DisposeAsync();
    }

    protected override KafkaTestClusterOptions CreateOptions()
    {
        OAuth = OAuthTestServer.StartAsync(new OAuthTestServerOptions { TokenFormat = OAuthTokenFormat.JwtHs256 }).GetAwaiter().GetResult();
        var security = new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslPlaintext, OAuthTokenValidator = OAuth.Validate };
        security.AddUser("alice", "alice-secret");
        var o = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        Auth = o.UseSecurity(security);
        return o;
    }
}

/// <summary>kafka-python 2.0.2 SASL (raw frames after SaslHandshake v0).</summary>
public sealed class KafkaPythonSaslTests(SaslConformanceCluster fx) : IClassFixture<SaslConformanceCluster>
{
    [Theory]
    [InlineData("PLAIN", "alice-secret", "ok")]
    [InlineData("PLAIN", "wrong", "fail")]
    [InlineData("SCRAM-SHA-256", "alice-secret", "ok")]
    [InlineData("SCRAM-SHA-256", "wrong", "fail")]
    [InlineData("SCRAM-SHA-512", "alice-secret", "ok")]
    [InlineData("SCRAM-SHA-512", "wrong", "fail")]
    public void UserPassword(string mechanism, string password, string expect)
    {
        int failuresBefore = fx.Auth.FailedAuthentications;
        var run = ExternalTools.RunPythonScript("sasl.py", "--bootstrap", fx.Bootstrap, "--mechanism", mechanism,
            "--user", "alice", "--password", password, "--expect", expect);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ok true", run.Results);
        if (expect == "ok")
        {
            Assert.Contains("topics_listed true", run.Results);
        }
        else
        {
            Assert.True(fx.Auth.FailedAuthentications > failuresBefore);
        }

        Assert.Contains((short)0, fx.Cluster.RequestVersions(KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys.SaslHandshake));
    }

    [Fact]
    public void OAuthBearer_TokenFromTheEndpoint_AndAForgedOne()
    {
        var good = ExternalTools.RunPythonScript("sasl.py", "--bootstrap", fx.Bootstrap, "--mechanism", "OAUTHBEARER",
            "--token", fx.OAuth.IssueToken("py-client", "kafka"), "--expect", "ok");
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains("User:py-client", fx.Auth.AuthenticatedPrincipals);
        var bad = ExternalTools.RunPythonScript("sasl.py", "--bootstrap", fx.Bootstrap, "--mechanism", "OAUTHBEARER",
            "--token", "forged.token.value", "--expect", "fail");
        Assert.True(bad.ExitCode == 0, bad.ToString());
    }
}
