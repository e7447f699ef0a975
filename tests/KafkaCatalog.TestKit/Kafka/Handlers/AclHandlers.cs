using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

internal static class AclLogic
{
    public const string NoAuthorizer = "No Authorizer is configured on the broker";

    /// <summary>SECURITY_DISABLED when ACLs are off, CLUSTER_AUTHORIZATION_FAILED without the cluster permission.</summary>
    public static (short Code, string Message)? Gate(RequestContext ctx, AclOperation op)
    {
        if (!ctx.State.Options.EnableAcls)
        {
            return (ErrorCode.SecurityDisabled, NoAuthorizer);
        }

        if (!ctx.State.IsAuthorized(ctx.Principal, op, AclResourceType.Cluster, "kafka-cluster"))
        {
            return (ErrorCode.ClusterAuthorizationFailed, ErrorCode.DefaultMessage(ErrorCode.ClusterAuthorizationFailed));
        }

        return null;
    }

    public static string? ValidateBinding(AclBinding b)
    {
        if (b.ResourceType is AclResourceType.Any or AclResourceType.Unknown || !Enum.IsDefined(b.ResourceType))
        {
            return "Invalid ACL creation: resource type must not be ANY or UNKNOWN";
        }

        if (b.PatternType is not (AclPatternType.Literal or AclPatternType.Prefixed))
        {
            return "Invalid ACL creation: pattern type must be LITERAL or PREFIXED";
        }

        if (b.Operation is AclOperation.Any or AclOperation.Unknown || !Enum.IsDefined(b.Operation))
        {
            return "Invalid ACL creation: operation must not be ANY or UNKNOWN";
        }

        if (b.Permission is not (AclPermissionType.Allow or AclPermissionType.Deny))
        {
            return "Invalid ACL creation: permission type must be ALLOW or DENY";
        }

        if (string.IsNullOrEmpty(b.ResourceName))
        {
            return "Invalid ACL creation: resource name must not be empty";
        }

        if (b.ResourceType == AclResourceType.Cluster && b.ResourceName != "kafka-cluster")
        {
            return "The only valid name for the CLUSTER resource is kafka-cluster";
        }

        var colon = b.Principal.IndexOf(':');
        if (colon <= 0 || colon == b.Principal.Length - 1)
        {
            return $"Could not parse principal from `{b.Principal}` (no colon is present separating the principal type from the principal name)";
        }

        if (string.IsNullOrEmpty(b.Host))
        {
            return "Invalid ACL creation: host must not be empty";
        }

        return null;
    }

    public static string? ValidateFilter(AclFilter f)
    {
        if (f.ResourceType == AclResourceType.Unknown || !Enum.IsDefined(f.ResourceType))
        {
            return "Invalid ACL filter: unknown resource type";
        }

        if (f.PatternType == AclPatternType.Unknown || !Enum.IsDefined(f.PatternType))
        {
            return "Invalid ACL filter: unknown pattern type";
        }

        if (f.Operation == AclOperation.Unknown || !Enum.IsDefined(f.Operation))
        {
            return "Invalid ACL filter: unknown operation";
        }

        if (f.Permission == AclPermissionType.Unknown || !Enum.IsDefined(f.Permission))
        {
            return "Invalid ACL filter: unknown permission type";
        }

        return null;
    }

    public static AclFilter Filter(Message m, short v) => new(
        (AclResourceType)m.GetInt8("ResourceTypeFilter"), m.GetString("ResourceNameFilter"),
        v >= 1 ? (AclPatternType)m.GetInt8("PatternTypeFilter") : AclPatternType.Literal,
        m.GetString("PrincipalFilter"), m.GetString("HostFilter"),
        (AclOperation)m.GetInt8("Operation"), (AclPermissionType)m.GetInt8("PermissionType"));
}

/// <summary>CreateAcls (30) v0-v3.</summary>
internal sealed class CreateAclsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.CreateAcls;
    public short MinVersion => 0;
    public short MaxVersion => 3;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        var gate = AclLogic.Gate(ctx, AclOperation.Alter);
        foreach (var c in request.GetArray("Creations") ?? new List<Message>())
        {
            var r = resp.AddElement("Results");
            if (gate is { } g)
            {
                r.Set("ErrorCode", g.Code);
                r.Set("ErrorMessage", g.Message);
                continue;
            }
            var b = new AclBinding((AclResourceType)c.GetInt8("ResourceType"), c.GetString("ResourceName") ?? "",
                ctx.ApiVersion >= 1 ? (AclPatternType)c.GetInt8("ResourcePatternType") : AclPatternType.Literal,
                c.GetString("Principal") ?? "", c.GetString("Host") ?? "", (AclOperation)c.GetInt8("Operation"),
                (AclPermissionType)c.GetInt8("PermissionType"));
            if (AclLogic.ValidateBinding(b) is { } bad)
            {
                r.Set("ErrorCode", ErrorCode.InvalidRequest);
                r.Set("ErrorMessage", bad);
                continue;
            }
            ctx.State.AddAcl(b);
            r.Set("ErrorCode", ErrorCode.None);
            r.Set("ErrorMessage", null);
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>DescribeAcls (29) v0-v3.</summary>
internal sealed class DescribeAclsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DescribeAcls;
    public short MinVersion => 0;
    public short MaxVersion => 3;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        var filter = AclLogic.Filter(request, ctx.ApiVersion);
        var err = AclLogic.Gate(ctx, AclOperation.Describe) ?? (AclLogic.ValidateFilter(filter) is { } bad ? (ErrorCode.InvalidRequest, bad) : null);
        if (err is { } e)
        {
            resp.Set("ErrorCode", e.Code);
            resp.Set("ErrorMessage", e.Message);
            return ValueTask.FromResult<Message?>(resp);
        }
        resp.Set("ErrorCode", ErrorCode.None);
        resp.Set("ErrorMessage", null);
        foreach (var g in ctx.State.FindAcls(filter).GroupBy(a => (a.ResourceType, a.ResourceName, a.PatternType)))
        {
            var res = resp.AddElement("Resources");
            res.Set("ResourceType", (sbyte)g.Key.ResourceType);
            res.Set("ResourceName", g.Key.ResourceName);
            res.Set("PatternType", (sbyte)g.Key.PatternType);
            foreach (var a in g)
            {
                var d = res.AddElement("Acls");
                d.Set("Principal", a.Principal);
                d.Set("Host", a.Host);
                d.Set("Operation", (sbyte)a.Operation);
                d.Set("PermissionType", (sbyte)a.Permission);
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>DeleteAcls (31) v0-v3.</summary>
internal sealed class DeleteAclsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DeleteAcls;
    public short MinVersion => 0;
    public short MaxVersion => 3;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        var gate = AclLogic.Gate(ctx, AclOperation.Alter);
        foreach (var fm in request.GetArray("Filters") ?? new List<Message>())
        {
            var r = resp.AddElement("FilterResults");
            var filter = AclLogic.Filter(fm, ctx.ApiVersion);
            var err = gate ?? (AclLogic.ValidateFilter(filter) is { } bad ? (ErrorCode.InvalidRequest, bad) : null);
            if (err is { } e)
            {
                r.Set("ErrorCode", e.Code);
                r.Set("ErrorMessage", e.Message);
                continue;
            }
            r.Set("ErrorCode", ErrorCode.None);
            r.Set("ErrorMessage", null);
            foreach (var a in ctx.State.RemoveAcls(filter))
            {
                var m = r.AddElement("MatchingAcls");
                m.Set("ErrorCode", ErrorCode.None);
                m.Set("ErrorMessage", null);
                m.Set("ResourceType", (sbyte)a.ResourceType);
                m.Set("ResourceName", a.ResourceName);
                m.Set("PatternType", (sbyte)a.PatternType);
                m.Set("Principal", a.Principal);
                m.Set("Host", a.Host);
                m.Set("Operation", (sbyte)a.Operation);
                m.Set("PermissionType", (sbyte)a.Permission);
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}
