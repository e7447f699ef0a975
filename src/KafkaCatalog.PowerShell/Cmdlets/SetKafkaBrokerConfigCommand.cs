using System.Management.Automation;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Changes dynamic broker configs incrementally: -Set values, -Remove overrides. With -WhatIf the
/// cluster validates the change (validate_only) and nothing changes. The cluster-wide default
/// (kafka-configs --entity-default) is not offered: librdkafka cannot name it
/// (rd_kafka_ConfigResource_new refuses an empty broker name).
/// </summary>
[Cmdlet(VerbsCommon.Set, "KafkaBrokerConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaConfigEntry))]
public sealed class SetKafkaBrokerConfigCommand : SetKafkaConfigCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(0, int.MaxValue)]
    public int[] BrokerId { get; set; } = Array.Empty<int>();

    protected override void ProcessRecord()
    {
        var targets = BrokerId.Select(id => new ConfigTarget(
                $"broker {id}",
                (configs, change, validateOnly, token) => configs.AlterBrokerAsync(id, change, validateOnly, token),
                (configs, onItemError, token) => configs.DescribeBrokersAsync([id], onItemError, token))).ToArray();
        ApplyChange("the broker config", "Set broker config", targets);
    }
}
