using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Committed offset, log start/end offset, lag and owning member per partition of each group, or
/// with -Summary the total lag per group and topic. Groups piped in from Get-KafkaConsumerGroup
/// (-InputObject) are not described again; piped groups and ids wait in the invocation's one
/// <see cref="ConsumerGroupOffsetService"/>, which batches them (so many groups cost few requests and
/// one metadata read); rows stream out batch by batch (the rows of the groups read together go in one hand-over).
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaConsumerGroupOffset", DefaultParameterSetName = "Partitions")]
[OutputType(typeof(KafkaConsumerGroupOffset), ParameterSetName = ["Partitions"])]
[OutputType(typeof(KafkaConsumerGroupLagSummary), ParameterSetName = ["Summary"])]
public sealed class GetKafkaConsumerGroupOffsetCommand : KafkaCmdlet
{
    private ConsumerGroupOffsetService? _service;
    private string? _serviceConnectionName;
    private ConsumerGroupTimeLagService? _timeLag;
    private bool _groupIdFromCommandLine;

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Group", "Id")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConsumerGroupIdCompleter))]
    public string[]? GroupId { get; set; }

    /// <summary>
    /// Groups as Get-KafkaConsumerGroup described them (KafkaConsumerGroup): their offsets are read without describing
    /// them again. A group id string is read as -GroupId; any other object is read by its GroupId property.
    /// </summary>
    /// <remarks>
    /// Typed object, not KafkaConsumerGroup: PowerShell would otherwise convert an Import-Csv row to an empty
    /// KafkaConsumerGroup (binding by value with coercion comes before binding -GroupId by property name).
    /// </remarks>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public object[]? InputObject { get; set; }

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

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _groupIdFromCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(GroupId));
    }

    protected override void ProcessRecord()
    {
        var topics = Topic ?? Array.Empty<string>();
        if (_groupIdFromCommandLine || (InputObject is null && GroupId is null))
        {
            // -GroupId given (or nothing): one query, batched by the service.
            var query = new ConsumerGroupQuery { GroupIds = GroupId ?? Array.Empty<string>(), Topics = topics };
            RunWithClient(async (factory, sink, token) =>
            {
                var service = await ServiceForAsync(factory, sink, token).ConfigureAwait(false);
                await WriteAsync(service.GetOffsetsAsync(query, token), token).ConfigureAwait(false);
            });
            return;
        }

        // Piped groups or ids: queued in the invocation's service, read when a batch is full (or at the end).
        var items = PipedGroups();
        if (items.Count == 0)
        {
            return;
        }

        if (QueuedOnThisThread(items))
        {
            // The invocation's service already serves this record's connection and no batch filled up:
            // nothing to send, so no worker for this record.
            return;
        }

        RunWithClient(async (factory, sink, token) =>
        {
            var service = await ServiceForAsync(factory, sink, token).ConfigureAwait(false);
            if (Queue(service, items))
            {
                await WriteAsync(service.DrainAsync(topics, token), token).ConfigureAwait(false);
            }
        });
    }

    /// <summary>
    /// Queues the items right here when the invocation's service is already the one of this record's connection
    /// and they do not fill a batch (most piped records); false leaves them to the worker path.
    /// </summary>
    private bool QueuedOnThisThread(List<object> items)
    {
        if (_service is not { } service || service.PendingCount + items.Count >= service.BatchSize)
        {
            return false;
        }

        try
        {
            if (!ReferenceEquals(ResolveClientFactory(), service.Factory))
            {
                return false;
            }
        }
        catch (KafkaCatalogException)
        {
            // The worker path reports it.
            return false;
        }

        // Cannot fill a batch (checked above), so nothing is to be read yet.
        Queue(service, items);
        return true;
    }

    /// <summary>Queues each item (a group without an id is an error for that item only); true when a batch is full.</summary>
    private bool Queue(ConsumerGroupOffsetService service, List<object> items)
    {
        var full = false;
        foreach (var item in items)
        {
            try
            {
                full |= item is KafkaConsumerGroup group ? service.Add(group) : service.Add((string)item);
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        }

        return full;
    }

    /// <summary>
    /// This record's groups (KafkaConsumerGroup) and ids (strings, or -GroupId bound by property name); an input
    /// object that is neither and has no GroupId is a NotAConsumerGroup error for that object.
    /// </summary>
    private List<object> PipedGroups()
    {
        var items = new List<object>();
        var byProperty = false;
        foreach (var input in InputObject ?? [])
        {
            switch (input is PSObject wrapped ? wrapped.BaseObject : input)
            {
                case KafkaConsumerGroup group:
                    items.Add(group);
                    break;
                case string id:
                    items.Add(id);
                    break;
                case var _ when GroupId is not null:
                    byProperty = true;
                    break;
                case var other:
                    EmitItemError(new KafkaCatalogException(
                        ErrorCatalog.NotAConsumerGroup,
                        $"Get-KafkaConsumerGroupOffset reads consumer groups: pipe in what Get-KafkaConsumerGroup returns, group ids, or objects with a GroupId property (a {other.GetType().Name} has none).",
                        other));
                    break;
            }
        }

        if (InputObject is null || byProperty)
        {
            items.AddRange(GroupId ?? []);
        }

        return items;
    }

    protected override void EndProcessing()
    {
        if (_service is { HasPending: true } service)
        {
            // Run on the queue's own connection (a piped ConnectionName may have changed since).
            var current = ConnectionName;
            ConnectionName = _serviceConnectionName;
            try
            {
                RunWithClient((_, _, token) => WriteAsync(service.DrainAsync(Topic ?? Array.Empty<string>(), token), token));
            }
            finally
            {
                ConnectionName = current;
            }
        }

        base.EndProcessing();
        DisposeTimeLag();
    }

    protected override void OnDispose()
    {
        base.OnDispose();
        DisposeTimeLag();
    }

    /// <summary>
    /// The invocation's service for <paramref name="factory"/>. When piped objects switch connection, the
    /// previous connection's queue is read first (rows stay in input order).
    /// </summary>
    private async Task<ConsumerGroupOffsetService> ServiceForAsync(KafkaClientFactory factory, IOperationSink sink, CancellationToken token)
    {
        if (_service is not null && ReferenceEquals(_service.Factory, factory))
        {
            return _service;
        }

        if (_service is { HasPending: true } previous)
        {
            await WriteAsync(previous.DrainAsync(Topic ?? Array.Empty<string>(), token), token).ConfigureAwait(false);
        }

        DisposeTimeLag();
        _service = new ConsumerGroupOffsetService(factory, sink);
        _serviceConnectionName = ConnectionName;
        return _service;
    }

    /// <summary>Writes each group's rows (or summary rows); a failed group is an error record, or ends the command when it must.</summary>
    private async Task WriteAsync(IAsyncEnumerable<GroupResult<IReadOnlyList<KafkaConsumerGroupOffset>>> results, CancellationToken token)
    {
        if (IncludeTimeLag.IsPresent)
        {
            _timeLag ??= new ConsumerGroupTimeLagService(_service!.Factory, CreateSink());
            results = _timeLag.ApplyAsync(results, token);
        }

        // The rows of every group that is ready go in one hand-over: 12,000 rows of 1,000 groups are a few bridge posts
        // (one per batch read), not 12,000.
        var summary = Summary.IsPresent;
        var timeLag = IncludeTimeLag.IsPresent;
        await EmitReadyAsync(
            results,
            rows => summary ? (timeLag ? TimeLagCalculator.Summarize(rows) : ConsumerGroupLag.Summarize(rows)) : rows,
            token).ConfigureAwait(false);
    }

    private void DisposeTimeLag()
    {
        var timeLag = Interlocked.Exchange(ref _timeLag, null);
        if (timeLag is not null)
        {
            WhenWorkersEnd(timeLag.Dispose);
        }
    }
}
