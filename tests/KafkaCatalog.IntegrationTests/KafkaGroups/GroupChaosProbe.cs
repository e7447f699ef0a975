using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Resilience;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Broker outages in the middle of consumer-group calls, round after round, in one process
/// (<c>probe chaos &lt;rounds&gt; &lt;path&gt;</c>): each round starts one call through the product's Core
/// path, stops a broker (or drops every connection) while it runs, starts the broker again and
/// waits for the call. An abort inside librdkafka ends the process; otherwise every round prints
/// <c>PROBE round=N|path|outcome</c>, where the outcome is <c>ok:&lt;objects&gt;</c>,
/// <c>error:&lt;ErrorId&gt;</c>, <c>unexpected:&lt;exception type&gt;</c> (not a specific error: a defect) or
/// <c>hang</c> (no end within the watchdog: a defect).
/// </summary>
/// <remarks>
/// Paths: listings (ListConsumerGroups), list (Get-KafkaConsumerGroup with a wildcard), describe
/// (plain ids), offsets, lag, reset, remove, delete-offsets, completion (group id completion),
/// catalog (the group inventory of catalog sync), all (each of them in turn), and raw-list /
/// raw-describe / raw-offsets (librdkafka's admin calls as they come, without the product's guards).
/// </remarks>
internal static class GroupChaosProbe
{
    public static readonly string[] ProductPaths = ["listings", "list", "describe", "offsets", "offsets-ids", "lag", "reset", "remove", "delete-offsets", "completion", "catalog"];

    private const int GroupCount = 24;

    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(int rounds, string path)
    {
        var seed = Environment.GetEnvironmentVariable("KAFKACATALOG_CHAOS_SEED") is { Length: > 0 } s
            ? int.Parse(s, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        AdminAbortProbe.Report("seed", seed);
        var random = new Random(seed);
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 });
        cluster.State.CreateTopic("chaos-a", 6, 1);
        cluster.State.CreateTopic("chaos-b", 3, 1);
        for (var g = 0; g < GroupCount; g++)
        {
            cluster.State.CommitOffsets(GroupId(g), "chaos-a", [1, 2, 3, 4, 5, 6]);
            cluster.State.CommitOffsets(GroupId(g), "chaos-b", [7, 8, 9]);
        }

        var factory = NewFactory(cluster);
        _ = factory.AdminClient;
        AdminAbortProbe.Report("native-group-list", BrokerGroupList.UsesNativeCall);
        var completions = new CompletionCache(TimeSpan.Zero);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                if (round > 0 && round % 7 == 0)
                {
                    // A new session (or a one-off -BootstrapServer command): a new client, the old one disposed.
                    factory.Dispose();
                    factory = NewFactory(cluster);
                }

                var current = path == "all" ? ProductPaths[round % ProductPaths.Length] : path;
                Prepare(cluster, current, round);
                // Per-request latency keeps the call running when the outage starts.
                cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(random.Next(10, 60)));

                var victim = 1 + random.Next(3);
                var dropOnly = random.Next(4) == 0;
                var call = Task.Run(() => CallAsync(current, factory, completions, cluster, round));
                await Task.Delay(random.Next(0, 200));
                var mid = !call.IsCompleted;
                if (dropOnly)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        cluster.Faults.DropConnections();
                        await Task.Delay(random.Next(20, 150));
                    }
                }
                else
                {
                    await cluster.StopBrokerAsync(victim);
                    await Task.Delay(random.Next(50, 1200));
                    await cluster.StartBrokerAsync(victim);
                }

                string outcome;
                try
                {
                    outcome = await call.WaitAsync(Watchdog);
                }
                catch (TimeoutException)
                {
                    outcome = "hang";
                }

                cluster.Faults.ClearLatency();
                var kind = outcome.Split(':')[0];
                outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
                outcomes[mid ? "mid-call" : "after-call"] = outcomes.GetValueOrDefault(mid ? "mid-call" : "after-call") + 1;
                AdminAbortProbe.Report("round", $"{round}|{current}|{(dropOnly ? "drop" : "stop " + victim)}{(mid ? " mid-call" : " after the call")}|{outcome}");
                if (outcome == "hang")
                {
                    break;
                }
            }
        }
        finally
        {
            factory.Dispose();
        }

        foreach (var (kind, count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            AdminAbortProbe.Report("rounds-" + kind, count);
        }
    }

    private static string GroupId(int g) => $"chaos-g{g:D2}";

    private static KafkaClientFactory NewFactory(KafkaTestCluster cluster) =>
        new(new KafkaConnection("chaos", KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings { BootstrapServers = cluster.BootstrapServers, RequestTimeout = TimeSpan.FromSeconds(3) }, null, null).Options));

    private static void Prepare(KafkaTestCluster cluster, string path, int round)
    {
        if (path == "remove")
        {
            cluster.State.CommitOffsets($"chaos-rm-{round}", "chaos-b", [1, 1, 1]);
        }
        else if (path == "delete-offsets")
        {
            cluster.State.CommitOffsets($"chaos-do-{round}", "chaos-a", [1, 1, 1, 1, 1, 1]);
            cluster.State.CommitOffsets($"chaos-do-{round}", "chaos-b", [1, 1, 1]);
        }
    }

    /// <summary>One call of a path; the outcome as printed.</summary>
    private static async Task<string> CallAsync(string path, KafkaClientFactory factory, CompletionCache completions, KafkaTestCluster cluster, int round)
    {
        var itemErrors = new List<string>();
        void OnItemError(KafkaCatalogException ex)
        {
            lock (itemErrors)
            {
                itemErrors.Add(ex.ErrorId);
            }
        }

        try
        {
            var service = new ConsumerGroupService(factory);
            var count = path switch
            {
                "listings" => (await service.ListGroupListingsAsync([], null, CancellationToken.None)).Count,
                "list" => await CountAsync(service.ListAsync(new ConsumerGroupQuery { GroupIds = ["chaos-*"], BatchSize = 8 }, OnItemError)),
                "describe" => await CountAsync(service.ListAsync(new ConsumerGroupQuery { GroupIds = [GroupId(round % GroupCount), GroupId((round + 5) % GroupCount), GroupId((round + 11) % GroupCount)] }, OnItemError)),
                "offsets" => await CountAsync(service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = ["chaos-*"], BatchSize = 8, MaxConcurrency = 4 }, OnItemError)),
                "offsets-ids" => await CountAsync(service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = Enumerable.Range(0, 8).Select(g => GroupId((round + g) % GroupCount)).ToArray(), MaxConcurrency = 4 }, OnItemError)),
                "lag" => await CountAsync(service.GetLagSummaryAsync(new ConsumerGroupQuery { GroupIds = ["chaos-g1*"] }, OnItemError)),
                "reset" => await ResetAsync(service, GroupId(round % GroupCount)),
                "remove" => (await service.RemoveAsync($"chaos-rm-{round}", null)).Partitions.Count + 1,
                "delete-offsets" => (await service.RemoveAsync($"chaos-do-{round}", "chaos-b")).Partitions.Count,
                "completion" => GroupIdCompletion(factory, completions),
                "catalog" => (await new KafkaClusterInventory(new TopicService(factory), service).ListConsumerGroupsAsync(CancellationToken.None)).Count,
                "raw-list" => await RawAsync(() => factory.AdminClient.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(2) })),
                "raw-describe" => await RawAsync(() => factory.AdminClient.DescribeConsumerGroupsAsync(
                    Enumerable.Range(0, GroupCount).Select(GroupId).ToArray(), new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(2) })),
                "raw-offsets" => await RawAsync(() => Task.WhenAll(Enumerable.Range(0, 8).Select(g => factory.AdminClient.ListConsumerGroupOffsetsAsync(
                    [new ConsumerGroupTopicPartitions(GroupId(g), null)], new ListConsumerGroupOffsetsOptions { RequestTimeout = TimeSpan.FromSeconds(2) })))),
#pragma warning disable CS0618 // The legacy rd_kafka_list_groups, measured as an alternative to ListConsumerGroups.
                "raw-legacy-list" => await RawAsync(() => Task.Run(() => factory.AdminClient.ListGroups(TimeSpan.FromSeconds(2)))),
#pragma warning restore CS0618
                "raw-broker-configs" => await RawAsync(() => Task.WhenAll(Enumerable.Range(1, 3).Select(b => factory.AdminClient.DescribeConfigsAsync(
                    [new ConfigResource { Type = ResourceType.Broker, Name = b.ToString(CultureInfo.InvariantCulture) }], new DescribeConfigsOptions { RequestTimeout = TimeSpan.FromSeconds(2) })))),
                _ => throw new ArgumentException($"Unknown chaos path '{path}'."),
            };
            return itemErrors.Count == 0 ? $"ok:{count}" : $"ok:{count}+{string.Join(",", itemErrors.Distinct())}";
        }
        catch (KafkaCatalogException ex)
        {
            return $"error:{ex.ErrorId}";
        }
        catch (KafkaException ex)
        {
            // Raw paths only: librdkafka's own error.
            return $"error:{ex.Error.Code}";
        }
        catch (Exception ex)
        {
            return $"unexpected:{ex.GetType().Name}:{ex.Message.ReplaceLineEndings(" ")}";
        }
    }

    private static async Task<int> CountAsync<T>(IAsyncEnumerable<T> items)
    {
        var n = 0;
        await foreach (var _ in items)
        {
            n++;
        }

        return n;
    }

    private static async Task<int> ResetAsync(ConsumerGroupService service, string groupId)
    {
        var plan = await service.PlanResetAsync(new OffsetResetRequest { GroupId = groupId, Mode = OffsetResetMode.ToEarliest });
        return (await service.ApplyResetAsync(groupId, plan)).Count;
    }

    private static async Task<int> RawAsync(Func<Task> call)
    {
        await call();
        return 1;
    }

    /// <summary>What ConsumerGroupIdCompleter does on Tab: the completion cache around GroupIdCompletion, 2 s at most.</summary>
    private static int GroupIdCompletion(KafkaClientFactory factory, CompletionCache completions)
    {
        var started = Stopwatch.StartNew();
        var names = completions.GetOrFetch("groups|chaos", token => Core.Kafka.Groups.GroupIdCompletion.FetchAsync(factory, token), Core.Kafka.Groups.GroupIdCompletion.Wait);
        if (started.Elapsed > Core.Kafka.Groups.GroupIdCompletion.Wait + TimeSpan.FromSeconds(1))
        {
            throw new TimeoutException($"Completion took {started.Elapsed.TotalSeconds:0.0} s.");
        }

        return names.Count;
    }
}
