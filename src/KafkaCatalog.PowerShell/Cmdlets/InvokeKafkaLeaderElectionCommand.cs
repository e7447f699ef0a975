using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Partitions;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Preferred or unclean leader election for the partitions of the given topics (kafka-leader-election).
/// -WhatIf lists the partitions whose leader is not the preferred replica (or, unclean, that have no
/// leader). One result per partition; ELECTION_NOT_NEEDED is an outcome, not an error.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KafkaLeaderElection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaLeaderElectionResult))]
public sealed class InvokeKafkaLeaderElectionCommand : KafkaCmdlet
{
    /// <summary>Topics (names or wildcards); binds Name from Get-KafkaTopic and Topic from partition objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "TopicName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[] Topic { get; set; } = Array.Empty<string>();

    /// <summary>Partitions of the one -Topic; by default every partition.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public int[]? Partition { get; set; }

    /// <summary>Preferred (default) moves leadership to the preferred replica; Unclean elects a leader for leaderless partitions, possibly losing records.</summary>
    [Parameter]
    [ValidateSet("Preferred", "Unclean")]
    public string ElectionType { get; set; } = "Preferred";

    /// <summary>Skip the extra confirmation an unclean election asks for.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var type = string.Equals(ElectionType, "Unclean", StringComparison.OrdinalIgnoreCase) ? KafkaElectionType.Unclean : KafkaElectionType.Preferred;
        var request = new LeaderElectionRequest { Topics = Topic, Partitions = Partition, ElectionType = type };
        try
        {
            LeaderElectionPlanner.Validate(request);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var approval = Approval(Force);
        IReadOnlyList<KafkaLeaderElectionResult> plan = [];
        string description = string.Empty;
        RunWithClient(async (factory, sink, token) =>
        {
            try
            {
                plan = await new LeaderElectionService(factory, sink).PlanAsync(request, EmitItemError, token).ConfigureAwait(false);
                description = LeaderElectionPlanner.Describe(plan, type, factory.BootstrapServers);
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
                plan = [];
            }
        });

        if (plan.Count == 0 || !approval.Approve(description, $"{type} leader election"))
        {
            return;
        }

        if (type == KafkaElectionType.Unclean
            && !approval.ConfirmFurther($"An unclean election can make a replica that is not in sync the leader: records it lacks are lost.{Environment.NewLine}{description}{Environment.NewLine}Elect anyway?", "Unclean leader election"))
        {
            return;
        }

        RunWithClient(async (factory, sink, token) =>
        {
            try
            {
                foreach (var outcome in await new LeaderElectionService(factory, sink).ElectAsync(plan, type, token).ConfigureAwait(false))
                {
                    if (outcome.Error is not null)
                    {
                        EmitItemError(outcome.Error);
                    }

                    Emit(outcome.Result);
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }
}
