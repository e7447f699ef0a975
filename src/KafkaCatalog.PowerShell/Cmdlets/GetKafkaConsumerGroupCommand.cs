using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Lists consumer groups (wildcards, -State filter) and describes them: state, assignor,
/// coordinator, members with client id, host and assignment; -IncludeOffsets adds per-partition
/// offsets and lag. The committed offsets read to name an Empty group's topics travel with each group to
/// a Get-KafkaConsumerGroupOffset further down the same pipeline, which uses them while this invocation
/// still runs (<see cref="CommittedOffsetScope"/>).
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaConsumerGroup")]
[OutputType(typeof(KafkaConsumerGroup))]
public sealed class GetKafkaConsumerGroupCommand : KafkaCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Group", "Id")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConsumerGroupIdCompleter))]
    public string[]? GroupId { get; set; }

    /// <summary>Only groups in these states.</summary>
    [Parameter]
    [ValidateSet("Empty", "Stable", "PreparingRebalance", "CompletingRebalance", "Dead")]
    public string[]? State { get; set; }

    /// <summary>Fill the Offsets property (committed offset, log start/end, lag per partition).</summary>
    [Parameter]
    public SwitchParameter IncludeOffsets { get; set; }

    private ConsumerGroupOffsetService? _service;

    /// <summary>Open while this invocation runs: the next command of the pipeline may use the committed offsets read here.</summary>
    private readonly CommittedOffsetScope _scope = new();

    protected override void ProcessRecord()
    {
        var query = new ConsumerGroupQuery
        {
            GroupIds = GroupId ?? Array.Empty<string>(),
            States = State ?? Array.Empty<string>(),
            IncludeOffsets = IncludeOffsets.IsPresent,
            Scope = _scope,
        };
        RunWithClient(async (factory, sink, token) =>
        {
            // One service per invocation and connection: piped ids share its metadata read.
            var service = _service is not null && ReferenceEquals(_service.Factory, factory) ? _service : _service = new ConsumerGroupOffsetService(factory, sink);
            var groups = query.IncludeOffsets ? service.ReadWithOffsetsAsync(query, token) : service.Reader.ReadAsync(query, token);
            await EmitReadyAsync(groups, group => [group], token).ConfigureAwait(false);
        });
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        _scope.Close();
    }

    protected override void OnDispose()
    {
        _scope.Close();
        base.OnDispose();
    }
}
