using System.Text;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.Core.Tests.Kafka;

public class DeliveryQueueTests
{
    private static KafkaDeliveryResult Result(long offset) => new() { Topic = "orders", Partition = 0, Offset = offset, Timestamp = DateTimeOffset.UnixEpoch };

    [Fact]
    public void Acknowledgements_are_released_in_the_order_the_messages_were_sent()
    {
        var queue = new DeliveryQueue();
        var first = new TaskCompletionSource<KafkaDeliveryResult>();
        var second = new TaskCompletionSource<KafkaDeliveryResult>();
        var third = new TaskCompletionSource<KafkaDeliveryResult>();
        queue.Add(first.Task);
        queue.Add(second.Task);
        queue.Add(third.Task);

        // The later two are acknowledged first: nothing is released while the first still waits.
        second.SetResult(Result(1));
        third.SetException(new KafkaCatalogException("KafkaMessageTooLarge", FailureKind.InvalidArgument, "too large"));
        Assert.Empty(queue.TakeCompleted().ToList());
        Assert.Equal(3, queue.Count);

        first.SetResult(Result(0));
        var released = queue.TakeCompleted().ToList();
        Assert.Equal([first.Task, second.Task, third.Task], released);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Take_completed_stops_at_the_first_delivery_still_waiting()
    {
        var queue = new DeliveryQueue();
        var waiting = new TaskCompletionSource<KafkaDeliveryResult>();
        queue.Add(Task.FromResult(Result(0)));
        queue.Add(waiting.Task);
        queue.Add(Task.FromResult(Result(2)));

        Assert.Equal([0L], queue.TakeCompleted().Select(t => t.Result.Offset).ToList());
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public async Task Take_all_waits_for_each_until_the_token_ends_the_wait()
    {
        var queue = new DeliveryQueue();
        queue.Add(Task.FromResult(Result(0)));
        queue.Add(new TaskCompletionSource<KafkaDeliveryResult>().Task);
        using var stop = new CancellationTokenSource();

        var all = queue.TakeAll(stop.Token).ToList();
        Assert.Equal(0, (await all[0]).Offset);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => all[1]);
        Assert.Equal(0, queue.Count);
    }

    [Theory]
    [InlineData(null, null, null, 0, "message to topic 'orders', no key, null value (tombstone)")]
    [InlineData(3, "k", "value", 0, "message to topic 'orders' partition 3, key of 1 bytes, value of 5 bytes")]
    [InlineData(null, "key", "v", 2, "message to topic 'orders' (partition chosen from the key by murmur2_random), key of 3 bytes, value of 1 bytes, 2 header(s)")]
    public void Describe_names_the_topic_partition_choice_sizes_and_headers(int? partition, string? key, string? value, int headers, string expected)
    {
        var message = new OutgoingKafkaMessage
        {
            Topic = "orders",
            Partition = partition,
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = value is null ? null : Encoding.UTF8.GetBytes(value),
            Headers = Enumerable.Range(0, headers).Select(i => new KafkaMessageHeader($"h{i}", [1])).ToArray(),
        };

        Assert.Equal(expected, DeliveryQueue.Describe(message, "murmur2_random"));
    }
}
