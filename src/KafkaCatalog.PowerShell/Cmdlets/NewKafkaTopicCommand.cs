using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Creates a topic. Every parameter binds from the pipeline by property name, so
/// <c>Import-Csv topics.csv | New-KafkaTopic</c> creates one topic per row. With -WhatIf the
/// cluster validates the creation (CreateTopics validate_only) and nothing is created.
/// </summary>
[Cmdlet(VerbsCommon.New, "KafkaTopic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaTopic))]
public sealed class NewKafkaTopicCommand : KafkaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Topic", "TopicName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Partition count; the broker's num.partitions when omitted.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("PartitionCount", "NumPartitions")]
    public int? Partitions { get; set; }

    /// <summary>Replicas per partition; the broker's default.replication.factor when omitted.</summary>
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    [Alias("Replicas", "RF")]
    public int? ReplicationFactor { get; set; }

    /// <summary>Topic configs: a hashtable, or text 'key=value;key2=value2'.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [KafkaConfigTransformation]
    public Hashtable? Config { get; set; }

    /// <summary>Emit the created topic.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        NewTopicSpec spec;
        try
        {
            spec = new NewTopicSpec
            {
                Name = Name,
                Partitions = Partitions,
                ReplicationFactor = ReplicationFactor,
                Config = Config.ToConfigDictionary("-Config"),
            };
        }
        catch (KafkaCatalogException ex)
        {
            WriteError(ToErrorRecord(ex));
            return;
        }

        var approval = Approval();
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new TopicService(factory, sink);
            var description = $"{spec} on {factory.BootstrapServers}";
            try
            {
                if (approval.WhatIf)
                {
                    // Ask the cluster whether it would accept the creation; nothing is created.
                    await service.CreateAsync(spec, validateOnly: true, token).ConfigureAwait(false);
                    approval.Approve(description + " (validated by the cluster: it would accept this creation)", "Create topic");
                    return;
                }

                if (!approval.Approve(description, "Create topic"))
                {
                    return;
                }

                var result = await service.CreateAsync(spec, validateOnly: false, token).ConfigureAwait(false);
                sink.Verbose($"Created {spec}.");
                if (PassThru.IsPresent && result.Topic is not null)
                {
                    Emit(result.Topic);
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }
}
