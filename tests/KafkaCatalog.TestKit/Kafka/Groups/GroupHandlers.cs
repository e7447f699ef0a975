using System.Net;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Groups;

/// <summary>Shared checks of the group APIs: coordinator routing and group ACLs.</summary>
internal static class GroupRouting
{
    /// <summary>0, COORDINATOR_NOT_AVAILABLE (no live leader for the group's offsets partition) or NOT_COORDINATOR.</summary>
    public static short CheckCoordinator(RequestContext ctx, string groupId)
    {
        int coordinator = ctx.State.CoordinatorFor(groupId);
        if (coordinator < 0)
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        return coordinator == ctx.BrokerId ? ErrorCode.None : ErrorCode.NotCoordinator;
    }

    public static bool Can(RequestContext ctx, AclOperation op, string groupId) =>
        ctx.State.IsAuthorized(ctx.Principal, op, AclResourceType.Group, groupId);

    public static bool CanTopic(RequestContext ctx, AclOperation op, string topic) =>
        ctx.State.IsAuthorized(ctx.Principal, op, AclResourceType.Topic, topic);

    public static string ClientHost(RequestContext ctx) =>
        "/" + ((ctx.Connection.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "127.0.0.1");

    public static string StateName(GroupState s) => s.ToString();

    /// <summary>
    /// Answers each requested topic partition (OffsetCommit, OffsetDelete) in the response's Topics
    /// array with its error code from <paramref name="errors"/> (0 when absent), in request order.
    /// </summary>
    public static void AddPartitionErrors(Message resp, List<Message> topics, Dictionary<(string, int), short> errors)
    {
        foreach (var t in topics)
        {
            string name = t.GetString("Name") ?? "";
            var rt = resp.AddElement("Topics");
            rt.Set("Name", name);
            foreach (var p in t.GetArray("Partitions") ?? new List<Message>())
            {
                int index = p.GetInt32("PartitionIndex");
                var rp = rt.AddElement("Partitions");
                rp.Set("PartitionIndex", index);
                rp.Set("ErrorCode", errors.GetValueOrDefault((name, index)));
            }
        }
    }
}

/// <summary>FindCoordinator (10) v0-v4, including batched CoordinatorKeys (v4). Only group keys (KeyType 0) are served.</summary>
internal sealed class FindCoordinatorHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.FindCoordinator;
    public short MinVersion => 0;
    public short MaxVersion => 4;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        var resp = ctx.NewResponse();
        sbyte keyType = v >= 1 ? request.GetInt8("KeyType") : (sbyte)0;
        if (v >= 4)
        {
            foreach (var key in request.GetList<string>("CoordinatorKeys") ?? new List<string>())
            {
                var c = resp.AddElement("Coordinators");
                c.Set("Key", key);
                var (code, message, broker) = Find(ctx, keyType, key);
                c.Set("ErrorCode", code);
                c.Set("ErrorMessage", message);
                c.Set("NodeId", broker?.Id ?? -1);
                c.Set("Host", broker?.Host ?? "");
                c.Set("Port", broker?.Port ?? -1);
            }
            return ValueTask.FromResult<Message?>(resp);
        }
        var (err, msg, b) = Find(ctx, keyType, request.GetString("Key") ?? "");
        resp.Set("ErrorCode", err);
        if (v >= 1)
        {
            resp.Set("ErrorMessage", msg);
        }

        resp.Set("NodeId", b?.Id ?? -1);
        resp.Set("Host", b?.Host ?? "");
        resp.Set("Port", b?.Port ?? -1);
        return ValueTask.FromResult<Message?>(resp);
    }

    private static (short Code, string? Message, BrokerState? Broker) Find(RequestContext ctx, sbyte keyType, string key)
    {
        if (keyType == 1)
        {
            return (ErrorCode.CoordinatorNotAvailable, "Transactions are not supported by the TestKit broker.", null);
        }

        if (keyType != 0)
        {
            return (ErrorCode.InvalidRequest, $"Unknown coordinator key type {keyType}.", null);
        }

        if (!GroupRouting.Can(ctx, AclOperation.Describe, key))
        {
            return (ErrorCode.GroupAuthorizationFailed, "Group authorization failed.", null);
        }

        int id = ctx.State.CoordinatorFor(key);
        var broker = id < 0 ? null : ctx.State.Broker(id);
        if (broker is null)
        {
            return (ErrorCode.CoordinatorNotAvailable, "The coordinator is not available.", null);
        }

        return (ErrorCode.None, null, broker);
    }
}

/// <summary>JoinGroup (11) v0-v9. v4+ without a group instance id needs a known member id (MEMBER_ID_REQUIRED first).</summary>
internal sealed class JoinGroupHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.JoinGroup;
    public short MinVersion => 0;
    public short MaxVersion => 9;

    public async ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        string groupId = request.GetString("GroupId") ?? "";
        string memberId = request.GetString("MemberId") ?? "";
        string? instanceId = v >= 5 ? request.GetString("GroupInstanceId") : null;
        JoinGroupResult result;
        short routing = GroupRouting.CheckCoordinator(ctx, groupId);
        if (routing != 0)
        {
            result = JoinGroupResult.Error(routing, memberId);
        }
        else if (!GroupRouting.Can(ctx, AclOperation.Read, groupId))
        {
            result = JoinGroupResult.Error(ErrorCode.GroupAuthorizationFailed, memberId);
        }
        else
        {
            int session = request.GetInt32("SessionTimeoutMs");
            var protocols = (request.GetArray("Protocols") ?? new List<Message>())
                .Select(p => new GroupProtocol(p.GetString("Name") ?? "", p.GetBytes("Metadata") ?? Array.Empty<byte>()))
                .ToList();
            var args = new JoinGroupArgs(groupId, session, v >= 1 ? request.GetInt32("RebalanceTimeoutMs") : session, memberId, instanceId,
                request.GetString("ProtocolType") ?? "", protocols, ctx.ClientId ?? "", GroupRouting.ClientHost(ctx),
                RequireKnownMemberId: v >= 4 && instanceId is null);
            result = await ctx.State.Groups.JoinAsync(args).WaitAsync(ct).ConfigureAwait(false);
        }
        var resp = ctx.NewResponse();
        resp.Set("ErrorCode", result.ErrorCode);
        resp.Set("GenerationId", result.GenerationId);
        if (v >= 7)
        {
            resp.Set("ProtocolType", result.ProtocolType);
            resp.Set("ProtocolName", result.ProtocolName);
        }
        else
        {
            resp.Set("ProtocolName", result.ProtocolName ?? "");
        }
        resp.Set("Leader", result.LeaderId);
        resp.Set("MemberId", result.MemberId);
        foreach (var m in result.Members)
        {
            var e = resp.AddElement("Members");
            e.Set("MemberId", m.MemberId);
            if (v >= 5)
            {
                e.Set("GroupInstanceId", m.GroupInstanceId);
            }

            e.Set("Metadata", m.Metadata);
        }
        return resp;
    }
}

/// <summary>SyncGroup (14) v0-v5.</summary>
internal sealed class SyncGroupHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.SyncGroup;
    public short MinVersion => 0;
    public short MaxVersion => 5;

    public async ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        string groupId = request.GetString("GroupId") ?? "";
        SyncGroupResult result;
        short routing = GroupRouting.CheckCoordinator(ctx, groupId);
        if (routing != 0)
        {
            result = SyncGroupResult.Error(routing);
        }
        else if (!GroupRouting.Can(ctx, AclOperation.Read, groupId))
        {
            result = SyncGroupResult.Error(ErrorCode.GroupAuthorizationFailed);
        }
        else
        {
            var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var a in request.GetArray("Assignments") ?? new List<Message>())
            {
                assignments[a.GetString("MemberId") ?? ""] = a.GetBytes("Assignment") ?? Array.Empty<byte>();
            }
            var args = new SyncGroupArgs(groupId, request.GetInt32("GenerationId"), request.GetString("MemberId") ?? "",
                v >= 3 ? request.GetString("GroupInstanceId") : null,
                v >= 5 ? request.GetString("ProtocolType") : null,
                v >= 5 ? request.GetString("ProtocolName") : null,
                assignments);
            result = await ctx.State.Groups.SyncAsync(args).WaitAsync(ct).ConfigureAwait(false);
        }
        var resp = ctx.NewResponse();
        resp.Set("ErrorCode", result.ErrorCode);
        if (v >= 5)
        {
            resp.Set("ProtocolType", result.ProtocolType);
            resp.Set("ProtocolName", result.ProtocolName);
        }
        resp.Set("Assignment", result.Assignment);
        return resp;
    }
}

/// <summary>Heartbeat (12) v0-v4.</summary>
internal sealed class HeartbeatHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.Heartbeat;
    public short MinVersion => 0;
    public short MaxVersion => 4;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        string groupId = request.GetString("GroupId") ?? "";
        short code = GroupRouting.CheckCoordinator(ctx, groupId);
        if (code == 0 && !GroupRouting.Can(ctx, AclOperation.Read, groupId))
        {
            code = ErrorCode.GroupAuthorizationFailed;
        }

        if (code == 0)
        {
            code = ctx.State.Groups.Heartbeat(groupId, request.GetString("MemberId") ?? "", request.GetInt32("GenerationId"),
                ctx.ApiVersion >= 3 ? request.GetString("GroupInstanceId") : null);
        }
        var resp = ctx.NewResponse();
        resp.Set("ErrorCode", code);
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>LeaveGroup (13) v0-v5 (v3+ batched members with per-member errors).</summary>
internal sealed class LeaveGroupHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.LeaveGroup;
    public short MinVersion => 0;
    public short MaxVersion => 5;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        string groupId = request.GetString("GroupId") ?? "";
        var members = v >= 3
            ? (request.GetArray("Members") ?? new List<Message>()).Select(m => new LeaveMember(m.GetString("MemberId") ?? "", m.GetString("GroupInstanceId"))).ToList()
            : new List<LeaveMember> { new(request.GetString("MemberId") ?? "", null) };
        var resp = ctx.NewResponse();
        short code = GroupRouting.CheckCoordinator(ctx, groupId);
        if (code == 0 && !GroupRouting.Can(ctx, AclOperation.Read, groupId))
        {
            code = ErrorCode.GroupAuthorizationFailed;
        }

        if (code != 0)
        {
            resp.Set("ErrorCode", code);
            return ValueTask.FromResult<Message?>(resp);
        }
        bool groupKnown = ctx.State.Groups.GetState(groupId) is not null;
        var result = ctx.State.Groups.Leave(groupId, members);
        if (v >= 3)
        {
            resp.Set("ErrorCode", groupKnown ? ErrorCode.None : ErrorCode.UnknownMemberId);
            foreach (var (memberId, instanceId, err) in result.Members)
            {
                var e = resp.AddElement("Members");
                e.Set("MemberId", memberId);
                e.Set("GroupInstanceId", instanceId);
                e.Set("ErrorCode", err);
            }
        }
        else
        {
            resp.Set("ErrorCode", result.ErrorCode);
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>OffsetCommit (8) v0-v8. Generation -1 with an empty member id is a simple (admin) commit.</summary>
internal sealed class OffsetCommitHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.OffsetCommit;
    public short MinVersion => 0;
    public short MaxVersion => 8;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        string groupId = request.GetString("GroupId") ?? "";
        var topics = request.GetArray("Topics") ?? new List<Message>();
        short groupError = GroupRouting.CheckCoordinator(ctx, groupId);
        if (groupError == 0 && !GroupRouting.Can(ctx, AclOperation.Read, groupId))
        {
            groupError = ErrorCode.GroupAuthorizationFailed;
        }

        var errors = new Dictionary<(string, int), short>();
        var entries = new List<OffsetCommitEntry>();
        foreach (var t in topics)
        {
            string name = t.GetString("Name") ?? "";
            bool topicOk = GroupRouting.CanTopic(ctx, AclOperation.Read, name);
            foreach (var p in t.GetArray("Partitions") ?? new List<Message>())
            {
                int index = p.GetInt32("PartitionIndex");
                if (groupError != 0)
                {
                    errors[(name, index)] = groupError;
                }
                else if (!topicOk)
                {
                    errors[(name, index)] = ErrorCode.TopicAuthorizationFailed;
                }
                else
                {
                    entries.Add(new OffsetCommitEntry(name, index, p.GetInt64("CommittedOffset"),
                    v >= 6 ? p.GetInt32("CommittedLeaderEpoch") : -1, p.GetString("CommittedMetadata")));
                }
            }
        }
        if (groupError == 0 && entries.Count > 0)
        {
            int generation = v >= 1 ? request.GetInt32("GenerationIdOrMemberEpoch") : -1;
            string memberId = v >= 1 ? request.GetString("MemberId") ?? "" : "";
            var (_, parts) = ctx.State.Groups.CommitOffsets(groupId, generation, memberId, entries);
            foreach (var pe in parts)
            {
                errors[(pe.Topic, pe.Partition)] = pe.ErrorCode;
            }
        }
        var resp = ctx.NewResponse();
        GroupRouting.AddPartitionErrors(resp, topics, errors);
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>OffsetFetch (9) v0-v8: null topics (v2+) = every committed partition; v8 takes a groups array.</summary>
internal sealed class OffsetFetchHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.OffsetFetch;
    public short MinVersion => 0;
    public short MaxVersion => 8;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        var resp = ctx.NewResponse();
        if (v >= 8)
        {
            foreach (var g in request.GetArray("Groups") ?? new List<Message>())
            {
                string groupId = g.GetString("GroupId") ?? "";
                var rg = resp.AddElement("Groups");
                rg.Set("GroupId", groupId);
                var (code, entries) = Fetch(ctx, groupId, ReadTopics(g.GetArray("Topics")), perPartitionError: false);
                rg.Set("ErrorCode", code);
                Write(rg, entries, v);
            }
            return ValueTask.FromResult<Message?>(resp);
        }
        var (err, list) = Fetch(ctx, request.GetString("GroupId") ?? "", ReadTopics(request.GetArray("Topics")), perPartitionError: v < 2);
        if (v >= 2)
        {
            resp.Set("ErrorCode", err);
        }

        Write(resp, list, v);
        return ValueTask.FromResult<Message?>(resp);
    }

    private static List<(string Topic, int Partition)>? ReadTopics(List<Message>? topics) =>
        topics?.SelectMany(t => (t.GetList<int>("PartitionIndexes") ?? new List<int>()).Select(p => (t.GetString("Name") ?? "", p))).ToList();

    private static (short Code, List<OffsetFetchEntry> Entries) Fetch(RequestContext ctx, string groupId, List<(string Topic, int Partition)>? partitions, bool perPartitionError)
    {
        short code = GroupRouting.CheckCoordinator(ctx, groupId);
        if (code == 0 && !GroupRouting.Can(ctx, AclOperation.Describe, groupId))
        {
            code = ErrorCode.GroupAuthorizationFailed;
        }

        if (code != 0)
        {
            var failed = (partitions ?? new List<(string, int)>())
                .Select(p => new OffsetFetchEntry(p.Topic, p.Partition, -1, -1, "", perPartitionError ? code : (short)0)).ToList();
            return (code, failed);
        }
        var result = ctx.State.Groups.FetchOffsets(groupId, partitions);
        var entries = new List<OffsetFetchEntry>();
        foreach (var e in result.Partitions)
        {
            bool allowed = GroupRouting.CanTopic(ctx, AclOperation.Describe, e.Topic);
            if (!allowed && partitions is null)
            {
                continue; // unauthorized topics are left out of "all"
            }

            if (partitions is null && ctx.State.GetTopic(e.Topic) is null)
            {
                continue; // offsets of deleted topics are gone
            }

            entries.Add(allowed ? e : e with { Offset = -1, LeaderEpoch = -1, Metadata = "", ErrorCode = ErrorCode.TopicAuthorizationFailed });
        }
        return (result.ErrorCode, entries);
    }

    private static void Write(Message parent, List<OffsetFetchEntry> entries, short v)
    {
        foreach (var byTopic in entries.GroupBy(e => e.Topic))
        {
            var t = parent.AddElement("Topics");
            t.Set("Name", byTopic.Key);
            foreach (var e in byTopic)
            {
                var p = t.AddElement("Partitions");
                p.Set("PartitionIndex", e.Partition);
                p.Set("CommittedOffset", e.Offset);
                if (v >= 5)
                {
                    p.Set("CommittedLeaderEpoch", e.LeaderEpoch);
                }

                p.Set("Metadata", e.Metadata ?? "");
                p.Set("ErrorCode", e.ErrorCode);
            }
        }
    }
}

/// <summary>ListGroups (16) v0-v5 (v4 StatesFilter, v5 TypesFilter). Each broker lists the groups it coordinates.</summary>
internal sealed class ListGroupsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.ListGroups;
    public short MinVersion => 0;
    public short MaxVersion => 5;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        var states = v >= 4 ? request.GetList<string>("StatesFilter") : null;
        var types = v >= 5 ? request.GetList<string>("TypesFilter") : null;
        var resp = ctx.NewResponse();
        resp.Set("ErrorCode", ErrorCode.None);
        bool typeOk = types is null || types.Count == 0 || types.Contains("classic", StringComparer.OrdinalIgnoreCase);
        foreach (var g in ctx.State.Groups.ListGroups(states))
        {
            if (!typeOk)
            {
                break;
            }

            if (ctx.State.CoordinatorFor(g.GroupId) != ctx.BrokerId)
            {
                continue;
            }

            if (!GroupRouting.Can(ctx, AclOperation.Describe, g.GroupId))
            {
                continue;
            }

            var e = resp.AddElement("Groups");
            e.Set("GroupId", g.GroupId);
            e.Set("ProtocolType", g.ProtocolType);
            if (v >= 4)
            {
                e.Set("GroupState", GroupRouting.StateName(g.State));
            }

            if (v >= 5)
            {
                e.Set("GroupType", "classic");
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>DescribeGroups (15) v0-v5. Unknown groups come back with state "Dead" and no error, as in Kafka.</summary>
internal sealed class DescribeGroupsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DescribeGroups;
    public short MinVersion => 0;
    public short MaxVersion => 5;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var v = ctx.ApiVersion;
        bool includeOps = v >= 3 && request.GetBool("IncludeAuthorizedOperations");
        var resp = ctx.NewResponse();
        foreach (var groupId in request.GetList<string>("Groups") ?? new List<string>())
        {
            ctx.State.CountGroupDescription(ctx.ClientId, groupId, v);
            var g = resp.AddElement("Groups");
            g.Set("GroupId", groupId);
            short code = GroupRouting.CheckCoordinator(ctx, groupId);
            if (code == 0 && !GroupRouting.Can(ctx, AclOperation.Describe, groupId))
            {
                code = ErrorCode.GroupAuthorizationFailed;
            }

            if (code != 0)
            {
                g.Set("ErrorCode", code);
                g.Set("GroupState", "");
                g.Set("ProtocolType", "");
                g.Set("ProtocolData", "");
                if (v >= 3)
                {
                    g.Set("AuthorizedOperations", int.MinValue);
                }

                continue;
            }
            var d = ctx.State.Groups.DescribeGroup(groupId);
            g.Set("ErrorCode", d.ErrorCode);
            g.Set("GroupState", d.StateName);
            g.Set("ProtocolType", d.ProtocolType);
            g.Set("ProtocolData", d.Protocol);
            foreach (var m in d.Members)
            {
                var e = g.AddElement("Members");
                e.Set("MemberId", m.MemberId);
                if (v >= 4)
                {
                    e.Set("GroupInstanceId", m.GroupInstanceId);
                }

                e.Set("ClientId", m.ClientId);
                e.Set("ClientHost", m.ClientHost);
                e.Set("MemberMetadata", m.Metadata);
                e.Set("MemberAssignment", m.Assignment);
            }
            if (v >= 3)
            {
                g.Set("AuthorizedOperations", includeOps ? ctx.State.AuthorizedOperations(ctx.Principal, AclResourceType.Group, groupId) : int.MinValue);
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>DeleteGroups (42) v0-v2: GROUP_ID_NOT_FOUND (69), NON_EMPTY_GROUP (68).</summary>
internal sealed class DeleteGroupsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DeleteGroups;
    public short MinVersion => 0;
    public short MaxVersion => 2;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        foreach (var groupId in request.GetList<string>("GroupsNames") ?? new List<string>())
        {
            short code = GroupRouting.CheckCoordinator(ctx, groupId);
            if (code == 0 && !GroupRouting.Can(ctx, AclOperation.Delete, groupId))
            {
                code = ErrorCode.GroupAuthorizationFailed;
            }

            if (code == 0)
            {
                code = ctx.State.Groups.DeleteGroup(groupId);
            }

            var r = resp.AddElement("Results");
            r.Set("GroupId", groupId);
            r.Set("ErrorCode", code);
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>OffsetDelete (47) v0: GROUP_SUBSCRIBED_TO_TOPIC (86) for topics the live group subscribes to.</summary>
internal sealed class OffsetDeleteHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.OffsetDelete;
    public short MinVersion => 0;
    public short MaxVersion => 0;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        string groupId = request.GetString("GroupId") ?? "";
        var topics = request.GetArray("Topics") ?? new List<Message>();
        var resp = ctx.NewResponse();
        short code = GroupRouting.CheckCoordinator(ctx, groupId);
        if (code == 0 && !GroupRouting.Can(ctx, AclOperation.Delete, groupId))
        {
            code = ErrorCode.GroupAuthorizationFailed;
        }

        if (code != 0)
        {
            resp.Set("ErrorCode", code);
            return ValueTask.FromResult<Message?>(resp);
        }
        var errors = new Dictionary<(string, int), short>();
        var partitions = new List<(string, int)>();
        foreach (var t in topics)
        {
            string name = t.GetString("Name") ?? "";
            bool ok = GroupRouting.CanTopic(ctx, AclOperation.Read, name);
            foreach (var p in t.GetArray("Partitions") ?? new List<Message>())
            {
                int index = p.GetInt32("PartitionIndex");
                if (!ok)
                {
                    errors[(name, index)] = ErrorCode.TopicAuthorizationFailed;
                }
                else if (ctx.State.GetPartition(name, index) is null)
                {
                    errors[(name, index)] = ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    partitions.Add((name, index));
                }
            }
        }
        var (top, parts) = ctx.State.Groups.DeleteOffsets(groupId, partitions);
        resp.Set("ErrorCode", top);
        if (top == 0)
        {
            foreach (var pe in parts)
            {
                errors[(pe.Topic, pe.Partition)] = pe.ErrorCode;
            }

            GroupRouting.AddPartitionErrors(resp, topics, errors);
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}
