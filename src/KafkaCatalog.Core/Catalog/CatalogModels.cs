namespace KafkaCatalog.Core.Catalog;

/// <summary>Atlan type names this module writes.</summary>
public static class CatalogTypeNames
{
    public const string Connection = "Connection";
    public const string KafkaTopic = "KafkaTopic";
    public const string KafkaConsumerGroup = "KafkaConsumerGroup";
}

/// <summary>What happened to one asset.</summary>
public enum CatalogAssetStatus
{
    Created,
    Updated,
    Unchanged,
    Restored,
    Archived,
    Deleted,
    Failed,
}

/// <summary>How an asset is removed: SOFT archives (restorable), HARD removes, PURGE removes with history.</summary>
public enum CatalogDeleteType
{
    Soft,
    Hard,
    Purge,
}

/// <summary>The outcome for one asset of a publish, sync or remove; exactly one per asset.</summary>
public sealed record CatalogAssetResult
{
    public required string TypeName { get; init; }
    public required string QualifiedName { get; init; }
    public required string Name { get; init; }
    public string? Guid { get; init; }
    public required CatalogAssetStatus Status { get; init; }
    /// <summary>Why it failed (null unless <see cref="Status"/> is Failed).</summary>
    public string? Error { get; init; }
    /// <summary>A stable error id such as CatalogReferencedTopicMissing (null unless Failed).</summary>
    public string? ErrorId { get; init; }
    public string? ConnectionQualifiedName { get; init; }
}

/// <summary>A Kafka topic or consumer group as the catalog holds it (Get-CatalogKafkaAsset).</summary>
public sealed record CatalogKafkaAsset
{
    public required string TypeName { get; init; }
    public required string Guid { get; init; }
    public required string QualifiedName { get; init; }
    public required string Name { get; init; }
    /// <summary>ACTIVE, or DELETED when archived.</summary>
    public required string Status { get; init; }
    public string? ConnectionQualifiedName { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> OwnerUsers { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> OwnerGroups { get; init; } = Array.Empty<string>();
    public string? CertificateStatus { get; init; }
    public long? PartitionCount { get; init; }
    public long? ReplicationFactor { get; init; }
    public long? RetentionMs { get; init; }
    public long? RetentionBytes { get; init; }
    public long? SegmentBytes { get; init; }
    public string? CleanupPolicy { get; init; }
    public string? CompressionType { get; init; }
    public bool? IsInternal { get; init; }
    public long? SizeInBytes { get; init; }
    public long? RecordCount { get; init; }
    public long? MemberCount { get; init; }
    public string? GroupState { get; init; }
    public IReadOnlyList<string> TopicNames { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> TopicQualifiedNames { get; init; } = Array.Empty<string>();
    /// <summary>Sum of the per-partition lag the group's consumption list reports, when present.</summary>
    public long? TotalLag { get; init; }
    public DateTimeOffset? UpdateTime { get; init; }
}

/// <summary>A Kafka connection asset in the catalog (New-CatalogKafkaConnection).</summary>
public sealed record CatalogKafkaConnection
{
    public required string Name { get; init; }
    public required string QualifiedName { get; init; }
    public required string Guid { get; init; }
    public string ConnectorName { get; init; } = "kafka";
    public string Category { get; init; } = "eventbus";
    public IReadOnlyList<string> AdminRoles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> AdminGroups { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> AdminUsers { get; init; } = Array.Empty<string>();
    public string Status { get; init; } = "ACTIVE";
    /// <summary>True when an existing connection of that name was reused instead of creating one.</summary>
    public bool Reused { get; init; }
    /// <summary>Lets `New-CatalogKafkaConnection | Get-CatalogKafkaAsset` bind by property name.</summary>
    public string ConnectionQualifiedName => QualifiedName;

    /// <summary>
    /// The catalog session this connection was read or created through (null for one built by hand).
    /// Internal, so it never shows in output or JSON; it lets -CatalogConnection take this object.
    /// </summary>
    internal CatalogConnection? Session { get; init; }

    /// <summary>The catalog session scoped to this connection, as -CatalogConnection $conn uses it; null when the object carries no session.</summary>
    public CatalogConnection? ToCatalogSession() => Session?.WithDefaultConnection(QualifiedName);
}

/// <summary>A reference to an asset to delete: by GUID, or by type and qualifiedName.</summary>
public sealed record CatalogAssetReference(string TypeName, string QualifiedName, string? Guid = null, string? Name = null);

/// <summary>Counts of a sync (Sync-CatalogKafkaAsset's last output).</summary>
public sealed record CatalogSyncSummary
{
    public required string ConnectionQualifiedName { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Restored { get; init; }
    public int Archived { get; init; }
    public int Unchanged { get; init; }
    public int Failed { get; init; }
    /// <summary>True when nothing was sent (-WhatIf): the counts are what would happen.</summary>
    public bool IsWhatIf { get; init; }
    public TimeSpan Duration { get; init; }
}
