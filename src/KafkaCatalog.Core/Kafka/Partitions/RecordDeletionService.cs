using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Partitions;

/// <summary>
/// Record deletion (DeleteRecords, sent by librdkafka to each partition's leader): plan from the
/// watermarks (ListOffsets), then move the log start offsets.
/// </summary>
public sealed class RecordDeletionService
{
    private readonly KafkaCalls _calls;

    public RecordDeletionService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>
    /// The planned rows: the topic (metadata), its watermarks and, for -BeforeTimestamp, the offset for
    /// the instant (ListOffsets). Refuses, before any change, an unknown topic or partition, an internal
    /// topic, a topic whose cleanup.policy has no "delete" (Kafka refuses those), and an offset beyond a
    /// partition's high watermark.
    /// </summary>
    public async Task<IReadOnlyList<KafkaRecordDeletion>> PlanAsync(RecordDeletionRequest request, CancellationToken cancellationToken = default)
    {
        RecordDeletionPlanner.Validate(request);
        var topics = new TopicService(_calls.Factory, _calls.Sink, _calls.Retry);
        var metadata = await topics.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        var described = metadata.Topics.FirstOrDefault(t => t.Topic == request.Topic && t.Error.Code != ErrorCode.UnknownTopicOrPart);
        if (described is null)
        {
            throw KafkaErrors.ForTopic(ErrorCode.UnknownTopicOrPart, null, request.Topic, "delete records of");
        }

        var topic = topics.ToTopic(described);
        var scope = RecordDeletionPlanner.ResolvePartitions(request, topic.PartitionCount);
        await EnsureDeletePolicyAsync(request.Topic, cancellationToken).ConfigureAwait(false);

        var selected = topic with { Partitions = topic.Partitions.Where(p => scope.Contains(p.Partition)).ToArray() };
        var errors = new List<KafkaCatalogException>();
        var offsets = new List<KafkaTopicOffset>();
        await foreach (var row in new TopicOffsetService(_calls.Factory, _calls.Sink, _calls.Retry).GetAsync([selected], request.BeforeTimestamp, errors.Add, cancellationToken).ConfigureAwait(false))
        {
            offsets.Add(row);
        }

        if (errors.Count > 0 || offsets.Count != scope.Count)
        {
            var first = errors.FirstOrDefault();
            throw new KafkaCatalogException(ErrorCatalog.PartitionOffsetsUnavailable,
                $"The watermarks of some partitions of topic '{request.Topic}' could not be read ({first?.Message ?? "no answer"}), so the deletion cannot be planned. No records were deleted; try again shortly.",
                request.Topic, first);
        }

        var states = offsets.Select(o => new PartitionLogState(o.Partition, o.LowWatermark, o.HighWatermark) { OffsetForTimestamp = o.OffsetForTimestamp }).ToArray();
        return RecordDeletionPlanner.Plan(request, states, _calls.Factory.Connection.Name);
    }

    /// <summary>
    /// Deletes what a plan from <see cref="PlanAsync"/> says (rows with nothing to delete are not sent) and
    /// returns every row with the low watermark the cluster answered. A partition the cluster refused goes
    /// to <paramref name="onItemError"/> and is not returned.
    /// </summary>
    public async Task<IReadOnlyList<KafkaRecordDeletion>> DeleteAsync(IReadOnlyList<KafkaRecordDeletion> plan, Action<KafkaCatalogException> onItemError, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(onItemError);
        var toSend = plan.Where(r => r.Status == "Planned").ToArray();
        if (toSend.Length == 0)
        {
            return plan;
        }

        _calls.Sink.Verbose($"DeleteRecords for {toSend.Length} partition(s) of '{toSend[0].Topic}' on {_calls.Factory.BootstrapServers}.");
        var reports = await _calls.RunAsync<List<DeleteRecordsReport>, DeleteRecordsException>(
            new KafkaCall("DeleteRecords", KafkaCallKind.IdempotentWrite, $"delete records of topic '{toSend[0].Topic}'", toSend[0].Topic),
            async _ =>
            {
                var results = await _calls.Factory.AdminClient.DeleteRecordsAsync(
                    toSend.Select(r => new TopicPartitionOffset(r.Topic, new Partition(r.Partition), new Offset(r.NewLowWatermark))),
                    new DeleteRecordsOptions { RequestTimeout = _calls.Factory.RequestTimeout, OperationTimeout = _calls.Factory.RequestTimeout }).ConfigureAwait(false);
                return results.Select(r => new DeleteRecordsReport { Topic = r.Topic, Partition = r.Partition, Offset = r.Offset, Error = new Error(ErrorCode.NoError) }).ToList();
            },
            ex => ex.Results,
            null,
            cancellationToken).ConfigureAwait(false);

        var byPartition = reports.GroupBy(r => r.Partition.Value).ToDictionary(g => g.Key, g => g.First());
        var done = new List<KafkaRecordDeletion>();
        foreach (var row in plan)
        {
            if (row.Status != "Planned")
            {
                done.Add(row);
                continue;
            }

            if (!byPartition.TryGetValue(row.Partition, out var report))
            {
                onItemError(KafkaErrors.General(ErrorCode.Unknown, "the cluster's answer did not mention this partition", new KafkaTopicPartition(row.Topic, row.Partition), $"delete records of {row.Topic}[{row.Partition}]"));
                continue;
            }

            if (report.Error.IsError)
            {
                onItemError(Error(row, report.Error.Code, report.Error.Reason));
                continue;
            }

            done.Add(row with { NewLowWatermark = report.Offset.Value, Status = "Deleted" });
        }

        return done;
    }

    /// <summary>The specific error of a partition the cluster refused to delete records of.</summary>
    public static KafkaCatalogException Error(KafkaRecordDeletion row, ErrorCode code, string? reason)
    {
        ArgumentNullException.ThrowIfNull(row);
        var target = new KafkaTopicPartition(row.Topic, row.Partition);
        var detail = string.IsNullOrWhiteSpace(reason) ? code.ToString() : reason;
        return code switch
        {
            ErrorCode.OffsetOutOfRange => new(ErrorCatalog.BeforeOffsetBeyondHighWatermark,
                $"The cluster refused to delete the records of {target} before offset {row.NewLowWatermark}: it is out of range ({detail}). Get-KafkaTopicOffset shows the watermarks.", target),
            ErrorCode.PolicyViolation => PolicyError(row.Topic, detail),
            ErrorCode.TopicException => new(ErrorCatalog.CannotDeleteInternalTopicRecords,
                $"The cluster refused to delete records of {target} ({detail}).", target),
            ErrorCode.UnknownTopicOrPart => new(ErrorCatalog.PartitionNotFound,
                $"{target} does not exist (any more): {detail}. Use Get-KafkaTopic to list the partitions.", target),
            _ => KafkaErrors.General(code, reason, target, $"delete records of {target}"),
        };
    }

    private static KafkaCatalogException PolicyError(string topic, string detail) => new(ErrorCatalog.RecordDeletionNotAllowed,
        $"Records of topic '{topic}' cannot be deleted: its cleanup.policy does not include 'delete' ({detail}). Kafka deletes records only from topics with cleanup.policy delete or compact,delete (Set-KafkaTopicConfig).", topic);

    /// <summary>Kafka refuses DeleteRecords for a log whose cleanup.policy lacks "delete"; say so before anything is sent.</summary>
    private async Task EnsureDeletePolicyAsync(string topic, CancellationToken cancellationToken)
    {
        var configs = new ConfigService(_calls.Factory, _calls.Sink, _calls.Retry);
        var errors = new List<KafkaCatalogException>();
        await foreach (var (_, entries) in configs.DescribeTopicsAsync([topic], errors.Add, cancellationToken).ConfigureAwait(false))
        {
            var policy = entries.FirstOrDefault(e => e.Name == "cleanup.policy")?.Value;
            if (policy is not null && !policy.Split(',').Select(v => v.Trim()).Contains("delete", StringComparer.OrdinalIgnoreCase))
            {
                throw PolicyError(topic, $"cleanup.policy={policy}");
            }
        }

        if (errors.Count > 0)
        {
            throw errors[0];
        }
    }
}
