using System.Text;
using KafkaCatalog.TestKit.Kafka.Groups;

namespace KafkaCatalog.IntegrationTests.TestKit.Groups;

public class GroupCoordinatorTests
{
    private readonly ManualTimeProvider _clock = new();

    private GroupCoordinator Coordinator(GroupCoordinatorOptions? o = null) =>
        new(_clock, o, (topic, partition) => topic != "missing" && partition < 4);

    private static JoinGroupArgs Join(string memberId = "", string group = "g", bool requireId = false, string[]? protocols = null, string[]? topics = null) =>
        new(group, 10_000, 30_000, memberId, null, "consumer",
            (protocols ?? new[] { "range", "roundrobin" }).Select(p => new GroupProtocol(p, ConsumerProtocol.Subscription(topics ?? new[] { "orders" }))).ToList(),
            "client-1", "/127.0.0.1", requireId);

    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 97)]
    [InlineData("hello", 99162322)]
    [InlineData("polygenelubricants", int.MinValue)]
    public void JavaHashCode_MatchesJava(string s, int expected) => Assert.Equal(expected, CoordinatorLocator.JavaHashCode(s));

    [Fact]
    public void PartitionFor_UsesKafkaAbs()
    {
        Assert.Equal(0, CoordinatorLocator.PartitionFor("polygenelubricants"));
        Assert.Equal(99162322 % 50, CoordinatorLocator.PartitionFor("hello"));
        Assert.Equal(Math.Abs("group-α".Aggregate(0, (h, c) => unchecked(31 * h + c))) % 50, CoordinatorLocator.PartitionFor("group-α"));
    }

    [Fact]
    public async Task SingleMember_JoinSyncHeartbeatLeave()
    {
        var c = Coordinator();
        var j = await c.JoinAsync(Join());
        Assert.Equal(0, j.ErrorCode);
        Assert.Equal(1, j.GenerationId);
        Assert.Equal("range", j.ProtocolName);
        Assert.Equal(j.MemberId, j.LeaderId);
        Assert.Single(j.Members);
        Assert.Equal(GroupState.CompletingRebalance, c.GetState("g"));

        var sync = await c.SyncAsync(new SyncGroupArgs("g", 1, j.MemberId, null, "consumer", "range",
            new Dictionary<string, byte[]> { [j.MemberId] = "A"u8.ToArray() }));
        Assert.Equal(0, sync.ErrorCode);
        Assert.Equal("A", Encoding.ASCII.GetString(sync.Assignment));
        Assert.Equal(GroupState.Stable, c.GetState("g"));

        Assert.Equal(GroupErrors.None, c.Heartbeat("g", j.MemberId, 1));
        Assert.Equal(GroupErrors.IllegalGeneration, c.Heartbeat("g", j.MemberId, 0));
        Assert.Equal(GroupErrors.UnknownMemberId, c.Heartbeat("g", "nobody", 1));
        Assert.Equal(GroupErrors.UnknownMemberId, c.Heartbeat("other", j.MemberId, 1));

        var leave = c.Leave("g", new[] { new LeaveMember(j.MemberId, null) });
        Assert.Equal(0, leave.ErrorCode);
        Assert.Equal(GroupState.Empty, c.GetState("g"));
        Assert.Equal(2, c.GetGenerationId("g"));
    }

    [Fact]
    public async Task MemberIdRequired_OnFirstJoinForV4()
    {
        var c = Coordinator();
        var first = await c.JoinAsync(Join(requireId: true));
        Assert.Equal(GroupErrors.MemberIdRequired, first.ErrorCode);
        Assert.StartsWith("client-1-", first.MemberId);
        var second = await c.JoinAsync(Join(first.MemberId, requireId: true));
        Assert.Equal(0, second.ErrorCode);
        Assert.Equal(first.MemberId, second.MemberId);
        Assert.Equal(GroupErrors.UnknownMemberId, (await c.JoinAsync(Join("made-up"))).ErrorCode);
    }

    [Fact]
    public async Task SecondMember_TriggersRebalance_AndLeaderAssigns()
    {
        var c = Coordinator();
        var a = await c.JoinAsync(Join());
        await c.SyncAsync(new SyncGroupArgs("g", a.GenerationId, a.MemberId, null, null, null, new Dictionary<string, byte[]> { [a.MemberId] = "all"u8.ToArray() }));

        var bJoin = c.JoinAsync(Join());
        Assert.False(bJoin.IsCompleted);
        Assert.Equal(GroupState.PreparingRebalance, c.GetState("g"));
        Assert.Equal(GroupErrors.RebalanceInProgress, c.Heartbeat("g", a.MemberId, a.GenerationId));

        var aRejoin = await c.JoinAsync(Join(a.MemberId));
        var b = await bJoin;
        Assert.Equal(2, aRejoin.GenerationId);
        Assert.Equal(2, b.GenerationId);
        Assert.Equal(a.MemberId, aRejoin.LeaderId);
        Assert.Equal(2, aRejoin.Members.Count);
        Assert.Empty(b.Members);

        var bSync = c.SyncAsync(new SyncGroupArgs("g", 2, b.MemberId, null, null, null, new Dictionary<string, byte[]>()));
        Assert.False(bSync.IsCompleted);
        var aSync = await c.SyncAsync(new SyncGroupArgs("g", 2, a.MemberId, null, null, null,
            new Dictionary<string, byte[]> { [a.MemberId] = "p0"u8.ToArray(), [b.MemberId] = "p1"u8.ToArray() }));
        Assert.Equal("p0", Encoding.ASCII.GetString(aSync.Assignment));
        Assert.Equal("p1", Encoding.ASCII.GetString((await bSync).Assignment));
        Assert.Equal(GroupState.Stable, c.GetState("g"));

        var d = c.DescribeGroup("g");
        Assert.Equal("Stable", d.StateName);
        Assert.Equal("range", d.Protocol);
        Assert.Equal(2, d.Members.Count);
        Assert.Equal("p1", Encoding.ASCII.GetString(d.Members[1].Assignment));
    }

    [Fact]
    public async Task SessionTimeout_RemovesSilentMember_AndRebalances()
    {
        var c = Coordinator();
        var a = await c.JoinAsync(Join());
        await c.SyncAsync(new SyncGroupArgs("g", 1, a.MemberId, null, null, null, new Dictionary<string, byte[]>()));
        _clock.Advance(TimeSpan.FromSeconds(9));
        c.Tick();
        Assert.Equal(GroupState.Stable, c.GetState("g"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        c.Tick();
        Assert.Equal(GroupState.Empty, c.GetState("g"));
        Assert.Empty(c.GetMemberIds("g"));
    }

    [Fact]
    public async Task RebalanceTimeout_DropsMembersThatDidNotRejoin()
    {
        var c = Coordinator();
        var a = await c.JoinAsync(Join());
        await c.SyncAsync(new SyncGroupArgs("g", 1, a.MemberId, null, null, null, new Dictionary<string, byte[]>()));
        var bJoin = c.JoinAsync(Join());
        // a keeps heartbeating but never rejoins.
        for (int i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(3));
            Assert.Equal(GroupErrors.RebalanceInProgress, c.Heartbeat("g", a.MemberId, 1));
            c.Tick();
        }
        var b = await bJoin;
        Assert.Equal(0, b.ErrorCode);
        Assert.Equal(b.MemberId, b.LeaderId);
        Assert.Equal(new[] { b.MemberId }, c.GetMemberIds("g"));
        Assert.Equal(GroupErrors.UnknownMemberId, c.Heartbeat("g", a.MemberId, 1));
    }

    [Fact]
    public async Task InitialRebalanceDelay_WaitsForMoreMembers()
    {
        var c = Coordinator(new GroupCoordinatorOptions { InitialRebalanceDelay = TimeSpan.FromSeconds(3) });
        var aJoin = c.JoinAsync(Join());
        var bJoin = c.JoinAsync(Join());
        Assert.False(aJoin.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(3));
        c.Tick();
        Assert.Equal(1, (await aJoin).GenerationId);
        Assert.Equal(1, (await bJoin).GenerationId);
        Assert.Equal(2, (await aJoin).Members.Count);
    }

    [Fact]
    public async Task ProtocolSelection_And_InconsistentProtocol()
    {
        var c = Coordinator();
        var aJoin = c.JoinAsync(Join(protocols: new[] { "roundrobin", "range" }));
        var a = await aJoin;
        Assert.Equal("roundrobin", a.ProtocolName);
        Assert.Equal(GroupErrors.InconsistentGroupProtocol, (await c.JoinAsync(Join(protocols: new[] { "sticky" }))).ErrorCode);
    }

    [Fact]
    public async Task SyncErrors()
    {
        var c = Coordinator();
        var a = await c.JoinAsync(Join());
        Assert.Equal(GroupErrors.IllegalGeneration, (await c.SyncAsync(new SyncGroupArgs("g", 9, a.MemberId, null, null, null, new Dictionary<string, byte[]>()))).ErrorCode);
        Assert.Equal(GroupErrors.UnknownMemberId, (await c.SyncAsync(new SyncGroupArgs("g", 1, "x", null, null, null, new Dictionary<string, byte[]>()))).ErrorCode);
        Assert.Equal(GroupErrors.InconsistentGroupProtocol, (await c.SyncAsync(new SyncGroupArgs("g", 1, a.MemberId, null, "consumer", "sticky", new Dictionary<string, byte[]>()))).ErrorCode);
    }

    [Fact]
    public async Task Offsets_CommitFetchSimpleCommitAndErrors()
    {
        var c = Coordinator();
        // simple (admin) commit creates an Empty group with offsets
        var (err, parts) = c.CommitOffsets("seeded", -1, "", new[]
        {
            new OffsetCommitEntry("orders", 0, 10, Metadata: "m"),
            new OffsetCommitEntry("orders", 1, 20),
            new OffsetCommitEntry("missing", 0, 1),
        });
        Assert.Equal(0, err);
        Assert.Equal(new short[] { 0, 0, GroupErrors.UnknownTopicOrPartition }, parts.Select(p => p.ErrorCode));
        Assert.Equal(GroupState.Empty, c.GetState("seeded"));
        var all = c.FetchOffsets("seeded", null);
        Assert.Equal(new long[] { 10, 20 }, all.Partitions.Select(p => p.Offset));
        Assert.Equal("m", all.Partitions[0].Metadata);
        var some = c.FetchOffsets("seeded", new[] { ("orders", 1), ("orders", 3) });
        Assert.Equal(new long[] { 20, -1 }, some.Partitions.Select(p => p.Offset));
        Assert.Equal(new long[] { -1 }, c.FetchOffsets("nope", new[] { ("orders", 0) }).Partitions.Select(p => p.Offset));

        var tooLarge = c.CommitOffsets("seeded", -1, "", new[] { new OffsetCommitEntry("orders", 0, 1, Metadata: new string('x', 5000)) });
        Assert.Equal(GroupErrors.OffsetMetadataTooLarge, tooLarge.Partitions[0].ErrorCode);

        var a = await c.JoinAsync(Join(group: "live"));
        Assert.Equal(GroupErrors.RebalanceInProgress, c.CommitOffsets("live", 1, a.MemberId, new[] { new OffsetCommitEntry("orders", 0, 1) }).ErrorCode);
        await c.SyncAsync(new SyncGroupArgs("live", 1, a.MemberId, null, null, null, new Dictionary<string, byte[]>()));
        Assert.Equal(0, c.CommitOffsets("live", 1, a.MemberId, new[] { new OffsetCommitEntry("orders", 0, 5) }).ErrorCode);
        Assert.Equal(GroupErrors.IllegalGeneration, c.CommitOffsets("live", 7, a.MemberId, new[] { new OffsetCommitEntry("orders", 0, 5) }).ErrorCode);
        Assert.Equal(GroupErrors.UnknownMemberId, c.CommitOffsets("live", 1, "x", new[] { new OffsetCommitEntry("orders", 0, 5) }).ErrorCode);
        Assert.Equal(GroupErrors.UnknownMemberId, c.CommitOffsets("live", -1, "", new[] { new OffsetCommitEntry("orders", 0, 5) }).ErrorCode);
        Assert.Equal(GroupErrors.IllegalGeneration, c.CommitOffsets("ghost", 3, "m", new[] { new OffsetCommitEntry("orders", 0, 5) }).ErrorCode);
        Assert.Null(c.GetState("ghost"));
    }

    [Fact]
    public async Task DeleteGroups_And_OffsetDelete()
    {
        var c = Coordinator();
        Assert.Equal(GroupErrors.GroupIdNotFound, c.DeleteGroup("nope"));
        var a = await c.JoinAsync(Join(group: "live", topics: new[] { "orders" }));
        await c.SyncAsync(new SyncGroupArgs("live", 1, a.MemberId, null, null, null, new Dictionary<string, byte[]>()));
        c.CommitOffsets("live", 1, a.MemberId, new[] { new OffsetCommitEntry("orders", 0, 5), new OffsetCommitEntry("payments", 0, 7) });
        Assert.Equal(GroupErrors.NonEmptyGroup, c.DeleteGroup("live"));

        var (err, parts) = c.DeleteOffsets("live", new[] { ("orders", 0), ("payments", 0) });
        Assert.Equal(0, err);
        Assert.Equal(new short[] { GroupErrors.GroupSubscribedToTopic, 0 }, parts.Select(p => p.ErrorCode));
        Assert.Equal(new long[] { 5 }, c.FetchOffsets("live", null).Partitions.Select(p => p.Offset));
        Assert.Equal(GroupErrors.GroupIdNotFound, c.DeleteOffsets("nope", new[] { ("orders", 0) }).ErrorCode);

        c.Leave("live", new[] { new LeaveMember(a.MemberId, null) });
        Assert.Equal(0, c.DeleteOffsets("live", new[] { ("orders", 0) }).Partitions[0].ErrorCode);
        Assert.Equal(0, c.DeleteGroup("live"));
        Assert.Null(c.GetState("live"));
        Assert.Equal(GroupState.Dead, c.DescribeGroup("live").State);
    }

    [Fact]
    public async Task ListGroups_WithStatesFilter()
    {
        var c = Coordinator();
        c.CommitOffsets("empty-one", -1, "", new[] { new OffsetCommitEntry("orders", 0, 1) });
        var a = await c.JoinAsync(Join(group: "stable-one"));
        await c.SyncAsync(new SyncGroupArgs("stable-one", 1, a.MemberId, null, null, null, new Dictionary<string, byte[]>()));
        Assert.Equal(new[] { "empty-one", "stable-one" }, c.ListGroups().Select(g => g.GroupId));
        Assert.Equal(new[] { "stable-one" }, c.ListGroups(new[] { "Stable" }).Select(g => g.GroupId));
        Assert.Equal("consumer", c.ListGroups(new[] { "stable" })[0].ProtocolType);
        Assert.Equal("", c.ListGroups(new[] { "Empty" })[0].ProtocolType);
    }

    [Fact]
    public async Task LeaveBatch_ReportsUnknownMembersPerMember()
    {
        var c = Coordinator();
        var a = await c.JoinAsync(Join());
        var r = c.Leave("g", new[] { new LeaveMember(a.MemberId, null), new LeaveMember("ghost", null) });
        Assert.Equal(0, r.ErrorCode);
        Assert.Equal(new short[] { 0, GroupErrors.UnknownMemberId }, r.Members.Select(m => m.ErrorCode));
        Assert.Equal(GroupErrors.UnknownMemberId, c.Leave("zzz", new[] { new LeaveMember("x", null) }).ErrorCode);
    }
}
