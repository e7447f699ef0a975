using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Acls;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Lists ACL bindings matching the filters (every ACL when none is given).</summary>
[Cmdlet(VerbsCommon.Get, "KafkaAcl")]
[OutputType(typeof(KafkaAcl))]
public sealed class GetKafkaAclCommand : KafkaAclFilterCmdlet
{
    protected override void ProcessRecord()
    {
        KafkaAclFilter filter;
        try
        {
            filter = CreateFilter(forDelete: false);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        RunWithClient(async (factory, sink, token) =>
        {
            foreach (var acl in await new AclService(factory, sink).GetAsync(filter, token).ConfigureAwait(false))
            {
                Emit(acl);
            }
        });
    }
}
