using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Committed offset, log start/end offset, lag and owning member per partition of each group, or
/// with -Summary the total lag per group and topic. Group ids piped in (Get-KafkaConsumerGroup)
/// are gathered into batches so that many groups cost few requests; rows stream out group by group.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaConsumerGroupOffset", DefaultParameterSetName = "Partitions")]
[OutputType(typeof(KafkaConsumerGroupOffset), ParameterSetName = ["Partitions"])]
[OutputType(typeof(KafkaConsumerGroupLagSummary), ParameterSetName = ["Summary"])]
public sealed class GetKafkaConsumerGroupOffsetCommand : KafkaCmdlet
{
    private const int PipelineBatch = 64;
    private readonly List<string> _pending = [];
    private string? _pendingConnectionName;

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Group", "Id")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConsumerGroupIdCompleter))]
    public string[]? GroupId { get; set; }

    /// <summary>Only these topics.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[]? Topic { get; set; }

    /// <summary>One row per group and topic with the total lag, instead of one row per partition.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Summary")]
    public SwitchParameter Summary { get; set; }

    /// <summary>Adds TimeLag per partition (and MaxTimeLag per summary row): two small record reads per lagging partition.</summary>
    [Parameter]
    public SwitchParameter IncludeTimeLag { get; set; }

    private bool _groupIdFromCommandLine;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _groupIdFromCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(GroupId));
    }

    protected override void ProcessRecord()
    {
        if (_groupIdFromCommandLine || GroupId is null)
        {
            Run(GroupId ?? Array.Empty<string>());
            return;
        }

        // Piped group ids: batch them; a change of connection flushes the batch first.
        if (_pending.Count > 0 && !string.Equals(_pendingConnectionName, ConnectionName, StringComparison.Ordinal))
        {
            Flush();
        }

        _pendingConnectionName = ConnectionName;
        _pending.AddRange(GroupId);
        if (_pending.Count >= PipelineBatch)
        {
            Flush();
        }
    }

    protected override void EndProcessing()
    {
        if (_pending.Count > 0)
        {
            Flush();
        }

        base.EndProcessing();
    }

    private void Flush()
    {
        var ids = _pending.Distinct(StringComparer.Ordinal).ToArray();
        _pending.Clear();
        var current = ConnectionName;
        ConnectionName = _pendingConnectionName;
        try
        {
            Run(ids);
        }
        finally
        {
            ConnectionName = current;
        }
    }

    private void Run(IReadOnlyList<string> groupIds)
    {
        var query = new ConsumerGroupQuery
        {
            GroupIds = groupIds,
            Topics = Topic ?? Array.Empty<string>(),
        };
        var summary = Summary.IsPresent;
        if (IncludeTimeLag.IsPresent)
        {
            RunWithClient(async (factory, sink, token) =>
            {
                using var timeLag = new ConsumerGroupTimeLagService(factory, sink);
                if (summary)
                {
                    await foreach (var row in timeLag.GetLagSummaryAsync(query, EmitItemError, token).ConfigureAwait(false))
                    {
                        Emit(row);
                    }
                }
                else
                {
                    await foreach (var row in timeLag.GetOffsetsAsync(query, EmitItemError, token).ConfigureAwait(false))
                    {
                        Emit(row);
                    }
                }
            });
            return;
        }

        RunWithClient(async (factory, sink, token) =>
        {
            var service = new ConsumerGroupService(factory, sink);
            if (summary)
            {
                await foreach (var row in service.GetLagSummaryAsync(query, EmitItemError, token).ConfigureAwait(false))
                {
                    Emit(row);
                }
            }
            else
            {
                await foreach (var row in service.GetOffsetsAsync(query, EmitItemError, token).ConfigureAwait(false))
                {
                    Emit(row);
                }
            }
        });
    }
}
