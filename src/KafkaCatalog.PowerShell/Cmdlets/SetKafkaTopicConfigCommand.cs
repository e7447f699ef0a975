using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Changes topic configs incrementally (IncrementalAlterConfigs): -Set values, -Remove overrides
/// (back to the broker default); other configs stay. -WhatIf asks the cluster to validate only.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KafkaTopicConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaConfigEntry))]
public sealed class SetKafkaTopicConfigCommand : KafkaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Topic", "TopicName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter]
    [KafkaConfigTransformation]
    public Hashtable? Set { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Remove { get; set; }

    /// <summary>Emit the changed entries as the cluster now reports them.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        ConfigChange change;
        try
        {
            change = new ConfigChange { Set = Set.ToConfigDictionary("-Set"), Remove = Remove ?? Array.Empty<string>() };
            ConfigService.Validate(change, "the topic config");
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var whatIf = IsWhatIf();
        RunWithClient(async (factory, sink, token) =>
        {
            var configs = new ConfigService(factory, sink);
            foreach (var topic in Name)
            {
                try
                {
                    if (whatIf)
                    {
                        await configs.AlterTopicAsync(topic, change, validateOnly: true, token).ConfigureAwait(false);
                        AskShouldProcess($"topic '{topic}': {change} (validated by the cluster)", "Set topic config");
                        continue;
                    }

                    if (!AskShouldProcess($"topic '{topic}': {change}", "Set topic config"))
                    {
                        continue;
                    }

                    await configs.AlterTopicAsync(topic, change, validateOnly: false, token).ConfigureAwait(false);
                    if (PassThru.IsPresent)
                    {
                        var names = change.Set.Keys.Concat(change.Remove).ToHashSet(StringComparer.Ordinal);
                        await foreach (var (_, entries) in configs.DescribeTopicsAsync([topic], EmitItemError, token).ConfigureAwait(false))
                        {
                            foreach (var entry in entries.Where(e => names.Contains(e.Name)))
                            {
                                Emit(entry);
                            }
                        }
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
