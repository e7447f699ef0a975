using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Partitions;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Deletes the records of a topic's partitions before an offset or a point in time by moving the log
/// start offset (kafka-delete-records). -WhatIf shows per partition how many records would go and the
/// new low watermark. One result per partition.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KafkaRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "BeforeOffset")]
[OutputType(typeof(KafkaRecordDeletion))]
public sealed class RemoveKafkaRecordCommand : KafkaCmdlet
{
    /// <summary>The topic (no wildcards: deleting data takes an exact name); binds Name from Get-KafkaTopic.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "TopicName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string Topic { get; set; } = string.Empty;

    /// <summary>Partitions of the topic; by default every partition.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public int[]? Partition { get; set; }

    /// <summary>Delete the records whose offset is below this one: it becomes the partition's low watermark.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "BeforeOffset")]
    public long BeforeOffset { get; set; }

    /// <summary>Delete the records older than this time (up to the first offset whose timestamp is at or after it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "BeforeTimestamp")]
    public DateTimeOffset BeforeTimestamp { get; set; }

    /// <summary>Delete without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var request = new RecordDeletionRequest
        {
            Topic = Topic,
            Partitions = Partition,
            BeforeOffset = ParameterSetName == "BeforeOffset" ? BeforeOffset : null,
            BeforeTimestamp = ParameterSetName == "BeforeTimestamp" ? BeforeTimestamp : null,
        };
        var approval = Approval(Force);
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new RecordDeletionService(factory, sink);
            try
            {
                var plan = await service.PlanAsync(request, token).ConfigureAwait(false);
                var description = RecordDeletionPlanner.Describe(request, plan, factory.BootstrapServers);
                if (!approval.Approve(description, "Delete records"))
                {
                    return;
                }

                foreach (var row in await service.DeleteAsync(plan, EmitItemError, token).ConfigureAwait(false))
                {
                    Emit(row);
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }
}
