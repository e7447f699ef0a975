using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Catalog;

/// <summary>Where a sync takes one kind of asset from.</summary>
public enum CatalogInventorySource
{
    /// <summary>Out of scope: nothing of this kind is created, updated or archived.</summary>
    None,

    /// <summary>The records given (piped in); a subset, unless -ArchiveMissing says it is the whole picture.</summary>
    Input,

    /// <summary>Read from the cluster by the sync itself: the whole picture, so missing assets may be archived.</summary>
    Cluster,
}

/// <summary>What Sync-CatalogKafkaAsset was given, before it decides what to read and what it may archive.</summary>
public sealed record CatalogSyncRequest
{
    public IReadOnlyList<KafkaTopic> Topics { get; init; } = Array.Empty<KafkaTopic>();
    public IReadOnlyList<KafkaConsumerGroup> Groups { get; init; } = Array.Empty<KafkaConsumerGroup>();
    /// <summary>-AssetType All or Topic.</summary>
    public bool IncludeTopics { get; init; } = true;
    /// <summary>-AssetType All or ConsumerGroup.</summary>
    public bool IncludeGroups { get; init; } = true;
    /// <summary>A Kafka connection could be resolved (-Connection, the session default or KAFKA_BOOTSTRAP_SERVERS).</summary>
    public bool ClusterAvailable { get; init; }
    /// <summary>-ArchiveMissing: the records given are the whole picture of their kind.</summary>
    public bool ArchiveMissing { get; init; }
    /// <summary>-AllowEmpty: with nothing given and no cluster, the (empty) input still counts for the kinds in scope.</summary>
    public bool AllowEmpty { get; init; }
}

/// <summary>
/// The scope of one sync: per kind of asset, its source and whether assets missing from it may be
/// archived. Records given define the scope: only the kinds given are synced, and nothing is archived
/// unless -ArchiveMissing says the input is complete. With nothing given the sync reads the cluster
/// itself, which is the whole picture, so assets whose topic or group is gone are archived.
/// </summary>
public sealed record CatalogSyncScope
{
    public required CatalogInventorySource TopicSource { get; init; }
    public required CatalogInventorySource GroupSource { get; init; }
    public CatalogSyncArchive Archive { get; init; }
    /// <summary>What the user should be warned about (a kind left out for lack of a source).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
    /// <summary>Verbose notes (which source each kind comes from).</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    public bool ReadsCluster => TopicSource == CatalogInventorySource.Cluster || GroupSource == CatalogInventorySource.Cluster;

    public bool IncludeTopics => TopicSource != CatalogInventorySource.None;

    public bool IncludeGroups => GroupSource != CatalogInventorySource.None;

    /// <summary>Decides the scope; CatalogSyncNoInventory when no kind has a source.</summary>
    public static CatalogSyncScope Choose(CatalogSyncRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var warnings = new List<string>();
        var notes = new List<string>();
        var given = request.Topics.Count > 0 || request.Groups.Count > 0;
        CatalogInventorySource topics, groups;
        if (given)
        {
            topics = request.IncludeTopics && (request.Topics.Count > 0 || request.AllowEmpty) ? CatalogInventorySource.Input : CatalogInventorySource.None;
            groups = request.IncludeGroups && (request.Groups.Count > 0 || request.AllowEmpty) ? CatalogInventorySource.Input : CatalogInventorySource.None;
            if (request.IncludeTopics && topics == CatalogInventorySource.None)
            {
                notes.Add("Only consumer groups were given: topics are left out of this sync.");
            }

            if (request.IncludeGroups && groups == CatalogInventorySource.None)
            {
                notes.Add("Only topics were given: consumer groups are left out of this sync.");
            }
        }
        else if (request.ClusterAvailable)
        {
            topics = request.IncludeTopics ? CatalogInventorySource.Cluster : CatalogInventorySource.None;
            groups = request.IncludeGroups ? CatalogInventorySource.Cluster : CatalogInventorySource.None;
        }
        else if (request.AllowEmpty)
        {
            topics = request.IncludeTopics ? CatalogInventorySource.Input : CatalogInventorySource.None;
            groups = request.IncludeGroups ? CatalogInventorySource.Input : CatalogInventorySource.None;
        }
        else
        {
            topics = groups = CatalogInventorySource.None;
            if (request.IncludeTopics)
            {
                warnings.Add("No topics were piped in and no Kafka connection was found: topics are left out of this sync.");
            }

            if (request.IncludeGroups)
            {
                warnings.Add("No consumer groups were piped in and no Kafka connection was found: consumer groups are left out of this sync.");
            }
        }

        if (topics == CatalogInventorySource.None && groups == CatalogInventorySource.None)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.CatalogSyncNoInventory,
                "Nothing to sync from: pipe Get-KafkaTopic / Get-KafkaConsumerGroup output in (of a kind -AssetType includes), connect to the cluster (Connect-KafkaCluster or -Connection), or pass -AllowEmpty -ArchiveMissing to archive everything in scope.");
        }

        var archive = CatalogSyncArchive.None;
        if (topics == CatalogInventorySource.Cluster || (topics == CatalogInventorySource.Input && request.ArchiveMissing))
        {
            archive |= CatalogSyncArchive.Topics;
        }

        if (groups == CatalogInventorySource.Cluster || (groups == CatalogInventorySource.Input && request.ArchiveMissing))
        {
            archive |= CatalogSyncArchive.ConsumerGroups;
        }

        foreach (var (kind, source, flag) in new[] { ("Topics", topics, CatalogSyncArchive.Topics), ("Consumer groups", groups, CatalogSyncArchive.ConsumerGroups) })
        {
            if (source == CatalogInventorySource.None)
            {
                continue;
            }

            var from = source == CatalogInventorySource.Cluster ? "are read from the cluster" : "come from the input";
            var archiving = archive.HasFlag(flag)
                ? "catalog assets missing from it are archived"
                : "nothing is archived (pass -ArchiveMissing if the input is complete)";
            notes.Add($"{kind} {from}; {archiving}.");
        }

        return new CatalogSyncScope { TopicSource = topics, GroupSource = groups, Archive = archive, Warnings = warnings, Notes = notes };
    }

    /// <summary>The inventory for this scope: the records given for Input kinds, <paramref name="cluster"/> for Cluster kinds.</summary>
    public IKafkaInventory CreateInventory(CatalogSyncRequest request, IKafkaInventory? cluster)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ReadsCluster && cluster is null)
        {
            throw new ArgumentNullException(nameof(cluster), "This scope reads the cluster.");
        }

        var input = new InMemoryKafkaInventory(request.Topics, request.Groups);
        return new CombinedKafkaInventory(
            TopicSource == CatalogInventorySource.Cluster ? cluster! : input,
            GroupSource == CatalogInventorySource.Cluster ? cluster! : input);
    }

    /// <summary>The sync options for this scope (what is in scope, what may be archived) on top of <paramref name="options"/>.</summary>
    public CatalogSyncOptions Apply(CatalogSyncOptions options) => options with
    {
        IncludeTopics = IncludeTopics,
        IncludeGroups = IncludeGroups,
        Archive = Archive,
    };
}

/// <summary>Topics from one inventory, consumer groups from another.</summary>
public sealed class CombinedKafkaInventory(IKafkaInventory topics, IKafkaInventory groups) : IKafkaInventory
{
    public Task<IReadOnlyList<KafkaTopic>> ListTopicsAsync(CancellationToken cancellationToken) => topics.ListTopicsAsync(cancellationToken);

    public Task<IReadOnlyList<KafkaConsumerGroup>> ListConsumerGroupsAsync(CancellationToken cancellationToken) => groups.ListConsumerGroupsAsync(cancellationToken);
}
