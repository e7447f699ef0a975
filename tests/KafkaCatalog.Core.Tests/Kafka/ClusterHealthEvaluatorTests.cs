using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Kafka.Health;

namespace KafkaCatalog.Core.Tests.Kafka;

public sealed class ClusterHealthEvaluatorTests
{
    private static KafkaPartition Partition(int index, int leader, int[] replicas, int[] isr, string topic = "orders") =>
        new() { Topic = topic, Partition = index, Leader = leader, Replicas = replicas, InSyncReplicas = isr };

    private static KafkaTopic Topic(string name, string? minIsr, params KafkaPartition[] partitions) => new()
    {
        Name = name,
        Partitions = partitions,
        Config = minIsr is null ? null : new Dictionary<string, string?> { ["min.insync.replicas"] = minIsr },
    };

    private static KafkaCluster Cluster(int controller, params int[] brokers) => new()
    {
        ClusterId = "c",
        ControllerId = controller,
        Brokers = brokers.Select(b => new KafkaBroker { BrokerId = b, Host = "h", Port = 9092 + b, IsController = b == controller }).ToArray(),
    };

    [Fact]
    public void Check_names_resolve_case_insensitively_in_canonical_order_and_unknown_names_are_refused()
    {
        Assert.Equal(KafkaHealthChecks.All, ClusterHealthEvaluator.ResolveChecks([]));
        Assert.Equal([KafkaHealthChecks.ControllerPresent, KafkaHealthChecks.PreferredLeaderImbalance],
            ClusterHealthEvaluator.ResolveChecks(["preferredleaderimbalance", "ControllerPresent", "controllerpresent"]));
        var ex = Assert.Throws<KafkaCatalogException>(() => ClusterHealthEvaluator.ResolveChecks(["Brokers"]));
        Assert.Equal("InvalidHealthCheck", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains("BrokersReachable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Brokers_fail_when_a_replica_broker_is_not_registered_or_a_broker_did_not_answer()
    {
        var topics = new[] { Topic("orders", null, Partition(0, 1, [1, 2, 4], [1, 2])) };

        Assert.Equal(KafkaHealthStatus.Pass, ClusterHealthEvaluator.Brokers(Cluster(1, 1, 2, 4), topics, []).Status);
        var missing = ClusterHealthEvaluator.Brokers(Cluster(1, 1, 2), topics, []);
        Assert.Equal(KafkaHealthStatus.Fail, missing.Status);
        Assert.Equal([4], missing.Items.Cast<KafkaBroker>().Select(b => b.BrokerId));
        var silent = ClusterHealthEvaluator.Brokers(Cluster(1, 1, 2, 4), topics, [2]);
        Assert.Equal(KafkaHealthStatus.Fail, silent.Status);
        Assert.Equal([2], silent.Items.Cast<KafkaBroker>().Select(b => b.BrokerId));
    }

    [Fact]
    public void No_controller_fails()
    {
        Assert.Equal(KafkaHealthStatus.Fail, ClusterHealthEvaluator.Controller(Cluster(-1, 1)).Status);
        Assert.Equal(KafkaHealthStatus.Pass, ClusterHealthEvaluator.Controller(Cluster(1, 1)).Status);
    }

    [Fact]
    public void Partition_checks_report_each_state_with_its_severity()
    {
        var topics = new[]
        {
            Topic("orders", "2",
                Partition(0, -1, [1, 2, 3], []),
                Partition(1, 1, [1, 2, 3], [1]),
                Partition(2, 2, [3, 2, 1], [3, 2, 1]),
                Partition(3, 1, [1, 2, 3], [1, 2])),
            Topic("logs", null, Partition(0, 1, [1], [1], topic: "logs")),
        };

        var offline = ClusterHealthEvaluator.Offline(topics);
        Assert.Equal((KafkaHealthStatus.Fail, 1), (offline.Status, offline.ItemCount));
        var under = ClusterHealthEvaluator.UnderReplicated(topics);
        Assert.Equal(KafkaHealthStatus.Warning, under.Status);
        Assert.Equal([0, 1, 3], under.Items.Cast<KafkaPartition>().Select(p => p.Partition));
        var minIsr = ClusterHealthEvaluator.UnderMinIsr(topics);
        Assert.Equal(KafkaHealthStatus.Fail, minIsr.Status);
        Assert.Equal([0, 1], minIsr.Items.Cast<KafkaPartitionUnderMinIsr>().Select(p => p.Partition));
        Assert.Contains("orders[1] (1/2)", minIsr.Message, StringComparison.Ordinal);
        var preferred = ClusterHealthEvaluator.PreferredLeader(topics);
        Assert.Equal(KafkaHealthStatus.Warning, preferred.Status);
        Assert.Equal([2], preferred.Items.Cast<KafkaPartition>().Select(p => p.Partition));
    }

    [Fact]
    public void A_topic_without_min_insync_replicas_counts_as_one()
    {
        Assert.Equal(1, ClusterHealthEvaluator.MinInSyncReplicas(Topic("t", null)));
        Assert.Equal(1, ClusterHealthEvaluator.MinInSyncReplicas(Topic("t", "not a number")));
        Assert.Equal(3, ClusterHealthEvaluator.MinInSyncReplicas(Topic("t", "3")));
    }

    private static KafkaConsumerGroup Group(string id, int members, params KafkaConsumerGroupOffset[] offsets) => new()
    {
        GroupId = id,
        State = members == 0 ? "Empty" : "Stable",
        Members = Enumerable.Range(0, members).Select(i => new KafkaConsumerGroupMember { MemberId = "m" + i, ClientId = "c", Host = "h" }).ToArray(),
        Offsets = offsets,
    };

    private static KafkaConsumerGroupOffset Offset(string group, long? committed, long start, long end) => new()
    {
        GroupId = group,
        Topic = "orders",
        Partition = 0,
        CommittedOffset = committed,
        LogStartOffset = start,
        LogEndOffset = end,
        Lag = ConsumerGroupLag.Compute(committed, start, end),
    };

    [Fact]
    public void Groups_with_lag_and_no_members_warn_while_active_or_caught_up_groups_pass()
    {
        var groups = new[]
        {
            Group("idle", 0, Offset("idle", 5, 0, 10)),
            Group("active", 1, Offset("active", 5, 0, 10)),
            Group("done", 0, Offset("done", 10, 0, 10)),
        };

        var check = ClusterHealthEvaluator.IdleLaggingGroups(groups);

        Assert.Equal(KafkaHealthStatus.Warning, check.Status);
        var idle = Assert.IsType<KafkaIdleLaggingGroup>(Assert.Single(check.Items));
        Assert.Equal(("idle", 5L), (idle.GroupId, idle.TotalLag));
        Assert.Equal(KafkaHealthStatus.Pass, ClusterHealthEvaluator.IdleLaggingGroups([groups[1], groups[2]]).Status);
    }

    [Fact]
    public void Committed_offsets_below_the_log_start_fail_for_a_group_with_members_and_warn_for_an_idle_one()
    {
        var idle = Group("idle", 0, Offset("idle", 2, 5, 10));
        var active = Group("active", 2, Offset("active", 3, 5, 10));
        var fine = Group("fine", 0, Offset("fine", 5, 5, 10), Offset("fine", null, 5, 10));

        Assert.Equal(KafkaHealthStatus.Pass, ClusterHealthEvaluator.BelowLogStart([fine]).Status);
        Assert.Equal(KafkaHealthStatus.Warning, ClusterHealthEvaluator.BelowLogStart([idle, fine]).Status);
        var both = ClusterHealthEvaluator.BelowLogStart([idle, active]);
        Assert.Equal(KafkaHealthStatus.Fail, both.Status);
        Assert.Equal(["idle", "active"], both.Items.Cast<KafkaConsumerGroupOffset>().Select(o => o.GroupId));
    }

    [Fact]
    public void Healthy_means_no_fail_warnings_allowed()
    {
        var pass = new KafkaHealthCheck { Check = "a", Status = KafkaHealthStatus.Pass, Message = "m" };
        Assert.True(ClusterHealthEvaluator.IsHealthy([pass, pass with { Status = KafkaHealthStatus.Warning }]));
        Assert.False(ClusterHealthEvaluator.IsHealthy([pass, pass with { Status = KafkaHealthStatus.Fail }]));
        Assert.True(ClusterHealthEvaluator.IsHealthy([]));
    }
}
