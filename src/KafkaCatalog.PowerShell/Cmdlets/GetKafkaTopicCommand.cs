using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Lists topics (wildcards allowed) with their partitions, leaders, replicas and in-sync replicas.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaTopic")]
[OutputType(typeof(KafkaTopic))]
public sealed class GetKafkaTopicCommand : KafkaCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Topic", "TopicName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Also list internal topics (__consumer_offsets, __transaction_state) matched by wildcards.</summary>
    [Parameter]
    public SwitchParameter IncludeInternal { get; set; }

    /// <summary>Only topics with a partition whose in-sync replicas are fewer than its replicas.</summary>
    [Parameter]
    public SwitchParameter UnderReplicated { get; set; }

    /// <summary>Only topics with a partition that has no leader.</summary>
    [Parameter]
    public SwitchParameter Unavailable { get; set; }

    /// <summary>Only topics with a partition whose in-sync replicas are fewer than min.insync.replicas.</summary>
    [Parameter]
    public SwitchParameter UnderMinIsr { get; set; }

    /// <summary>Fill each topic's Config (one batched DescribeConfigs request per 500 topics).</summary>
    [Parameter]
    public SwitchParameter IncludeConfig { get; set; }

    /// <summary>Fill each topic's MessageCount from its partitions' watermarks (approximate for compacted and transactional topics).</summary>
    [Parameter]
    public SwitchParameter IncludeMessageCount { get; set; }

    protected override void ProcessRecord()
    {
        var query = new TopicQuery
        {
            Names = Name ?? Array.Empty<string>(),
            IncludeInternal = IncludeInternal.IsPresent,
            UnderReplicated = UnderReplicated.IsPresent,
            Unavailable = Unavailable.IsPresent,
            UnderMinIsr = UnderMinIsr.IsPresent,
            IncludeConfig = IncludeConfig.IsPresent,
            IncludeMessageCount = IncludeMessageCount.IsPresent,
        };
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new TopicService(factory, sink);
            await foreach (var topic in service.ListAsync(query, EmitItemError, token).ConfigureAwait(false))
            {
                Emit(topic);
            }
        });
    }
}
