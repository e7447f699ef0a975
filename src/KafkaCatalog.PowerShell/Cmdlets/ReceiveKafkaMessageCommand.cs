using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Reads messages from a topic without joining a consumer group and without committing offsets.
/// From the end (default: waits for new messages), the beginning, an offset, a time, or where a consumer group would
/// resume (-GroupId); stops after -MaxMessages, after -TimeoutSec, or (except from the end) when it reaches the end
/// of every partition. A connection from a profile supplies the topic (Mage topic) and, without a start parameter,
/// the start: where its consumer_group would resume (auto_offset_reset for partitions without an offset), or the
/// beginning for auto_offset_reset earliest.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "KafkaMessage", DefaultParameterSetName = "FromEnd")]
[OutputType(typeof(KafkaMessage))]
public sealed class ReceiveKafkaMessageCommand : KafkaCmdlet
{
    /// <summary>The topic; the connection's profile topic (Mage topic) when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "TopicName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string? Topic { get; set; }

    /// <summary>Only these partitions (every partition by default).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateRange(0, int.MaxValue)]
    public int[]? Partition { get; set; }

    /// <summary>Wait for messages published from now on (the default).</summary>
    [Parameter(ParameterSetName = "FromEnd")]
    public SwitchParameter FromEnd { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "FromBeginning")]
    public SwitchParameter FromBeginning { get; set; }

    /// <summary>Start at this offset in each partition (clamped to the log).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Offset")]
    [ValidateRange(0, long.MaxValue)]
    public long Offset { get; set; }

    /// <summary>Start at the first message at or after this time.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "FromTimestamp")]
    public DateTime FromTimestamp { get; set; }

    /// <summary>Start where this consumer group would resume: its committed offsets (the group is only read, never joined or committed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "FromGroup")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConsumerGroupIdCompleter))]
    public string? GroupId { get; set; }

    /// <summary>With -GroupId: where a partition without a committed offset starts (the profile's auto_offset_reset, else Latest).</summary>
    [Parameter(ParameterSetName = "FromGroup")]
    public KafkaOffsetReset? AutoOffsetReset { get; set; }

    /// <summary>Stop after this many messages (0: no limit).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxMessages { get; set; }

    /// <summary>Stop after this many seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 10;

    protected override void ProcessRecord()
    {
        ReceiveRequest request;
        try
        {
            var options = ResolveConnection().GetOptions();
            request = ReceiveDefaults.Apply(new ReceiveRequest
            {
                Topic = Topic ?? string.Empty,
                Partitions = Partition,
                Start = ParameterSetName switch
                {
                    "FromBeginning" => MessageStartPosition.Beginning,
                    "Offset" => MessageStartPosition.Offset,
                    "FromTimestamp" => MessageStartPosition.Timestamp,
                    "FromGroup" => MessageStartPosition.Committed,
                    _ => MessageStartPosition.End,
                },
                Offset = Offset,
                Timestamp = FromTimestamp.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(DateTime.SpecifyKind(FromTimestamp, DateTimeKind.Local)) : new DateTimeOffset(FromTimestamp),
                MaxMessages = MaxMessages,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                GroupId = GroupId,
            },
            options,
            startGiven: ParameterSetName != "FromEnd" || FromEnd.IsPresent,
            AutoOffsetReset);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        RunWithClient(async (factory, sink, token) =>
        {
            try
            {
                await foreach (var message in new MessageReader(factory, sink).ReceiveAsync(request, token).ConfigureAwait(false))
                {
                    Emit(message);
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }
}
