using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Partitions;

/// <summary>
/// Pure logic of Invoke-KafkaLeaderElection: checks the request, picks the partitions from the topics'
/// metadata, says which need the election, and turns the cluster's per-partition answers into outcomes.
/// </summary>
public static class LeaderElectionPlanner
{
    /// <summary>Checks the request on its own, before any call to the cluster.</summary>
    public static void Validate(LeaderElectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Topics.Count == 0 || request.Topics.Any(string.IsNullOrWhiteSpace))
        {
            throw new KafkaCatalogException(ErrorCatalog.EmptyTopicName,
                "-Topic is empty or contains an empty name. Give the topics whose partitions need a leader election, or pipe Get-KafkaTopic.");
        }

        if (request.Partitions is { Count: > 0 } partitions)
        {
            if (request.Topics.Count != 1 || NamePattern.Parse(request.Topics[0]).HasWildcards)
            {
                throw new KafkaCatalogException(ErrorCatalog.PartitionNeedsSingleTopic,
                    "-Partition needs exactly one -Topic without wildcards: partition numbers only mean something within one topic.", string.Join(",", request.Topics));
            }

            var negative = partitions.FirstOrDefault(p => p < 0, 0);
            if (negative < 0)
            {
                throw new KafkaCatalogException(ErrorCatalog.NegativePartition,
                    $"-Partition {negative.ToString(CultureInfo.InvariantCulture)} is negative. Partitions are numbered from 0.", request.Topics[0]);
            }
        }
    }

    /// <summary>
    /// One planned row per partition in scope, in topic and partition order. A partition number the topic
    /// does not have is PartitionNotFound (nothing is elected then).
    /// </summary>
    public static IReadOnlyList<KafkaLeaderElectionResult> Plan(LeaderElectionRequest request, IReadOnlyList<KafkaTopic> topics, string? connectionName)
    {
        Validate(request);
        ArgumentNullException.ThrowIfNull(topics);
        var rows = new List<KafkaLeaderElectionResult>();
        foreach (var topic in topics.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            IEnumerable<KafkaPartition> partitions = topic.Partitions.OrderBy(p => p.Partition);
            if (request.Partitions is { Count: > 0 } wanted)
            {
                var missing = wanted.Where(w => topic.Partitions.All(p => p.Partition != w)).Distinct().Order().ToArray();
                if (missing.Length > 0)
                {
                    throw new KafkaCatalogException(ErrorCatalog.PartitionNotFound,
                        $"Topic '{topic.Name}' has no partition {string.Join(", ", missing)} (it has {topic.PartitionCount}, numbered from 0). No leader was elected.", new KafkaTopicPartition(topic.Name, missing[0]));
                }

                var set = wanted.ToHashSet();
                partitions = partitions.Where(p => set.Contains(p.Partition));
            }

            foreach (var p in partitions)
            {
                var preferred = p.Replicas.Count > 0 ? p.Replicas[0] : -1;
                var needs = request.ElectionType == KafkaElectionType.Preferred ? p.Leader != preferred : p.Leader < 0;
                rows.Add(new KafkaLeaderElectionResult
                {
                    Topic = p.Topic,
                    Partition = p.Partition,
                    ElectionType = request.ElectionType.ToString(),
                    PreviousLeader = p.Leader,
                    PreferredLeader = preferred,
                    Replicas = p.Replicas,
                    InSyncReplicas = p.InSyncReplicas,
                    NeedsElection = needs,
                    Outcome = needs ? "Planned" : "NotNeeded",
                    ConnectionName = connectionName,
                });
            }
        }

        return rows;
    }

    /// <summary>The -WhatIf / confirmation text: every partition that needs the election, and how many do not.</summary>
    public static string Describe(IReadOnlyList<KafkaLeaderElectionResult> plan, KafkaElectionType type, string bootstrapServers)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var needing = plan.Where(r => r.NeedsElection).ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{type} leader election for {plan.Count} partition(s) on {bootstrapServers}; ");
        if (type == KafkaElectionType.Preferred)
        {
            text.Append(CultureInfo.InvariantCulture, $"{needing.Length} led by a replica other than the preferred one:");
            foreach (var row in needing)
            {
                text.AppendLine();
                text.Append(CultureInfo.InvariantCulture, $"  {row.Topic}[{row.Partition}]: leader {Leader(row.PreviousLeader)} -> preferred {row.PreferredLeader} (in sync: [{string.Join(",", row.InSyncReplicas)}])");
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{needing.Length} without a leader (an unclean election may elect a replica that is not in sync and lose records):");
            foreach (var row in needing)
            {
                text.AppendLine();
                text.Append(CultureInfo.InvariantCulture, $"  {row.Topic}[{row.Partition}]: no leader; replicas [{string.Join(",", row.Replicas)}], in sync [{string.Join(",", row.InSyncReplicas)}]");
            }
        }

        if (needing.Length < plan.Count)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"  {plan.Count - needing.Length} other partition(s) need no election (the cluster will answer ELECTION_NOT_NEEDED).");
        }

        return text.ToString();
    }

    /// <summary>
    /// The outcome of one planned row from the cluster's answer: NoError is Elected (the new leader is the
    /// preferred replica for a preferred election; for an unclean one it comes from metadata afterwards),
    /// ELECTION_NOT_NEEDED is a normal outcome, anything else is Failed with a specific error.
    /// </summary>
    public static LeaderElectionOutcome Outcome(KafkaLeaderElectionResult planned, ErrorCode code, string? reason)
    {
        ArgumentNullException.ThrowIfNull(planned);
        switch (code)
        {
            case ErrorCode.NoError:
                return new(planned with
                {
                    Outcome = "Elected",
                    NewLeader = planned.ElectionType == nameof(KafkaElectionType.Preferred) ? planned.PreferredLeader : null,
                }, null);
            case ErrorCode.ElectionNotNeeded:
                return new(planned with { Outcome = "ElectionNotNeeded", NewLeader = planned.PreviousLeader }, null);
        }

        var error = Error(planned, code, reason);
        return new(planned with { Outcome = "Failed", NewLeader = planned.PreviousLeader, Error = error.Message, ErrorId = error.ErrorId }, error);
    }

    /// <summary>The specific error of a partition the cluster could not elect a leader for.</summary>
    public static KafkaCatalogException Error(KafkaLeaderElectionResult planned, ErrorCode code, string? reason)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var target = new KafkaTopicPartition(planned.Topic, planned.Partition);
        var detail = string.IsNullOrWhiteSpace(reason) ? code.ToString() : reason;
        return code switch
        {
            ErrorCode.PreferredLeaderNotAvailable => new(ErrorCatalog.PreferredLeaderNotAvailable,
                $"Cannot move the leadership of {target} to its preferred replica, broker {planned.PreferredLeader}: it is not alive or not in sync (in sync: [{string.Join(",", planned.InSyncReplicas)}]; {detail}). Start broker {planned.PreferredLeader} and let it catch up (Get-KafkaTopic shows the in-sync replicas), then run the election again.", target),
            ErrorCode.EligibleLeadersNotAvailable => new(ErrorCatalog.EligibleLeadersNotAvailable,
                $"Cannot elect a leader for {target}: none of its replicas [{string.Join(",", planned.Replicas)}] is alive ({detail}). Start one of those brokers, then run the election again.", target),
            ErrorCode.UnknownTopicOrPart => new(ErrorCatalog.PartitionNotFound,
                $"{target} does not exist (any more): {detail}. Use Get-KafkaTopic to list the partitions.", target),
            _ => KafkaErrors.General(code, reason, target, $"elect a leader for {target}"),
        };
    }

    private static string Leader(int id) => id < 0 ? "none" : id.ToString(CultureInfo.InvariantCulture);
}
