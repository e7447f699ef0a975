using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Groups read under an open <see cref="CommittedOffsetScope"/> carry their committed offsets to the offset service,
/// which then sends no OffsetFetch for them; once the scope is closed, the same objects are fetched again
/// (what Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset and a group kept in a variable do). Counted by TestKit
/// per client id after every call has returned.
/// </summary>
public sealed class CommittedOffsetReuseTests(GroupsFixture fx) : IClassFixture<GroupsFixture>
{
    private async Task<(string Prefix, string Topic, string[] Groups)> SeedAsync()
    {
        var topic = fx.Topic(2);
        await fx.SetLogAsync(topic, 0, 0, 100);
        await fx.SetLogAsync(topic, 1, 0, 50);
        var prefix = GroupsFixture.Unique("reuse");
        var groups = Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").ToArray();
        foreach (var group in groups)
        {
            fx.Cluster.State.CommitOffsets(group, topic, [40, 10]);
        }

        return (prefix, topic, groups);
    }

    private KafkaClientFactory Factory(string clientId) => new(new KafkaConnection("it", fx.Target.ConnectionOptions(clientId)));

    /// <summary>What Get-KafkaConsumerGroup reads for the groups of <paramref name="prefix"/>.</summary>
    private static Task<List<GroupResult<KafkaConsumerGroup>>> ReadAsync(KafkaClientFactory factory, string prefix, CommittedOffsetScope? scope) =>
        new ConsumerGroupReader(factory).ReadAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-*"], Scope = scope }).ToListAsync();

    /// <summary>What Get-KafkaConsumerGroupOffset makes of those groups piped in.</summary>
    private static async Task<List<KafkaConsumerGroupOffset>> OffsetsOfAsync(KafkaClientFactory factory, List<GroupResult<KafkaConsumerGroup>> read)
    {
        var service = new ConsumerGroupOffsetService(factory);
        foreach (var group in read)
        {
            service.Add(group.Value!);
        }

        return (await service.DrainAsync([]).ToListAsync()).SelectMany(r => r.Value!).ToList();
    }

    [Fact]
    public async Task Offsets_read_under_an_open_scope_are_not_fetched_again()
    {
        var (prefix, _, groups) = await SeedAsync();
        var clientId = GroupsFixture.Unique("reuse-open");
        using var factory = Factory(clientId);
        var scope = new CommittedOffsetScope();
        var read = await ReadAsync(factory, prefix, scope);
        Assert.All(read, r => Assert.True(r.IsSuccess));
        Assert.Equal(groups.Length, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, clientId));

        var rows = await OffsetsOfAsync(factory, read);
        Assert.Equal(groups.Length * 2, rows.Count);
        Assert.Equal(groups.Length * (60 + 40), rows.Sum(r => r.Lag));
        Assert.Equal(groups.Length, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, clientId));
    }

    [Fact]
    public async Task Offsets_read_under_a_closed_scope_are_fetched_again_and_show_what_changed()
    {
        var (prefix, topic, groups) = await SeedAsync();
        var clientId = GroupsFixture.Unique("reuse-closed");
        using var factory = Factory(clientId);
        var scope = new CommittedOffsetScope();
        var read = await ReadAsync(factory, prefix, scope);
        scope.Close();
        fx.Cluster.State.CommitOffsets(groups[0], topic, [100, 50]);

        var rows = await OffsetsOfAsync(factory, read);
        Assert.Equal(2 * groups.Length, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, clientId));
        Assert.All(rows.Where(r => r.GroupId == groups[0]), r => Assert.Equal(0, r.Lag));
        Assert.Equal((groups.Length - 1) * (60 + 40), rows.Sum(r => r.Lag));
    }

    [Fact]
    public async Task Groups_read_without_a_scope_carry_nothing_and_a_closed_scope_stays_closed()
    {
        var (prefix, _, groups) = await SeedAsync();
        var clientId = GroupsFixture.Unique("reuse-none");
        using var factory = Factory(clientId);
        await OffsetsOfAsync(factory, await ReadAsync(factory, prefix, scope: null));
        Assert.Equal(2 * groups.Length, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, clientId));

        var scope = new CommittedOffsetScope();
        Assert.True(scope.IsOpen);
        scope.Close();
        scope.Close();
        Assert.False(scope.IsOpen);
    }
}
