using System.Security.Cryptography;
using System.Text;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Security;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>
/// TestKit's DescribeUserScramCredentials (50) and AlterUserScramCredentials (51) on the wire, against the rules of
/// Kafka's ScramControlManager / ScramImage (error codes and messages), and the credential they store: the one
/// RFC 5802 derives from the client's SaltedPassword, which then verifies a SCRAM exchange.
/// </summary>
public sealed class ScramCredentialApiTests
{
    private static async Task<(KafkaTestCluster Cluster, KafkaWireClient Client)> StartAsync()
    {
        var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 });
        return (cluster, await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port));
    }

    private static byte[] Salted(string password, byte[] salt, int iterations, HashAlgorithmName hash) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, hash, hash == HashAlgorithmName.SHA512 ? 64 : 32);

    private static Message Upsert(Message req, string user, sbyte mechanism, int iterations, string password = "pw")
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        var hash = mechanism == 2 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        req.AddElement("Upsertions").Set("Name", user).Set("Mechanism", mechanism).Set("Iterations", iterations)
            .Set("Salt", salt).Set("SaltedPassword", Salted(password, salt, Math.Max(iterations, 1), hash));
        return req;
    }

    private static Dictionary<string, (short Code, string? Message)> Results(Message resp) =>
        resp.GetArray("Results")!.ToDictionary(r => r.GetString("User")!, r => (r.GetInt16("ErrorCode"), r.GetString("ErrorMessage")));

    [Fact]
    public async Task Alter_applies_valid_changes_and_answers_each_bad_one_with_Kafkas_error()
    {
        var (cluster, c) = await StartAsync();
        await using var _ = cluster;
        await using var __ = c;
        var req = KafkaWireClient.NewRequest(ApiKeys.AlterUserScramCredentials);
        Upsert(req, "ok", 2, 4096);
        Upsert(req, "few", 1, 4095);
        Upsert(req, "many", 2, 16385);
        Upsert(req, "mech", 3, 4096);
        Upsert(req, "", 1, 4096);
        Upsert(req, "twice", 1, 4096);
        Upsert(req, "twice", 2, 4096);
        req.AddElement("Deletions").Set("Name", "ghost").Set("Mechanism", (sbyte)1);

        var results = Results(await c.RequestAsync(ApiKeys.AlterUserScramCredentials, 0, req));

        Assert.Equal((ErrorCode.None, (string?)null), results["ok"]);
        Assert.Equal((ErrorCode.UnacceptableCredential, "Too few iterations"), results["few"]);
        Assert.Equal((ErrorCode.UnacceptableCredential, "Too many iterations"), results["many"]);
        Assert.Equal((ErrorCode.UnsupportedSaslMechanism, "Unknown SCRAM mechanism"), results["mech"]);
        Assert.Equal((ErrorCode.UnacceptableCredential, "Username must not be empty"), results[""]);
        Assert.Equal((ErrorCode.DuplicateResource, "A user credential cannot be altered twice in the same request"), results["twice"]);
        Assert.Equal((ErrorCode.ResourceNotFound, "Attempt to delete a user credential that does not exist"), results["ghost"]);
        var store = ScramCredentials.Of(cluster);
        Assert.Equal(["ok"], store.ScramCredentials.Select(s => s.User));
        Assert.Null(store.GetScram("twice", SaslMechanisms.ScramSha256));
    }

    [Fact]
    public async Task Describe_lists_all_or_the_named_users_with_per_user_errors()
    {
        var (cluster, c) = await StartAsync();
        await using var _ = cluster;
        await using var __ = c;
        var alter = KafkaWireClient.NewRequest(ApiKeys.AlterUserScramCredentials);
        Upsert(alter, "alice", 2, 8192);
        await c.RequestAsync(ApiKeys.AlterUserScramCredentials, 0, alter);
        alter = KafkaWireClient.NewRequest(ApiKeys.AlterUserScramCredentials);
        Upsert(alter, "alice", 1, 4096);
        Upsert(alter, "bob", 1, 5000);
        await c.RequestAsync(ApiKeys.AlterUserScramCredentials, 0, alter);

        var all = await c.RequestAsync(ApiKeys.DescribeUserScramCredentials, 0, KafkaWireClient.NewRequest(ApiKeys.DescribeUserScramCredentials));
        var named = KafkaWireClient.NewRequest(ApiKeys.DescribeUserScramCredentials);
        foreach (var n in new[] { "bob", "nobody", "bob2", "bob2" })
        {
            named.AddElement("Users").Set("Name", n);
        }

        var some = await c.RequestAsync(ApiKeys.DescribeUserScramCredentials, 0, named);

        Assert.Equal(0, all.GetInt16("ErrorCode"));
        var users = all.GetArray("Results")!;
        Assert.Equal(["alice", "bob"], users.Select(u => u.GetString("User")));
        Assert.Equal([(1, 4096), (2, 8192)], users[0].GetArray("CredentialInfos")!.Select(i => ((int)i.GetInt8("Mechanism"), i.GetInt32("Iterations"))));
        var results = Results(some);
        Assert.Equal(ErrorCode.None, results["bob"].Code);
        Assert.Equal((ErrorCode.ResourceNotFound, "Attempt to describe a user credential that does not exist: nobody"), results["nobody"]);
        Assert.Equal((ErrorCode.DuplicateResource, "Cannot describe SCRAM credentials for the same user twice in a single request: bob2"), results["bob2"]);
        Assert.Equal(3, some.GetArray("Results")!.Count);
    }

    [Fact]
    public async Task The_stored_credential_is_the_RFC_5802_one_for_the_clients_salted_password_and_never_the_password()
    {
        var (cluster, c) = await StartAsync();
        await using var _ = cluster;
        await using var __ = c;
        var salt = RandomNumberGenerator.GetBytes(64);
        var salted = Salted("Secret-Pw", salt, 4096, HashAlgorithmName.SHA512);
        var req = KafkaWireClient.NewRequest(ApiKeys.AlterUserScramCredentials);
        req.AddElement("Upsertions").Set("Name", "alice").Set("Mechanism", (sbyte)2).Set("Iterations", 4096).Set("Salt", salt).Set("SaltedPassword", salted);
        await c.RequestAsync(ApiKeys.AlterUserScramCredentials, 0, req);

        var stored = ScramCredentials.Of(cluster).GetScram("alice", SaslMechanisms.ScramSha512)!;
        var expected = ScramServer.CreateCredential(HashAlgorithmName.SHA512, "Secret-Pw", 4096, salt);

        Assert.Equal(expected.StoredKey, stored.StoredKey);
        Assert.Equal(expected.ServerKey, stored.ServerKey);
        Assert.Equal(salt, stored.Salt);
        Assert.NotEqual(salted, stored.StoredKey);
        Assert.NotEqual(salted, stored.ServerKey);
    }

    [Fact]
    public async Task Without_the_cluster_Alter_permission_nothing_is_stored()
    {
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1, EnableAcls = true };
        await using var cluster = await KafkaTestCluster.StartAsync(options);
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var req = KafkaWireClient.NewRequest(ApiKeys.AlterUserScramCredentials);
        Upsert(req, "mallory", 2, 4096);

        var results = Results(await c.RequestAsync(ApiKeys.AlterUserScramCredentials, 0, req));
        var describe = await c.RequestAsync(ApiKeys.DescribeUserScramCredentials, 0, KafkaWireClient.NewRequest(ApiKeys.DescribeUserScramCredentials));

        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, results["mallory"].Code);
        Assert.Empty(ScramCredentials.Of(cluster).ScramCredentials);
        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, describe.GetInt16("ErrorCode"));
    }
}
