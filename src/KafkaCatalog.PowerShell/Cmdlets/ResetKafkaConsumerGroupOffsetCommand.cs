using System.Globalization;
using System.Management.Automation;
using System.Text;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Moves a consumer group's committed offsets: to the earliest or latest offset, a given offset, a
/// point in time, or shifted by N (clamped to the log). Scoped with -Topic and -Partition. Refuses
/// while the group has active members. -WhatIf prints the exact per-partition plan.
/// </summary>
[Cmdlet(VerbsCommon.Reset, "KafkaConsumerGroupOffset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "ToEarliest")]
[OutputType(typeof(KafkaConsumerGroupOffsetReset))]
public sealed class ResetKafkaConsumerGroupOffsetCommand : KafkaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Group", "Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConsumerGroupIdCompleter))]
    public string GroupId { get; set; } = string.Empty;

    /// <summary>Topics to reset; by default every topic the group has committed offsets for.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[]? Topic { get; set; }

    /// <summary>Partitions of the (single) -Topic to reset.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateRange(0, int.MaxValue)]
    public int[]? Partition { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ToEarliest")]
    public SwitchParameter ToEarliest { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ToLatest")]
    public SwitchParameter ToLatest { get; set; }

    /// <summary>An absolute offset (clamped to the log's start and end). A negative one is NegativeResetOffset (the planner's check, which says what to use instead).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ToOffset")]
    public long ToOffset { get; set; }

    /// <summary>The first offset at or after this time (the log end when there is none).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ToDateTime")]
    public DateTime ToDateTime { get; set; }

    /// <summary>Move the committed offset by this many messages (negative: back), clamped to the log.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ShiftBy")]
    public long ShiftBy { get; set; }

    /// <summary>Reset without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var request = new OffsetResetRequest
        {
            GroupId = GroupId,
            Mode = ParameterSetName switch
            {
                "ToLatest" => OffsetResetMode.ToLatest,
                "ToOffset" => OffsetResetMode.ToOffset,
                "ToDateTime" => OffsetResetMode.ToDateTime,
                "ShiftBy" => OffsetResetMode.ShiftBy,
                _ => OffsetResetMode.ToEarliest,
            },
            Offset = ToOffset,
            ShiftBy = ShiftBy,
            DateTime = ToDateTime.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(DateTime.SpecifyKind(ToDateTime, DateTimeKind.Local)) : new DateTimeOffset(ToDateTime),
            Topics = Topic,
            Partitions = Partition,
        };
        var approval = Approval(Force);
        RunWithClient(async (factory, sink, token) =>
        {
            var service = new ConsumerGroupResetService(factory, sink);
            try
            {
                var plan = await service.PlanResetAsync(request, token).ConfigureAwait(false);
                var description = Describe(request, plan);
                if (!approval.Approve(description, "Reset consumer group offsets"))
                {
                    return;
                }

                foreach (var row in await service.ApplyResetAsync(request.GroupId, plan, token).ConfigureAwait(false))
                {
                    Emit(row);
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }

    private static string Describe(OffsetResetRequest request, IReadOnlyList<KafkaConsumerGroupOffsetReset> plan)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"consumer group '{request.GroupId}' ({plan.Count} partition(s), {request.Mode}):");
        foreach (var row in plan)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"  {row.Topic}[{row.Partition}]: {(row.CurrentOffset is { } c ? c.ToString(CultureInfo.InvariantCulture) : "none")} -> {row.NewOffset}");
            if (row.Clamped)
            {
                text.Append(CultureInfo.InvariantCulture, $" (clamped to the log [{row.LogStartOffset}, {row.LogEndOffset}])");
            }
        }

        return text.ToString();
    }
}
