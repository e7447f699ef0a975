using Confluent.Kafka.Admin;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Our ACL records to and from Confluent.Kafka's ACL types, with the checks that catch bad input
/// before the cluster sees it (the broker's own errors for these are vague).
/// </summary>
public static class AclMapping
{
    public const string ClusterResourceName = "kafka-cluster";

    /// <summary>A binding for CreateAcls: every field must be concrete.</summary>
    public static AclBinding ToBinding(KafkaAclFilter acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        if (acl.ResourceType == KafkaAclResourceType.Any)
        {
            throw Invalid("AclResourceTypeRequired", "-ResourceType is required to add an ACL: Topic, Group or Cluster.", acl);
        }

        var pattern = acl.PatternType ?? KafkaAclPatternType.Literal;
        if (pattern is KafkaAclPatternType.Any or KafkaAclPatternType.Match)
        {
            throw Invalid("AclPatternTypeNotConcrete", $"-PatternType {pattern} only filters existing ACLs; a new ACL is Literal or Prefixed.", acl);
        }

        var name = acl.ResourceName;
        if (acl.ResourceType == KafkaAclResourceType.Cluster)
        {
            name ??= ClusterResourceName;
            if (!string.Equals(name, ClusterResourceName, StringComparison.Ordinal) || pattern != KafkaAclPatternType.Literal)
            {
                throw Invalid("AclClusterNameInvalid", $"The Cluster resource is always the literal name '{ClusterResourceName}'; got '{name}' ({pattern}).", acl);
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid("AclResourceNameRequired", "-ResourceName is required to add an ACL (use '*' with -PatternType Literal for every resource of the type).", acl);
        }

        if (pattern == KafkaAclPatternType.Prefixed && name == "*")
        {
            throw Invalid("AclPrefixedWildcard", "A Prefixed ACL cannot use '*' as its prefix; use -PatternType Literal -ResourceName '*' for every resource.", acl);
        }

        ValidatePrincipal(acl.Principal, required: true, acl);
        var host = acl.Host ?? "*";
        ValidateHost(host, acl);
        if (acl.Operation == KafkaAclOperation.Any)
        {
            throw Invalid("AclOperationRequired", "-Operation is required to add an ACL (Read, Write, Describe, All, ...); Any only filters.", acl);
        }

        if (acl.Permission == KafkaAclPermission.Any)
        {
            throw Invalid("AclPermissionRequired", "-Permission is required to add an ACL: Allow or Deny.", acl);
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
        ValidatePrincipal(filter.Principal, required: false, filter);
        if (filter.Host is not null)
        {
            ValidateHost(filter.Host, filter);
        }

        if (filter.ResourceName is not null && string.IsNullOrWhiteSpace(filter.ResourceName))
        {
            throw Invalid("AclResourceNameEmpty", "-ResourceName is empty. Leave it out to match every name, or give a name.", filter);
        }

        if (forDelete && filter.ResourceName is null && filter.Principal is null)
        {
            throw Invalid(
                "AclFilterTooBroad",
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

    public static KafkaAcl FromBinding(AclBinding binding, string? connectionName = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        return new KafkaAcl
        {
            ResourceType = binding.Pattern.Type switch
            {
                ResourceType.Topic => KafkaAclResourceType.Topic,
                ResourceType.Group => KafkaAclResourceType.Group,
                ResourceType.Broker => KafkaAclResourceType.Cluster,
                _ => KafkaAclResourceType.Any,
            },
            ResourceName = binding.Pattern.Name,
            PatternType = binding.Pattern.ResourcePatternType switch
            {
                ResourcePatternType.Literal => KafkaAclPatternType.Literal,
                ResourcePatternType.Prefixed => KafkaAclPatternType.Prefixed,
                ResourcePatternType.Match => KafkaAclPatternType.Match,
                _ => KafkaAclPatternType.Any,
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

    /// <summary>Turns an ACL emitted by Get-KafkaAcl back into the exact filter that matches only it.</summary>
    public static KafkaAclFilter ToExactFilter(KafkaAcl acl) => new()
    {
        ResourceType = acl.ResourceType,
        ResourceName = acl.ResourceName,
        PatternType = acl.PatternType,
        Principal = acl.Principal,
        Host = acl.Host,
        Operation = acl.Operation,
        Permission = acl.Permission,
    };

    internal static ResourceType ToConfluent(KafkaAclResourceType type) => type switch
    {
        KafkaAclResourceType.Any => ResourceType.Any,
        KafkaAclResourceType.Topic => ResourceType.Topic,
        KafkaAclResourceType.Group => ResourceType.Group,
        KafkaAclResourceType.Cluster => ResourceType.Broker,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ACL resource type."),
    };

    internal static ResourcePatternType ToConfluent(KafkaAclPatternType type) => type switch
    {
        KafkaAclPatternType.Any => ResourcePatternType.Any,
        KafkaAclPatternType.Match => ResourcePatternType.Match,
        KafkaAclPatternType.Literal => ResourcePatternType.Literal,
        KafkaAclPatternType.Prefixed => ResourcePatternType.Prefixed,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ACL pattern type."),
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
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown ACL operation."),
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
        _ => KafkaAclOperation.Any,
    };

    private static void ValidatePrincipal(string? principal, bool required, KafkaAclFilter target)
    {
        if (principal is null)
        {
            if (required)
            {
                throw Invalid("AclPrincipalRequired", "-Principal is required to add an ACL, e.g. 'User:alice' (or 'User:*' for every user).", target);
            }

            return;
        }

        var colon = principal.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == principal.Length - 1 || principal.Any(char.IsWhiteSpace))
        {
            throw Invalid("AclPrincipalInvalid", $"Principal '{principal}' is not of the form 'Type:Name', e.g. 'User:alice' or 'User:*'.", target);
        }
    }

    private static void ValidateHost(string host, KafkaAclFilter target)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Any(char.IsWhiteSpace))
        {
            throw Invalid("AclHostInvalid", $"Host '{host}' is not valid: give an IP address or '*' for any host.", target);
        }
    }

    private static KafkaCatalogException Invalid(string id, string message, KafkaAclFilter target) =>
        new(id, FailureKind.InvalidArgument, message, target);
}
