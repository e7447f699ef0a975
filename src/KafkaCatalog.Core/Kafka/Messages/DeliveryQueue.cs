namespace KafkaCatalog.Core.Kafka.Messages;

/// <summary>
/// Publish-KafkaMessage's acknowledgements, handed out in the order the messages were sent, whatever
/// order the broker acknowledged them in: a message's result (or its per-message error) is released
/// only once every message sent before it has been released. Not thread-safe: one command's records
/// use it one at a time.
/// </summary>
public sealed class DeliveryQueue
{
    private readonly Queue<Task<KafkaDeliveryResult>> _pending = new();

    /// <summary>Deliveries sent and not yet released.</summary>
    public int Count => _pending.Count;

    /// <summary>Adds the acknowledgement of the message just sent.</summary>
    public void Add(Task<KafkaDeliveryResult> delivery) => _pending.Enqueue(delivery ?? throw new ArgumentNullException(nameof(delivery)));

    /// <summary>The deliveries that are done, oldest first, up to the first one still waiting for its acknowledgement.</summary>
    public IEnumerable<Task<KafkaDeliveryResult>> TakeCompleted()
    {
        while (_pending.Count > 0 && _pending.Peek().IsCompleted)
        {
            yield return _pending.Dequeue();
        }
    }

    /// <summary>Every delivery still pending, oldest first, each waited for until <paramref name="cancellationToken"/> ends the wait.</summary>
    public IEnumerable<Task<KafkaDeliveryResult>> TakeAll(CancellationToken cancellationToken)
    {
        while (_pending.Count > 0)
        {
            yield return _pending.Dequeue().WaitAsync(cancellationToken);
        }
    }

    /// <summary>What -WhatIf and -Confirm show for one message: topic, partition choice, key, value and headers.</summary>
    public static string Describe(OutgoingKafkaMessage message, string partitioner)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"message to topic '{message.Topic}'" +
            (message.Partition is { } p ? $" partition {p}" : message.Key is null ? string.Empty : $" (partition chosen from the key by {partitioner})") +
            (message.Key is null ? ", no key" : $", key of {message.Key.Length} bytes") +
            (message.Value is null ? ", null value (tombstone)" : $", value of {message.Value.Length} bytes") +
            (message.Headers.Count > 0 ? $", {message.Headers.Count} header(s)" : string.Empty);
    }
}
