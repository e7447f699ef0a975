using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Deletes topics. A wildcard asks for confirmation listing every matching topic unless -Force;
/// -WhatIf lists what would be deleted and deletes nothing.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KafkaTopic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KafkaTopic))]
public sealed class RemoveKafkaTopicCommand : KafkaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Topic", "TopicName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Delete without asking (also for wildcards).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit each deleted topic as it was before deletion.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var matched = new List<(KafkaTopic Topic, string? Pattern)>();
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new TopicService(factory, sink);
            foreach (var name in Name)
            {
                var pattern = NamePattern.Parse(name);
                await foreach (var topic in service.ListAsync(new TopicQuery { Names = [name] }, EmitItemError, token).ConfigureAwait(false))
                {
                    matched.Add((topic, pattern.HasWildcards ? name : null));
                }
            }
        });

        var approval = Approval(Force);
        var confirmed = new List<KafkaTopic>();
        foreach (var group in matched.GroupBy(m => m.Pattern))
        {
            var topics = group.Select(m => m.Topic).ToArray();
            if (group.Key is not null)
            {
                // A wildcard is confirmed as a whole, listing every topic it matched.
                var listing = string.Join(Environment.NewLine, topics.Select(Describe));
                if (approval.Approve($"'{group.Key}', which matches {topics.Length} topic(s):{Environment.NewLine}{listing}", "Delete topics")
                    && approval.ConfirmFurther($"'{group.Key}' matches {topics.Length} topic(s):{Environment.NewLine}{listing}{Environment.NewLine}Delete them all?", "Remove Kafka topics"))
                {
                    confirmed.AddRange(topics);
                }

                continue;
            }

            foreach (var topic in topics)
            {
                if (approval.Approve(Describe(topic), "Delete topic"))
                {
                    confirmed.Add(topic);
                }
            }
        }

        if (confirmed.Count == 0)
        {
            return;
        }

        RunWithClient(async (factory, sink, token) =>
        {
            var byName = confirmed.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var outcomes = await new TopicService(factory, sink).DeleteAsync(byName.Keys.ToArray(), token).ConfigureAwait(false);
            foreach (var outcome in outcomes.OrderBy(o => o.Topic, StringComparer.Ordinal))
            {
                if (outcome.Error is not null)
                {
                    EmitItemError(outcome.Error);
                }
                else
                {
                    sink.Verbose($"Deleted topic '{outcome.Topic}'.");
                    if (PassThru.IsPresent)
                    {
                        Emit(byName[outcome.Topic]);
                    }
                }
            }
        });
    }

    private static string Describe(KafkaTopic topic) =>
        $"topic '{topic.Name}' ({topic.PartitionCount} partitions, replication factor {topic.ReplicationFactor}) on {topic.BootstrapServers}";
}
