using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Acls;

/// <summary>
/// Our ACL records to and from Confluent.Kafka's ACL types, with the checks that catch bad input
/// before the cluster sees it (the broker's own errors for these are vague).
/// </summary>
public static class AclMapping
{
    public const string ClusterResourceName = "kafka-cluster";

    /// <summary>
    /// True for the resource types Confluent.Kafka 2.15/2.16 can name in a request (Any only in filters). There is no
    /// TransactionalId (nor DelegationToken, User) in its ResourceType, so an ACL of those types cannot be described,
    /// added or removed on its own: a filter of type Any would also match ACLs of other types with the same name.
    /// </summary>
    public static bool CanName(KafkaAclResourceType type) =>
        type is KafkaAclResourceType.Any or KafkaAclResourceType.Topic or KafkaAclResourceType.Group or KafkaAclResourceType.Cluster;

    /// <summary>A binding for CreateAcls: every field must be concrete.</summary>
    public static AclBinding ToBinding(KafkaAclFilter acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        CheckNameable(acl, acl.ResourceType, acl.PatternType, acl.Operation);
        if (acl.ResourceType == KafkaAclResourceType.Any)
        {
            throw Invalid(ErrorCatalog.AclResourceTypeRequired, "-ResourceType is required to add an ACL: Topic, Group or Cluster.", acl);
        }

        var pattern = acl.PatternType ?? KafkaAclPatternType.Literal;
        if (pattern is KafkaAclPatternType.Any or KafkaAclPatternType.Match)
        {
            throw Invalid(ErrorCatalog.AclPatternTypeNotConcrete, $"-PatternType {pattern} only filters existing ACLs; a new ACL is Literal or Prefixed.", acl);
        }

        var name = acl.ResourceName;
        if (acl.ResourceType == KafkaAclResourceType.Cluster)
        {
            name ??= ClusterResourceName;
            if (!string.Equals(name, ClusterResourceName, StringComparison.Ordinal) || pattern != KafkaAclPatternType.Literal)
            {
                throw Invalid(ErrorCatalog.AclClusterNameInvalid, $"The Cluster resource is always the literal name '{ClusterResourceName}'; got '{name}' ({pattern}).", acl);
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid(ErrorCatalog.AclResourceNameRequired, "-ResourceName is required to add an ACL (use '*' with -PatternType Literal for every resource of the type).", acl);
        }

        if (pattern == KafkaAclPatternType.Prefixed && name == "*")
        {
            throw Invalid(ErrorCatalog.AclPrefixedWildcard, "A Prefixed ACL cannot use '*' as its prefix; use -PatternType Literal -ResourceName '*' for every resource.", acl);
        }

        ValidatePrincipal(acl.Principal, required: true, acl);
        var host = acl.Host ?? "*";
        ValidateHost(host, acl);
        if (acl.Operation == KafkaAclOperation.Any)
        {
            throw Invalid(ErrorCatalog.AclOperationRequired, "-Operation is required to add an ACL (Read, Write, Describe, All, ...); Any only filters.", acl);
        }

        if (acl.Permission == KafkaAclPermission.Any)
        {
            throw Invalid(ErrorCatalog.AclPermissionRequired, "-Permission is required to add an ACL: Allow or Deny.", acl);
        }

        return new AclBinding
        {
            Pattern = new ResourcePattern { Type = ToConfluent(acl.ResourceType), Name = name, ResourcePatternType = ToConfluent(pattern) },
            Entry = new AccessControlEntry { Principal = acl.Principal!, Host = host, Operation = ToConfluent(acl.Operation), PermissionType = ToConfluent(acl.Permission) },
        };
    }

    /// <summary>A filter for DescribeAcls / DeleteAcls.</summary>
    public static AclBindingFilter ToBindingFilter(KafkaAclFilter filter, bool forDelete)
    {
        ArgumentNullException.ThrowIfNull(filter);
        CheckNameable(filter, filter.ResourceType, filter.PatternType, filter.Operation);
        ValidatePrincipal(filter.Principal, required: false, filter);
        if (filter.Host is not null)
        {
            ValidateHost(filter.Host, filter);
        }

        if (filter.ResourceName is not null && string.IsNullOrWhiteSpace(filter.ResourceName))
        {
            throw Invalid(ErrorCatalog.AclResourceNameEmpty, "-ResourceName is empty. Leave it out to match every name, or give a name.", filter);
        }

        if (forDelete && filter.ResourceName is null && filter.Principal is null)
        {
            throw Invalid(
                ErrorCatalog.AclFilterTooBroad,
                "Remove-KafkaAcl needs at least -ResourceName or -Principal: a filter without either would delete ACLs across the whole cluster. Pipe the exact ACLs from Get-KafkaAcl instead.",
                filter);
        }

        // Without a pattern type, a named resource means the literal name (as kafka-acls does);
        // without a name, any pattern.
        var pattern = filter.PatternType ?? (filter.ResourceName is null ? KafkaAclPatternType.Any : KafkaAclPatternType.Literal);
        return new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ToConfluent(filter.ResourceType), Name = filter.ResourceName, ResourcePatternType = ToConfluent(pattern) },
            EntryFilter = new AccessControlEntryFilter { Principal = filter.Principal, Host = filter.Host, Operation = ToConfluent(filter.Operation), PermissionType = ToConfluent(filter.Permission) },
        };
    }

    /// <summary>
    /// The ACL as the cluster returned it. Confluent.Kafka hands over the wire numbers: a type it has no name for
    /// (5, TransactionalId) arrives as that number and is shown by its Kafka name; what librdkafka itself could not
    /// decode (DelegationToken and User ACLs, the CreateTokens and DescribeTokens operations) arrives as 0 and is
    /// shown as Unknown (<see cref="DescribeUnrepresentable"/> says why).
    /// </summary>
    public static KafkaAcl FromBinding(AclBinding binding, string? connectionName = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        return new KafkaAcl
        {
            ResourceType = (int)binding.Pattern.Type switch
            {
                1 => KafkaAclResourceType.Any,
                2 => KafkaAclResourceType.Topic,
                3 => KafkaAclResourceType.Group,
                4 => KafkaAclResourceType.Cluster,
                5 => KafkaAclResourceType.TransactionalId,
                6 => KafkaAclResourceType.DelegationToken,
                7 => KafkaAclResourceType.User,
                _ => KafkaAclResourceType.Unknown,
            },
            ResourceName = binding.Pattern.Name,
            PatternType = (int)binding.Pattern.ResourcePatternType switch
            {
                1 => KafkaAclPatternType.Any,
                2 => KafkaAclPatternType.Match,
                3 => KafkaAclPatternType.Literal,
                4 => KafkaAclPatternType.Prefixed,
                _ => KafkaAclPatternType.Unknown,
            },
            Principal = binding.Entry.Principal,
            Host = binding.Entry.Host,
            Operation = FromConfluent(binding.Entry.Operation),
            Permission = binding.Entry.PermissionType switch
            {
                AclPermissionType.Allow => KafkaAclPermission.Allow,
                AclPermissionType.Deny => KafkaAclPermission.Deny,
                _ => KafkaAclPermission.Any,
            },
            ConnectionName = connectionName,
        };
    }

    /// <summary>Why an ACL read from the cluster is shown as Unknown, or null when every field is known.</summary>
    public static string? DescribeUnrepresentable(KafkaAcl acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        var unknown = new List<string>();
        if (acl.ResourceType == KafkaAclResourceType.Unknown)
        {
            unknown.Add("resource type");
        }

        if (acl.PatternType == KafkaAclPatternType.Unknown)
        {
            unknown.Add("pattern type");
        }

        if (acl.Operation == KafkaAclOperation.Unknown)
        {
            unknown.Add("operation");
        }

        return unknown.Count == 0
            ? null
            : $"ACL '{acl}' has a {string.Join(" and ", unknown)} that librdkafka 2.15.1 reports as UNKNOWN (it does so for DelegationToken and User ACLs and their CreateTokens/DescribeTokens operations), so it is shown as Unknown. KafkaCatalog cannot remove it; use kafka-acls.sh --list and --remove for it.";
    }

    /// <summary>
    /// Turns an ACL emitted by Get-KafkaAcl back into the exact filter that matches only it. Refuses an ACL of a
    /// resource type Confluent.Kafka cannot name (AclResourceTypeNotSupported): the only filter it could send has
    /// type Any and would also match ACLs of other types with the same name. Refuses a record that is not a single
    /// binding (AclBindingNotExact: a pattern, operation or permission of Any, Match or Unknown, or no principal/host).
    /// </summary>
    public static KafkaAclFilter ToExactFilter(KafkaAcl acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        var filter = new KafkaAclFilter
        {
            ResourceType = acl.ResourceType,
            ResourceName = acl.ResourceName,
            PatternType = acl.PatternType,
            Principal = acl.Principal,
            Host = acl.Host,
            Operation = acl.Operation,
            Permission = acl.Permission,
        };
        if (acl.ResourceType == KafkaAclResourceType.Any || !CanName(acl.ResourceType))
        {
            throw NotSupported(acl.ResourceType, filter, $"ACL '{acl}'");
        }

        if (acl.PatternType is not (KafkaAclPatternType.Literal or KafkaAclPatternType.Prefixed)
            || acl.Operation is KafkaAclOperation.Any or KafkaAclOperation.Unknown or KafkaAclOperation.CreateTokens or KafkaAclOperation.DescribeTokens
            || acl.Permission == KafkaAclPermission.Any
            || string.IsNullOrEmpty(acl.ResourceName) || string.IsNullOrEmpty(acl.Principal) || string.IsNullOrEmpty(acl.Host))
        {
            throw Invalid(
                ErrorCatalog.AclBindingNotExact,
                $"ACL '{acl}' is not one binding (pattern {acl.PatternType}, operation {acl.Operation}, permission {acl.Permission}): removing it would need a filter wider than the ACL, which could delete other ACLs. Pipe ACLs straight from Get-KafkaAcl, or give the filter parameters explicitly.",
                filter);
        }

        ValidatePrincipal(acl.Principal, required: true, filter);
        ValidateHost(acl.Host, filter);
        return filter;
    }

    internal static ResourceType ToConfluent(KafkaAclResourceType type) => type switch
    {
        KafkaAclResourceType.Any => ResourceType.Any,
        KafkaAclResourceType.Topic => ResourceType.Topic,
        KafkaAclResourceType.Group => ResourceType.Group,
        KafkaAclResourceType.Cluster => ResourceType.Broker,
        _ => throw NotSupported(type, null, "This ACL"),
    };

    internal static ResourcePatternType ToConfluent(KafkaAclPatternType type) => type switch
    {
        KafkaAclPatternType.Any => ResourcePatternType.Any,
        KafkaAclPatternType.Match => ResourcePatternType.Match,
        KafkaAclPatternType.Literal => ResourcePatternType.Literal,
        KafkaAclPatternType.Prefixed => ResourcePatternType.Prefixed,
        _ => throw Invalid(ErrorCatalog.AclPatternTypeNotSupported, $"Pattern type {type} only describes what the cluster returned; filter with Literal, Prefixed, Match or Any.", null),
    };

    internal static AclOperation ToConfluent(KafkaAclOperation operation) => operation switch
    {
        KafkaAclOperation.Any => AclOperation.Any,
        KafkaAclOperation.All => AclOperation.All,
        KafkaAclOperation.Read => AclOperation.Read,
        KafkaAclOperation.Write => AclOperation.Write,
        KafkaAclOperation.Create => AclOperation.Create,
        KafkaAclOperation.Delete => AclOperation.Delete,
        KafkaAclOperation.Alter => AclOperation.Alter,
        KafkaAclOperation.Describe => AclOperation.Describe,
        KafkaAclOperation.ClusterAction => AclOperation.ClusterAction,
        KafkaAclOperation.DescribeConfigs => AclOperation.DescribeConfigs,
        KafkaAclOperation.AlterConfigs => AclOperation.AlterConfigs,
        KafkaAclOperation.IdempotentWrite => AclOperation.IdempotentWrite,
        _ => throw Invalid(ErrorCatalog.AclOperationNotSupported, $"Operation {operation} cannot be named by Confluent.Kafka 2.15 (librdkafka knows operations up to IdempotentWrite); use kafka-acls.sh for User-resource ACLs.", null),
    };

    internal static AclPermissionType ToConfluent(KafkaAclPermission permission) => permission switch
    {
        KafkaAclPermission.Any => AclPermissionType.Any,
        KafkaAclPermission.Allow => AclPermissionType.Allow,
        KafkaAclPermission.Deny => AclPermissionType.Deny,
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "Unknown ACL permission."),
    };

    private static KafkaAclOperation FromConfluent(AclOperation operation) => operation switch
    {
        AclOperation.All => KafkaAclOperation.All,
        AclOperation.Read => KafkaAclOperation.Read,
        AclOperation.Write => KafkaAclOperation.Write,
        AclOperation.Create => KafkaAclOperation.Create,
        AclOperation.Delete => KafkaAclOperation.Delete,
        AclOperation.Alter => KafkaAclOperation.Alter,
        AclOperation.Describe => KafkaAclOperation.Describe,
        AclOperation.ClusterAction => KafkaAclOperation.ClusterAction,
        AclOperation.DescribeConfigs => KafkaAclOperation.DescribeConfigs,
        AclOperation.AlterConfigs => KafkaAclOperation.AlterConfigs,
        AclOperation.IdempotentWrite => KafkaAclOperation.IdempotentWrite,
        AclOperation.Any => KafkaAclOperation.Any,
        _ => (int)operation switch
        {
            13 => KafkaAclOperation.CreateTokens,
            14 => KafkaAclOperation.DescribeTokens,
            _ => KafkaAclOperation.Unknown,
        },
    };

    /// <summary>AclResourceTypeNotSupported / AclPatternTypeNotSupported / AclOperationNotSupported for what Confluent.Kafka cannot name.</summary>
    private static void CheckNameable(KafkaAclFilter target, KafkaAclResourceType type, KafkaAclPatternType? pattern, KafkaAclOperation operation)
    {
        if (!CanName(type))
        {
            throw NotSupported(type, target, "-ResourceType " + type);
        }

        if (pattern == KafkaAclPatternType.Unknown)
        {
            ToConfluent(pattern.Value);
        }

        if (operation is KafkaAclOperation.Unknown or KafkaAclOperation.CreateTokens or KafkaAclOperation.DescribeTokens)
        {
            ToConfluent(operation);
        }
    }

    private static KafkaCatalogException NotSupported(KafkaAclResourceType type, KafkaAclFilter? target, string what)
    {
        var remedy = type switch
        {
            KafkaAclResourceType.TransactionalId => "kafka-acls.sh --transactional-id <id> (--list, --add or --remove)",
            KafkaAclResourceType.DelegationToken => "kafka-acls.sh --delegation-token <id>",
            KafkaAclResourceType.User => "kafka-acls.sh --user-principal <principal>",
            _ => "kafka-acls.sh",
        };
        return new KafkaCatalogException(
            ErrorCatalog.AclResourceTypeNotSupported,
            $"{what} is on a {type} resource, which Confluent.Kafka 2.15/2.16 cannot name; KafkaCatalog acts only on Topic, Group and Cluster ACLs (a filter of type Any would also match ACLs of other types with the same name, so nothing was changed). Use {remedy}. Get-KafkaAcl | Where-Object ResourceType -eq {type} lists them.",
            target);
    }

    private static void ValidatePrincipal(string? principal, bool required, KafkaAclFilter? target)
    {
        if (principal is null)
        {
            if (required)
            {
                throw Invalid(ErrorCatalog.AclPrincipalRequired, "-Principal is required to add an ACL, e.g. 'User:alice' (or 'User:*' for every user).", target);
            }

            return;
        }

        var colon = principal.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == principal.Length - 1 || principal.Any(char.IsWhiteSpace))
        {
            throw Invalid(ErrorCatalog.AclPrincipalInvalid, $"Principal '{principal}' is not of the form 'Type:Name', e.g. 'User:alice' or 'User:*'.", target);
        }
    }

    private static void ValidateHost(string host, KafkaAclFilter? target)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Any(char.IsWhiteSpace))
        {
            throw Invalid(ErrorCatalog.AclHostInvalid, $"Host '{host}' is not valid: give an IP address or '*' for any host.", target);
        }
    }

    private static KafkaCatalogException Invalid(ErrorDefinition error, string message, KafkaAclFilter? target) =>
        new(error, message, target);
}
