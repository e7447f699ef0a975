using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Describes the cluster: id, controller and brokers.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaCluster")]
[OutputType(typeof(KafkaCluster))]
public sealed class GetKafkaClusterCommand : KafkaCmdlet
{
    protected override void ProcessRecord() =>
        RunWithClient(async (factory, sink, token) =>
            Emit(await new ClusterService(factory, sink).DescribeAsync(token).ConfigureAwait(false)));
}
