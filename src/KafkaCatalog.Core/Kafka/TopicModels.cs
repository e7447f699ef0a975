namespace KafkaCatalog.Core.Kafka;

/// <summary>What Get-KafkaTopic asks for.</summary>
public sealed record TopicQuery
{
    /// <summary>Names or wildcard patterns; empty means every topic.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();

    /// <summary>Include internal topics (__consumer_offsets, __transaction_state) matched by a wildcard.</summary>
    public bool IncludeInternal { get; init; }

    /// <summary>Only topics with a partition whose in-sync replicas are fewer than its replicas.</summary>
    public bool UnderReplicated { get; init; }

    /// <summary>Only topics with a partition that has no leader.</summary>
    public bool Unavailable { get; init; }

    /// <summary>Only topics with a partition whose in-sync replicas are fewer than the topic's min.insync.replicas.</summary>
    public bool UnderMinIsr { get; init; }

    /// <summary>Fill <see cref="KafkaTopic.Config"/> (one batched DescribeConfigs).</summary>
    public bool IncludeConfig { get; init; }

    /// <summary>Fill <see cref="KafkaTopic.MessageCount"/> from the partitions' watermarks (ListOffsets earliest and latest).</summary>
    public bool IncludeMessageCount { get; init; }

    public bool HasHealthFilter => UnderReplicated || Unavailable || UnderMinIsr;
}

/// <summary>A topic to create, as New-KafkaTopic binds it.</summary>
public sealed record NewTopicSpec
{
    public required string Name { get; init; }

    /// <summary>Partition count; null means the broker's default (num.partitions).</summary>
    public int? Partitions { get; init; }

    /// <summary>Replication factor; null means the broker's default (default.replication.factor).</summary>
    public int? ReplicationFactor { get; init; }

    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    public override string ToString()
    {
        var parts = $"partitions={(Partitions?.ToString() ?? "broker default")}, replication factor={(ReplicationFactor?.ToString() ?? "broker default")}";
        if (Config.Count > 0)
        {
            parts += ", config " + string.Join(", ", Config.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
        }

        return $"topic '{Name}' ({parts})";
    }
}

/// <summary>The outcome of a create: the validated spec, and the topic as it now exists unless only validated.</summary>
public sealed record TopicCreationResult
{
    public required NewTopicSpec Spec { get; init; }
    public required bool ValidateOnly { get; init; }

    /// <summary>The created topic (null when <see cref="ValidateOnly"/>).</summary>
    public KafkaTopic? Topic { get; init; }
}
