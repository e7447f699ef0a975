using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Changes topic configs incrementally (IncrementalAlterConfigs): -Set values, -Remove overrides
/// (back to the broker default); other configs stay. -WhatIf asks the cluster to validate only.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KafkaTopicConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaConfigEntry))]
public sealed class SetKafkaTopicConfigCommand : SetKafkaConfigCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Topic", "TopicName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord() =>
        ApplyChange("the topic config", "Set topic config", Name.Select(topic => new ConfigTarget(
            $"topic '{topic}'",
            (configs, change, validateOnly, token) => configs.AlterTopicAsync(topic, change, validateOnly, token),
            (configs, onItemError, token) => configs.DescribeTopicsAsync([topic], onItemError, token))).ToArray());
}
