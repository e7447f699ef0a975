using System.Management.Automation;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Changes dynamic broker configs incrementally: -Set values, -Remove overrides. With -WhatIf the
/// cluster validates the change (validate_only) and nothing changes.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KafkaBrokerConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByBroker)]
[OutputType(typeof(KafkaConfigEntry))]
public sealed class SetKafkaBrokerConfigCommand : SetKafkaConfigCmdlet
{
    private const string ByBroker = "ByBroker";
    private const string ClusterWide = "ClusterDefault";

    [Parameter(ParameterSetName = ByBroker, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(0, int.MaxValue)]
    public int[] BrokerId { get; set; } = Array.Empty<int>();

    /// <summary>Change the cluster-wide default that every broker inherits.</summary>
    [Parameter(ParameterSetName = ClusterWide, Mandatory = true)]
    public SwitchParameter ClusterDefault { get; set; }

    protected override void ProcessRecord()
    {
        var targets = ClusterDefault.IsPresent
            ? [new ConfigTarget(
                "cluster-wide broker default",
                (configs, change, validateOnly, token) => configs.AlterBrokerAsync(null, change, validateOnly, token),
                Describe: null)] // -PassThru re-reads brokers by id; the cluster-wide default has none
            : BrokerId.Select(id => new ConfigTarget(
                $"broker {id}",
                (configs, change, validateOnly, token) => configs.AlterBrokerAsync(id, change, validateOnly, token),
                (configs, onItemError, token) => configs.DescribeBrokersAsync([id], onItemError, token))).ToArray();
        ApplyChange("the broker config", "Set broker config", targets);
    }
}
