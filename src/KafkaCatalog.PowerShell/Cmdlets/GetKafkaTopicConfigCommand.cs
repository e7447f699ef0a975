using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Shows topic configs: value, source, default, sensitive, read-only and synonyms.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaTopicConfig")]
[OutputType(typeof(KafkaConfigEntry))]
public sealed class GetKafkaTopicConfigCommand : KafkaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Topic", "TopicName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Config names to show; wildcards allowed.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ConfigName { get; set; }

    /// <summary>Only configs set away from their default.</summary>
    [Parameter]
    public SwitchParameter ExcludeDefault { get; set; }

    protected override void ProcessRecord()
    {
        var filter = (ConfigName ?? Array.Empty<string>()).Select(NamePattern.Parse).ToArray();
        RunWithClient(async (factory, sink, token) =>
        {
            var topics = new List<string>();
            await foreach (var topic in new TopicService(factory, sink).ListAsync(new TopicQuery { Names = Name }, EmitItemError, token).ConfigureAwait(false))
            {
                topics.Add(topic.Name);
            }

            var described = new ConfigService(factory, sink).DescribeTopicsAsync(topics, EmitItemError, token);
            await foreach (var entry in ConfigService.Filter(described, filter, ExcludeDefault.IsPresent).ConfigureAwait(false))
            {
                Emit(entry);
            }
        });
    }
}
