using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Changes dynamic broker configs incrementally: -Set values, -Remove overrides. With -WhatIf the
/// cluster validates the change (validate_only) and nothing changes.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KafkaBrokerConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByBroker)]
[OutputType(typeof(KafkaConfigEntry))]
public sealed class SetKafkaBrokerConfigCommand : KafkaCmdlet
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

    [Parameter]
    [KafkaConfigTransformation]
    public Hashtable? Set { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Remove { get; set; }

    /// <summary>Emit the changed entries as the brokers now report them.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        ConfigChange change;
        try
        {
            change = new ConfigChange { Set = Set.ToConfigDictionary("-Set"), Remove = Remove ?? Array.Empty<string>() };
            ConfigService.Validate(change, "the broker config");
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var targets = ClusterDefault.IsPresent ? new int?[] { null } : BrokerId.Select(id => (int?)id).ToArray();
        var whatIf = IsWhatIf();
        RunWithClient(async (factory, sink, token) =>
        {
            var configs = new ConfigService(factory, sink);
            foreach (var brokerId in targets)
            {
                var target = brokerId is null ? "cluster-wide broker default" : $"broker {brokerId}";
                try
                {
                    if (whatIf)
                    {
                        await configs.AlterBrokerAsync(brokerId, change, validateOnly: true, token).ConfigureAwait(false);
                        AskShouldProcess($"{target}: {change} (validated by the cluster)", "Set broker config");
                        continue;
                    }

                    if (!AskShouldProcess($"{target}: {change}", "Set broker config"))
                    {
                        continue;
                    }

                    await configs.AlterBrokerAsync(brokerId, change, validateOnly: false, token).ConfigureAwait(false);
                    if (PassThru.IsPresent && brokerId is { } id)
                    {
                        var names = change.Set.Keys.Concat(change.Remove).ToHashSet(StringComparer.Ordinal);
                        await foreach (var (_, entries) in configs.DescribeBrokersAsync([id], EmitItemError, token).ConfigureAwait(false))
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
