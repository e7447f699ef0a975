using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// The incremental config change of Set-KafkaTopicConfig and Set-KafkaBrokerConfig: -Set values,
/// -Remove overrides, -PassThru, and the per-target ShouldProcess. With -WhatIf the cluster
/// validates the change (validate_only) and nothing changes.
/// </summary>
public abstract class SetKafkaConfigCmdlet : KafkaCmdlet
{
    [Parameter]
    [KafkaConfigTransformation]
    public Hashtable? Set { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Remove { get; set; }

    /// <summary>Emit the changed entries as the cluster now reports them.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>One resource whose configs change.</summary>
    /// <param name="Description">How ShouldProcess names it ("topic 'orders'", "broker 1").</param>
    /// <param name="Alter">Changes (or with validateOnly only validates) its configs.</param>
    /// <param name="Describe">Reads its configs back for -PassThru; null when there is nothing to read back.</param>
    protected sealed record ConfigTarget(
        string Description,
        Func<ConfigService, ConfigChange, bool, CancellationToken, Task> Alter,
        Func<ConfigService, Action<KafkaCatalogException>, CancellationToken, IAsyncEnumerable<(string Topic, IReadOnlyList<KafkaConfigEntry> Entries)>>? Describe);

    /// <summary>
    /// Applies -Set/-Remove to every target: a terminating error when the change itself is invalid
    /// (nothing is sent), otherwise one ShouldProcess and one error record per target.
    /// </summary>
    /// <param name="what">The config kind for the validation message ("the topic config").</param>
    /// <param name="action">The ShouldProcess action ("Set topic config").</param>
    protected void ApplyChange(string what, string action, IReadOnlyList<ConfigTarget> targets)
    {
        ConfigChange change;
        try
        {
            change = new ConfigChange { Set = Set.ToConfigDictionary("-Set"), Remove = Remove ?? Array.Empty<string>() };
            ConfigService.Validate(change, what);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var approval = Approval();
        var passThru = PassThru.IsPresent;
        RunWithClient(async (factory, sink, token) =>
        {
            var configs = new ConfigService(factory, sink);
            foreach (var target in targets)
            {
                try
                {
                    if (approval.WhatIf)
                    {
                        await target.Alter(configs, change, true, token).ConfigureAwait(false);
                        approval.Approve($"{target.Description}: {change} (validated by the cluster)", action);
                        continue;
                    }

                    if (!approval.Approve($"{target.Description}: {change}", action))
                    {
                        continue;
                    }

                    await target.Alter(configs, change, false, token).ConfigureAwait(false);
                    if (passThru && target.Describe is { } describe)
                    {
                        await foreach (var (_, entries) in describe(configs, EmitItemError, token).ConfigureAwait(false))
                        {
                            foreach (var entry in change.Changed(entries))
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
