using Confluent.Kafka;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// <see cref="TimeLagRecordReader"/> through Confluent.Kafka over TCP against a 3-broker TestKit (its own cluster:
/// one test stops a broker): the long-lived consumer reads the right record across many partitions and waves, a
/// read below a moved log start or on a stopped leader is reported as not read, and cancellation mid-wave returns
/// and disposes the consumer.
/// </summary>
public sealed class TimeLagReaderTests(TimeLagReaderTests.Fixture fx) : IClassFixture<TimeLagReaderTests.Fixture>
{
    private const long BaseTimestamp = 1_700_000_000_000;

    public sealed class Fixture : GroupsFixture;

    /// <summary>The seeded timestamp of a record: distinct per partition and offset.</summary>
    private static long Timestamp(int partition, long offset) => BaseTimestamp + (offset * 1000) + partition;

    /// <summary>A topic of replication factor 1 (a stopped broker leaves its partitions without leader), <paramref name="records"/> per partition.</summary>
    private string SeededTopic(int partitions, int records, int perBatch)
    {
        var topic = GroupsFixture.Unique("tlr");
        fx.Cluster.State.CreateTopic(topic, partitions, 1);
        for (var p = 0; p < partitions; p++)
        {
            for (var offset = 0; offset < records; offset += perBatch)
            {
                var count = Math.Min(perBatch, records - offset);
                fx.Cluster.State.AppendRecords(topic, p, Enumerable.Range(offset, count).Select(o => new SeedRecord("k", "v" + o, Timestamp(p, o))).ToArray());
            }
        }

        return topic;
    }

    [Fact]
    public async Task Many_partitions_at_several_offsets_each_get_the_timestamp_of_their_own_record_with_one_consumer()
    {
        // 70 partitions of 12 records in batches of 4, so most reads start inside a batch; 3 reads per partition.
        var topic = SeededTopic(70, 12, 4);
        var reads = Enumerable.Range(0, 70).SelectMany(p => new long[] { 2, 5, 11 }.Select(o => new TimeLagRead(new KafkaTopicPartition(topic, p), o))).ToList();
        var recorder = new Recorder();
        using var reader = new TimeLagRecordReader(fx.Factory(), recorder);

        var result = await reader.ReadAsync(reads, CancellationToken.None);

        Assert.Equal(reads.Count, result.Count);
        Assert.All(reads, r => Assert.Equal(Timestamp(r.Partition.Partition, r.Offset), result[r]));

        // A later call at lower offsets of the same partitions reads them again, from the same consumer.
        var lower = Enumerable.Range(0, 70).Select(p => new TimeLagRead(new KafkaTopicPartition(topic, p), p % 3)).ToList();
        var again = await reader.ReadAsync(lower, CancellationToken.None);

        Assert.All(lower, r => Assert.Equal(Timestamp(r.Partition.Partition, r.Offset), again[r]));
        Assert.Equal(1, reader.ConsumersCreated);
        Assert.True(reader.HasConsumer);

        // Each wave assigns at most PartitionsPerRead partitions, each partition once.
        var waves = recorder.Verbose.Where(v => v.StartsWith("Fetch (time lag) for ", StringComparison.Ordinal)).ToList();
        Assert.Equal(reader.Waves, waves.Count);
        Assert.All(waves, w =>
        {
            var partitions = w[(w.IndexOf(": ", StringComparison.Ordinal) + 2)..].TrimEnd('.').Split(", ").Select(x => x[..x.LastIndexOf('@')]).ToList();
            Assert.InRange(partitions.Count, 1, TimeLagRecordReader.PartitionsPerRead);
            Assert.Equal(partitions.Count, partitions.Distinct().Count());
        });
    }

    [Fact]
    public async Task A_read_below_a_log_start_moved_by_DeleteRecords_is_not_read_and_the_rest_of_the_partition_is()
    {
        var topic = SeededTopic(2, 10, 1);
        using (var admin = fx.Admin())
        {
            await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 6)]);
        }

        var deleted = new TimeLagRead(new KafkaTopicPartition(topic, 0), 2);
        var kept = new TimeLagRead(new KafkaTopicPartition(topic, 0), 7);
        var other = new TimeLagRead(new KafkaTopicPartition(topic, 1), 2);
        var recorder = new Recorder();
        using var reader = new TimeLagRecordReader(fx.Factory(TimeSpan.FromSeconds(5)), recorder);

        var result = await reader.ReadAsync([deleted, kept, other], CancellationToken.None);

        Assert.Null(result[deleted]);
        Assert.Equal(TimeLagReasons.FetchFailed, TimeLagCalculator.FromTimestamps(result[deleted], Timestamp(0, 9)).Reason);
        Assert.Equal(Timestamp(0, 7), result[kept]);
        Assert.Equal(Timestamp(1, 2), result[other]);
        Assert.Equal(1, reader.ConsumersCreated);

        // Not a timeout: the broker answered OFFSET_OUT_OF_RANGE and the reader took it as the read's failure.
        Assert.Contains(recorder.Verbose, v => v.StartsWith($"Fetch (time lag) of {deleted.Partition}@2 failed: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_partition_whose_leader_is_stopped_is_not_read_and_the_others_are()
    {
        var topic = SeededTopic(6, 5, 5);
        var victim = fx.Cluster.State.GetPartition(topic, 0)!.LeaderId;
        var led = Enumerable.Range(0, 6).Where(p => fx.Cluster.State.GetPartition(topic, p)!.LeaderId == victim).ToHashSet();
        Assert.True(led.Count < 6, "every partition is on one broker");
        var reads = Enumerable.Range(0, 6).Select(p => new TimeLagRead(new KafkaTopicPartition(topic, p), 3)).ToList();
        using var reader = new TimeLagRecordReader(fx.Factory(TimeSpan.FromSeconds(2)));
        await fx.Cluster.StopBrokerAsync(victim);
        try
        {
            var result = await reader.ReadAsync(reads, CancellationToken.None);

            Assert.Equal(reads.Count, result.Count);
            Assert.All(reads.Where(r => led.Contains(r.Partition.Partition)), r => Assert.Null(result[r]));
            Assert.All(reads.Where(r => !led.Contains(r.Partition.Partition)), r => Assert.Equal(Timestamp(r.Partition.Partition, 3), result[r]));
        }
        finally
        {
            await fx.Cluster.StartBrokerAsync(victim);
        }
    }

    [Fact]
    public async Task Cancelling_mid_wave_returns_disposes_the_consumer_and_the_reader_reads_again_with_a_new_one()
    {
        var topic = SeededTopic(2, 5, 5);
        fx.Cluster.State.HealthTakePartitionOffline(topic, 0);
        var offline = new TimeLagRead(new KafkaTopicPartition(topic, 0), 1);
        var online = new TimeLagRead(new KafkaTopicPartition(topic, 1), 1);
        using var cts = new CancellationTokenSource();

        // Cancels a little after the wave starts, while its poll waits on the offline partition (when exactly does not matter).
        var sink = new OnFirstWave(() => cts.CancelAfter(TimeSpan.FromMilliseconds(300)));
        using var reader = new TimeLagRecordReader(fx.Factory(TimeSpan.FromSeconds(30)), sink);
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync([offline, online], cts.Token));

            Assert.False(reader.HasConsumer);
            await reader.ConsumerDisposal.WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            fx.Cluster.State.HealthRestorePartition(topic, 0);
        }

        var result = await reader.ReadAsync([offline, online], CancellationToken.None);

        Assert.Equal(Timestamp(0, 1), result[offline]);
        Assert.Equal(Timestamp(1, 1), result[online]);
        Assert.Equal(2, reader.ConsumersCreated);
    }

    /// <summary>Runs an action when the reader announces its first wave.</summary>
    private sealed class OnFirstWave(Action action) : IOperationSink
    {
        private int _done;

        public void Verbose(string message)
        {
            if (message.StartsWith("Fetch (time lag) for ", StringComparison.Ordinal) && Interlocked.Exchange(ref _done, 1) == 0)
            {
                action();
            }
        }

        public void Warning(string message)
        {
        }

        public void Progress(OperationProgress progress)
        {
        }
    }
}
