namespace KafkaCatalog.TestKit.Kafka.Groups;

/// <summary>Where a group lives: partition abs(javaHashCode(groupId)) % offsets.topic.num.partitions of __consumer_offsets.</summary>
public static class CoordinatorLocator
{
    public const string OffsetsTopic = "__consumer_offsets";
    public const int DefaultOffsetsTopicPartitions = 50;

    /// <summary>Java's String.hashCode (UTF-16 code units, s[0]*31^(n-1) + ... with int overflow).</summary>
    public static int JavaHashCode(string s)
    {
        int h = 0;
        foreach (char c in s)
        {
            h = unchecked(31 * h + c);
        }
        return h;
    }

    /// <summary>Kafka's Utils.abs: Integer.MIN_VALUE maps to 0, otherwise Math.abs.</summary>
    public static int KafkaAbs(int n) => n == int.MinValue ? 0 : Math.Abs(n);

    public static int PartitionFor(string groupId, int offsetsTopicPartitions = DefaultOffsetsTopicPartitions) =>
        KafkaAbs(JavaHashCode(groupId)) % offsetsTopicPartitions;
}
