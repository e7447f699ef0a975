using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// The requests the lag path sends (counted by TestKit per client id): groups the listing shows Empty are
/// not described, and a caller that stops reading early ends the batches still running.
/// </summary>
public sealed class LagPathTests(GroupsFixture fx) : IClassFixture<GroupsFixture>
{
    [Fact]
    public async Task Offsets_of_groups_the_listing_shows_empty_are_read_without_describing_them()
    {
        var topic = fx.Topic(2);
        await fx.SetLogAsync(topic, 0, 0, 100);
        await fx.SetLogAsync(topic, 1, 0, 50);
        var prefix = GroupsFixture.Unique("lagpath");
        var idle = Enumerable.Range(0, 3).Select(i => $"{prefix}-idle-{i}").ToArray();
        foreach (var group in idle)
        {
            fx.Cluster.State.CommitOffsets(group, topic, [40, 10]);
        }

        var active = $"{prefix}-active";
        fx.Cluster.State.CommitOffsets(active, topic, [90, 45]);
        using var consumer = fx.JoinedConsumer(active, topic, 2, clientId: "lagpath-owner");
        // The listing itself asks each broker that lists groups for their states (ListGroups + DescribeGroups per broker).
        var listingClientId = GroupsFixture.Unique("lagpath-listing");
        using (var listingFactory = new KafkaClientFactory(new KafkaConnection("it", fx.Target.ConnectionOptions(listingClientId))))
        {
            await new ConsumerGroupService(listingFactory).ListGroupListingsAsync([], null, CancellationToken.None);
        }

        var listingDescribes = fx.Cluster.RequestCount(ApiKeys.DescribeGroups, listingClientId);
        var clientId = GroupsFixture.Unique("lagpath-client");
        using var factory = new KafkaClientFactory(new KafkaConnection("it", fx.Target.ConnectionOptions(clientId)));
        var service = new ConsumerGroupService(factory);

        var rows = await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-*"] }).ToListAsync();

        // Every group's rows, the active group's with its owner; beyond the listing, only the active group was described.
        Assert.Equal(8, rows.Count);
        Assert.All(rows.Where(r => r.GroupId == active), r => Assert.Equal("lagpath-owner", r.ClientId));
        Assert.All(rows.Where(r => r.GroupId != active), r => Assert.Null(r.MemberId));
        Assert.Equal(3 * (60 + 40) + 10 + 5, rows.Sum(r => r.Lag));
        Assert.Equal(listingDescribes + 1, fx.Cluster.RequestCount(ApiKeys.DescribeGroups, clientId));
        Assert.Equal(4, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, clientId));

        // Get-KafkaConsumerGroup describes only the group with members: the listing round described the Empty ones,
        // and the broker that listed a group is its coordinator.
        var beforeList = fx.Cluster.RequestCount(ApiKeys.DescribeGroups, clientId);
        var groups = await service.ListAsync(new ConsumerGroupQuery { GroupIds = [prefix + "-*"] }).ToListAsync();
        Assert.Equal(["Empty", "Empty", "Empty"], groups.Where(g => g.GroupId != active).Select(g => g.State));
        Assert.All(groups, g => Assert.True(g.Coordinator >= 0));
        Assert.Equal(beforeList + listingDescribes + 1, fx.Cluster.RequestCount(ApiKeys.DescribeGroups, clientId));
        Assert.All(groups, g => Assert.Equal(fx.Cluster.State.CoordinatorFor(g.GroupId), g.Coordinator));

        // A plain id is described (that is how a missing group is told apart from an idle one).
        var before = fx.Cluster.RequestCount(ApiKeys.DescribeGroups, clientId);
        var recorder = new Recorder();
        var missing = prefix + "-missing";
        var single = await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [idle[0], missing] }, recorder.OnError).ToListAsync();
        Assert.Equal(2, single.Count);
        Assert.Equal("ConsumerGroupNotFound", Assert.Single(recorder.Errors).ErrorId);
        Assert.True(fx.Cluster.RequestCount(ApiKeys.DescribeGroups, clientId) > before);
        consumer.Close();
    }

    [Fact]
    public async Task Stopping_early_ends_the_batches_still_running()
    {
        var topic = fx.Topic(1);
        await fx.SetLogAsync(topic, 0, 0, 10);
        var prefix = GroupsFixture.Unique("early");
        for (var g = 0; g < 150; g++)
        {
            fx.Cluster.State.CommitOffsets($"{prefix}-{g:D3}", topic, 0, g % 10);
        }

        // One client stops early; another reads everything. Each client's requests are counted apart,
        // so requests of the stopped reader that were already in flight, and land late, are never in
        // the full reader's count.
        var earlyClient = GroupsFixture.Unique("early-client");
        var fullClient = GroupsFixture.Unique("full-client");
        var query = new ConsumerGroupQuery { GroupIds = [prefix + "-*"], BatchSize = 10, MaxConcurrency = 2 };
        using (var early = new KafkaClientFactory(new KafkaConnection("it", fx.Target.ConnectionOptions(earlyClient))))
        {
            await foreach (var row in new ConsumerGroupService(early).GetOffsetsAsync(query))
            {
                Assert.Equal($"{prefix}-000", row.GroupId);
                break;
            }

            // The first batch was read in full before its first row came out.
            Assert.True(fx.Cluster.RequestCount(ApiKeys.OffsetFetch, earlyClient) >= 10);
        }

        using var full = new KafkaClientFactory(new KafkaConnection("it", fx.Target.ConnectionOptions(fullClient)));
        var all = await new ConsumerGroupService(full).GetOffsetsAsync(query).ToListAsync();
        Assert.Equal(150, all.Count);
        Assert.Equal(Enumerable.Range(0, 150).Select(g => $"{prefix}-{g:D3}"), all.Select(r => r.GroupId));
        Assert.Equal(150, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, fullClient));

        // Guaranteed whenever it is read: the early reader never started more than the batch written
        // out and the two read ahead (BatchesInFlight), 10 groups each, one OffsetFetch per group;
        // nothing started after its loop ended, whatever was still in flight then.
        Assert.InRange(fx.Cluster.RequestCount(ApiKeys.OffsetFetch, earlyClient), 10, 30);
    }
}
