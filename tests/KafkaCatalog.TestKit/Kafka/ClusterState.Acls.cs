namespace KafkaCatalog.TestKit.Kafka;

public enum AclResourceType : sbyte
{
    Unknown = 0, Any = 1, Topic = 2, Group = 3, Cluster = 4, TransactionalId = 5, DelegationToken = 6, User = 7,
}

public enum AclPatternType : sbyte
{
    Unknown = 0, Any = 1, Match = 2, Literal = 3, Prefixed = 4,
}

public enum AclOperation : sbyte
{
    Unknown = 0, Any = 1, All = 2, Read = 3, Write = 4, Create = 5, Delete = 6, Alter = 7, Describe = 8,
    ClusterAction = 9, DescribeConfigs = 10, AlterConfigs = 11, IdempotentWrite = 12, CreateTokens = 13, DescribeTokens = 14,
}

public enum AclPermissionType : sbyte
{
    Unknown = 0, Any = 1, Deny = 2, Allow = 3,
}

/// <summary>One ACL (a binding of a resource pattern and an access control entry).</summary>
public sealed record AclBinding(
    AclResourceType ResourceType, string ResourceName, AclPatternType PatternType,
    string Principal, string Host, AclOperation Operation, AclPermissionType Permission);

/// <summary>An ACL filter as DescribeAcls / DeleteAcls send it (null strings match anything).</summary>
public sealed record AclFilter(
    AclResourceType ResourceType, string? ResourceName, AclPatternType PatternType,
    string? Principal, string? Host, AclOperation Operation, AclPermissionType Permission)
{
    public bool Matches(AclBinding b)
    {
        if (ResourceType != AclResourceType.Any && ResourceType != b.ResourceType)
        {
            return false;
        }

        if (Operation != AclOperation.Any && Operation != b.Operation)
        {
            return false;
        }

        if (Permission != AclPermissionType.Any && Permission != b.Permission)
        {
            return false;
        }

        if (Principal is not null && Principal != b.Principal)
        {
            return false;
        }

        if (Host is not null && Host != b.Host)
        {
            return false;
        }

        switch (PatternType)
        {
            case AclPatternType.Any:
                return ResourceName is null || ResourceName == b.ResourceName;
            case AclPatternType.Match:
                if (ResourceName is null)
                {
                    return true;
                }

                return b.PatternType switch
                {
                    AclPatternType.Literal => b.ResourceName == ResourceName || b.ResourceName == "*",
                    AclPatternType.Prefixed => ResourceName.StartsWith(b.ResourceName, StringComparison.Ordinal),
                    _ => false,
                };
            default:
                return PatternType == b.PatternType && (ResourceName is null || ResourceName == b.ResourceName);
        }
    }
}

public sealed partial class ClusterState
{
    private readonly List<AclBinding> _acls = new();

    /// <summary>A snapshot of all ACLs.</summary>
    public IReadOnlyList<AclBinding> Acls
    {
        get
        {
            lock (Sync)
            {
                return _acls.ToList();
            }
        }
    }

    /// <summary>Adds an ACL (duplicates are ignored, as Kafka does). Returns true when added.</summary>
    public bool AddAcl(AclBinding acl)
    {
        lock (Sync)
        {
            if (_acls.Contains(acl))
            {
                return false;
            }

            _acls.Add(acl);
            return true;
        }
    }

    /// <summary>Removes every ACL matching the filter and returns them.</summary>
    public IReadOnlyList<AclBinding> RemoveAcls(AclFilter filter)
    {
        lock (Sync)
        {
            var removed = _acls.Where(filter.Matches).ToList();
            _acls.RemoveAll(filter.Matches);
            return removed;
        }
    }

    public IReadOnlyList<AclBinding> FindAcls(AclFilter filter)
    {
        lock (Sync)
        {
            return _acls.Where(filter.Matches).ToList();
        }
    }

    private static readonly Dictionary<AclResourceType, AclOperation[]> SupportedOperations = new()
    {
        [AclResourceType.Topic] = [AclOperation.Read, AclOperation.Write, AclOperation.Create, AclOperation.Delete, AclOperation.Alter, AclOperation.Describe, AclOperation.DescribeConfigs, AclOperation.AlterConfigs],
        [AclResourceType.Group] = [AclOperation.Read, AclOperation.Describe, AclOperation.Delete],
        [AclResourceType.Cluster] = [AclOperation.Create, AclOperation.ClusterAction, AclOperation.DescribeConfigs, AclOperation.AlterConfigs, AclOperation.IdempotentWrite, AclOperation.Alter, AclOperation.Describe],
        [AclResourceType.TransactionalId] = [AclOperation.Describe, AclOperation.Write],
        [AclResourceType.DelegationToken] = [AclOperation.Describe],
        [AclResourceType.User] = [AclOperation.CreateTokens, AclOperation.DescribeTokens],
    };

    /// <summary>
    /// Kafka's StandardAuthorizer decision. Always true when ACLs are off or for super users;
    /// otherwise DENY wins, then ALLOW (ALL implies everything; READ/WRITE/DELETE/ALTER imply
    /// DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS); no matching ACL = denied.
    /// </summary>
    public bool IsAuthorized(string principal, AclOperation op, AclResourceType type, string name, string host = "127.0.0.1")
    {
        if (!Options.EnableAcls || Options.SuperUsers.Contains(principal))
        {
            return true;
        }

        lock (Sync)
        {
            var matching = _acls.Where(a => a.ResourceType == type && ResourceMatches(a, name)
                && (a.Principal == principal || a.Principal == "User:*") && (a.Host == "*" || a.Host == host)).ToList();
            if (matching.Any(a => a.Permission == AclPermissionType.Deny && (a.Operation == op || a.Operation == AclOperation.All)))
            {
                return false;
            }

            return matching.Any(a => a.Permission == AclPermissionType.Allow && Implies(a.Operation, op));
        }
    }

    private static bool ResourceMatches(AclBinding a, string name) => a.PatternType switch
    {
        AclPatternType.Literal => a.ResourceName == name || a.ResourceName == "*",
        AclPatternType.Prefixed => name.StartsWith(a.ResourceName, StringComparison.Ordinal),
        _ => false,
    };

    private static bool Implies(AclOperation granted, AclOperation wanted)
    {
        if (granted == wanted || granted == AclOperation.All)
        {
            return true;
        }

        if (wanted == AclOperation.Describe)
        {
            return granted is AclOperation.Read or AclOperation.Write or AclOperation.Delete or AclOperation.Alter;
        }

        if (wanted == AclOperation.DescribeConfigs)
        {
            return granted == AclOperation.AlterConfigs;
        }

        return false;
    }

    /// <summary>The authorized-operations bit field Metadata/DescribeCluster/DescribeGroups return.</summary>
    public int AuthorizedOperations(string principal, AclResourceType type, string name)
    {
        var bits = 0;
        if (!SupportedOperations.TryGetValue(type, out var ops))
        {
            return bits;
        }

        foreach (var op in ops)
        {
            if (IsAuthorized(principal, op, type, name))
            {
                bits |= 1 << (int)op;
            }
        }

        return bits;
    }
}
