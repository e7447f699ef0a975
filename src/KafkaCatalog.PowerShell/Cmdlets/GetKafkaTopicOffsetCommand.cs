using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Low and high watermark and message count per partition, and the offset for a point in time.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaTopicOffset")]
[OutputType(typeof(KafkaTopicOffset))]
public sealed class GetKafkaTopicOffsetCommand : KafkaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Topic", "TopicName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Also find, per partition, the first offset whose timestamp is at or after this time.</summary>
    [Parameter]
    public DateTimeOffset? Timestamp { get; set; }

    protected override void ProcessRecord() =>
        RunWithClient(async (factory, sink, token) =>
        {
            var topics = new List<KafkaTopic>();
            await foreach (var topic in new TopicService(factory, sink).ListAsync(new TopicQuery { Names = Name }, EmitItemError, token).ConfigureAwait(false))
            {
                topics.Add(topic);
            }

            await foreach (var offset in new TopicOffsetService(factory, sink).GetAsync(topics, Timestamp, EmitItemError, token).ConfigureAwait(false))
            {
                Emit(offset);
            }
        });
}
