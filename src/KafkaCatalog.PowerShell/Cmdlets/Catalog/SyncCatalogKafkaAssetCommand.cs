using System.Diagnostics;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Makes the catalog match the cluster: creates new assets, updates changed ones, restores archived
/// ones that came back and archives those whose topic or group is gone; then a summary.
/// The cluster picture comes from the pipeline (Get-KafkaTopic, Get-KafkaConsumerGroup).
/// </summary>
[Cmdlet(VerbsData.Sync, "CatalogKafkaAsset", SupportsShouldProcess = true)]
[OutputType(typeof(CatalogAssetResult), typeof(CatalogSyncSummary))]
public sealed class SyncCatalogKafkaAssetCommand : CatalogCmdlet
{
    private readonly List<KafkaTopic> _topics = new();
    private readonly List<KafkaConsumerGroup> _groups = new();

    [Parameter(ValueFromPipeline = true)]
    public KafkaTopic[]? KafkaTopic { get; set; }

    [Parameter(ValueFromPipeline = true)]
    public KafkaConsumerGroup[]? KafkaConsumerGroup { get; set; }

    /// <summary>Only these topics (wildcards) are created, updated or archived.</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? Topic { get; set; }

    /// <summary>Only these consumer groups (wildcards) are created, updated or archived.</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? GroupId { get; set; }

    [Parameter]
    [ValidateSet("All", "Topic", "ConsumerGroup")]
    public string AssetType { get; set; } = "All";

    [Parameter]
    public string? ConnectionQualifiedName { get; set; }

    [Parameter]
    public string? Description { get; set; }

    [Parameter]
    [ValidateRange(1, CatalogPublishOptions.MaxBatchSize)]
    public int BatchSize { get; set; } = CatalogPublishOptions.DefaultBatchSize;

    /// <summary>Allow a sync with no topics and no groups piped in (it archives everything in scope).</summary>
    [Parameter]
    public SwitchParameter AllowEmpty { get; set; }

    protected override void ProcessRecord()
    {
        if (KafkaTopic is not null)
        {
            _topics.AddRange(KafkaTopic);
        }

        if (KafkaConsumerGroup is not null)
        {
            _groups.AddRange(KafkaConsumerGroup);
        }
    }

    protected override void EndProcessing()
    {
        var catalog = ResolveCatalog();
        var qn = ResolveConnectionQualifiedName(catalog, ConnectionQualifiedName);
        if (_topics.Count + _groups.Count == 0 && !AllowEmpty.IsPresent)
        {
            ThrowTerminatingError(ToErrorRecord(new KafkaCatalogException(
                "CatalogSyncNoInventory",
                FailureKind.InvalidArgument,
                "No topics or consumer groups were piped in, so sync would archive every asset in scope. Pipe Get-KafkaTopic and Get-KafkaConsumerGroup output in, or pass -AllowEmpty if the cluster really is empty.")));
        }

        var options = new CatalogSyncOptions
        {
            Topics = Topic ?? Array.Empty<string>(),
            GroupIds = GroupId ?? Array.Empty<string>(),
            IncludeTopics = AssetType is "All" or "Topic",
            IncludeGroups = AssetType is "All" or "ConsumerGroup",
            Decoration = Description is null ? null : new CatalogAssetDecoration { Description = Description },
            Publish = new CatalogPublishOptions { BatchSize = BatchSize },
        };
        var inventory = new InMemoryKafkaInventory(_topics, _groups);
        var whatIf = IsWhatIf;
        RunAsync(async token =>
        {
            var started = Stopwatch.GetTimestamp();
            var sink = CreateSink();
            var plan = await CatalogSynchronizer.PlanAsync(catalog, qn, inventory, options, sink, token).ConfigureAwait(false);
            var approved = plan.Actions
                .Where(a => a.Kind == CatalogSyncActionKind.Unchanged || AskShouldProcess($"{a.TypeName} '{a.QualifiedName}'", a.Describe()))
                .ToList();
            if (whatIf)
            {
                Emit(CatalogSynchronizer.Summarize(plan));
                return;
            }

            var results = new List<CatalogAssetResult>();
            await foreach (var result in CatalogSynchronizer.ApplyAsync(catalog, plan with { Actions = approved }, options, sink, token).ConfigureAwait(false))
            {
                results.Add(result);
                EmitResult(result);
            }

            Emit(CatalogSynchronizer.Summarize(qn, results, Stopwatch.GetElapsedTime(started)));
        });
    }
}
