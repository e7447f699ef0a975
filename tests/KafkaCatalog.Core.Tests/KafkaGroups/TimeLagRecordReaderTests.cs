using System.Net;
using System.Net.Sockets;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

/// <summary>
/// The record reader's life cycle with a real librdkafka consumer and no broker behind the bootstrap address (a
/// closed local port): reads are reported as not read, the consumer outlives a read and is disposed on cancellation
/// and on Dispose. Timestamps against a real cluster are in the integration tests (TimeLagTests).
/// </summary>
public sealed class TimeLagRecordReaderTests
{
    private static readonly TimeLagRead Read = new(new KafkaTopicPartition("t", 0), 5);

    private static KafkaClientFactory Factory(TimeSpan requestTimeout)
    {
        NativeLibraryLoader.EnsureLoaded();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new KafkaClientFactory(new KafkaConnection("nobody", new KafkaConnectionOptions { BootstrapServers = $"127.0.0.1:{port}", RequestTimeout = requestTimeout }));
    }

    [Fact]
    public async Task No_reads_need_no_consumer()
    {
        using var factory = Factory(TimeSpan.FromSeconds(1));
        using var reader = new TimeLagRecordReader(factory);

        var result = await reader.ReadAsync([], CancellationToken.None);

        Assert.Empty(result);
        Assert.Equal(0, reader.ConsumersCreated);
        Assert.False(reader.HasConsumer);
        Assert.Equal(0, reader.Waves);
    }

    [Fact]
    public async Task Reads_nobody_answers_are_reported_not_read_and_the_consumer_is_kept_for_the_next_read()
    {
        using var factory = Factory(TimeSpan.FromSeconds(1));
        using var reader = new TimeLagRecordReader(factory);
        var other = new TimeLagRead(new KafkaTopicPartition("t", 1), 7);

        var first = await reader.ReadAsync([Read, other, Read], CancellationToken.None);
        var second = await reader.ReadAsync([Read], CancellationToken.None);

        Assert.Equal([Read, other], first.Keys.OrderBy(r => r.Partition.Partition));
        Assert.All(first.Values, Assert.Null);
        Assert.Null(Assert.Single(second).Value);
        Assert.Equal(1, reader.ConsumersCreated);
        Assert.True(reader.HasConsumer);
        Assert.Equal(2, reader.Waves);
    }

    [Fact]
    public async Task Cancelling_mid_wave_throws_and_disposes_the_consumer()
    {
        using var factory = Factory(TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource();
        var sink = new CancelOnFirstWave(cts);
        using var reader = new TimeLagRecordReader(factory, sink);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync([Read], cts.Token));

        Assert.True(sink.Cancelled);
        Assert.False(reader.HasConsumer);

        // The consumer is disposed once the poll still inside it returns; the wait only guards against a hang.
        await reader.ConsumerDisposal.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(1, reader.ConsumersCreated);
        Assert.Equal(1, reader.Waves);
    }

    [Fact]
    public async Task Dispose_disposes_the_consumer_and_a_read_after_it_is_refused()
    {
        using var factory = Factory(TimeSpan.FromSeconds(1));
        var reader = new TimeLagRecordReader(factory);
        await reader.ReadAsync([Read], CancellationToken.None);
        Assert.True(reader.HasConsumer);

        reader.Dispose();
        reader.Dispose();

        Assert.False(reader.HasConsumer);
        await reader.ConsumerDisposal.WaitAsync(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => reader.ReadAsync([Read], CancellationToken.None));
        Assert.Equal(1, reader.ConsumersCreated);
    }

    [Fact]
    public async Task A_cancelled_token_reads_nothing()
    {
        using var factory = Factory(TimeSpan.FromSeconds(1));
        using var reader = new TimeLagRecordReader(factory);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync([Read], new CancellationToken(canceled: true)));

        Assert.Equal(0, reader.ConsumersCreated);
        Assert.Equal(0, reader.Waves);
    }

    /// <summary>Cancels <paramref name="cts"/> when the reader announces its first wave (before it assigns the partitions).</summary>
    private sealed class CancelOnFirstWave(CancellationTokenSource cts) : IOperationSink
    {
        private int _cancelled;

        public bool Cancelled => Volatile.Read(ref _cancelled) == 1;

        public void Verbose(string message)
        {
            if (message.StartsWith("Fetch (time lag) for ", StringComparison.Ordinal) && Interlocked.Exchange(ref _cancelled, 1) == 0)
            {
                cts.Cancel();
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
