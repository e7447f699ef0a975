using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Messages;

/// <summary>What a connection's profile adds to a Receive-KafkaMessage request.</summary>
public static class ReceiveDefaults
{
    /// <summary>
    /// The profile's topic (Mage topic) when the request names none. Without a start parameter
    /// (<paramref name="startGiven"/> false): where the profile's consumer group would resume (Mage consumer_group:
    /// its committed offsets, auto_offset_reset for partitions without one), else the beginning when the profile's
    /// auto_offset_reset is earliest, else the end (new messages). <paramref name="noOffsetReset"/> (-AutoOffsetReset)
    /// wins over the profile's auto_offset_reset; kafka-python's default is latest.
    /// </summary>
    /// <exception cref="KafkaCatalogException">ReceiveTopicMissing: neither the request nor the profile names a topic.</exception>
    public static ReceiveRequest Apply(ReceiveRequest request, KafkaConnectionOptions options, bool startGiven, KafkaOffsetReset? noOffsetReset = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var topic = string.IsNullOrEmpty(request.Topic) ? options.DefaultTopic : request.Topic;
        if (string.IsNullOrEmpty(topic))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.ReceiveTopicMissing,
                "No topic to read: give -Topic, or connect with a profile that names one (Mage 'topic').",
                null);
        }

        var result = request with { Topic = topic, NoOffsetReset = noOffsetReset ?? options.AutoOffsetReset ?? KafkaOffsetReset.Latest };
        if (startGiven)
        {
            return result;
        }

        if (options.ConsumerGroup is { Length: > 0 } group)
        {
            return result with { Start = MessageStartPosition.Committed, GroupId = group };
        }

        return options.AutoOffsetReset == KafkaOffsetReset.Earliest ? result with { Start = MessageStartPosition.Beginning } : result;
    }
}
