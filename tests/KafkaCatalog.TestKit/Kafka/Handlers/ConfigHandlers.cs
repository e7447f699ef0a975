using System.Globalization;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

/// <summary>Config resource types.</summary>
internal static class ConfigResourceType
{
    public const sbyte Topic = 2;
    public const sbyte Broker = 4;
    public const sbyte BrokerLogger = 8;
}

/// <summary>One config entry as DescribeConfigs reports it.</summary>
internal sealed record ConfigEntry(string Name, string? Value, sbyte Source, bool ReadOnly, bool Sensitive, ConfigType Type,
    IReadOnlyList<(string Name, string? Value, sbyte Source)> Synonyms);

/// <summary>Shared logic for DescribeConfigs / AlterConfigs / IncrementalAlterConfigs.</summary>
internal static class ConfigLogic
{
    /// <summary>Resolves a resource; returns an error (code, message) or null. Caller holds the lock.</summary>
    public static (short Code, string Message)? Check(RequestContext ctx, sbyte type, string? name, bool alter)
    {
        var state = ctx.State;
        switch (type)
        {
            case ConfigResourceType.Topic:
                if (!state.IsAuthorized(ctx.Principal, alter ? AclOperation.AlterConfigs : AclOperation.DescribeConfigs, AclResourceType.Topic, name ?? ""))
                {
                    return (ErrorCode.TopicAuthorizationFailed, ErrorCode.DefaultMessage(ErrorCode.TopicAuthorizationFailed));
                }

                if (TopicNames.Validate(name) is { } bad)
                {
                    return (ErrorCode.InvalidTopicException, bad);
                }

                if (state.TopicsUnlocked.All(t => t.Name != name))
                {
                    return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
                }

                return null;
            case ConfigResourceType.Broker:
            case ConfigResourceType.BrokerLogger:
                if (!state.IsAuthorized(ctx.Principal, alter ? AclOperation.AlterConfigs : AclOperation.DescribeConfigs, AclResourceType.Cluster, "kafka-cluster"))
                {
                    return (ErrorCode.ClusterAuthorizationFailed, ErrorCode.DefaultMessage(ErrorCode.ClusterAuthorizationFailed));
                }

                if (string.IsNullOrEmpty(name))
                {
                    return type == ConfigResourceType.BrokerLogger ? (ErrorCode.InvalidRequest, "Broker id must not be empty") : null;
                }

                if (!int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                {
                    return (ErrorCode.InvalidRequest, $"Broker id must be an integer, but it is: {name}");
                }

                if (id != ctx.BrokerId)
                {
                    return (ErrorCode.InvalidRequest, $"Unexpected broker id, expected {ctx.BrokerId} or empty string, but received {name}");
                }

                return null;
            default:
                return (ErrorCode.InvalidRequest, $"Unsupported resource type: {type}");
        }
    }

    public static IEnumerable<ConfigEntry> Describe(ClusterState state, sbyte type, string name)
    {
        if (type == ConfigResourceType.Topic)
        {
            var topic = state.TopicsUnlocked.First(t => t.Name == name);
            foreach (var d in TopicConfigs.All)
            {
                var syn = new List<(string, string?, sbyte)>();
                if (topic.Configs.TryGetValue(d.Name, out var own))
                {
                    syn.Add((d.Name, own, KafkaConfigSource.DynamicTopicConfig));
                }

                if (d.BrokerSynonym is { } bs)
                {
                    var controller = state.ControllerId;
                    if (state.DynamicBrokerConfigs(controller).TryGetValue(bs, out var pb))
                    {
                        syn.Add((bs, pb, KafkaConfigSource.DynamicBrokerConfig));
                    }

                    if (state.DynamicDefaultBrokerConfigs.TryGetValue(bs, out var db))
                    {
                        syn.Add((bs, db, KafkaConfigSource.DynamicDefaultBrokerConfig));
                    }

                    if (state.StaticBrokerConfigs(controller < 0 ? 1 : controller).TryGetValue(bs, out var sb))
                    {
                        syn.Add((bs, sb, KafkaConfigSource.StaticBrokerConfig));
                    }

                    var bdef = BrokerConfigs.Find(bs)?.Default ?? d.Default;
                    if (bdef is not null)
                    {
                        syn.Add((bs, bdef, KafkaConfigSource.DefaultConfig));
                    }
                    else
                    {
                        syn.Add((d.Name, d.Default, KafkaConfigSource.DefaultConfig));
                    }
                }
                else
                {
                    syn.Add((d.Name, d.Default, KafkaConfigSource.DefaultConfig));
                }

                var top = syn[0];
                yield return new ConfigEntry(d.Name, top.Item2, top.Item3, false, d.Sensitive, d.Type, syn);
            }
            yield break;
        }
        if (type == ConfigResourceType.BrokerLogger)
        {
            foreach (var (logger, level) in state.BrokerLoggers(int.Parse(name, CultureInfo.InvariantCulture)))
            {
                yield return new ConfigEntry(logger, level, KafkaConfigSource.DynamicBrokerLoggerConfig, false, false, ConfigType.String,
                    new[] { (logger, (string?)level, KafkaConfigSource.DynamicBrokerLoggerConfig) });
            }

            yield break;
        }
        if (string.IsNullOrEmpty(name))
        {
            foreach (var kv in state.DynamicDefaultBrokerConfigs.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                var d = BrokerConfigs.Find(kv.Key);
                var sensitive = d?.Sensitive ?? false;
                yield return new ConfigEntry(kv.Key, sensitive ? null : kv.Value, KafkaConfigSource.DynamicDefaultBrokerConfig, false, sensitive, d?.Type ?? ConfigType.String,
                    new[] { (kv.Key, sensitive ? null : (string?)kv.Value, KafkaConfigSource.DynamicDefaultBrokerConfig) });
            }
            yield break;
        }
        var id = int.Parse(name, CultureInfo.InvariantCulture);
        var statics = state.StaticBrokerConfigs(id);
        var per = state.DynamicBrokerConfigs(id);
        foreach (var d in BrokerConfigs.All)
        {
            var syn = new List<(string, string?, sbyte)>();
            if (per.TryGetValue(d.Name, out var p))
            {
                syn.Add((d.Name, p, KafkaConfigSource.DynamicBrokerConfig));
            }

            if (state.DynamicDefaultBrokerConfigs.TryGetValue(d.Name, out var dd))
            {
                syn.Add((d.Name, dd, KafkaConfigSource.DynamicDefaultBrokerConfig));
            }

            if (statics.TryGetValue(d.Name, out var s))
            {
                syn.Add((d.Name, s, KafkaConfigSource.StaticBrokerConfig));
            }

            if (d.Default is not null)
            {
                syn.Add((d.Name, d.Default, KafkaConfigSource.DefaultConfig));
            }

            if (d.Name == "log.retention.ms" && syn.Count == 0)
            {
                syn.Add(("log.retention.hours", "168", KafkaConfigSource.DefaultConfig));
            }

            var top = syn.Count > 0 ? syn[0] : (d.Name, null, KafkaConfigSource.DefaultConfig);
            if (d.Sensitive)
            {
                syn = syn.Select(x => (x.Item1, (string?)null, x.Item3)).ToList();
            }

            yield return new ConfigEntry(d.Name, d.Sensitive ? null : top.Item2, top.Item3, d.ReadOnly, d.Sensitive, d.Type, syn);
        }
    }

    /// <summary>
    /// The AlterConfigs / IncrementalAlterConfigs response: one entry per requested resource with the
    /// error <paramref name="apply"/> returns (ctx, state, type, name, configs, validateOnly), under the state lock.
    /// </summary>
    public static Message Alter(RequestContext ctx, Message request, Func<RequestContext, ClusterState, sbyte, string, List<Message>, bool, (short, string?)> apply)
    {
        var state = ctx.State;
        var validateOnly = request.GetBool("ValidateOnly");
        var resp = ctx.NewResponse();
        lock (state.Sync)
        {
            foreach (var res in request.GetArray("Resources") ?? new List<Message>())
            {
                var type = res.GetInt8("ResourceType");
                var name = res.GetString("ResourceName") ?? string.Empty;
                var r = resp.AddElement("Responses");
                r.Set("ResourceType", type);
                r.Set("ResourceName", name);
                var (code, message) = apply(ctx, state, type, name, res.GetArray("Configs") ?? new List<Message>(), validateOnly);
                r.Set("ErrorCode", code);
                r.Set("ErrorMessage", message);
            }
        }
        return resp;
    }

    /// <summary>Validates a broker config change: known and dynamically updatable.</summary>
    public static string? ValidateBroker(string key, string? value)
    {
        var d = BrokerConfigs.Find(key);
        if (d is null)
        {
            return $"Unknown broker config name: {key}";
        }

        if (d.ReadOnly)
        {
            return $"Cannot update these configs dynamically: Set({key})";
        }

        return value is null ? null : d.Validate(value);
    }
}

/// <summary>DescribeConfigs (32) v0-v4: TOPIC, BROKER (id or "" for cluster defaults) and BROKER_LOGGER resources.</summary>
internal sealed class DescribeConfigsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DescribeConfigs;
    public short MinVersion => 0;
    public short MaxVersion => 4;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var state = ctx.State;
        var v = ctx.ApiVersion;
        var resp = ctx.NewResponse();
        var synonyms = v >= 1 && request.GetBool("IncludeSynonyms");
        var docs = v >= 3 && request.GetBool("IncludeDocumentation");
        lock (state.Sync)
        {
            foreach (var res in request.GetArray("Resources") ?? new List<Message>())
            {
                var type = res.GetInt8("ResourceType");
                var name = res.GetString("ResourceName") ?? string.Empty;
                var keys = res.GetList<string>("ConfigurationKeys");
                var r = resp.AddElement("Results");
                r.Set("ResourceType", type);
                r.Set("ResourceName", name);
                if (ConfigLogic.Check(ctx, type, name, alter: false) is { } err)
                {
                    r.Set("ErrorCode", err.Code);
                    r.Set("ErrorMessage", err.Message);
                    continue;
                }
                r.Set("ErrorCode", ErrorCode.None);
                r.Set("ErrorMessage", null);
                var list = new List<Message>();
                foreach (var e in ConfigLogic.Describe(state, type, name))
                {
                    if (keys is not null && !keys.Contains(e.Name))
                    {
                        continue;
                    }

                    var c = r.NewElement("Configs");
                    c.Set("Name", e.Name);
                    c.Set("Value", e.Value);
                    c.Set("ReadOnly", e.ReadOnly);
                    c.Set("IsDefault", e.Source == KafkaConfigSource.DefaultConfig);
                    c.Set("ConfigSource", e.Source);
                    c.Set("IsSensitive", e.Sensitive);
                    c.Set("ConfigType", (sbyte)((int)e.Type + 1));
                    c.Set("Documentation", docs ? $"The {e.Name} configuration." : null);
                    if (synonyms)
                    {
                        var syn = new List<Message>();
                        foreach (var (sn, sv, ss) in e.Synonyms)
                        {
                            var s = c.NewElement("Synonyms");
                            s.Set("Name", sn);
                            s.Set("Value", sv);
                            s.Set("Source", ss);
                            syn.Add(s);
                        }
                        c.Set("Synonyms", syn);
                    }
                    list.Add(c);
                }
                r.Set("Configs", list);
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>AlterConfigs (33) v0-v2: replaces the whole set of dynamic configs of a resource.</summary>
internal sealed class AlterConfigsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.AlterConfigs;
    public short MinVersion => 0;
    public short MaxVersion => 2;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct) =>
        ValueTask.FromResult<Message?>(ConfigLogic.Alter(ctx, request, Apply));

    private static (short, string?) Apply(RequestContext ctx, ClusterState state, sbyte type, string name, List<Message> configs, bool validateOnly)
    {
        if (type == ConfigResourceType.BrokerLogger)
        {
            return (ErrorCode.InvalidRequest, "AlterConfigs is not supported for BROKER_LOGGER resources; use IncrementalAlterConfigs.");
        }

        if (ConfigLogic.Check(ctx, type, name, alter: true) is { } err)
        {
            return err;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in configs)
        {
            var key = c.GetString("Name") ?? string.Empty;
            var value = c.GetString("Value");
            var bad = type == ConfigResourceType.Topic ? TopicConfigs.Validate(key, value) : ConfigLogic.ValidateBroker(key, value);
            if (bad is not null)
            {
                return (ErrorCode.InvalidConfig, bad);
            }

            if (value is not null)
            {
                values[key] = value;
            }
        }
        if (validateOnly)
        {
            return (ErrorCode.None, null);
        }

        var target = type == ConfigResourceType.Topic
            ? state.TopicsUnlocked.First(t => t.Name == name).Configs
            : string.IsNullOrEmpty(name) ? state.DynamicDefaultBrokerConfigs : state.DynamicBrokerConfigs(int.Parse(name, CultureInfo.InvariantCulture));
        target.Clear();
        foreach (var kv in values)
        {
            target[kv.Key] = kv.Value;
        }

        return (ErrorCode.None, null);
    }
}

/// <summary>IncrementalAlterConfigs (44) v0-v1: SET, DELETE, APPEND, SUBTRACT.</summary>
internal sealed class IncrementalAlterConfigsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.IncrementalAlterConfigs;
    public short MinVersion => 0;
    public short MaxVersion => 1;

    private const sbyte Set = 0, Delete = 1, Append = 2, Subtract = 3;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct) =>
        ValueTask.FromResult<Message?>(ConfigLogic.Alter(ctx, request, Apply));

    private static (short, string?) AlterLoggers(ClusterState state, int brokerId, List<Message> configs, bool validateOnly)
    {
        var loggers = state.BrokerLoggers(brokerId);
        var result = new SortedDictionary<string, string>(loggers, StringComparer.Ordinal);
        foreach (var c in configs)
        {
            var logger = c.GetString("Name") ?? string.Empty;
            var level = c.GetString("Value");
            switch (c.GetInt8("ConfigOperation"))
            {
                case Set:
                    if (level is null || !ClusterState.LogLevels.Contains(level))
                    {
                        return (ErrorCode.InvalidConfig, $"Cannot set the log level of {logger} to {level} as it is not a supported log level. Valid log4j levels are {string.Join(", ", ClusterState.LogLevels)}");
                    }

                    result[logger] = level;
                    break;
                case Delete:
                    if (logger == "root")
                    {
                        return (ErrorCode.InvalidRequest, "Removing the log level of the root logger is not allowed");
                    }

                    result[logger] = result["root"];
                    break;
                default:
                    return (ErrorCode.InvalidRequest, $"{(c.GetInt8("ConfigOperation") == Append ? "APPEND" : "SUBTRACT")} operation is not allowed for the BROKER_LOGGER resource");
            }
        }
        if (validateOnly)
        {
            return (ErrorCode.None, null);
        }

        loggers.Clear();
        foreach (var kv in result)
        {
            loggers[kv.Key] = kv.Value;
        }

        return (ErrorCode.None, null);
    }

    private static (short, string?) Apply(RequestContext ctx, ClusterState state, sbyte type, string name, List<Message> configs, bool validateOnly)
    {
        if (ConfigLogic.Check(ctx, type, name, alter: true) is { } err)
        {
            return err;
        }

        if (type == ConfigResourceType.BrokerLogger)
        {
            return AlterLoggers(state, int.Parse(name, CultureInfo.InvariantCulture), configs, validateOnly);
        }

        var dupes = configs.GroupBy(c => c.GetString("Name")).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dupes.Count > 0)
        {
            return (ErrorCode.InvalidConfig, $"Error due to duplicate config keys: {string.Join(", ", dupes)}");
        }

        var current = type == ConfigResourceType.Topic
            ? state.TopicsUnlocked.First(t => t.Name == name).Configs
            : string.IsNullOrEmpty(name) ? state.DynamicDefaultBrokerConfigs : state.DynamicBrokerConfigs(int.Parse(name, CultureInfo.InvariantCulture));
        var result = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var c in configs)
        {
            var key = c.GetString("Name") ?? string.Empty;
            var value = c.GetString("Value");
            var op = c.GetInt8("ConfigOperation");
            var def = type == ConfigResourceType.Topic ? TopicConfigs.Find(key) : BrokerConfigs.Find(key);
            if (def is null)
            {
                return (ErrorCode.InvalidConfig, type == ConfigResourceType.Topic ? $"Unknown topic config name: {key}" : $"Unknown broker config name: {key}");
            }

            switch (op)
            {
                case Set:
                    var bad = type == ConfigResourceType.Topic ? TopicConfigs.Validate(key, value) : ConfigLogic.ValidateBroker(key, value);
                    if (bad is not null)
                    {
                        return (ErrorCode.InvalidConfig, bad);
                    }

                    result[key] = value!;
                    break;
                case Delete:
                    if (type != ConfigResourceType.Topic && ConfigLogic.ValidateBroker(key, null) is { } ro)
                    {
                        return (ErrorCode.InvalidConfig, ro);
                    }

                    result.Remove(key);
                    break;
                case Append:
                case Subtract:
                    if (def.Type != ConfigType.List)
                    {
                        return (ErrorCode.InvalidConfig, $"Config value {(op == Append ? "append" : "subtract")} is not allowed for config key: {key}");
                    }

                    var basis = result.TryGetValue(key, out var cur) ? cur
                        : type == ConfigResourceType.Topic ? state.BrokerDefault(def) ?? "" : def.Default ?? "";
                    var items = basis.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
                    var delta = (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    if (op == Append)
                    {
                        items.AddRange(delta.Where(d => !items.Contains(d)));
                    }
                    else
                    {
                        items.RemoveAll(delta.Contains);
                    }

                    var joined = string.Join(",", items);
                    if (def.Validate(joined) is { } badList)
                    {
                        return (ErrorCode.InvalidConfig, badList);
                    }

                    result[key] = joined;
                    break;
                default:
                    return (ErrorCode.InvalidRequest, $"Unknown config operation {op} for config key: {key}");
            }
        }
        if (validateOnly)
        {
            return (ErrorCode.None, null);
        }

        current.Clear();
        foreach (var kv in result)
        {
            current[kv.Key] = kv.Value;
        }

        return (ErrorCode.None, null);
    }
}
