using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// Remove-KafkaConsumerGroup: deletes a whole group (DeleteGroups), or only its committed offsets
/// for one topic (OffsetDelete). The cluster refuses groups with members (NON_EMPTY_GROUP) and, for a
/// topic, groups still subscribed to it; those refusals say what to do.
/// </summary>
public sealed class ConsumerGroupRemovalService
{
    private readonly ConsumerGroupCalls _calls;

    public ConsumerGroupRemovalService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
        : this(new ConsumerGroupCalls(factory, sink, retry))
    {
    }

    internal ConsumerGroupRemovalService(ConsumerGroupCalls calls) => _calls = calls;

    /// <summary>
    /// Deletes a whole group (DeleteGroups), or with <paramref name="topic"/> only its committed
    /// offsets for that topic (OffsetDelete). Refuses groups with members (NON_EMPTY_GROUP) and,
    /// for a topic, groups still subscribed to it.
    /// </summary>
    public async Task<KafkaConsumerGroupRemoval> RemoveAsync(string groupId, string? topic, CancellationToken cancellationToken = default)
    {
        ConsumerGroupNames.EnsureValidGroupId(groupId);
        await _calls.PartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        if (topic is null)
        {
            _calls.Sink.Verbose($"DeleteGroups '{groupId}'.");
            try
            {
                await _calls.Retry.ExecuteAsync(
                    "DeleteGroups",
                    KafkaCallKind.NonIdempotentWrite,
                    _calls.Factory.BootstrapServers,
                    _ => _calls.Guarded(async native =>
                    {
                        await _calls.GroupAdmin.DeleteGroupsAsync([groupId], new DeleteGroupsOptions { RequestTimeout = native }).ConfigureAwait(false);
                        return true;
                    }, cancellationToken),
                    _calls.Sink,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (DeleteGroupsException ex)
            {
                var report = ex.Results.FirstOrDefault(r => r.Error.IsError) ?? ex.Results.FirstOrDefault();
                throw await RemoveErrorAsync(groupId, null, report?.Error.Code ?? ErrorCode.Unknown, report?.Error.Reason, ex, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException ex)
            {
                throw KafkaErrors.FromException(ex, groupId, $"delete consumer group '{groupId}'", _calls.Factory.BootstrapServers, KafkaCallKind.NonIdempotentWrite);
            }

            return new KafkaConsumerGroupRemoval { GroupId = groupId, ConnectionName = _calls.ConnectionName };
        }

        MessagePublishResolver.ValidateTopicName(topic);
        var counts = await _calls.PartitionCountsAsync(cancellationToken).ConfigureAwait(false);
        if (!counts.TryGetValue(topic, out var count))
        {
            throw new KafkaCatalogException(ErrorCatalog.TopicNotFound,
                $"Topic '{topic}' does not exist, so consumer group '{groupId}' has no offsets for it. Check the name with Get-KafkaConsumerGroupOffset -GroupId '{groupId}'.", topic);
        }

        var partitions = Enumerable.Range(0, count).Select(p => new TopicPartition(topic, p)).ToList();
        _calls.Sink.Verbose($"DeleteConsumerGroupOffsets '{groupId}' topic '{topic}' ({count} partitions).");
        try
        {
            await _calls.Retry.ExecuteAsync(
                "DeleteConsumerGroupOffsets",
                KafkaCallKind.IdempotentWrite,
                _calls.Factory.BootstrapServers,
                async _ =>
                {
                    try
                    {
                        return await _calls.Guarded(native => _calls.GroupAdmin.DeleteConsumerGroupOffsetsAsync(groupId, partitions, new DeleteConsumerGroupOffsetsOptions { RequestTimeout = native }), cancellationToken).ConfigureAwait(false);
                    }
                    catch (DeleteConsumerGroupOffsetsException ex)
                    {
                        throw GroupRetry.TransientOrSame(ex, ex.Result.Partitions.Select(p => p.Error).Append(ex.Result.Error));
                    }
                },
                _calls.Sink,
                cancellationToken).ConfigureAwait(false);
        }
        catch (DeleteConsumerGroupOffsetsException ex)
        {
            var error = ex.Result.Error is { IsError: true } e ? e : ex.Result.Partitions.FirstOrDefault(p => p.Error.IsError)?.Error;
            throw await RemoveErrorAsync(groupId, topic, error?.Code ?? ErrorCode.Unknown, error?.Reason, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaException ex)
        {
            throw KafkaErrors.FromException(ex, groupId, $"delete the offsets of consumer group '{groupId}' for topic '{topic}'", _calls.Factory.BootstrapServers, KafkaCallKind.IdempotentWrite);
        }

        return new KafkaConsumerGroupRemoval { GroupId = groupId, Topic = topic, Partitions = Enumerable.Range(0, count).ToArray(), ConnectionName = _calls.ConnectionName };
    }

    private async Task<KafkaCatalogException> RemoveErrorAsync(string groupId, string? topic, ErrorCode code, string? reason, Exception inner, CancellationToken cancellationToken)
    {
        KafkaCatalogException mapped;
        switch (code)
        {
            case ErrorCode.NonEmptyGroup:
                var members = "active members";
                try
                {
                    var d = await _calls.DescribeOneAsync(groupId, cancellationToken).ConfigureAwait(false);
                    members = d.Members.Count == 1 ? "1 active member" : $"{d.Members.Count} active members";
                }
                catch (KafkaCatalogException)
                {
                    // The count is only for the message.
                }

                mapped = new KafkaCatalogException(ErrorCatalog.ConsumerGroupNotEmpty,
                    $"Consumer group '{groupId}' has {members}; stop them first (a group can only be deleted when Empty). Nothing was deleted.", groupId);
                break;
            case ErrorCode.GroupSubscribedToTopic:
                mapped = new KafkaCatalogException(ErrorCatalog.ConsumerGroupSubscribedToTopic,
                    $"Consumer group '{groupId}' is still consuming topic '{topic}'; stop its consumers (or unsubscribe them from the topic) first. Nothing was deleted.", groupId);
                break;
            default:
                mapped = ConsumerGroupErrors.ForGroup(code, reason, groupId, topic is null ? "delete" : $"delete the '{topic}' offsets of");
                break;
        }

        return ConsumerGroupErrors.WithInner(mapped, inner);
    }
}
