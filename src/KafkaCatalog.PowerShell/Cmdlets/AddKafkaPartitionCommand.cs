using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Raises a topic's partition count to -TotalCount. -WhatIf asks the cluster to validate only.</summary>
[Cmdlet(VerbsCommon.Add, "KafkaPartition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaTopic))]
public sealed class AddKafkaPartitionCommand : KafkaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Topic", "TopicName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The partition count the topic should have afterwards (Kafka cannot remove partitions).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("PartitionCount", "Partitions")]
    [ValidateRange(1, int.MaxValue)]
    public int TotalCount { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var approval = Approval();
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new TopicService(factory, sink);
            var description = $"topic '{Name}' to {TotalCount} partitions on {factory.BootstrapServers}";
            try
            {
                if (approval.WhatIf)
                {
                    await service.AddPartitionsAsync(Name, TotalCount, validateOnly: true, token).ConfigureAwait(false);
                    approval.Approve(description + " (validated by the cluster)", "Add partitions");
                    return;
                }

                if (!approval.Approve(description, "Add partitions"))
                {
                    return;
                }

                var topic = await service.AddPartitionsAsync(Name, TotalCount, validateOnly: false, token).ConfigureAwait(false);
                if (PassThru.IsPresent && topic is not null)
                {
                    Emit(topic);
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }
}
