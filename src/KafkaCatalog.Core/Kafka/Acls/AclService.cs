using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Acls;

/// <summary>ACLs: describe with a filter, create bindings, delete by filter.</summary>
public sealed class AclService
{
    private readonly KafkaCalls _calls;

    public AclService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>The ACLs matching <paramref name="filter"/> (DescribeAcls), ordered by resource then principal.</summary>
    public async Task<IReadOnlyList<KafkaAcl>> GetAsync(KafkaAclFilter filter, CancellationToken cancellationToken = default)
    {
        var bindingFilter = AclMapping.ToBindingFilter(filter, forDelete: false);
        _calls.Sink.Verbose($"DescribeAcls ({filter}) on {_calls.Factory.BootstrapServers}.");
        var result = await _calls.RunAsync(
            Call<DescribeAclsException>("DescribeAcls", KafkaCallKind.Read, "list ACLs", filter, ex => ex.Result.Error),
            _ => _calls.Factory.AdminClient.DescribeAclsAsync(bindingFilter, new DescribeAclsOptions { RequestTimeout = _calls.Factory.RequestTimeout }),
            cancellationToken).ConfigureAwait(false);
        var acls = Order(result.AclBindings.Select(b => AclMapping.FromBinding(b, _calls.Factory.Connection.Name)));
        foreach (var acl in acls)
        {
            if (AclMapping.DescribeUnrepresentable(acl) is { } why)
            {
                _calls.Sink.Warning(why);
            }
        }

        return acls;
    }

    /// <summary>Creates one ACL (CreateAcls) and returns it as the cluster now holds it.</summary>
    public async Task<KafkaAcl> AddAsync(KafkaAclFilter acl, CancellationToken cancellationToken = default)
    {
        var binding = AclMapping.ToBinding(acl);
        _calls.Sink.Verbose($"CreateAcls ({acl}) on {_calls.Factory.BootstrapServers}.");
        // Creating an ACL that already exists is a no-op on the broker, so a retry is safe.
        await _calls.RunAsync(
            Call<CreateAclsException>("CreateAcls", KafkaCallKind.IdempotentWrite, "add the ACL", acl, ex => FirstError(ex.Results.Select(r => r.Error))),
            _ => _calls.Factory.AdminClient.CreateAclsAsync([binding], new CreateAclsOptions { RequestTimeout = _calls.Factory.RequestTimeout }),
            cancellationToken).ConfigureAwait(false);

        return AclMapping.FromBinding(binding, _calls.Factory.Connection.Name);
    }

    /// <summary>
    /// Deletes exactly the binding <paramref name="acl"/> (Get-KafkaAcl | Remove-KafkaAcl) and returns it (or nothing
    /// when it no longer exists). Never sends a filter wider than the binding: an ACL of a type Confluent.Kafka cannot
    /// name is AclResourceTypeNotSupported and anything not a single binding AclBindingNotExact, before any request.
    /// </summary>
    public Task<IReadOnlyList<KafkaAcl>> RemoveExactAsync(KafkaAcl acl, CancellationToken cancellationToken = default) =>
        RemoveAsync(AclMapping.ToExactFilter(acl), cancellationToken);

    /// <summary>Deletes the ACLs matching <paramref name="filter"/> (DeleteAcls) and returns them.</summary>
    public async Task<IReadOnlyList<KafkaAcl>> RemoveAsync(KafkaAclFilter filter, CancellationToken cancellationToken = default)
    {
        var bindingFilter = AclMapping.ToBindingFilter(filter, forDelete: true);
        _calls.Sink.Verbose($"DeleteAcls ({filter}) on {_calls.Factory.BootstrapServers}.");
        var results = await _calls.RunAsync(
            Call<DeleteAclsException>("DeleteAcls", KafkaCallKind.IdempotentWrite, "remove ACLs", filter, ex => FirstError(ex.Results.Select(r => r.Error))),
            _ => _calls.Factory.AdminClient.DeleteAclsAsync([bindingFilter], new DeleteAclsOptions { RequestTimeout = _calls.Factory.RequestTimeout }),
            cancellationToken).ConfigureAwait(false);
        return Order(results.SelectMany(r => r.AclBindings).Select(b => AclMapping.FromBinding(b, _calls.Factory.Connection.Name)));
    }

    private static IReadOnlyList<KafkaAcl> Order(IEnumerable<KafkaAcl> acls) => acls
        .OrderBy(a => a.ResourceType)
        .ThenBy(a => a.ResourceName, StringComparer.Ordinal)
        .ThenBy(a => a.PatternType)
        .ThenBy(a => a.Principal, StringComparer.Ordinal)
        .ThenBy(a => a.Operation)
        .ThenBy(a => a.Permission)
        .ThenBy(a => a.Host, StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// An ACL request: its <typeparamref name="TAdminException"/> reports the error <paramref name="reportedError"/>
    /// picks from it (Unknown when none), any other KafkaException its own; "cannot reach the cluster" is explained.
    /// </summary>
    private KafkaCall Call<TAdminException>(string operation, KafkaCallKind kind, string action, object target, Func<TAdminException, Error?> reportedError)
        where TAdminException : KafkaException =>
        new(operation, kind, action, target)
        {
            Report = KafkaCallReport.Explained,
            Map = ex =>
            {
                var error = ex is TAdminException typed ? reportedError(typed) : ex.Error;
                return Map(error?.Code ?? ErrorCode.Unknown, error?.Reason, target, action, ex);
            },
        };

    private static Error? FirstError(IEnumerable<Error> errors) => errors.FirstOrDefault(e => e.IsError);

    private KafkaCatalogException Map(ErrorCode code, string? reason, object target, string action, Exception inner)
    {
        KafkaCatalogException mapped = code switch
        {
            ErrorCode.SecurityDisabled => new(ErrorCatalog.AclAuthorizerDisabled,
                $"Cannot {action}: the cluster has no authorizer configured (SECURITY_DISABLED), so it keeps no ACLs. Enable an authorizer (authorizer.class.name) on the brokers first.", target),
            ErrorCode.ClusterAuthorizationFailed => new(ErrorCatalog.KafkaAuthorizationFailed,
                $"Not authorized to {action}: managing ACLs needs the Alter (or Describe, to list) operation on the Cluster resource.", target),
            _ when KafkaRetry.IsUnreachable(code) => KafkaRetry.ClusterUnreachable(_calls.Factory.BootstrapServers, inner),
            _ => KafkaErrors.General(code, reason, target, action),
        };
        return new KafkaCatalogException(mapped.ErrorId, mapped.Kind, mapped.Message, mapped.Target, inner);
    }
}
