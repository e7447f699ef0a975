using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Lists the cluster's brokers (all, or the ids asked for).</summary>
[Cmdlet(VerbsCommon.Get, "KafkaBroker")]
[OutputType(typeof(KafkaBroker))]
public sealed class GetKafkaBrokerCommand : KafkaCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(0, int.MaxValue)]
    public int[]? BrokerId { get; set; }

    protected override void ProcessRecord() =>
        RunWithClient(async (factory, sink, token) =>
        {
            var brokers = await new ClusterService(factory, sink).GetBrokersAsync(BrokerId, EmitItemError, token).ConfigureAwait(false);
            foreach (var broker in brokers)
            {
                Emit(broker);
            }
        });
}
