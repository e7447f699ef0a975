using System.Buffers.Binary;
using System.Text;

namespace KafkaCatalog.TestKit.Kafka.Groups;

/// <summary>
/// Classic (pre-KIP-848) consumer group coordinator as a pure state machine: join/sync/heartbeat/leave with
/// generations, leader election and protocol selection; committed offsets; list/describe/delete. Time comes from a
/// <see cref="TimeProvider"/>; session and rebalance timeouts are applied by <see cref="Tick"/>, which the broker calls
/// periodically (tests call it after moving a manual clock). JoinGroup and SyncGroup return tasks that complete when
/// the rebalance step completes, as on a real broker.
/// </summary>
public sealed class GroupCoordinator
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly GroupCoordinatorOptions _options;
    private readonly Func<string, int, bool> _partitionExists;

    /// <param name="partitionExists">Whether topic/partition exists (OffsetCommit answers UNKNOWN_TOPIC_OR_PARTITION otherwise).</param>
    public GroupCoordinator(TimeProvider? clock = null, GroupCoordinatorOptions? options = null, Func<string, int, bool>? partitionExists = null)
    {
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new GroupCoordinatorOptions();
        _partitionExists = partitionExists ?? ((_, _) => true);
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    // ------------------------------------------------------------------ join

    public Task<JoinGroupResult> JoinAsync(JoinGroupArgs a)
    {
        lock (_lock)
        {
            if (string.IsNullOrEmpty(a.GroupId))
            {
                return Task.FromResult(JoinGroupResult.Error(GroupErrors.InvalidGroupId, a.MemberId));
            }

            if (a.SessionTimeoutMs < _options.MinSessionTimeoutMs || a.SessionTimeoutMs > _options.MaxSessionTimeoutMs)
            {
                return Task.FromResult(JoinGroupResult.Error(GroupErrors.InvalidSessionTimeout, a.MemberId));
            }
            _groups.TryGetValue(a.GroupId, out var g);
            if (g is null)
            {
                if (a.MemberId.Length != 0)
                {
                    return Task.FromResult(JoinGroupResult.Error(GroupErrors.UnknownMemberId, a.MemberId));
                }

                g = new Group(a.GroupId);
                _groups[a.GroupId] = g;
            }
            if (a.Protocols.Count == 0 || string.IsNullOrEmpty(a.ProtocolType) ||
                (g.Members.Count > 0 && (g.Members.Values.First().ProtocolType != a.ProtocolType || !g.SupportsAny(a.Protocols))))
            {
                return Task.FromResult(JoinGroupResult.Error(GroupErrors.InconsistentGroupProtocol, a.MemberId));
            }

            if (a.MemberId.Length == 0)
            {
                string newId = (a.GroupInstanceId ?? (a.ClientId.Length > 0 ? a.ClientId : "member")) + "-" + NewMemberSuffix();
                if (a.GroupInstanceId is not null)
                {
                    // Static member: replace the old member id of this instance if any.
                    var old = g.Members.Values.FirstOrDefault(m => m.GroupInstanceId == a.GroupInstanceId);
                    if (old is not null)
                    {
                        RemoveMember(g, old, fenced: true);
                    }
                }
                else if (a.RequireKnownMemberId)
                {
                    g.PendingMembers[newId] = Now + TimeSpan.FromMilliseconds(a.SessionTimeoutMs);
                    return Task.FromResult(JoinGroupResult.Error(GroupErrors.MemberIdRequired, newId));
                }
                if (g.Members.Count >= _options.MaxGroupSize)
                {
                    return Task.FromResult(JoinGroupResult.Error(GroupErrors.GroupMaxSizeReached, newId));
                }

                var member = new Member(newId, a, Now);
                g.Members[newId] = member;
                g.JoinOrder.Add(newId);
                return AwaitJoin(g, member, rebalanceNeeded: true);
            }

            if (g.PendingMembers.Remove(a.MemberId))
            {
                if (g.Members.Count >= _options.MaxGroupSize)
                {
                    return Task.FromResult(JoinGroupResult.Error(GroupErrors.GroupMaxSizeReached, a.MemberId));
                }

                var member = new Member(a.MemberId, a, Now);
                g.Members[a.MemberId] = member;
                g.JoinOrder.Add(a.MemberId);
                return AwaitJoin(g, member, rebalanceNeeded: true);
            }

            if (!g.Members.TryGetValue(a.MemberId, out var existing))
            {
                return Task.FromResult(JoinGroupResult.Error(GroupErrors.UnknownMemberId, a.MemberId));
            }
            if (a.GroupInstanceId is not null && existing.GroupInstanceId is not null && a.GroupInstanceId != existing.GroupInstanceId)
            {
                return Task.FromResult(JoinGroupResult.Error(GroupErrors.FencedInstanceId, a.MemberId));
            }
            bool changed = !existing.SameProtocols(a.Protocols);
            existing.Update(a, Now);
            switch (g.State)
            {
                case GroupState.PreparingRebalance:
                    return AwaitJoin(g, existing, rebalanceNeeded: false);
                case GroupState.CompletingRebalance:
                    if (!changed)
                    {
                        // Duplicate join (e.g. a lost response): answer with the current generation.
                        return Task.FromResult(BuildJoinResult(g, existing));
                    }
                    return AwaitJoin(g, existing, rebalanceNeeded: true);
                case GroupState.Stable:
                    if (changed || existing.MemberId == g.LeaderId)
                    {
                        return AwaitJoin(g, existing, rebalanceNeeded: true);
                    }
                    return Task.FromResult(BuildJoinResult(g, existing));
                default:
                    return AwaitJoin(g, existing, rebalanceNeeded: true);
            }
        }
    }

    private static string NewMemberSuffix() => Guid.NewGuid().ToString("D");

    private Task<JoinGroupResult> AwaitJoin(Group g, Member m, bool rebalanceNeeded)
    {
        m.PendingJoin?.TrySetResult(JoinGroupResult.Error(GroupErrors.UnknownMemberId, m.MemberId));
        var tcs = new TaskCompletionSource<JoinGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        m.PendingJoin = tcs;
        if (rebalanceNeeded || g.State != GroupState.PreparingRebalance)
        {
            PrepareRebalance(g);
        }

        TryCompleteJoin(g);
        return tcs.Task;
    }

    private void PrepareRebalance(Group g)
    {
        if (g.State == GroupState.PreparingRebalance)
        {
            return;
        }
        // Members waiting for a SyncGroup response are told to rejoin.
        foreach (var m in g.Members.Values)
        {
            m.PendingSync?.TrySetResult(SyncGroupResult.Error(GroupErrors.RebalanceInProgress));
            m.PendingSync = null;
        }
        bool wasEmpty = g.State == GroupState.Empty;
        g.State = GroupState.PreparingRebalance;
        int rebalanceTimeout = g.Members.Count == 0 ? 0 : g.Members.Values.Max(m => m.RebalanceTimeoutMs);
        g.RebalanceDeadline = Now + TimeSpan.FromMilliseconds(rebalanceTimeout);
        g.InitialDelayUntil = wasEmpty && _options.InitialRebalanceDelay > TimeSpan.Zero ? Now + _options.InitialRebalanceDelay : null;
    }

    private void TryCompleteJoin(Group g)
    {
        if (g.State != GroupState.PreparingRebalance)
        {
            return;
        }

        if (g.InitialDelayUntil is { } until && Now < until)
        {
            return;
        }

        if (g.Members.Values.Any(m => m.PendingJoin is null))
        {
            return;
        }

        CompleteJoin(g);
    }

    private void CompleteJoin(Group g)
    {
        // Members that did not rejoin in time are dropped.
        foreach (var m in g.Members.Values.Where(m => m.PendingJoin is null).ToList())
        {
            RemoveMemberNoRebalance(g, m);
        }

        g.GenerationId++;
        if (g.Members.Count == 0)
        {
            g.State = GroupState.Empty;
            g.ProtocolName = null;
            g.LeaderId = null;
            return;
        }
        g.ProtocolType = g.Members.Values.First().ProtocolType;
        g.ProtocolName = SelectProtocol(g);
        if (g.LeaderId is null || !g.Members.ContainsKey(g.LeaderId))
        {
            g.LeaderId = g.JoinOrder.First(id => g.Members.ContainsKey(id));
        }
        g.State = GroupState.CompletingRebalance;
        foreach (var m in g.Members.Values)
        {
            m.Assignment = Array.Empty<byte>();
            m.LastHeartbeat = Now;
            var pending = m.PendingJoin!;
            m.PendingJoin = null;
            pending.TrySetResult(BuildJoinResult(g, m));
        }
    }

    private static string SelectProtocol(Group g)
    {
        var members = g.JoinOrder.Where(g.Members.ContainsKey).Select(id => g.Members[id]).ToList();
        var candidates = members[0].Protocols.Select(p => p.Name)
            .Where(name => members.All(m => m.Protocols.Any(p => p.Name == name)))
            .ToList();
        // Each member votes for its most preferred candidate; most votes wins, ties go to the earliest candidate.
        var votes = candidates.ToDictionary(c => c, _ => 0, StringComparer.Ordinal);
        foreach (var m in members)
        {
            var choice = m.Protocols.First(p => votes.ContainsKey(p.Name)).Name;
            votes[choice]++;
        }
        return candidates.OrderByDescending(c => votes[c]).ThenBy(c => candidates.IndexOf(c)).First();
    }

    private static JoinGroupResult BuildJoinResult(Group g, Member m)
    {
        IReadOnlyList<JoinGroupMemberInfo> members = Array.Empty<JoinGroupMemberInfo>();
        if (m.MemberId == g.LeaderId)
        {
            members = g.JoinOrder.Where(g.Members.ContainsKey).Select(id => g.Members[id])
                .Select(x => new JoinGroupMemberInfo(x.MemberId, x.GroupInstanceId, x.MetadataFor(g.ProtocolName!)))
                .ToList();
        }
        return new JoinGroupResult(GroupErrors.None, g.GenerationId, g.ProtocolType, g.ProtocolName, g.LeaderId ?? "", m.MemberId, members);
    }

    // ------------------------------------------------------------------ sync

    public Task<SyncGroupResult> SyncAsync(SyncGroupArgs a)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(a.GroupId, out var g) || !g.Members.TryGetValue(a.MemberId, out var m))
            {
                return Task.FromResult(SyncGroupResult.Error(GroupErrors.UnknownMemberId));
            }
            if (a.GenerationId != g.GenerationId)
            {
                return Task.FromResult(SyncGroupResult.Error(GroupErrors.IllegalGeneration));
            }

            if ((a.ProtocolType is not null && a.ProtocolType != g.ProtocolType) || (a.ProtocolName is not null && a.ProtocolName != g.ProtocolName))
            {
                return Task.FromResult(SyncGroupResult.Error(GroupErrors.InconsistentGroupProtocol));
            }
            m.LastHeartbeat = Now;
            switch (g.State)
            {
                case GroupState.PreparingRebalance:
                    return Task.FromResult(SyncGroupResult.Error(GroupErrors.RebalanceInProgress));
                case GroupState.Stable:
                    return Task.FromResult(new SyncGroupResult(GroupErrors.None, g.ProtocolType, g.ProtocolName, m.Assignment));
                case GroupState.CompletingRebalance:
                    {
                        var tcs = new TaskCompletionSource<SyncGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                        m.PendingSync?.TrySetResult(SyncGroupResult.Error(GroupErrors.RebalanceInProgress));
                        m.PendingSync = tcs;
                        if (a.MemberId == g.LeaderId)
                        {
                            foreach (var member in g.Members.Values)
                            {
                                member.Assignment = a.Assignments.TryGetValue(member.MemberId, out var bytes) ? bytes : Array.Empty<byte>();
                            }
                            g.State = GroupState.Stable;
                            foreach (var member in g.Members.Values)
                            {
                                var pending = member.PendingSync;
                                member.PendingSync = null;
                                pending?.TrySetResult(new SyncGroupResult(GroupErrors.None, g.ProtocolType, g.ProtocolName, member.Assignment));
                            }
                        }
                        return tcs.Task;
                    }
                default:
                    return Task.FromResult(SyncGroupResult.Error(GroupErrors.UnknownMemberId));
            }
        }
    }

    // ------------------------------------------------------------------ heartbeat / leave

    public short Heartbeat(string groupId, string memberId, int generationId, string? groupInstanceId = null)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out var g) || !g.Members.TryGetValue(memberId, out var m))
            {
                return GroupErrors.UnknownMemberId;
            }
            if (groupInstanceId is not null && m.GroupInstanceId is not null && groupInstanceId != m.GroupInstanceId)
            {
                return GroupErrors.FencedInstanceId;
            }

            m.LastHeartbeat = Now;
            // Kafka's order: member, generation, then state.
            if (generationId != g.GenerationId)
            {
                return GroupErrors.IllegalGeneration;
            }

            return g.State switch
            {
                GroupState.PreparingRebalance => GroupErrors.RebalanceInProgress,
                GroupState.CompletingRebalance or GroupState.Stable => GroupErrors.None,
                _ => GroupErrors.UnknownMemberId,
            };
        }
    }

    /// <summary>LeaveGroup. v0-2 send one member id (top-level error); v3+ a batch (per-member errors).</summary>
    public LeaveGroupResult Leave(string groupId, IReadOnlyList<LeaveMember> members)
    {
        lock (_lock)
        {
            var results = new List<(string, string?, short)>();
            if (!_groups.TryGetValue(groupId, out var g))
            {
                foreach (var lm in members)
                {
                    results.Add((lm.MemberId, lm.GroupInstanceId, GroupErrors.UnknownMemberId));
                }

                return new LeaveGroupResult(GroupErrors.UnknownMemberId, results);
            }
            bool removedAny = false;
            foreach (var lm in members)
            {
                Member? m = null;
                if (lm.MemberId.Length > 0)
                {
                    g.Members.TryGetValue(lm.MemberId, out m);
                }
                else if (lm.GroupInstanceId is not null)
                {
                    m = g.Members.Values.FirstOrDefault(x => x.GroupInstanceId == lm.GroupInstanceId);
                }

                if (m is null)
                {
                    results.Add((lm.MemberId, lm.GroupInstanceId, GroupErrors.UnknownMemberId));
                    continue;
                }
                if (lm.GroupInstanceId is not null && m.GroupInstanceId != lm.GroupInstanceId)
                {
                    results.Add((lm.MemberId, lm.GroupInstanceId, GroupErrors.FencedInstanceId));
                    continue;
                }
                RemoveMemberNoRebalance(g, m);
                removedAny = true;
                results.Add((m.MemberId, m.GroupInstanceId, GroupErrors.None));
            }
            if (removedAny)
            {
                AfterMembershipChange(g);
            }

            short top = members.Count == 1 ? results[0].Item3 : GroupErrors.None;
            return new LeaveGroupResult(top, results);
        }
    }

    private void RemoveMember(Group g, Member m, bool fenced)
    {
        RemoveMemberNoRebalance(g, m, fenced ? GroupErrors.FencedInstanceId : GroupErrors.UnknownMemberId);
        AfterMembershipChange(g);
    }

    private static void RemoveMemberNoRebalance(Group g, Member m, short pendingError = GroupErrors.UnknownMemberId)
    {
        g.Members.Remove(m.MemberId);
        g.JoinOrder.Remove(m.MemberId);
        m.PendingJoin?.TrySetResult(JoinGroupResult.Error(pendingError, m.MemberId));
        m.PendingSync?.TrySetResult(SyncGroupResult.Error(pendingError));
        m.PendingJoin = null;
        m.PendingSync = null;
        if (g.LeaderId == m.MemberId)
        {
            g.LeaderId = null;
        }
    }

    private void AfterMembershipChange(Group g)
    {
        switch (g.State)
        {
            case GroupState.Stable:
            case GroupState.CompletingRebalance:
                PrepareRebalance(g);
                TryCompleteJoin(g);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(g);
                break;
        }
        if (g.Members.Count == 0 && g.State == GroupState.PreparingRebalance)
        {
            CompleteJoin(g);
        }
    }

    /// <summary>Applies session timeouts, rebalance timeouts, the initial rebalance delay and pending-member expiry.</summary>
    public void Tick()
    {
        lock (_lock)
        {
            var now = Now;
            foreach (var g in _groups.Values.ToList())
            {
                foreach (var (id, deadline) in g.PendingMembers.ToList())
                {
                    if (deadline <= now)
                    {
                        g.PendingMembers.Remove(id);
                    }
                }
                var expired = g.Members.Values
                    .Where(m => m.PendingJoin is null && m.PendingSync is null && m.LastHeartbeat + TimeSpan.FromMilliseconds(m.SessionTimeoutMs) <= now)
                    .ToList();
                if (g.State == GroupState.PreparingRebalance)
                {
                    foreach (var m in expired)
                    {
                        RemoveMemberNoRebalance(g, m);
                    }

                    if (g.RebalanceDeadline <= now || g.Members.Count == 0)
                    {
                        CompleteJoin(g);
                    }
                    else
                    {
                        TryCompleteJoin(g);
                    }
                }
                else if (expired.Count > 0)
                {
                    foreach (var m in expired)
                    {
                        RemoveMemberNoRebalance(g, m);
                    }

                    AfterMembershipChange(g);
                }
            }
        }
    }

    // ------------------------------------------------------------------ offsets

    /// <summary>OffsetCommit. generation -1 with an empty member id is a "simple" (admin) commit, allowed only on an Empty group.</summary>
    public (short ErrorCode, IReadOnlyList<PartitionError> Partitions) CommitOffsets(
        string groupId, int generationId, string memberId, IReadOnlyList<OffsetCommitEntry> offsets)
    {
        lock (_lock)
        {
            short groupError = GroupErrors.None;
            if (string.IsNullOrEmpty(groupId))
            {
                groupError = GroupErrors.InvalidGroupId;
            }

            _groups.TryGetValue(groupId ?? "", out var g);
            if (groupError == GroupErrors.None)
            {
                if (g is null)
                {
                    if (generationId < 0)
                    {
                        g = _groups[groupId!] = new Group(groupId!);
                    }
                    else
                    {
                        groupError = GroupErrors.IllegalGeneration;
                    }
                }
                else if (generationId < 0 && g.State == GroupState.Empty)
                {
                    // simple commit
                }
                else if (g.State == GroupState.CompletingRebalance)
                {
                    groupError = GroupErrors.RebalanceInProgress;
                }
                else if (!g.Members.TryGetValue(memberId, out var m))
                {
                    groupError = GroupErrors.UnknownMemberId;
                }
                else if (generationId != g.GenerationId)
                {
                    groupError = GroupErrors.IllegalGeneration;
                }
                else
                {
                    m.LastHeartbeat = Now;
                }
            }
            var result = new List<PartitionError>();
            foreach (var o in offsets)
            {
                short code = groupError;
                if (code == GroupErrors.None)
                {
                    if (!_partitionExists(o.Topic, o.Partition))
                    {
                        code = GroupErrors.UnknownTopicOrPartition;
                    }
                    else if (o.Metadata is not null && Encoding.UTF8.GetByteCount(o.Metadata) > _options.MaxOffsetMetadataBytes)
                    {
                        code = GroupErrors.OffsetMetadataTooLarge;
                    }
                    else
                    {
                        g!.Offsets[(o.Topic, o.Partition)] = new CommittedOffset(o.Offset, o.LeaderEpoch, o.Metadata ?? "", Now);
                    }
                }
                result.Add(new PartitionError(o.Topic, o.Partition, code));
            }
            return (groupError, result);
        }
    }

    /// <summary>OffsetFetch. <paramref name="partitions"/> null = every committed partition of the group.</summary>
    public OffsetFetchResult FetchOffsets(string groupId, IReadOnlyList<(string Topic, int Partition)>? partitions)
    {
        lock (_lock)
        {
            _groups.TryGetValue(groupId, out var g);
            var list = new List<OffsetFetchEntry>();
            if (partitions is null)
            {
                if (g is not null)
                {
                    foreach (var ((t, p), c) in g.Offsets.OrderBy(x => x.Key.Topic, StringComparer.Ordinal).ThenBy(x => x.Key.Partition))
                    {
                        list.Add(new OffsetFetchEntry(t, p, c.Offset, c.LeaderEpoch, c.Metadata, GroupErrors.None));
                    }
                }
            }
            else
            {
                foreach (var (t, p) in partitions)
                {
                    if (g is not null && g.Offsets.TryGetValue((t, p), out var c))
                    {
                        list.Add(new OffsetFetchEntry(t, p, c.Offset, c.LeaderEpoch, c.Metadata, GroupErrors.None));
                    }
                    else
                    {
                        list.Add(new OffsetFetchEntry(t, p, -1, -1, "", GroupErrors.None));
                    }
                }
            }
            return new OffsetFetchResult(GroupErrors.None, list);
        }
    }

    /// <summary>OffsetDelete (KIP-496).</summary>
    public (short ErrorCode, IReadOnlyList<PartitionError> Partitions) DeleteOffsets(string groupId, IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out var g) || g.State == GroupState.Dead)
            {
                return (GroupErrors.GroupIdNotFound, Array.Empty<PartitionError>());
            }
            HashSet<string> subscribed = new(StringComparer.Ordinal);
            if (g.State != GroupState.Empty)
            {
                if (g.ProtocolType != "consumer")
                {
                    return (GroupErrors.NonEmptyGroup, Array.Empty<PartitionError>());
                }

                foreach (var m in g.Members.Values)
                {
                    foreach (var t in ConsumerProtocol.SubscribedTopics(m.MetadataFor(g.ProtocolName ?? m.Protocols[0].Name)))
                    {
                        subscribed.Add(t);
                    }
                }
            }
            var result = new List<PartitionError>();
            foreach (var (t, p) in partitions)
            {
                if (subscribed.Contains(t))
                {
                    result.Add(new PartitionError(t, p, GroupErrors.GroupSubscribedToTopic));
                    continue;
                }
                g.Offsets.Remove((t, p));
                result.Add(new PartitionError(t, p, GroupErrors.None));
            }
            return (GroupErrors.None, result);
        }
    }

    // ------------------------------------------------------------------ admin

    public IReadOnlyList<GroupListing> ListGroups(IReadOnlyCollection<string>? statesFilter = null)
    {
        lock (_lock)
        {
            return _groups.Values
                .Where(g => statesFilter is null || statesFilter.Count == 0 || statesFilter.Contains(g.State.ToString(), StringComparer.OrdinalIgnoreCase))
                .OrderBy(g => g.GroupId, StringComparer.Ordinal)
                .Select(g => new GroupListing(g.GroupId, g.ProtocolType ?? "", g.State))
                .ToList();
        }
    }

    public GroupDescription DescribeGroup(string groupId)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out var g))
            {
                return new GroupDescription(GroupErrors.None, groupId, GroupState.Dead, "", "", Array.Empty<GroupMemberDescription>());
            }
            bool stable = g.State == GroupState.Stable;
            var members = g.JoinOrder.Where(g.Members.ContainsKey).Select(id => g.Members[id])
                .Select(m => new GroupMemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                    stable ? m.MetadataFor(g.ProtocolName!) : Array.Empty<byte>(),
                    stable ? m.Assignment : Array.Empty<byte>()))
                .ToList();
            return new GroupDescription(GroupErrors.None, g.GroupId, g.State, g.ProtocolType ?? "", stable ? g.ProtocolName ?? "" : "", members);
        }
    }

    /// <summary>DeleteGroups: GROUP_ID_NOT_FOUND (69) if unknown, NON_EMPTY_GROUP (68) while it has members.</summary>
    public short DeleteGroup(string groupId)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out var g) || g.State == GroupState.Dead)
            {
                return GroupErrors.GroupIdNotFound;
            }

            if (g.Members.Count > 0 || g.State != GroupState.Empty)
            {
                return GroupErrors.NonEmptyGroup;
            }

            g.State = GroupState.Dead;
            _groups.Remove(groupId);
            return GroupErrors.None;
        }
    }

    /// <summary>Removes committed offsets of a deleted topic from every group.</summary>
    public void OnTopicDeleted(string topic)
    {
        lock (_lock)
        {
            foreach (var g in _groups.Values)
            {
                foreach (var key in g.Offsets.Keys.Where(k => k.Topic == topic).ToList())
                {
                    g.Offsets.Remove(key);
                }
            }
        }
    }

    public GroupState? GetState(string groupId)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(groupId, out var g) ? g.State : null;
        }
    }

    public int GetGenerationId(string groupId)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(groupId, out var g) ? g.GenerationId : -1;
        }
    }

    public string? GetLeaderId(string groupId)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(groupId, out var g) ? g.LeaderId : null;
        }
    }

    public IReadOnlyList<string> GetMemberIds(string groupId)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(groupId, out var g) ? g.JoinOrder.Where(g.Members.ContainsKey).ToList() : Array.Empty<string>();
        }
    }

    // ------------------------------------------------------------------ state

    private sealed class Group(string groupId)
    {
        public string GroupId { get; } = groupId;
        public GroupState State { get; set; } = GroupState.Empty;
        public int GenerationId { get; set; }
        public string? ProtocolType { get; set; }
        public string? ProtocolName { get; set; }
        public string? LeaderId { get; set; }
        public Dictionary<string, Member> Members { get; } = new(StringComparer.Ordinal);
        public List<string> JoinOrder { get; } = new();
        public Dictionary<string, DateTimeOffset> PendingMembers { get; } = new(StringComparer.Ordinal);
        public Dictionary<(string Topic, int Partition), CommittedOffset> Offsets { get; } = new();
        public DateTimeOffset RebalanceDeadline { get; set; }
        public DateTimeOffset? InitialDelayUntil { get; set; }

        public bool SupportsAny(IReadOnlyList<GroupProtocol> protocols) =>
            protocols.Any(p => Members.Values.All(m => m.Protocols.Any(x => x.Name == p.Name)));
    }

    private sealed class Member
    {
        public Member(string memberId, JoinGroupArgs a, DateTimeOffset now)
        {
            MemberId = memberId;
            GroupInstanceId = a.GroupInstanceId;
            Update(a, now);
        }

        public string MemberId { get; }
        public string? GroupInstanceId { get; }
        public string ClientId { get; private set; } = "";
        public string ClientHost { get; private set; } = "";
        public int SessionTimeoutMs { get; private set; }
        public int RebalanceTimeoutMs { get; private set; }
        public string ProtocolType { get; private set; } = "";
        public IReadOnlyList<GroupProtocol> Protocols { get; private set; } = Array.Empty<GroupProtocol>();
        public byte[] Assignment { get; set; } = Array.Empty<byte>();
        public DateTimeOffset LastHeartbeat { get; set; }
        public TaskCompletionSource<JoinGroupResult>? PendingJoin { get; set; }
        public TaskCompletionSource<SyncGroupResult>? PendingSync { get; set; }

        public void Update(JoinGroupArgs a, DateTimeOffset now)
        {
            ClientId = a.ClientId;
            ClientHost = a.ClientHost;
            SessionTimeoutMs = a.SessionTimeoutMs;
            RebalanceTimeoutMs = a.RebalanceTimeoutMs > 0 ? a.RebalanceTimeoutMs : a.SessionTimeoutMs;
            ProtocolType = a.ProtocolType;
            Protocols = a.Protocols;
            LastHeartbeat = now;
        }

        public bool SameProtocols(IReadOnlyList<GroupProtocol> other) =>
            other.Count == Protocols.Count &&
            other.Zip(Protocols).All(x => x.First.Name == x.Second.Name && x.First.Metadata.AsSpan().SequenceEqual(x.Second.Metadata));

        public byte[] MetadataFor(string protocol) => Protocols.FirstOrDefault(p => p.Name == protocol)?.Metadata ?? Array.Empty<byte>();
    }
}

/// <summary>Reads the topic list of a ConsumerProtocolSubscription (any version): int16 version, [string topics], ...</summary>
public static class ConsumerProtocol
{
    public static IReadOnlyList<string> SubscribedTopics(byte[] metadata)
    {
        var topics = new List<string>();
        try
        {
            var span = metadata.AsSpan();
            if (span.Length < 6)
            {
                return topics;
            }

            int count = BinaryPrimitives.ReadInt32BigEndian(span[2..]);
            int pos = 6;
            for (int i = 0; i < count; i++)
            {
                short len = BinaryPrimitives.ReadInt16BigEndian(span[pos..]);
                pos += 2;
                topics.Add(Encoding.UTF8.GetString(span.Slice(pos, len)));
                pos += len;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // Malformed metadata: the broker treats it as subscribing to nothing.
        }
        return topics;
    }

    /// <summary>Writes a ConsumerProtocolSubscription v0 (tests and seeding).</summary>
    public static byte[] Subscription(IEnumerable<string> topics, byte[]? userData = null)
    {
        using var ms = new MemoryStream();
        Span<byte> b4 = stackalloc byte[4];
        var list = topics.ToList();
        BinaryPrimitives.WriteInt16BigEndian(b4, 0);
        ms.Write(b4[..2]);
        BinaryPrimitives.WriteInt32BigEndian(b4, list.Count);
        ms.Write(b4);
        foreach (var t in list)
        {
            var bytes = Encoding.UTF8.GetBytes(t);
            BinaryPrimitives.WriteInt16BigEndian(b4, (short)bytes.Length);
            ms.Write(b4[..2]);
            ms.Write(bytes);
        }
        BinaryPrimitives.WriteInt32BigEndian(b4, userData?.Length ?? -1);
        ms.Write(b4);
        if (userData is not null)
        {
            ms.Write(userData);
        }

        return ms.ToArray();
    }
}
