using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Deletes a consumer group (it must have no active members), or with -Topic only its committed
/// offsets for that topic.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KafkaConsumerGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KafkaConsumerGroupRemoval))]
public sealed class RemoveKafkaConsumerGroupCommand : KafkaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Group", "Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConsumerGroupIdCompleter))]
    public string[] GroupId { get; set; } = [];

    /// <summary>Delete only the group's committed offsets for this topic (the group stays).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string? Topic { get; set; }

    /// <summary>Delete without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit what was deleted.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var ids = GroupId;
        var topic = Topic;
        var approval = Approval(Force);
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new ConsumerGroupRemovalService(factory, sink);
            foreach (var id in ids)
            {
                try
                {
                    ConsumerGroupNames.EnsureValidGroupId(id);
                    var target = topic is null
                        ? $"consumer group '{id}' on {factory.BootstrapServers}"
                        : $"committed offsets of consumer group '{id}' for topic '{topic}' on {factory.BootstrapServers}";
                    var action = topic is null ? "Delete consumer group" : "Delete consumer group offsets";
                    if (!approval.Approve(target, action))
                    {
                        continue;
                    }

                    var removal = await service.RemoveAsync(id, topic, token).ConfigureAwait(false);
                    if (PassThru.IsPresent)
                    {
                        Emit(removal);
                    }
                }
                catch (KafkaCatalogException ex)
                {
                    EmitItemError(ex);
                }
            }
        });
    }
}
