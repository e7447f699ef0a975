using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.TestKit.Kafka;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Tab completion of group ids (ConsumerGroupIdCompleter = CompletionCache + GroupIdCompletion): asks
/// every broker with ListGroups (never the admin fan-out that aborts librdkafka while a broker
/// restarts), answers from the ids already seen while the cluster is slow, and still completes the
/// groups the live brokers know while one broker is down.
/// </summary>
public sealed class GroupIdCompletionTests
{
    private const string Key = "groups|completion-test";

    [Fact]
    public async Task Completion_asks_each_broker_answers_from_the_ids_seen_while_the_cluster_is_slow_and_works_with_a_broker_down()
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 });
        cluster.State.CreateTopic("done", 1, 1);
        cluster.State.CommitOffsets("done-a", "done", [1]);
        cluster.State.CommitOffsets("done-b", "done", [1]);
        using var factory = new KafkaClientFactory(new KafkaConnection("completion", KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings { BootstrapServers = cluster.BootstrapServers, RequestTimeout = TimeSpan.FromSeconds(30) }, null, null).Options));
        var cache = new CompletionCache(TimeSpan.Zero);
        IReadOnlyList<string> Tab() => cache.GetOrFetch(Key, token => GroupIdCompletion.FetchAsync(factory, token), GroupIdCompletion.Wait);

        Assert.Equal(["done-a", "done-b"], await EventuallyAsync(Tab, names => names.Count == 2));

        // One ListGroups (v0, with a DescribeGroups for the groups it named) per broker, as rd_kafka_list_groups
        // sends them; librdkafka's admin ListConsumerGroups would send ListGroups at its highest version instead.
        Assert.Equal([(short)0], cluster.RequestVersions(ApiKeys.ListGroups));
        Assert.True(cluster.RequestCount(ApiKeys.DescribeGroups) > 0);

        // Every request is held 8 s (four times the Tab's own wait): the Tab cannot learn about done-c, it answers with the ids it has.
        cluster.State.CommitOffsets("done-c", "done", [1]);
        cluster.Faults.AddLatency(TimeSpan.FromSeconds(8));
        Assert.Equal(["done-a", "done-b"], Tab());
        cluster.Faults.ClearLatency();

        // A broker down: it never answers, the live brokers (now coordinating every group) do.
        await cluster.StopBrokerAsync(2);
        Assert.Equal(["done-a", "done-b", "done-c"], await EventuallyAsync(Tab, names => names.Count == 3));
    }

    /// <summary>Tabs until <paramref name="done"/> holds (each Tab waits at most its own 2 s) or a minute passed; the last answer.</summary>
    private static async Task<IReadOnlyList<string>> EventuallyAsync(Func<IReadOnlyList<string>> tab, Func<IReadOnlyList<string>, bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        var names = tab();
        while (!done(names) && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            names = tab();
        }

        return names;
    }
}
