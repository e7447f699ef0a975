namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// Lag arithmetic for one partition of one group. Lag is what the group still has to read:
/// <list type="bullet">
/// <item>committed offset within [log start, log end]: log end - committed;</item>
/// <item>no committed offset, or a committed offset that retention already deleted (below the
/// log start): the consumer will restart from a reset position, and the most it can read is
/// everything still in the log, so lag = log end - log start;</item>
/// <item>committed offset beyond the log end (the log was truncated or the end offset was read
/// a moment earlier): 0. Lag is never negative.</item>
/// </list>
/// </summary>
public static class ConsumerGroupLag
{
    public static long Compute(long? committedOffset, long logStartOffset, long logEndOffset)
    {
        var start = Math.Max(0, logStartOffset);
        var end = Math.Max(start, logEndOffset);
        if (committedOffset is not { } committed || committed < 0 || committed < start)
        {
            return end - start;
        }

        return Math.Max(0, end - committed);
    }

    /// <summary>One summary row per group and topic, in the order the rows arrive.</summary>
    public static IReadOnlyList<KafkaConsumerGroupLagSummary> Summarize(IEnumerable<KafkaConsumerGroupOffset> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var order = new List<(string GroupId, string Topic)>();
        var byKey = new Dictionary<(string, string), Accumulator>();
        foreach (var row in rows)
        {
            var key = (row.GroupId, row.Topic);
            if (!byKey.TryGetValue(key, out var acc))
            {
                acc = new Accumulator { ConnectionName = row.ConnectionName };
                byKey[key] = acc;
                order.Add(key);
            }

            acc.Partitions++;
            acc.TotalLag += row.Lag;
            acc.MaxLag = Math.Max(acc.MaxLag, row.Lag);
            if (row.CommittedOffset is null)
            {
                acc.WithoutCommit++;
            }

            if (row.MemberId is not null)
            {
                acc.Assigned++;
            }
        }

        return order.Select(k =>
        {
            var acc = byKey[k];
            return new KafkaConsumerGroupLagSummary
            {
                GroupId = k.GroupId,
                Topic = k.Topic,
                PartitionCount = acc.Partitions,
                TotalLag = acc.TotalLag,
                MaxLag = acc.MaxLag,
                PartitionsWithoutCommittedOffset = acc.WithoutCommit,
                AssignedPartitionCount = acc.Assigned,
                ConnectionName = acc.ConnectionName,
            };
        }).ToArray();
    }

    private sealed class Accumulator
    {
        public int Partitions;
        public long TotalLag;
        public long MaxLag;
        public int WithoutCommit;
        public int Assigned;
        public string? ConnectionName;
    }
}
