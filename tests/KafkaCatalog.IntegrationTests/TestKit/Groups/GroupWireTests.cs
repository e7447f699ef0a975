using System.Buffers.Binary;
using System.Text;
using KafkaCatalog.IntegrationTests.TestKit;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Groups;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Security;

namespace KafkaCatalog.IntegrationTests.TestKit.Groups;

/// <summary>Group and SASL APIs at exact wire versions (KafkaWireClient), for paths the real clients do not take.</summary>
public sealed class GroupWireTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    private KafkaTestCluster Cluster => fx.Cluster;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private Task<KafkaWireClient> ConnectAsync(int brokerId)
    {
        var b = Cluster.Brokers.Single(x => x.Id == brokerId);
        return KafkaWireClient.ConnectAsync(b.Host, b.Port);
    }

    private static Message JoinRequest(string group, string memberId)
    {
        var j = KafkaWireClient.NewRequest(ApiKeys.JoinGroup);
        j.Set("GroupId", group);
        j.Set("SessionTimeoutMs", 10000);
        j.Set("RebalanceTimeoutMs", 10000);
        j.Set("MemberId", memberId);
        j.Set("ProtocolType", "consumer");
        var p = j.AddElement("Protocols");
        p.Set("Name", "range");
        p.Set("Metadata", ConsumerProtocol.Subscription(new[] { "orders" }));
        return j;
    }

    [Fact]
    public async Task FindCoordinator_v0_and_batched_v4()
    {
        var g1 = Unique("a");
        var g2 = Unique("b");
        await using var c = await ConnectAsync(1);
        var v0 = KafkaWireClient.NewRequest(ApiKeys.FindCoordinator);
        v0.Set("Key", g1);
        var r0 = await c.RequestAsync(ApiKeys.FindCoordinator, 0, v0);
        Assert.Equal(0, r0.GetInt16("ErrorCode"));
        Assert.Equal(Cluster.State.CoordinatorFor(g1), r0.GetInt32("NodeId"));
        Assert.Equal(Cluster.Brokers.Single(b => b.Id == r0.GetInt32("NodeId")).Port, r0.GetInt32("Port"));

        var v4 = KafkaWireClient.NewRequest(ApiKeys.FindCoordinator);
        v4.Set("KeyType", (sbyte)0);
        v4.Set("CoordinatorKeys", new List<string> { g1, g2 });
        var r4 = await c.RequestAsync(ApiKeys.FindCoordinator, 4, v4);
        var coords = r4.GetArray("Coordinators")!;
        Assert.Equal(new[] { g1, g2 }, coords.Select(x => x.GetString("Key")));
        Assert.Equal(new[] { Cluster.State.CoordinatorFor(g1), Cluster.State.CoordinatorFor(g2) }, coords.Select(x => x.GetInt32("NodeId")));

        var txn = KafkaWireClient.NewRequest(ApiKeys.FindCoordinator);
        txn.Set("Key", "tx-1");
        txn.Set("KeyType", (sbyte)1);
        Assert.Equal(ErrorCode.CoordinatorNotAvailable, (await c.RequestAsync(ApiKeys.FindCoordinator, 1, txn)).GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task JoinGroup_v4_RequiresMemberId_And_WrongBrokerIsNotCoordinator()
    {
        var group = Unique("join");
        int coordinator = Cluster.State.CoordinatorFor(group);
        int other = Cluster.Brokers.First(b => b.Id != coordinator).Id;

        await using (var wrong = await ConnectAsync(other))
        {
            var r = await wrong.RequestAsync(ApiKeys.JoinGroup, 4, JoinRequest(group, ""));
            Assert.Equal(ErrorCode.NotCoordinator, r.GetInt16("ErrorCode"));
            var hb = KafkaWireClient.NewRequest(ApiKeys.Heartbeat);
            hb.Set("GroupId", group);
            hb.Set("MemberId", "m");
            hb.Set("GenerationId", 1);
            Assert.Equal(ErrorCode.NotCoordinator, (await wrong.RequestAsync(ApiKeys.Heartbeat, 1, hb)).GetInt16("ErrorCode"));
        }

        await using var c = await ConnectAsync(coordinator);
        var first = await c.RequestAsync(ApiKeys.JoinGroup, 4, JoinRequest(group, ""));
        Assert.Equal((short)79, first.GetInt16("ErrorCode")); // MEMBER_ID_REQUIRED
        var memberId = first.GetString("MemberId")!;
        Assert.StartsWith("testkit-wire-", memberId);

        var second = await c.RequestAsync(ApiKeys.JoinGroup, 4, JoinRequest(group, memberId));
        Assert.Equal(0, second.GetInt16("ErrorCode"));
        Assert.Equal(1, second.GetInt32("GenerationId"));
        Assert.Equal(memberId, second.GetString("Leader"));
        Assert.Single(second.GetArray("Members")!);

        // v2 (kafka-python) joins without the MEMBER_ID_REQUIRED round trip.
        var g2 = Unique("join2");
        await using var c2 = await ConnectAsync(Cluster.State.CoordinatorFor(g2));
        Assert.Equal(0, (await c2.RequestAsync(ApiKeys.JoinGroup, 2, JoinRequest(g2, ""))).GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task OffsetCommit_v8_Simple_Then_OffsetFetch_v8_Groups_And_v1()
    {
        var topic = Unique("t");
        Cluster.State.CreateTopic(topic, 2, 1);
        var group = Unique("oc");
        await using var c = await ConnectAsync(Cluster.State.CoordinatorFor(group));

        var commit = KafkaWireClient.NewRequest(ApiKeys.OffsetCommit);
        commit.Set("GroupId", group);
        commit.Set("GenerationIdOrMemberEpoch", -1);
        commit.Set("MemberId", "");
        var t = commit.AddElement("Topics");
        t.Set("Name", topic);
        var p = t.AddElement("Partitions");
        p.Set("PartitionIndex", 1);
        p.Set("CommittedOffset", 77L);
        p.Set("CommittedMetadata", "meta");
        var bad = t.AddElement("Partitions");
        bad.Set("PartitionIndex", 9);
        bad.Set("CommittedOffset", 1L);
        var cr = await c.RequestAsync(ApiKeys.OffsetCommit, 8, commit);
        var errors = cr.GetArray("Topics")![0].GetArray("Partitions")!.Select(x => x.GetInt16("ErrorCode")).ToArray();
        Assert.Equal(new short[] { 0, ErrorCode.UnknownTopicOrPartition }, errors);

        var fetch8 = KafkaWireClient.NewRequest(ApiKeys.OffsetFetch);
        var g = fetch8.AddElement("Groups");
        g.Set("GroupId", group);
        g.Set("Topics", null);
        var fr = await c.RequestAsync(ApiKeys.OffsetFetch, 8, fetch8);
        var rg = Assert.Single(fr.GetArray("Groups")!);
        Assert.Equal(0, rg.GetInt16("ErrorCode"));
        var rp = Assert.Single(Assert.Single(rg.GetArray("Topics")!).GetArray("Partitions")!);
        Assert.Equal(1, rp.GetInt32("PartitionIndex"));
        Assert.Equal(77, rp.GetInt64("CommittedOffset"));
        Assert.Equal("meta", rp.GetString("Metadata"));

        var fetch1 = KafkaWireClient.NewRequest(ApiKeys.OffsetFetch);
        fetch1.Set("GroupId", Unique("nogroup"));
        var ft = fetch1.AddElement("Topics");
        ft.Set("Name", topic);
        ft.Set("PartitionIndexes", new List<int> { 0 });
        // the unknown group may live on another broker: send it there
        await using var c2 = await ConnectAsync(Cluster.State.CoordinatorFor(fetch1.GetString("GroupId")!));
        var f1 = await c2.RequestAsync(ApiKeys.OffsetFetch, 1, fetch1);
        Assert.Equal(-1, f1.GetArray("Topics")![0].GetArray("Partitions")![0].GetInt64("CommittedOffset"));
    }

    [Fact]
    public async Task ListGroups_v5_Filters_And_DescribeGroups_v5()
    {
        var topic = Unique("t");
        Cluster.State.CreateTopic(topic, 1, 1);
        var group = Unique("lg");
        Cluster.State.CommitOffsets(group, topic, 0, 3);
        await using var c = await ConnectAsync(Cluster.State.CoordinatorFor(group));

        async Task<List<string>> List(List<string> states, List<string> types)
        {
            var req = KafkaWireClient.NewRequest(ApiKeys.ListGroups);
            req.Set("StatesFilter", states);
            req.Set("TypesFilter", types);
            var r = await c.RequestAsync(ApiKeys.ListGroups, 5, req);
            return r.GetArray("Groups")!.Select(x => x.GetString("GroupId")! + "/" + x.GetString("GroupState") + "/" + x.GetString("GroupType")).ToList();
        }

        Assert.Contains($"{group}/Empty/classic", await List(new List<string>(), new List<string>()));
        Assert.Contains($"{group}/Empty/classic", await List(new List<string> { "Empty" }, new List<string> { "classic" }));
        Assert.DoesNotContain($"{group}/Empty/classic", await List(new List<string> { "Stable" }, new List<string>()));
        Assert.Empty(await List(new List<string>(), new List<string> { "consumer" }));

        var d = KafkaWireClient.NewRequest(ApiKeys.DescribeGroups);
        d.Set("Groups", new List<string> { group });
        d.Set("IncludeAuthorizedOperations", true);
        var dr = Assert.Single((await c.RequestAsync(ApiKeys.DescribeGroups, 5, d)).GetArray("Groups")!);
        Assert.Equal("Empty", dr.GetString("GroupState"));
        Assert.Equal(0, dr.GetInt16("ErrorCode"));
    }

    [Fact]
    public async Task Sasl_OnPlaintextListener_IsIllegalSaslState()
    {
        await using var c = await ConnectAsync(1);
        var h = KafkaWireClient.NewRequest(ApiKeys.SaslHandshake);
        h.Set("Mechanism", "PLAIN");
        Assert.Equal(ErrorCode.IllegalSaslState, (await c.RequestAsync(ApiKeys.SaslHandshake, 1, h)).GetInt16("ErrorCode"));
    }
}

/// <summary>Coordinator failover: when the coordinator broker stops, its offsets partition elects a new leader.</summary>
public sealed class CoordinatorFailoverTests
{
    [Fact]
    public async Task StoppingTheCoordinator_MovesTheGroup_AndKeepsCommittedOffsets()
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        cluster.State.CreateTopic("orders", 1, 1);
        const string group = "failover-group";
        cluster.State.CommitOffsets(group, "orders", 0, 12);
        int before = cluster.State.CoordinatorFor(group);
        await cluster.StopBrokerAsync(before);
        int after = cluster.State.CoordinatorFor(group);
        Assert.True(after > 0 && after != before, $"coordinator {before} -> {after}");

        var alive = cluster.Brokers.First(b => b.Id != before);
        await using var c = await KafkaWireClient.ConnectAsync(alive.Host, alive.Port);
        var fc = KafkaWireClient.NewRequest(ApiKeys.FindCoordinator);
        fc.Set("Key", group);
        var r = await c.RequestAsync(ApiKeys.FindCoordinator, 0, fc);
        Assert.Equal(after, r.GetInt32("NodeId"));
        Assert.Equal(12, cluster.State.GetCommittedOffset(group, "orders", 0));

        // __consumer_offsets has rf 3 on 3 brokers: with the others stopped, the last broker coordinates every group.
        foreach (var b in cluster.Brokers.Where(b => b.Id != alive.Id && b.IsAlive).ToList())
        {
            await cluster.StopBrokerAsync(b.Id);
        }

        Assert.Equal(alive.Id, cluster.State.CoordinatorFor(group));
        Assert.Equal(alive.Id, (await c.RequestAsync(ApiKeys.FindCoordinator, 0, fc)).GetInt32("NodeId"));
    }
}

/// <summary>SASL framing at the wire level: gating, v0 raw frames, v1/v2 SaslAuthenticate, failure closes.</summary>
public sealed class SaslWireTests
{
    private static async Task<(KafkaTestCluster Cluster, KafkaSecurityAuthenticator Auth)> StartAsync()
    {
        var security = new KafkaSecurityOptions { Protocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol.SaslPlaintext, SessionLifetimeMs = 3_600_000 };
        security.AddUser("alice", "alice-secret");
        var o = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        var auth = o.UseSecurity(security);
        return (await KafkaTestCluster.StartAsync(o), auth);
    }

    private static Message Handshake(string mechanism)
    {
        var h = KafkaWireClient.NewRequest(ApiKeys.SaslHandshake);
        h.Set("Mechanism", mechanism);
        return h;
    }

    private static Message Authenticate(string token)
    {
        var a = KafkaWireClient.NewRequest(ApiKeys.SaslAuthenticate);
        a.Set("AuthBytes", Encoding.UTF8.GetBytes(token));
        return a;
    }

    [Fact]
    public async Task RequestBeforeAuthentication_ClosesTheConnection()
    {
        var (cluster, _) = await StartAsync();
        await using var _c = cluster;
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        await c.SendAsync(ApiKeys.Metadata, 1, KafkaWireClient.NewRequest(ApiKeys.Metadata));
        Assert.Null(await c.ReadFrameAsync());
        Assert.Equal(0, cluster.RequestCount(ApiKeys.Metadata));
    }

    [Theory]
    [InlineData((short)1)]
    [InlineData((short)2)]
    public async Task Handshake_v1_Then_SaslAuthenticate(short authVersion)
    {
        var (cluster, auth) = await StartAsync();
        await using var _c = cluster;
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        var h = await c.RequestAsync(ApiKeys.SaslHandshake, 1, Handshake("PLAIN"));
        Assert.Equal(0, h.GetInt16("ErrorCode"));
        Assert.Equal(new[] { "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER" }, h.GetList<string>("Mechanisms"));
        var r = await c.RequestAsync(ApiKeys.SaslAuthenticate, authVersion, Authenticate("\0alice\0alice-secret"));
        Assert.Equal(0, r.GetInt16("ErrorCode"));
        Assert.Equal(3_600_000, r.GetInt64("SessionLifetimeMs"));
        var md = await c.RequestAsync(ApiKeys.Metadata, 1, KafkaWireClient.NewRequest(ApiKeys.Metadata));
        Assert.Single(md.GetArray("Brokers")!);
        Assert.Equal(new[] { "User:alice" }, auth.AuthenticatedPrincipals);
    }

    [Fact]
    public async Task FailedSaslAuthenticate_Returns58_ThenTheConnectionCloses()
    {
        var (cluster, auth) = await StartAsync();
        await using var _c = cluster;
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        Assert.Equal(ErrorCode.UnsupportedSaslMechanism, (await c.RequestAsync(ApiKeys.SaslHandshake, 1, Handshake("GSSAPI"))).GetInt16("ErrorCode"));
        await c.RequestAsync(ApiKeys.SaslHandshake, 1, Handshake("PLAIN"));
        var r = await c.RequestAsync(ApiKeys.SaslAuthenticate, 0, Authenticate("\0alice\0nope"));
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, r.GetInt16("ErrorCode"));
        Assert.Equal("Authentication failed: Invalid username or password", r.GetString("ErrorMessage"));
        await c.SendAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));
        Assert.Null(await c.ReadFrameAsync());
        Assert.Equal(1, auth.FailedAuthentications);
    }

    [Fact]
    public async Task Handshake_v0_RawFrames_LikeKafkaPython()
    {
        var (cluster, _) = await StartAsync();
        await using var _c = cluster;
        await using var c = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        Assert.Equal(0, (await c.RequestAsync(ApiKeys.SaslHandshake, 0, Handshake("PLAIN"))).GetInt16("ErrorCode"));
        var token = Encoding.UTF8.GetBytes("alice\0alice\0alice-secret");
        var frame = new byte[4 + token.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, token.Length);
        token.CopyTo(frame, 4);
        await c.Stream.WriteAsync(frame);
        var reply = await c.ReadFrameAsync();
        Assert.NotNull(reply);
        Assert.Empty(reply!); // the 4 zero bytes kafka-python checks for
        var md = await c.RequestAsync(ApiKeys.Metadata, 0, KafkaWireClient.NewRequest(ApiKeys.Metadata));
        Assert.Single(md.GetArray("Brokers")!);
    }
}
