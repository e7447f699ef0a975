using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.TestKit.Kafka;

public sealed partial class ClusterState
{
    /// <summary>Appends records to a partition as if produced (offsets assigned); returns the base offset.</summary>
    public long AppendRecords(string topic, int partition, IReadOnlyList<SeedRecord> records)
    {
        long baseOffset;
        lock (Sync)
        {
            var p = GetPartition(topic, partition) ?? throw new ArgumentException($"No partition {topic}-{partition}.");
            baseOffset = PartitionLog.Append(p, new List<byte[]> { SimpleBatchWriter.Write(records) }, logAppendTime: false, now: 0);
        }
        NotifyChanged();
        return baseOffset;
    }
}
