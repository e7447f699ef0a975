using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>A config change: names to set to a value, names to remove (back to the default).</summary>
public sealed record ConfigChange
{
    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Remove { get; init; } = Array.Empty<string>();

    /// <summary>The entries among <paramref name="entries"/> that this change sets or removes (what -PassThru reports back).</summary>
    public IEnumerable<KafkaConfigEntry> Changed(IEnumerable<KafkaConfigEntry> entries)
    {
        var names = Set.Keys.Concat(Remove).ToHashSet(StringComparer.Ordinal);
        return entries.Where(e => names.Contains(e.Name));
    }

    public override string ToString()
    {
        var parts = Set.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"set {s.Key}={s.Value}")
            .Concat(Remove.OrderBy(r => r, StringComparer.Ordinal).Select(r => $"remove {r}"));
        return string.Join(", ", parts);
    }
}

/// <summary>Topic and broker configs: describe (value, source, default, sensitive, read-only, synonyms) and incremental alter.</summary>
public sealed class ConfigService
{
    private readonly KafkaCalls _calls;

    public ConfigService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>How many resources go into one DescribeConfigs request.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>
    /// Describes the configs of topics, batched (one request per <see cref="BatchSize"/> topics),
    /// yielding each topic's entries as its batch completes. A topic the cluster does not know is
    /// reported through <paramref name="onItemError"/>.
    /// </summary>
    public IAsyncEnumerable<(string Topic, IReadOnlyList<KafkaConfigEntry> Entries)> DescribeTopicsAsync(
        IReadOnlyList<string> topics, Action<KafkaCatalogException>? onItemError = null, CancellationToken cancellationToken = default) =>
        DescribeAsync(ResourceType.Topic, "Topic", topics, onItemError, cancellationToken);

    /// <summary>Describes broker configs (broker ids as text).</summary>
    public IAsyncEnumerable<(string Topic, IReadOnlyList<KafkaConfigEntry> Entries)> DescribeBrokersAsync(
        IReadOnlyList<int> brokerIds, Action<KafkaCatalogException>? onItemError = null, CancellationToken cancellationToken = default) =>
        DescribeAsync(ResourceType.Broker, "Broker", brokerIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), onItemError, cancellationToken);

    /// <summary>Changes a topic's configs incrementally (or only validates the change).</summary>
    public Task AlterTopicAsync(string topic, ConfigChange change, bool validateOnly, CancellationToken cancellationToken = default) =>
        AlterAsync(ResourceType.Topic, topic, $"topic '{topic}'", change, validateOnly, cancellationToken);

    /// <summary>
    /// Changes a broker's dynamic configs. The cluster-wide default resource (an empty broker name, kafka-configs
    /// --entity-default) cannot be addressed: librdkafka's rd_kafka_ConfigResource_new refuses an empty name.
    /// </summary>
    public Task AlterBrokerAsync(int brokerId, ConfigChange change, bool validateOnly, CancellationToken cancellationToken = default) =>
        AlterAsync(
            ResourceType.Broker,
            brokerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"broker {brokerId}",
            change,
            validateOnly,
            cancellationToken);

    /// <summary>The -ConfigName (wildcards) and -ExcludeDefault filter of the config cmdlets.</summary>
    public static IEnumerable<KafkaConfigEntry> Filter(IEnumerable<KafkaConfigEntry> entries, IReadOnlyList<NamePattern> names, bool excludeDefault) =>
        entries.Where(e => (!excludeDefault || !e.IsDefault) && NamePattern.MatchesAny(names, e.Name));

    /// <summary>The same filter over described resources (<see cref="DescribeTopicsAsync"/>, <see cref="DescribeBrokersAsync"/>), flattened as they arrive.</summary>
    public static async IAsyncEnumerable<KafkaConfigEntry> Filter(
        IAsyncEnumerable<(string Topic, IReadOnlyList<KafkaConfigEntry> Entries)> described, IReadOnlyList<NamePattern> names, bool excludeDefault)
    {
        await foreach (var (_, entries) in described.ConfigureAwait(false))
        {
            foreach (var entry in Filter(entries, names, excludeDefault))
            {
                yield return entry;
            }
        }
    }

    /// <summary>Client-side checks of a change (nothing is sent when they fail).</summary>
    public static void Validate(ConfigChange change, string target)
    {
        if (change.Set.Count == 0 && change.Remove.Count == 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.NoConfigChange,
                $"Nothing to change for {target}: give -Set @{{name=value}} and/or -Remove name.", target);
        }

        foreach (var key in change.Set.Keys.Concat(change.Remove))
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new KafkaCatalogException(ErrorCatalog.InvalidConfig,
                    $"Cannot change {target}: a config name is empty.", target);
            }
        }

        var both = change.Set.Keys.Intersect(change.Remove, StringComparer.Ordinal).ToArray();
        if (both.Length > 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.ConflictingConfigChange,
                $"Cannot change {target}: '{string.Join("', '", both)}' is both set and removed. Use -Set or -Remove for it, not both.", target);
        }
    }

    private async IAsyncEnumerable<(string Topic, IReadOnlyList<KafkaConfigEntry> Entries)> DescribeAsync(
        ResourceType type,
        string typeName,
        IReadOnlyList<string> names,
        Action<KafkaCatalogException>? onItemError,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // librdkafka takes at most one BROKER resource per DescribeConfigs call ("Only one
        // ConfigResource of type BROKER is allowed per call"): brokers are described one by one.
        var batchSize = type == ResourceType.Broker ? 1 : BatchSize;
        for (var start = 0; start < names.Count; start += batchSize)
        {
            var batch = names.Skip(start).Take(batchSize).ToArray();
            _calls.Sink.Verbose($"DescribeConfigs request for {batch.Length} {typeName.ToLowerInvariant()}(s) to {_calls.Factory.BootstrapServers}.");
            var results = await _calls.RunAsync<List<DescribeConfigsResult>, DescribeConfigsException>(
                new KafkaCall("DescribeConfigs", KafkaCallKind.Read, "describe configs") { Report = KafkaCallReport.Explained },
                _ => _calls.Factory.AdminClient.DescribeConfigsAsync(
                    batch.Select(n => new ConfigResource { Type = type, Name = n }),
                    new DescribeConfigsOptions { RequestTimeout = _calls.Factory.RequestTimeout }),
                ex =>
                {
                    var described = new List<DescribeConfigsResult>();
                    foreach (var report in ex.Results)
                    {
                        if (report.Error.IsError)
                        {
                            onItemError?.Invoke(ResourceError(type, report.ConfigResource.Name, report.Error, "describe the configs of"));
                        }
                        else
                        {
                            described.Add(new DescribeConfigsResult { ConfigResource = report.ConfigResource, Entries = report.Entries });
                        }
                    }

                    return described;
                },
                null,
                cancellationToken).ConfigureAwait(false);

            var byName = results.ToDictionary(r => r.ConfigResource.Name, StringComparer.Ordinal);
            foreach (var name in batch)
            {
                if (byName.TryGetValue(name, out var result))
                {
                    yield return (name, ToEntries(result, typeName));
                }
            }
        }
    }

    private IReadOnlyList<KafkaConfigEntry> ToEntries(DescribeConfigsResult result, string typeName) =>
        result.Entries.Values
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new KafkaConfigEntry
            {
                ResourceName = result.ConfigResource.Name,
                ResourceType = typeName,
                Name = e.Name,
                Value = e.IsSensitive ? null : e.Value,
                Source = SourceName(e.Source),
                IsDefault = e.IsDefault || e.Source == ConfigSource.DefaultConfig,
                IsSensitive = e.IsSensitive,
                IsReadOnly = e.IsReadOnly,
                Synonyms = (e.Synonyms ?? new List<ConfigSynonym>())
                    .Select(s => new KafkaConfigSynonym(s.Name, e.IsSensitive ? null : s.Value, SourceName(s.Source)))
                    .ToArray(),
                ConnectionName = _calls.Factory.Connection.Name,
            })
            .ToArray();

    /// <summary>Kafka's own names for config sources (DescribeConfigs), as kafka-configs.sh prints them.</summary>
    public static string SourceName(ConfigSource source) => source switch
    {
        ConfigSource.DynamicTopicConfig => "DYNAMIC_TOPIC_CONFIG",
        ConfigSource.DynamicBrokerConfig => "DYNAMIC_BROKER_CONFIG",
        ConfigSource.DynamicDefaultBrokerConfig => "DYNAMIC_DEFAULT_BROKER_CONFIG",
        ConfigSource.StaticBrokerConfig => "STATIC_BROKER_CONFIG",
        ConfigSource.DefaultConfig => "DEFAULT_CONFIG",
        ConfigSource.GroupConfig => "GROUP_CONFIG",
        _ => "UNKNOWN",
    };

    private async Task AlterAsync(ResourceType type, string name, string target, ConfigChange change, bool validateOnly, CancellationToken cancellationToken)
    {
        Validate(change, target);
        var entries = change.Set
            .Select(s => new ConfigEntry { Name = s.Key, Value = s.Value, IncrementalOperation = AlterConfigOpType.Set })
            .Concat(change.Remove.Select(r => new ConfigEntry { Name = r, Value = string.Empty, IncrementalOperation = AlterConfigOpType.Delete }))
            .ToList();
        var request = new Dictionary<ConfigResource, List<ConfigEntry>> { [new ConfigResource { Type = type, Name = name }] = entries };
        _calls.Sink.Verbose($"IncrementalAlterConfigs{(validateOnly ? " (validate only)" : string.Empty)} for {target}: {change}.");
        // Setting a value or removing an override is idempotent: repeating it leaves the same state.
        await _calls.RunAsync(
            new KafkaCall("IncrementalAlterConfigs", KafkaCallKind.IdempotentWrite, $"change the configs of {target}", name)
            {
                Report = KafkaCallReport.Explained,
                Map = ex => ex is IncrementalAlterConfigsException refused && (refused.Results.FirstOrDefault(r => r.Error.IsError) ?? refused.Results[0]) is { } report
                    ? ResourceError(type, name, report.Error, validateOnly ? "validate a config change of" : "change the configs of")
                    : null,
            },
            _ => _calls.Factory.AdminClient.IncrementalAlterConfigsAsync(request, new IncrementalAlterConfigsOptions { ValidateOnly = validateOnly, RequestTimeout = _calls.Factory.RequestTimeout }),
            cancellationToken).ConfigureAwait(false);
    }

    private static KafkaCatalogException ResourceError(ResourceType type, string name, Error error, string action)
    {
        if (type == ResourceType.Topic)
        {
            return KafkaErrors.ForTopic(error.Code, error.Reason, name, action);
        }

        var target = name.Length == 0 ? "the cluster-wide broker default" : $"broker {name}";
        return error.Code switch
        {
            ErrorCode.InvalidConfig => new KafkaCatalogException(ErrorCatalog.InvalidConfig,
                $"Cannot {action} {target}: invalid configuration ({error.Reason}). Only dynamic broker configs can be changed at run time; see Get-KafkaBrokerConfig.", name),
            ErrorCode.InvalidRequest => new KafkaCatalogException(ErrorCatalog.InvalidConfig,
                $"Cannot {action} {target}: {error.Reason}", name),
            ErrorCode.Local_UnknownBroker or ErrorCode.BrokerNotAvailable => new KafkaCatalogException(ErrorCatalog.BrokerNotFound,
                $"Broker {name} is not in the cluster. Use Get-KafkaBroker to list the brokers.", name),
            _ => KafkaErrors.General(error.Code, error.Reason, name, $"{action} {target}"),
        };
    }
}
