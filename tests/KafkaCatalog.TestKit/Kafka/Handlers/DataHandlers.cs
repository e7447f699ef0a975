using KafkaCatalog.TestKit.Kafka.Log;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

internal static class PartitionLookup
{
    /// <summary>Finds a partition this broker leads; returns the Kafka error otherwise. Caller holds the lock.</summary>
    public static short Leader(RequestContext ctx, string? topic, int partition, AclOperation op, out PartitionState? p)
    {
        p = null;
        var state = ctx.State;
        if (topic is not null && !state.IsAuthorized(ctx.Principal, op, AclResourceType.Topic, topic))
        {
            return ErrorCode.TopicAuthorizationFailed;
        }

        var t = topic is null ? null : state.TopicsUnlocked.FirstOrDefault(x => x.Name == topic);
        if (t is null || partition < 0 || partition >= t.Partitions.Count)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }

        p = t.Partitions[partition];
        if (p.LeaderId < 0)
        {
            return ErrorCode.LeaderNotAvailable;
        }

        return p.LeaderId == ctx.BrokerId ? ErrorCode.None : ErrorCode.NotLeaderOrFollower;
    }
}

/// <summary>Produce (0) v0-v9, to partition leaders only. Stores magic-2 batches as produced (offsets assigned).</summary>
internal sealed class ProduceHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.Produce;
    public short MinVersion => 0;
    public short MaxVersion => 9;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var state = ctx.State;
        var acks = request.GetInt16("Acks");
        var resp = ctx.NewResponse();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var appended = false;
        lock (state.Sync)
        {
            foreach (var td in request.GetArray("TopicData") ?? new List<Message>())
            {
                var name = td.GetString("Name");
                var tr = resp.AddElement("Responses");
                tr.Set("Name", name);
                foreach (var pd in td.GetArray("PartitionData") ?? new List<Message>())
                {
                    var pr = tr.AddElement("PartitionResponses");
                    var index = pd.GetInt32("Index");
                    pr.Set("Index", index);
                    pr.Set("BaseOffset", -1L);
                    var code = acks is -1 or 0 or 1 ? PartitionLookup.Leader(ctx, name, index, AclOperation.Write, out var p) : Invalid(out p);
                    string? message = null;
                    if (code == ErrorCode.None && state.TopicsUnlocked.First(t => t.Name == name).IsInternal)
                    {
                        // Kafka: clients may not append to internal topics.
                        code = ErrorCode.InvalidTopicException;
                        message = $"Cannot append to internal topic {name}";
                    }
                    List<byte[]>? batches = null;
                    if (code == ErrorCode.None)
                    {
                        code = PartitionLog.Split(pd.GetBytes("Records"), out batches, out message);
                    }

                    var topic = name is null ? null : state.TopicsUnlocked.FirstOrDefault(t => t.Name == name);
                    if (code == ErrorCode.None)
                    {
                        var maxBytes = int.Parse(Config(state, topic!, "max.message.bytes"), System.Globalization.CultureInfo.InvariantCulture);
                        if (batches!.Any(b => b.Length > maxBytes))
                        {
                            code = ErrorCode.MessageTooLarge;
                            message = $"The request included a message larger than the max message size the server will accept.";
                        }
                    }
                    if (code == ErrorCode.None && acks == -1)
                    {
                        var minIsr = int.Parse(Config(state, topic!, "min.insync.replicas"), System.Globalization.CultureInfo.InvariantCulture);
                        if (p!.Isr.Count < minIsr)
                        {
                            code = ErrorCode.NotEnoughReplicas;
                            message = $"The size of the current ISR Set({string.Join(",", p.Isr)}) is insufficient to satisfy the min.isr requirement of {minIsr} for partition {name}-{index}";
                        }
                    }
                    if (code != ErrorCode.None)
                    {
                        pr.Set("ErrorCode", code);
                        pr.Set("ErrorMessage", message);
                        continue;
                    }
                    var logAppend = Config(state, topic!, "message.timestamp.type") == "LogAppendTime";
                    var baseOffset = PartitionLog.Append(p!, batches!, logAppend, now);
                    appended = true;
                    pr.Set("ErrorCode", ErrorCode.None);
                    pr.Set("BaseOffset", baseOffset);
                    pr.Set("LogAppendTimeMs", logAppend ? now : -1L);
                    pr.Set("LogStartOffset", p!.LogStartOffset);
                }
            }
        }
        if (appended)
        {
            state.NotifyChanged();
        }

        return ValueTask.FromResult(acks == 0 ? null : (Message?)resp);
    }

    private static short Invalid(out PartitionState? p)
    {
        p = null;
        return ErrorCode.InvalidRequiredAcks;
    }

    internal static string Config(ClusterState state, TopicState topic, string key) =>
        topic.Configs.TryGetValue(key, out var v) ? v : state.BrokerDefault(TopicConfigs.Find(key)!)!;
}

/// <summary>Fetch (1) v0-v12 from partition leaders, with long polling (MaxWaitMs / MinBytes); no fetch sessions.</summary>
internal sealed class FetchHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.Fetch;
    public short MinVersion => 0;
    public short MaxVersion => 12;

    public async ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var maxWait = Math.Max(0, request.GetInt32("MaxWaitMs"));
        var minBytes = request.GetInt32("MinBytes");
        var deadline = DateTime.UtcNow.AddMilliseconds(maxWait);
        while (true)
        {
            var wait = ctx.State.WaitForChangeAsync();
            var (resp, bytes, anyError) = Build(ctx, request);
            var remaining = deadline - DateTime.UtcNow;
            if (bytes >= Math.Max(1, minBytes) || anyError || remaining <= TimeSpan.Zero)
            {
                return resp;
            }

            try
            {
                await wait.WaitAsync(remaining, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return Build(ctx, request).Response;
            }
        }
    }

    private static (Message Response, long Bytes, bool AnyError) Build(RequestContext ctx, Message request)
    {
        var state = ctx.State;
        var v = ctx.ApiVersion;
        var resp = ctx.NewResponse();
        resp.Set("SessionId", 0);
        long total = 0;
        var anyError = false;
        var maxBytes = v >= 3 ? request.GetInt32("MaxBytes") : int.MaxValue;
        lock (state.Sync)
        {
            foreach (var ft in request.GetArray("Topics") ?? new List<Message>())
            {
                var name = ft.GetString("Topic");
                var tr = resp.AddElement("Responses");
                tr.Set("Topic", name);
                foreach (var fp in ft.GetArray("Partitions") ?? new List<Message>())
                {
                    var index = fp.GetInt32("Partition");
                    var pr = tr.AddElement("Partitions");
                    pr.Set("PartitionIndex", index);
                    pr.Set("HighWatermark", -1L);
                    pr.Set("LastStableOffset", -1L);
                    pr.Set("LogStartOffset", -1L);
                    pr.Set("AbortedTransactions", null);
                    var code = PartitionLookup.Leader(ctx, name, index, AclOperation.Read, out var p);
                    if (code == ErrorCode.None)
                    {
                        var offset = fp.GetInt64("FetchOffset");
                        if (offset < p!.LogStartOffset || offset > p.HighWatermark)
                        {
                            code = ErrorCode.OffsetOutOfRange;
                        }
                    }
                    if (p is not null && code is ErrorCode.None or ErrorCode.OffsetOutOfRange)
                    {
                        pr.Set("HighWatermark", p.HighWatermark);
                        pr.Set("LastStableOffset", p.HighWatermark);
                        pr.Set("LogStartOffset", p.LogStartOffset);
                    }
                    if (code == ErrorCode.NotLeaderOrFollower && p is not null && v >= 12)
                    {
                        var leader = pr.GetStruct("CurrentLeader");
                        leader.Set("LeaderId", p.LeaderId);
                        leader.Set("LeaderEpoch", p.LeaderEpoch);
                    }
                    pr.Set("ErrorCode", code);
                    if (code != ErrorCode.None)
                    {
                        anyError = true;
                        pr.Set("Records", Array.Empty<byte>());
                        continue;
                    }
                    var budget = (int)Math.Min(fp.GetInt32("PartitionMaxBytes"), Math.Max(0, maxBytes - total));
                    var data = total > 0 && budget <= 0 ? Array.Empty<byte>() : PartitionLog.Read(p!, fp.GetInt64("FetchOffset"), Math.Max(1, budget));
                    total += data.Length;
                    pr.Set("Records", data);
                    if (v >= 4)
                    {
                        pr.Set("AbortedTransactions", new List<Message>());
                    }
                }
            }
        }
        return (resp, total, anyError);
    }
}

/// <summary>ListOffsets (2) v0-v7: -2 earliest, -1 latest, -3 max timestamp, else by timestamp.</summary>
internal sealed class ListOffsetsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.ListOffsets;
    public short MinVersion => 0;
    public short MaxVersion => 7;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var state = ctx.State;
        var v = ctx.ApiVersion;
        var resp = ctx.NewResponse();
        lock (state.Sync)
        {
            foreach (var lt in request.GetArray("Topics") ?? new List<Message>())
            {
                var name = lt.GetString("Name");
                var tr = resp.AddElement("Topics");
                tr.Set("Name", name);
                foreach (var lp in lt.GetArray("Partitions") ?? new List<Message>())
                {
                    var index = lp.GetInt32("PartitionIndex");
                    var pr = tr.AddElement("Partitions");
                    pr.Set("PartitionIndex", index);
                    var code = PartitionLookup.Leader(ctx, name, index, AclOperation.Describe, out var p);
                    pr.Set("ErrorCode", code);
                    if (code != ErrorCode.None)
                    {
                        continue;
                    }

                    var ts = lp.GetInt64("Timestamp");
                    (long Offset, long Timestamp)? found = ts switch
                    {
                        -2 => (p!.LogStartOffset, -1L),
                        -1 => (p!.HighWatermark, -1L),
                        -3 => PartitionLog.FindMaxTimestamp(p!) ?? (-1L, -1L),
                        _ => PartitionLog.FindByTimestamp(p!, ts),
                    };
                    if (v == 0)
                    {
                        pr.Set("OldStyleOffsets", found is null ? new List<long>() : new List<long> { found.Value.Offset });
                        continue;
                    }
                    pr.Set("Offset", found?.Offset ?? -1L);
                    pr.Set("Timestamp", found?.Timestamp ?? -1L);
                    pr.Set("LeaderEpoch", found is null ? -1 : p!.LeaderEpoch);
                }
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>DeleteRecords (21) v0-v2: moves the log start offset (leader only), with Kafka's refusals (internal topic, cleanup.policy without delete, offset beyond the high watermark).</summary>
internal sealed class DeleteRecordsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DeleteRecords;
    public short MinVersion => 0;
    public short MaxVersion => 2;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var state = ctx.State;
        var resp = ctx.NewResponse();
        lock (state.Sync)
        {
            foreach (var dt in request.GetArray("Topics") ?? new List<Message>())
            {
                var name = dt.GetString("Name");
                var tr = resp.AddElement("Topics");
                tr.Set("Name", name);
                foreach (var dp in dt.GetArray("Partitions") ?? new List<Message>())
                {
                    var index = dp.GetInt32("PartitionIndex");
                    var pr = tr.AddElement("Partitions");
                    pr.Set("PartitionIndex", index);
                    pr.Set("LowWatermark", -1L);
                    var code = PartitionLookup.Leader(ctx, name, index, AclOperation.Delete, out var p);
                    var topic = code == ErrorCode.None ? state.TopicsUnlocked.First(t => t.Name == name) : null;
                    if (topic is { IsInternal: true })
                    {
                        // Kafka (ReplicaManager.deleteRecordsOnLocalLog): "Cannot delete records of internal topic ...".
                        code = ErrorCode.InvalidTopicException;
                    }
                    else if (topic is not null && !ProduceHandler.Config(state, topic, "cleanup.policy").Split(',').Select(v => v.Trim()).Contains("delete"))
                    {
                        // Kafka (Partition.deleteRecordsOnLeader): a log whose cleanup.policy lacks "delete" refuses.
                        code = ErrorCode.PolicyViolation;
                    }
                    else if (code == ErrorCode.None)
                    {
                        // Kafka: -1 means the high watermark; below 0 or above the high watermark is
                        // OFFSET_OUT_OF_RANGE; at or below the log start nothing moves.
                        var offset = dp.GetInt64("Offset");
                        if (offset == -1)
                        {
                            offset = p!.HighWatermark;
                        }

                        if (offset < 0 || offset > p!.HighWatermark)
                        {
                            code = ErrorCode.OffsetOutOfRange;
                        }
                        else
                        {
                            PartitionLog.DeleteBefore(p, offset);
                            pr.Set("LowWatermark", p.LogStartOffset);
                        }
                    }
                    pr.Set("ErrorCode", code);
                }
            }
        }
        state.NotifyChanged();
        return ValueTask.FromResult<Message?>(resp);
    }
}
