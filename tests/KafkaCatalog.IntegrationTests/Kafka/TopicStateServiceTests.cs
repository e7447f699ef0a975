using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.TopicState;

namespace KafkaCatalog.IntegrationTests.Kafka;

/// <summary>TopicStateService (Compare-KafkaTopic / Sync-KafkaTopic) over TCP (Confluent.Kafka + librdkafka) against TestKit.</summary>
public sealed class TopicStateServiceTests(KafkaCoreFixture fixture) : IClassFixture<KafkaCoreFixture>
{
    private TopicStateService Service => new(fixture.Factory, null, KafkaCoreFixture.FastRetry);

    private static string NewPrefix() => $"ts{Guid.NewGuid():N}"[..10];

    private string Snapshot(string prefix)
    {
        lock (fixture.Cluster.State.Sync)
        {
            return string.Join(";", fixture.Cluster.State.Topics
                .Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => $"{t.Name}:{t.Partitions.Count}:{t.Partitions[0].Replicas.Length}:{string.Join(",", t.Configs.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))}"));
        }
    }

    [Fact]
    public async Task Plans_every_kind_applies_what_it_can_and_leaves_no_drift_but_what_Kafka_cannot_change()
    {
        var p = NewPrefix();
        var state = fixture.Cluster.State;
        state.CreateTopic($"{p}-grow", 2, 1);
        state.CreateTopic($"{p}-shrink", 4, 1);
        state.CreateTopic($"{p}-rf", 1, 1);
        state.CreateTopic($"{p}-cfg", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "1000", ["segment.ms"] = "3600000" });
        state.CreateTopic($"{p}-keep", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "5000" });
        state.CreateTopic($"{p}-old", 1, 1);
        state.CreateTopic("other-" + p, 1, 1);

        var request = new TopicStateRequest
        {
            Topics =
            [
                new DesiredTopic { Name = $"{p}-new", Partitions = 3, ReplicationFactor = 2, Config = new Dictionary<string, string> { ["cleanup.policy"] = "compact" } },
                new DesiredTopic { Name = $"{p}-grow", Partitions = 5 },
                new DesiredTopic { Name = $"{p}-shrink", Partitions = 2 },
                new DesiredTopic { Name = $"{p}-rf", ReplicationFactor = 3 },
                new DesiredTopic { Name = $"{p}-cfg", Config = new Dictionary<string, string> { ["retention.ms"] = "2000" } },
                new DesiredTopic { Name = $"{p}-keep" },
            ],
            Scope = [$"{p}-*"],
        };

        var before = Snapshot(p);
        var plan = await Service.PlanAsync(request);
        Assert.Equal(before, Snapshot(p));
        Assert.Equal(
            [
                $"{p}-cfg SetConfig retention.ms 1000->2000",
                $"{p}-cfg ResetConfig segment.ms 3600000->",
                $"{p}-grow AddPartitions Partitions 2->5",
                $"{p}-new Create  ->3 partitions, replication factor 2, config cleanup.policy=compact",
                $"{p}-old Missing  1 partitions, replication factor 1->",
                $"{p}-rf ReplicationFactorDiffers ReplicationFactor 1->3",
                $"{p}-shrink PartitionsDecreaseRequested Partitions 4->2",
            ],
            plan.Select(d => $"{d.Topic} {d.Kind} {d.Setting} {d.Current}->{d.Desired}"));

        // Without removeMissing the Missing topic stays.
        var outcomes = await Service.ApplyAsync(plan, removeMissing: false);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(plan.Count, outcomes.Count); // one result per change; the two configs of -cfg went in one call
        Assert.Equal(
            [($"{p}-cfg", KafkaTopicDifferenceKind.SetConfig, "Applied"), ($"{p}-cfg", KafkaTopicDifferenceKind.ResetConfig, "Applied"), ($"{p}-grow", KafkaTopicDifferenceKind.AddPartitions, "Applied"),
             ($"{p}-new", KafkaTopicDifferenceKind.Create, "Applied"), ($"{p}-old", KafkaTopicDifferenceKind.Missing, "NotApplied"), ($"{p}-rf", KafkaTopicDifferenceKind.ReplicationFactorDiffers, "NotApplied"),
             ($"{p}-shrink", KafkaTopicDifferenceKind.PartitionsDecreaseRequested, "NotApplied")],
            outcomes.Select(o => (o.Result.Topic, o.Result.Kind, o.Result.Status)).Distinct().Order());

        var created = state.GetTopic($"{p}-new")!;
        Assert.Equal((3, 2, "compact"), (created.Partitions.Count, created.Partitions[0].Replicas.Length, created.Configs["cleanup.policy"]));
        Assert.Equal(5, state.GetTopic($"{p}-grow")!.Partitions.Count);
        Assert.Equal(4, state.GetTopic($"{p}-shrink")!.Partitions.Count);
        Assert.Single(state.GetTopic($"{p}-rf")!.Partitions[0].Replicas);
        Assert.Equal("retention.ms=2000", Assert.Single(state.GetTopic($"{p}-cfg")!.Configs.Select(c => $"{c.Key}={c.Value}")));
        Assert.Equal("5000", state.GetTopic($"{p}-keep")!.Configs["retention.ms"]);
        Assert.NotNull(state.GetTopic($"{p}-old"));

        var again = await Service.PlanAsync(request);
        Assert.Equal([KafkaTopicDifferenceKind.Missing, KafkaTopicDifferenceKind.ReplicationFactorDiffers, KafkaTopicDifferenceKind.PartitionsDecreaseRequested], again.Select(d => d.Kind));

        // removeMissing deletes only the Missing topic in scope.
        var deletion = await Service.ApplyAsync(again.Where(d => d.Kind == KafkaTopicDifferenceKind.Missing).ToArray(), removeMissing: true);
        Assert.Equal(($"{p}-old", "Applied"), (Assert.Single(deletion).Result.Topic, deletion[0].Result.Status));
        Assert.Null(state.GetTopic($"{p}-old"));
        Assert.NotNull(state.GetTopic("other-" + p));
        Assert.DoesNotContain(await Service.PlanAsync(request), d => d.Kind == KafkaTopicDifferenceKind.Missing);
    }

    [Fact]
    public async Task A_change_the_cluster_refuses_is_Failed_with_its_error_id_and_the_others_still_apply()
    {
        var p = NewPrefix();
        var state = fixture.Cluster.State;
        state.CreateTopic($"{p}-cfg", 1, 1);
        var request = new TopicStateRequest
        {
            Topics =
            [
                new DesiredTopic { Name = $"{p}-toowide", Partitions = 1, ReplicationFactor = 9 },
                new DesiredTopic { Name = $"{p}-badcfg", Partitions = 1, ReplicationFactor = 1, Config = new Dictionary<string, string> { ["no.such.config"] = "1" } },
                new DesiredTopic { Name = $"{p}-cfg", Config = new Dictionary<string, string> { ["cleanup.policy"] = "sideways" } },
                new DesiredTopic { Name = $"{p}-ok", Partitions = 2, ReplicationFactor = 1 },
            ],
        };

        var outcomes = await Service.ApplyAsync(await Service.PlanAsync(request), removeMissing: false);
        var byTopic = outcomes.ToDictionary(o => o.Result.Topic);
        Assert.Equal(("Failed", "InvalidReplicationFactor"), (byTopic[$"{p}-toowide"].Result.Status, byTopic[$"{p}-toowide"].Result.ErrorId));
        Assert.Equal(("Failed", "InvalidConfig"), (byTopic[$"{p}-badcfg"].Result.Status, byTopic[$"{p}-badcfg"].Result.ErrorId));
        Assert.Equal(("Failed", "InvalidConfig"), (byTopic[$"{p}-cfg"].Result.Status, byTopic[$"{p}-cfg"].Result.ErrorId));
        Assert.Equal("InvalidConfig", byTopic[$"{p}-cfg"].Error!.ErrorId);
        Assert.Equal("Applied", byTopic[$"{p}-ok"].Result.Status);
        Assert.Null(state.GetTopic($"{p}-toowide"));
        Assert.Null(state.GetTopic($"{p}-badcfg"));
        Assert.Empty(state.GetTopic($"{p}-cfg")!.Configs);
        Assert.Equal(2, state.GetTopic($"{p}-ok")!.Partitions.Count);
    }

    [Fact]
    public async Task Internal_topics_are_never_Missing_even_in_a_scope_of_everything()
    {
        if (fixture.Cluster.State.GetTopic("__transaction_state") is null)
        {
            fixture.Cluster.State.CreateTopic("__transaction_state", [[1]], isInternal: true);
        }

        var p = NewPrefix();
        fixture.Cluster.State.CreateTopic($"{p}-plain", 1, 1);
        var plan = await Service.PlanAsync(new TopicStateRequest { Topics = [], Scope = ["*"] });
        Assert.Contains(plan, d => d.Topic == $"{p}-plain" && d.Kind == KafkaTopicDifferenceKind.Missing);
        Assert.DoesNotContain(plan, d => d.Topic.StartsWith("__", StringComparison.Ordinal));
    }
}
