using System.Management.Automation;
using KafkaCatalog.Core.Kafka.TopicState;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Compares a desired topic state (a YAML/JSON file or pipeline objects) with the cluster and emits one
/// KafkaTopicDifference per difference: Create, AddPartitions, SetConfig, ResetConfig,
/// ReplicationFactorDiffers, PartitionsDecreaseRequested, Missing. Reads only; no output means no drift.
/// </summary>
[Cmdlet(VerbsData.Compare, "KafkaTopic", DefaultParameterSetName = "Path")]
[OutputType(typeof(KafkaTopicDifference))]
public sealed class CompareKafkaTopicCommand : TopicStateCmdlet
{
    protected override void EndProcessing()
    {
        var request = ReadRequest();
        if (request is not null)
        {
            RunWithClient(async (factory, sink, token) =>
            {
                foreach (var difference in await new TopicStateService(factory, sink).PlanAsync(request, token).ConfigureAwait(false))
                {
                    Emit(difference);
                }
            });
        }

        base.EndProcessing();
    }
}
