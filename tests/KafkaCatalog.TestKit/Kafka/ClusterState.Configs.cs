using System.Globalization;

namespace KafkaCatalog.TestKit.Kafka;

/// <summary>Broker config keys the TestKit reports (KafkaConfig), with Kafka's defaults.</summary>
public static class BrokerConfigs
{
    private static readonly Lazy<IReadOnlyList<ConfigDefinition>> LazyAll = new(Build);

    public static IReadOnlyList<ConfigDefinition> All => LazyAll.Value;

    public static ConfigDefinition? Find(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>Broker configs that cannot be changed dynamically (read-only in DescribeConfigs).</summary>
    private static readonly HashSet<string> ReadOnlyKeys = new(StringComparer.Ordinal)
    {
        "broker.id", "node.id", "listeners", "advertised.listeners", "log.dirs", "process.roles", "broker.rack",
        "auto.create.topics.enable", "offsets.topic.replication.factor", "offsets.topic.num.partitions",
        "inter.broker.protocol.version", "delete.topic.enable", "num.partitions", "default.replication.factor",
    };

    private static IReadOnlyList<ConfigDefinition> Build()
    {
        var list = new List<ConfigDefinition>();
        void Add(string name, ConfigType type, string? def, long? min = null) =>
            list.Add(new ConfigDefinition { Name = name, Type = type, Default = def, Min = min, ReadOnly = ReadOnlyKeys.Contains(name) });
        Add("broker.id", ConfigType.Int, "-1");
        Add("node.id", ConfigType.Int, "-1");
        Add("process.roles", ConfigType.List, "");
        Add("listeners", ConfigType.String, "PLAINTEXT://:9092");
        Add("advertised.listeners", ConfigType.String, null);
        Add("broker.rack", ConfigType.String, null);
        Add("log.dirs", ConfigType.String, null);
        Add("log.dir", ConfigType.String, "/tmp/kafka-logs");
        Add("num.partitions", ConfigType.Int, "1", 1);
        Add("default.replication.factor", ConfigType.Int, "1");
        Add("auto.create.topics.enable", ConfigType.Boolean, "true");
        Add("delete.topic.enable", ConfigType.Boolean, "true");
        Add("offsets.topic.replication.factor", ConfigType.Short, "3", 1);
        Add("offsets.topic.num.partitions", ConfigType.Int, "50", 1);
        // A dynamic broker config of Kafka (cluster-wide, KafkaConfig: log.cleaner.threads, default 1).
        Add("log.cleaner.threads", ConfigType.Int, "1", 0);
        Add("log.retention.hours", ConfigType.Int, "168");
        Add("log.retention.minutes", ConfigType.Int, null);
        Add("num.network.threads", ConfigType.Int, "3", 1);
        Add("num.io.threads", ConfigType.Int, "8", 1);
        Add("socket.request.max.bytes", ConfigType.Int, "104857600", 1);
        Add("ssl.keystore.password", ConfigType.Password, null);
        Add("ssl.key.password", ConfigType.Password, null);
        Add("ssl.truststore.password", ConfigType.Password, null);
        Add("sasl.enabled.mechanisms", ConfigType.List, "GSSAPI");
        Add("inter.broker.protocol.version", ConfigType.String, "3.9-IV0");
        foreach (var t in TopicConfigs.All)
        {
            if (t.BrokerSynonym is null || list.Any(x => x.Name == t.BrokerSynonym))
            {
                continue;
            }

            var def = t.BrokerSynonym == "log.retention.ms" ? null : t.Default;
            list.Add(new ConfigDefinition
            {
                Name = t.BrokerSynonym,
                Type = t.Type,
                Default = def,
                Min = t.Min,
                MinDouble = t.MinDouble,
                MaxDouble = t.MaxDouble,
                ValidValues = t.ValidValues,
            });
        }
        return list.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
    }
}

public sealed partial class ClusterState
{
    private readonly Dictionary<int, Dictionary<string, string>> _dynamicBrokerConfigs = new();
    private readonly Dictionary<string, string> _dynamicDefaultBrokerConfigs = new(StringComparer.Ordinal);

    /// <summary>server.properties of a broker (source STATIC_BROKER_CONFIG).</summary>
    public IReadOnlyDictionary<string, string> StaticBrokerConfigs(int brokerId)
    {
        var b = Broker(brokerId);
        var d = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["broker.id"] = brokerId.ToString(CultureInfo.InvariantCulture),
            ["node.id"] = brokerId.ToString(CultureInfo.InvariantCulture),
            ["process.roles"] = "broker,controller",
            ["listeners"] = $"PLAINTEXT://127.0.0.1:{b?.Port ?? 0}",
            ["advertised.listeners"] = $"PLAINTEXT://127.0.0.1:{b?.Port ?? 0}",
            ["log.dirs"] = $"/var/lib/kafka/data-{brokerId}",
            ["num.partitions"] = Options.DefaultPartitions.ToString(CultureInfo.InvariantCulture),
            ["default.replication.factor"] = Options.DefaultReplicationFactor.ToString(CultureInfo.InvariantCulture),
            ["auto.create.topics.enable"] = "false",
            ["offsets.topic.replication.factor"] = Math.Min(3, Brokers.Count).ToString(CultureInfo.InvariantCulture),
            ["offsets.topic.num.partitions"] = Options.OffsetsTopicPartitions.ToString(CultureInfo.InvariantCulture),
            ["ssl.keystore.password"] = "changeit-keystore",
        };
        if (b?.Rack is { } rack)
        {
            d["broker.rack"] = rack;
        }

        return d;
    }

    /// <summary>Per-broker dynamic configs (source DYNAMIC_BROKER_CONFIG).</summary>
    public Dictionary<string, string> DynamicBrokerConfigs(int brokerId)
    {
        lock (Sync)
        {
            if (!_dynamicBrokerConfigs.TryGetValue(brokerId, out var d))
            {
                _dynamicBrokerConfigs[brokerId] = d = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            return d;
        }
    }

    /// <summary>Cluster-wide dynamic broker defaults (resource name "", source DYNAMIC_DEFAULT_BROKER_CONFIG).</summary>
    public Dictionary<string, string> DynamicDefaultBrokerConfigs => _dynamicDefaultBrokerConfigs;

    /// <summary>The effective default of a topic config coming from the brokers.</summary>
    public string? BrokerDefault(ConfigDefinition topicConfig) => EffectiveTopicDefault(topicConfig).Value;

    /// <summary>Where a topic's unset config comes from: (value, source, synonym name).</summary>
    public (string? Value, sbyte Source, string Name) EffectiveTopicDefault(ConfigDefinition topicConfig)
    {
        lock (Sync)
        {
            var syn = topicConfig.BrokerSynonym;
            if (syn is not null)
            {
                var controller = ControllerId;
                if (_dynamicBrokerConfigs.TryGetValue(controller, out var per) && per.TryGetValue(syn, out var pv))
                {
                    return (pv, KafkaConfigSource.DynamicBrokerConfig, syn);
                }

                if (_dynamicDefaultBrokerConfigs.TryGetValue(syn, out var dv))
                {
                    return (dv, KafkaConfigSource.DynamicDefaultBrokerConfig, syn);
                }

                if (StaticBrokerConfigs(controller < 0 ? 1 : controller).TryGetValue(syn, out var sv))
                {
                    return (sv, KafkaConfigSource.StaticBrokerConfig, syn);
                }
            }
            return (topicConfig.Default, KafkaConfigSource.DefaultConfig, topicConfig.Name);
        }
    }
}

public sealed partial class ClusterState
{
    private readonly Dictionary<int, SortedDictionary<string, string>> _loggers = new();

    /// <summary>Log4j levels Kafka accepts for BROKER_LOGGER resources.</summary>
    public static readonly IReadOnlyList<string> LogLevels = ["ALL", "DEBUG", "ERROR", "FATAL", "INFO", "OFF", "TRACE", "WARN"];

    /// <summary>Logger name -> level of one broker (BROKER_LOGGER resource), starting from Kafka's defaults.</summary>
    public SortedDictionary<string, string> BrokerLoggers(int brokerId)
    {
        lock (Sync)
        {
            if (!_loggers.TryGetValue(brokerId, out var d))
            {
                _loggers[brokerId] = d = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["root"] = "INFO",
                    ["kafka"] = "INFO",
                    ["kafka.controller"] = "INFO",
                    ["kafka.request.logger"] = "WARN",
                    ["state.change.logger"] = "INFO",
                };
            }

            return d;
        }
    }
}
