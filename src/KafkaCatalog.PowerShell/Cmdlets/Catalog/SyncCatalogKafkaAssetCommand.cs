using System.Diagnostics;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets.Catalog;

/// <summary>
/// Makes the catalog match the cluster: creates new assets, updates changed ones, restores archived
/// ones that came back and archives those whose topic or group is gone; then a summary.
/// What is piped in is the scope: only those assets are synced, and nothing is archived unless
/// -ArchiveMissing says the input is complete. With nothing piped in the cmdlet reads the whole
/// cluster itself (-Connection, the session default or KAFKA_BOOTSTRAP_SERVERS), and then archives
/// what is gone. Archiving asks for confirmation as a High-impact change; -Force skips it.
/// The scope rules live in <see cref="CatalogSyncScope"/>.
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

    /// <summary>The Kafka cluster to read when nothing is piped in (default: the Kafka session default).</summary>
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

    /// <summary>The piped records are the whole picture of their kind: archive catalog assets missing from them.</summary>
    [Parameter]
    public SwitchParameter ArchiveMissing { get; set; }

    /// <summary>With nothing piped in and no Kafka connection, treat the input as empty (with -ArchiveMissing: archive everything in scope).</summary>
    [Parameter]
    public SwitchParameter AllowEmpty { get; set; }

    /// <summary>Archive without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

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
        var piped = _topics.Count > 0 || _groups.Count > 0;
        KafkaConnection? kafka = null;
        var request = new CatalogSyncRequest
        {
            Topics = _topics,
            Groups = _groups,
            IncludeTopics = AssetType is "All" or "Topic",
            IncludeGroups = AssetType is "All" or "ConsumerGroup",
            ClusterAvailable = !piped && TryResolveKafka(out kafka),
            ArchiveMissing = ArchiveMissing.IsPresent,
            AllowEmpty = AllowEmpty.IsPresent,
        };
        if (piped && Connection is not null)
        {
            WriteVerbose("Records were piped in, so -Connection is not read: the piped records are the scope of this sync.");
        }

        CatalogSyncScope scope;
        try
        {
            scope = CatalogSyncScope.Choose(request);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        foreach (var warning in scope.Warnings)
        {
            WriteWarning(warning);
        }

        foreach (var note in scope.Notes)
        {
            WriteVerbose(note);
        }

        KafkaClientLease? client = null;
        IKafkaInventory? cluster = null;
        if (scope.ReadsCluster)
        {
            EnsureKafkaClientLoaded();
            client = Session.LeaseKafkaClient(kafka!);
            cluster = KafkaClusterInventory.ForCluster(client.Factory, CreateSink(), IncludeInternal.IsPresent);
        }

        var options = scope.Apply(new CatalogSyncOptions
        {
            Topics = Topic ?? Array.Empty<string>(),
            GroupIds = GroupId ?? Array.Empty<string>(),
            Decoration = Description is null ? null : new CatalogAssetDecoration { Description = Description },
            Publish = new CatalogPublishOptions { BatchSize = BatchSize },
        });
        try
        {
            Run(catalog, qn, scope.CreateInventory(request, cluster), options);
        }
        finally
        {
            // After the worker that reads the cluster has ended (bounded wait, then deferred); a shared factory stays.
            if (client is not null)
            {
                WhenWorkersEnd(client.Dispose);
            }
        }
    }

    private void Run(CatalogConnection catalog, string qn, IKafkaInventory inventory, CatalogSyncOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        CatalogSyncPlan? plan = null;
        RunAsync(async token => plan = await CatalogSynchronizer.PlanAsync(catalog, qn, inventory, options, CreateSink(), token).ConfigureAwait(false));
        if (plan is null)
        {
            return;
        }

        // Every change goes through ShouldProcess (so -WhatIf lists each one, archives included);
        // archives are removals and also need a High-impact confirmation.
        var approval = Approval(Force);
        var approved = new List<CatalogSyncAction>();
        var archives = new List<CatalogSyncAction>();
        foreach (var action in plan.Actions)
        {
            if (action.Kind == CatalogSyncActionKind.Unchanged)
            {
                approved.Add(action);
            }
            else if (approval.Approve($"{action.TypeName} '{action.QualifiedName}'", action.Describe()))
            {
                (action.Kind == CatalogSyncActionKind.Archive ? archives : approved).Add(action);
            }
        }

        if (approval.WhatIf)
        {
            WriteObject(CatalogSynchronizer.Summarize(plan));
            return;
        }

        if (archives.Count > 0 && ConfirmArchive(approval, archives))
        {
            approved.AddRange(archives);
        }

        RunAsync(async token =>
        {
            var results = new List<CatalogAssetResult>();
            await foreach (var result in CatalogSynchronizer.ApplyAsync(catalog, plan with { Actions = approved }, options, CreateSink(), token).ConfigureAwait(false))
            {
                results.Add(result);
                EmitResult(result);
            }

            Emit(CatalogSynchronizer.Summarize(qn, results, Stopwatch.GetElapsedTime(started)));
        });
    }

    /// <summary>Archives are removals: the second, High-impact question (unless -Force, or ShouldProcess already asked, or -Confirm:$false / $ConfirmPreference None).</summary>
    private static bool ConfirmArchive(ChangeApproval approval, IReadOnlyList<CatalogSyncAction> archives)
    {
        var names = string.Join(", ", archives.Take(5).Select(a => a.Name)) + (archives.Count > 5 ? ", ..." : string.Empty);
        return approval.ConfirmFurther(
            $"Archive {archives.Count} catalog asset(s) whose topic or consumer group is missing from the input ({names})? Use -Force to archive without this question.",
            "Confirm archiving catalog assets");
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
