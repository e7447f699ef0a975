using System.Diagnostics;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Makes the catalog match the cluster: creates new assets, updates changed ones, restores archived
/// ones that came back and archives those whose topic or group is gone; then a summary.
/// The cluster picture comes from the pipeline (Get-KafkaTopic, Get-KafkaConsumerGroup); what is
/// not piped in is read from the Kafka connection (-Connection, the session default or
/// KAFKA_BOOTSTRAP_SERVERS). A kind of asset with no source is left out of scope, never archived.
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

    /// <summary>The Kafka cluster to read topics from when none are piped in (default: the Kafka session default).</summary>
    [Parameter]
    public KafkaConnection? Connection { get; set; }

    /// <summary>With topics read from the cluster: include internal topics.</summary>
    [Parameter]
    public SwitchParameter IncludeInternal { get; set; }

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
        KafkaClientFactory? ownedFactory = null;
        IKafkaInventory inventory;
        var includeTopics = AssetType is "All" or "Topic";
        var includeGroups = AssetType is "All" or "ConsumerGroup";
        KafkaConnection? kafka = null;
        var readCluster = (Connection is not null || (includeTopics && _topics.Count == 0) || (includeGroups && _groups.Count == 0)) && TryResolveKafka(out kafka);
        if (!AllowEmpty.IsPresent)
        {
            if (includeTopics && !readCluster && _topics.Count == 0)
            {
                includeTopics = false;
                WriteWarning("No topics were piped in and no Kafka connection was found: topics are left out of this sync.");
            }

            if (includeGroups && !readCluster && _groups.Count == 0)
            {
                includeGroups = false;
                WriteWarning("No consumer groups were piped in and no Kafka connection was found: consumer groups are left out of this sync.");
            }

            if (!includeTopics && !includeGroups)
            {
                ThrowTerminatingError(ToErrorRecord(new KafkaCatalogException(
                    "CatalogSyncNoInventory",
                    FailureKind.InvalidArgument,
                    "Nothing to sync from: pipe Get-KafkaTopic / Get-KafkaConsumerGroup output in, connect to the cluster (Connect-KafkaCluster or -Connection), or pass -AllowEmpty to archive everything in scope.")));
            }
        }


        if (readCluster)
        {
            try
            {
                NativeLibraryLoader.EnsureLoaded();
            }
            catch (KafkaCatalogException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex));
            }

            var factory = ReferenceEquals(Session.Kafka.Get(kafka!.Name), kafka) ? Session.KafkaClients.GetOrCreate(kafka) : ownedFactory = new KafkaClientFactory(kafka);
            var sink = CreateSink();
            var clusterTopics = new TopicService(factory, sink);
            var clusterGroups = new ConsumerGroupService(factory, sink);
            var cluster = new KafkaClusterInventory(clusterTopics, clusterGroups, IncludeInternal.IsPresent);
            // Piped records win over reading the cluster (unless -Connection asks for the cluster).
            inventory = new CombinedInventory(
                Connection is null && _topics.Count > 0 ? new InMemoryKafkaInventory(_topics, _groups) : cluster,
                Connection is null && _groups.Count > 0 ? new InMemoryKafkaInventory(_topics, _groups) : cluster);
        }
        else
        {
            inventory = new InMemoryKafkaInventory(_topics, _groups);
        }

        var options = new CatalogSyncOptions
        {
            Topics = Topic ?? Array.Empty<string>(),
            GroupIds = GroupId ?? Array.Empty<string>(),
            IncludeTopics = includeTopics,
            IncludeGroups = includeGroups,
            Decoration = Description is null ? null : new CatalogAssetDecoration { Description = Description },
            Publish = new CatalogPublishOptions { BatchSize = BatchSize },
        };
        var whatIf = IsWhatIf;
        try
        {
            Run(catalog, qn, inventory, options, whatIf);
        }
        finally
        {
            // After the worker that reads the cluster has ended (bounded wait, then deferred).
            if (ownedFactory is not null)
            {
                WhenWorkersEnd(ownedFactory.Dispose);
            }
        }
    }

    private void Run(CatalogConnection catalog, string qn, IKafkaInventory inventory, CatalogSyncOptions options, bool whatIf)
    {
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

    /// <summary>Topics from one source, groups from another.</summary>
    private sealed class CombinedInventory(IKafkaInventory topics, IKafkaInventory groups) : IKafkaInventory
    {
        public Task<IReadOnlyList<KafkaTopic>> ListTopicsAsync(CancellationToken cancellationToken) => topics.ListTopicsAsync(cancellationToken);

        public Task<IReadOnlyList<KafkaConsumerGroup>> ListConsumerGroupsAsync(CancellationToken cancellationToken) => groups.ListConsumerGroupsAsync(cancellationToken);
    }

    private bool TryResolveKafka(out KafkaConnection? connection)
    {
        try
        {
            connection = KafkaConnectionSelector.Resolve(Connection, null, null, Session.Kafka.Get, Session.Kafka.Default, Environment.GetEnvironmentVariables());
            return true;
        }
        catch (KafkaCatalogException) when (Connection is null)
        {
            connection = null;
            return false;
        }
    }
}
