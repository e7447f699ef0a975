using System.Globalization;

namespace KafkaCatalog.TestKit.Kafka;

/// <summary>Kafka config value types (ConfigDef.Type).</summary>
public enum ConfigType
{
    Boolean, String, Int, Short, Long, Double, List, Class, Password,
}

/// <summary>Kafka's ConfigEntry sources (DescribeConfigs v1+).</summary>
public static class KafkaConfigSource
{
    public const sbyte Unknown = 0;
    public const sbyte DynamicTopicConfig = 1;
    public const sbyte DynamicBrokerConfig = 2;
    public const sbyte DynamicDefaultBrokerConfig = 3;
    public const sbyte StaticBrokerConfig = 4;
    public const sbyte DefaultConfig = 5;
    public const sbyte DynamicBrokerLoggerConfig = 6;
}

/// <summary>One known config key with Kafka's type, default and validation.</summary>
public sealed class ConfigDefinition
{
    public required string Name { get; init; }
    public required ConfigType Type { get; init; }
    /// <summary>Kafka's default, as DescribeConfigs reports it (null for e.g. passwords).</summary>
    public string? Default { get; init; }
    /// <summary>The broker config that provides the topic default (topic configs only).</summary>
    public string? BrokerSynonym { get; init; }
    public long? Min { get; init; }
    public double? MinDouble { get; init; }
    public double? MaxDouble { get; init; }
    public string[]? ValidValues { get; init; }
    public bool ReadOnly { get; init; }
    public bool Sensitive => Type == ConfigType.Password;

    /// <summary>Kafka's ConfigException text for a bad value, or null when valid.</summary>
    public string? Validate(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var v = value.Trim();
        string Bad(string why) => $"Invalid value {value} for configuration {Name}: {why}";
        switch (Type)
        {
            case ConfigType.Boolean:
                if (!v.Equals("true", StringComparison.OrdinalIgnoreCase) && !v.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    return Bad("Expected value to be either true or false");
                }

                return null;
            case ConfigType.Int:
                if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
                {
                    return Bad("Not a number of type INT");
                }

                if (Min is { } mi && i < mi)
                {
                    return Bad($"Value must be at least {mi}");
                }

                return null;
            case ConfigType.Short:
                if (!short.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
                {
                    return Bad("Not a number of type SHORT");
                }

                if (Min is { } ms && s < ms)
                {
                    return Bad($"Value must be at least {ms}");
                }

                return null;
            case ConfigType.Long:
                if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                {
                    return Bad("Not a number of type LONG");
                }

                if (Min is { } ml && l < ml)
                {
                    return Bad($"Value must be at least {ml}");
                }

                return null;
            case ConfigType.Double:
                if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    return Bad("Not a number of type DOUBLE");
                }

                if (MinDouble is { } md && d < md)
                {
                    return Bad($"Value must be at least {md.ToString(CultureInfo.InvariantCulture)}");
                }

                if (MaxDouble is { } xd && d > xd)
                {
                    return Bad($"Value must be no more than {xd.ToString(CultureInfo.InvariantCulture)}");
                }

                return null;
            case ConfigType.List:
                if (ValidValues is not null)
                {
                    foreach (var item in v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!ValidValues.Contains(item, StringComparer.Ordinal))
                        {
                            return $"Invalid value {item} for configuration {Name}: String must be one of: {string.Join(", ", ValidValues)}";
                        }
                    }
                }

                return null;
            case ConfigType.String:
                if (ValidValues is not null && !ValidValues.Contains(v, StringComparer.Ordinal))
                {
                    return Bad($"String must be one of: {string.Join(", ", ValidValues)}");
                }

                return null;
            default:
                return null;
        }
    }
}

/// <summary>Topic-level configs Kafka 3.x/4.0 knows (LogConfig) and the broker configs behind them.</summary>
public static class TopicConfigs
{
    private const string LongMax = "9223372036854775807";

    public static readonly IReadOnlyList<ConfigDefinition> All = new ConfigDefinition[]
    {
        new() { Name = "cleanup.policy", Type = ConfigType.List, Default = "delete", BrokerSynonym = "log.cleanup.policy", ValidValues = ["compact", "delete"] },
        new() { Name = "compression.type", Type = ConfigType.String, Default = "producer", BrokerSynonym = "compression.type", ValidValues = ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"] },
        new() { Name = "compression.gzip.level", Type = ConfigType.Int, Default = "-1", BrokerSynonym = "compression.gzip.level" },
        new() { Name = "compression.lz4.level", Type = ConfigType.Int, Default = "9", BrokerSynonym = "compression.lz4.level" },
        new() { Name = "compression.zstd.level", Type = ConfigType.Int, Default = "3", BrokerSynonym = "compression.zstd.level" },
        new() { Name = "delete.retention.ms", Type = ConfigType.Long, Default = "86400000", BrokerSynonym = "log.cleaner.delete.retention.ms", Min = 0 },
        new() { Name = "file.delete.delay.ms", Type = ConfigType.Long, Default = "60000", BrokerSynonym = "log.segment.delete.delay.ms", Min = 0 },
        new() { Name = "flush.messages", Type = ConfigType.Long, Default = LongMax, BrokerSynonym = "log.flush.interval.messages", Min = 1 },
        new() { Name = "flush.ms", Type = ConfigType.Long, Default = LongMax, BrokerSynonym = "log.flush.interval.ms", Min = 0 },
        new() { Name = "follower.replication.throttled.replicas", Type = ConfigType.List, Default = "", BrokerSynonym = "follower.replication.throttled.replicas" },
        new() { Name = "index.interval.bytes", Type = ConfigType.Int, Default = "4096", BrokerSynonym = "log.index.interval.bytes", Min = 0 },
        new() { Name = "leader.replication.throttled.replicas", Type = ConfigType.List, Default = "", BrokerSynonym = "leader.replication.throttled.replicas" },
        new() { Name = "local.retention.bytes", Type = ConfigType.Long, Default = "-2", BrokerSynonym = "log.local.retention.bytes", Min = -2 },
        new() { Name = "local.retention.ms", Type = ConfigType.Long, Default = "-2", BrokerSynonym = "log.local.retention.ms", Min = -2 },
        new() { Name = "max.compaction.lag.ms", Type = ConfigType.Long, Default = LongMax, BrokerSynonym = "log.cleaner.max.compaction.lag.ms", Min = 1 },
        new() { Name = "max.message.bytes", Type = ConfigType.Int, Default = "1048588", BrokerSynonym = "message.max.bytes", Min = 0 },
        new() { Name = "message.timestamp.after.max.ms", Type = ConfigType.Long, Default = LongMax, BrokerSynonym = "log.message.timestamp.after.max.ms", Min = 0 },
        new() { Name = "message.timestamp.before.max.ms", Type = ConfigType.Long, Default = LongMax, BrokerSynonym = "log.message.timestamp.before.max.ms", Min = 0 },
        new() { Name = "message.timestamp.type", Type = ConfigType.String, Default = "CreateTime", BrokerSynonym = "log.message.timestamp.type", ValidValues = ["CreateTime", "LogAppendTime"] },
        new() { Name = "min.cleanable.dirty.ratio", Type = ConfigType.Double, Default = "0.5", BrokerSynonym = "log.cleaner.min.cleanable.ratio", MinDouble = 0, MaxDouble = 1 },
        new() { Name = "min.compaction.lag.ms", Type = ConfigType.Long, Default = "0", BrokerSynonym = "log.cleaner.min.compaction.lag.ms", Min = 0 },
        new() { Name = "min.insync.replicas", Type = ConfigType.Int, Default = "1", BrokerSynonym = "min.insync.replicas", Min = 1 },
        new() { Name = "preallocate", Type = ConfigType.Boolean, Default = "false", BrokerSynonym = "log.preallocate" },
        new() { Name = "remote.storage.enable", Type = ConfigType.Boolean, Default = "false", BrokerSynonym = "remote.log.storage.system.enable" },
        new() { Name = "retention.bytes", Type = ConfigType.Long, Default = "-1", BrokerSynonym = "log.retention.bytes" },
        new() { Name = "retention.ms", Type = ConfigType.Long, Default = "604800000", BrokerSynonym = "log.retention.ms", Min = -1 },
        new() { Name = "segment.bytes", Type = ConfigType.Int, Default = "1073741824", BrokerSynonym = "log.segment.bytes", Min = 14 },
        new() { Name = "segment.index.bytes", Type = ConfigType.Int, Default = "10485760", BrokerSynonym = "log.index.size.max.bytes", Min = 4 },
        new() { Name = "segment.jitter.ms", Type = ConfigType.Long, Default = "0", BrokerSynonym = "log.roll.jitter.ms", Min = 0 },
        new() { Name = "segment.ms", Type = ConfigType.Long, Default = "604800000", BrokerSynonym = "log.roll.ms", Min = 1 },
        new() { Name = "unclean.leader.election.enable", Type = ConfigType.Boolean, Default = "false", BrokerSynonym = "unclean.leader.election.enable" },
    };

    private static readonly Dictionary<string, ConfigDefinition> ByName = All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static ConfigDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Validates one topic config; returns Kafka's error message or null.</summary>
    public static string? Validate(string name, string? value)
    {
        var d = Find(name);
        if (d is null)
        {
            return $"Unknown topic config name: {name}";
        }

        if (value is null)
        {
            return $"Null value not supported for topic configs: {name}";
        }

        return d.Validate(value);
    }
}
