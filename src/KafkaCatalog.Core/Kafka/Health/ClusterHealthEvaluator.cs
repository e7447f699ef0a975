using System.Globalization;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Health;

/// <summary>
/// The verdicts of Test-KafkaCluster from what the cluster reported, without any I/O (each rule is
/// unit-tested). Severity: a cluster that cannot serve reads or acks=all writes is Fail (a broker
/// hosting replicas missing, no controller, a partition without leader, a partition under
/// min.insync.replicas, a group with members whose committed offset was deleted); a cluster that
/// works but is at risk or uneven is Warning (under-replicated, preferred-leader imbalance, groups
/// with lag and no members, an idle group whose committed offset was deleted).
/// </summary>
public static class ClusterHealthEvaluator
{
    /// <summary>Throws InvalidHealthCheck for an unknown check name; returns the canonical names.</summary>
    public static IReadOnlyList<string> ResolveChecks(IReadOnlyList<string> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (checks.Count == 0)
        {
            return KafkaHealthChecks.All;
        }

        var result = new List<string>();
        foreach (var name in checks)
        {
            var known = KafkaHealthChecks.All.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new KafkaCatalogException(ErrorCatalog.InvalidHealthCheck,
                    $"'{name}' is not a Test-KafkaCluster check. Use one of: {string.Join(", ", KafkaHealthChecks.All)}.", name);
            if (!result.Contains(known))
            {
                result.Add(known);
            }
        }

        return KafkaHealthChecks.All.Where(result.Contains).ToArray();
    }

    public static KafkaHealthCheck Brokers(KafkaCluster cluster, IReadOnlyList<KafkaTopic> topics, IReadOnlyCollection<int> unanswered)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(topics);
        var registered = cluster.Brokers.Select(b => b.BrokerId).ToHashSet();
        var missing = topics.SelectMany(t => t.Partitions).SelectMany(p => p.Replicas).Where(r => !registered.Contains(r)).Distinct().Order().ToArray();
        var silent = cluster.Brokers.Where(b => unanswered.Contains(b.BrokerId)).ToArray();
        if (missing.Length == 0 && silent.Length == 0)
        {
            return Check(KafkaHealthChecks.BrokersReachable, KafkaHealthStatus.Pass, $"All {cluster.Brokers.Count} broker(s) answered.", []);
        }

        var parts = new List<string>();
        if (missing.Length > 0)
        {
            parts.Add($"broker(s) {Join(missing)} host replicas but are not in the cluster (down or not registered)");
        }

        if (silent.Length > 0)
        {
            parts.Add($"broker(s) {Join(silent.Select(b => b.BrokerId))} did not answer a request");
        }

        var items = silent.Cast<object>().Concat(missing.Select(id => (object)new KafkaBroker { BrokerId = id, Host = string.Empty, Port = 0, ConnectionName = cluster.ConnectionName })).ToArray();
        return Check(KafkaHealthChecks.BrokersReachable, KafkaHealthStatus.Fail, Capitalize(string.Join("; ", parts)) + ".", items);
    }

    public static KafkaHealthCheck Controller(KafkaCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.ControllerId < 0
            ? Check(KafkaHealthChecks.ControllerPresent, KafkaHealthStatus.Fail, "The cluster reports no active controller: topic, partition and leader changes cannot happen.", [])
            : Check(KafkaHealthChecks.ControllerPresent, KafkaHealthStatus.Pass, $"Broker {cluster.ControllerId} is the controller.", []);
    }

    public static KafkaHealthCheck Offline(IReadOnlyList<KafkaTopic> topics)
    {
        var offline = Partitions(topics).Where(p => !p.HasLeader).ToArray();
        return offline.Length == 0
            ? Check(KafkaHealthChecks.OfflinePartitions, KafkaHealthStatus.Pass, $"Every partition of {topics.Count} topic(s) has a leader.", [])
            : Check(KafkaHealthChecks.OfflinePartitions, KafkaHealthStatus.Fail, $"{offline.Length} partition(s) have no leader and can be neither read nor written: {Sample(offline)}.", offline);
    }

    public static KafkaHealthCheck UnderReplicated(IReadOnlyList<KafkaTopic> topics)
    {
        var under = Partitions(topics).Where(p => p.IsUnderReplicated).ToArray();
        return under.Length == 0
            ? Check(KafkaHealthChecks.UnderReplicatedPartitions, KafkaHealthStatus.Pass, "Every partition has all its replicas in sync.", [])
            : Check(KafkaHealthChecks.UnderReplicatedPartitions, KafkaHealthStatus.Warning, $"{under.Length} partition(s) have replicas out of sync: {Sample(under)}.", under);
    }

    /// <summary>Partitions whose ISR is smaller than the topic's min.insync.replicas (a topic without the config counts as 1).</summary>
    public static KafkaHealthCheck UnderMinIsr(IReadOnlyList<KafkaTopic> topics)
    {
        var under = new List<KafkaPartitionUnderMinIsr>();
        foreach (var topic in topics)
        {
            var minIsr = MinInSyncReplicas(topic);
            foreach (var p in topic.Partitions.Where(p => p.InSyncReplicas.Count < minIsr))
            {
                under.Add(new KafkaPartitionUnderMinIsr
                {
                    Topic = p.Topic,
                    Partition = p.Partition,
                    InSyncReplicaCount = p.InSyncReplicas.Count,
                    MinInSyncReplicas = minIsr,
                    InSyncReplicas = p.InSyncReplicas,
                    Replicas = p.Replicas,
                });
            }
        }

        return under.Count == 0
            ? Check(KafkaHealthChecks.UnderMinIsrPartitions, KafkaHealthStatus.Pass, "Every partition has at least min.insync.replicas replicas in sync.", [])
            : Check(KafkaHealthChecks.UnderMinIsrPartitions, KafkaHealthStatus.Fail,
                $"{under.Count} partition(s) have fewer in-sync replicas than min.insync.replicas, so acks=all writes fail: {string.Join(", ", under.Take(5).Select(u => $"{u.Topic}[{u.Partition}] ({u.InSyncReplicaCount}/{u.MinInSyncReplicas})"))}{(under.Count > 5 ? ", ..." : string.Empty)}.",
                under);
    }

    public static KafkaHealthCheck PreferredLeader(IReadOnlyList<KafkaTopic> topics)
    {
        var off = Partitions(topics).Where(p => p.HasLeader && p.Replicas.Count > 0 && p.Leader != p.Replicas[0]).ToArray();
        return off.Length == 0
            ? Check(KafkaHealthChecks.PreferredLeaderImbalance, KafkaHealthStatus.Pass, "Every partition with a leader is led by its preferred replica.", [])
            : Check(KafkaHealthChecks.PreferredLeaderImbalance, KafkaHealthStatus.Warning,
                $"{off.Length} partition(s) are not led by their preferred replica (the first in Replicas), so load is uneven: {Sample(off)}. A preferred leader election moves them back.", off);
    }

    public static KafkaHealthCheck IdleLaggingGroups(IReadOnlyList<KafkaConsumerGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var idle = groups
            .Where(g => g.MemberCount == 0 && (g.Offsets?.Sum(o => o.Lag) ?? 0) > 0)
            .Select(g => new KafkaIdleLaggingGroup
            {
                GroupId = g.GroupId,
                State = g.State,
                TotalLag = g.Offsets!.Sum(o => o.Lag),
                Topics = g.Offsets!.Where(o => o.Lag > 0).Select(o => o.Topic).Distinct(StringComparer.Ordinal).ToArray(),
            })
            .ToArray();
        return idle.Length == 0
            ? Check(KafkaHealthChecks.GroupsLaggingWithoutMembers, KafkaHealthStatus.Pass, $"No consumer group of {groups.Count} has lag without members.", [])
            : Check(KafkaHealthChecks.GroupsLaggingWithoutMembers, KafkaHealthStatus.Warning,
                $"{idle.Length} consumer group(s) have lag but no members to read it: {string.Join(", ", idle.Take(5).Select(g => $"{g.GroupId} (lag {g.TotalLag})"))}{(idle.Length > 5 ? ", ..." : string.Empty)}.", idle);
    }

    /// <summary>Committed offsets below the log start: those records were deleted before the group read them.</summary>
    public static KafkaHealthCheck BelowLogStart(IReadOnlyList<KafkaConsumerGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var rows = groups.SelectMany(g => (g.Offsets ?? []).Where(o => o.CommittedOffset is { } c && c < o.LogStartOffset).Select(o => (Group: g, Row: o))).ToArray();
        if (rows.Length == 0)
        {
            return Check(KafkaHealthChecks.CommittedOffsetsBelowLogStart, KafkaHealthStatus.Pass, "No committed offset points at deleted records.", []);
        }

        var active = rows.Any(r => r.Group.MemberCount > 0);
        return Check(KafkaHealthChecks.CommittedOffsetsBelowLogStart, active ? KafkaHealthStatus.Fail : KafkaHealthStatus.Warning,
            $"{rows.Length} committed offset(s) of {rows.Select(r => r.Group.GroupId).Distinct(StringComparer.Ordinal).Count()} group(s) are below the log start: those records were deleted (retention or DeleteRecords) before the group read them{(active ? "; a group with members is losing data" : "; the groups have no members")}: {string.Join(", ", rows.Take(5).Select(r => $"{r.Row.GroupId} {r.Row.Topic}[{r.Row.Partition}] {r.Row.CommittedOffset} < {r.Row.LogStartOffset}"))}{(rows.Length > 5 ? ", ..." : string.Empty)}.",
            rows.Select(r => (object)r.Row).ToArray());
    }

    /// <summary>True when no check failed (what -Quiet returns).</summary>
    public static bool IsHealthy(IEnumerable<KafkaHealthCheck> checks) => checks.All(c => c.Status != KafkaHealthStatus.Fail);

    public static int MinInSyncReplicas(KafkaTopic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return topic.Config is not null
            && topic.Config.TryGetValue("min.insync.replicas", out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 1;
    }

    private static IEnumerable<KafkaPartition> Partitions(IReadOnlyList<KafkaTopic> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return topics.SelectMany(t => t.Partitions);
    }

    private static KafkaHealthCheck Check(string name, KafkaHealthStatus status, string message, IEnumerable<object> items) =>
        new() { Check = name, Status = status, Message = message, Items = items.ToArray() };

    private static string Sample(IReadOnlyList<KafkaPartition> partitions) =>
        string.Join(", ", partitions.Take(5).Select(p => $"{p.Topic}[{p.Partition}]")) + (partitions.Count > 5 ? ", ..." : string.Empty);

    private static string Join(IEnumerable<int> ids) => string.Join(", ", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
