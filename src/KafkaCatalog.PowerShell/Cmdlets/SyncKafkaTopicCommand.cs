using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.TopicState;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Makes the cluster match a desired topic state: creates topics (with their configs), adds partitions,
/// sets and resets configs, one KafkaTopicSyncResult per change. -WhatIf shows the plan and changes
/// nothing. A topic is deleted only with -RemoveMissing, and each deletion is confirmed as a
/// ConfirmImpact High change (-Force skips that question).
/// </summary>
[Cmdlet(VerbsData.Sync, "KafkaTopic", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Path")]
[OutputType(typeof(KafkaTopicSyncResult))]
public sealed class SyncKafkaTopicCommand : TopicStateCmdlet
{
    /// <summary>Delete the topics in -Scope that the desired state does not list (each confirmed; ConfirmImpact High).</summary>
    [Parameter]
    public SwitchParameter RemoveMissing { get; set; }

    /// <summary>Delete the Missing topics (-RemoveMissing) without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var request = ReadRequest();
        if (request is not null)
        {
            Sync(request);
        }

        base.EndProcessing();
    }

    private void Sync(TopicStateRequest request)
    {
        IReadOnlyList<KafkaTopicDifference> plan = [];
        RunWithClient(async (factory, sink, token) => plan = await new TopicStateService(factory, sink).PlanAsync(request, token).ConfigureAwait(false));

        var approval = Approval(Force.IsPresent);
        var removeMissing = RemoveMissing.IsPresent;
        var selected = new List<KafkaTopicDifference>();
        foreach (var change in plan)
        {
            var target = $"{change.Description} ({change.BootstrapServers})";
            if (!change.CanApply)
            {
                WriteWarning(change.Description);
                selected.Add(change);
            }
            else if (change.Kind == KafkaTopicDifferenceKind.Missing && !removeMissing)
            {
                WriteWarning($"Topic '{change.Topic}' is in scope but not in the desired state; it is not deleted (add -RemoveMissing to delete it).");
                selected.Add(change);
            }
            else if (change.Kind == KafkaTopicDifferenceKind.Missing)
            {
                var deletion = $"topic '{change.Topic}' ({change.Current}) on {change.BootstrapServers}: in scope ({string.Join(", ", Scope ?? [])}), not in the desired state";
                // A ConfirmImpact High change inside a Medium command: asked even at the default $ConfirmPreference.
                if (approval.Approve(deletion, "Delete topic (not in the desired state)")
                    && approval.ConfirmFurther(
                        $"Delete topic '{change.Topic}' ({change.Current}) on {change.BootstrapServers}? It is in scope ({string.Join(", ", Scope ?? [])}) but not in the desired state; its records are lost.",
                        "Delete Kafka topic"))
                {
                    selected.Add(change);
                }
            }
            else if (approval.Approve(target, ActionOf(change.Kind)))
            {
                selected.Add(change);
            }
        }

        if (approval.WhatIf || selected.Count == 0)
        {
            return;
        }

        RunWithClient(async (factory, sink, token) =>
        {
            foreach (var outcome in await new TopicStateService(factory, sink).ApplyAsync(selected, removeMissing, token).ConfigureAwait(false))
            {
                if (outcome.Error is not null)
                {
                    EmitItemError(outcome.Error);
                }

                Emit(outcome.Result);
            }
        });
    }

    private static string ActionOf(KafkaTopicDifferenceKind kind) => kind switch
    {
        KafkaTopicDifferenceKind.Create => "Create topic",
        KafkaTopicDifferenceKind.AddPartitions => "Add partitions",
        KafkaTopicDifferenceKind.SetConfig => "Set topic config",
        KafkaTopicDifferenceKind.ResetConfig => "Reset topic config",
        _ => "Sync topic",
    };
}
