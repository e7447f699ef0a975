using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>Topics: list and describe with wildcards, delete, add partitions; creation is <see cref="TopicCreator"/>.</summary>
public sealed class TopicService
{
    /// <summary>Kafka's internal topics (org.apache.kafka.common.internals.Topic).</summary>
    public static readonly IReadOnlySet<string> InternalTopics = new HashSet<string>(StringComparer.Ordinal)
    {
        "__consumer_offsets",
        "__transaction_state",
    };

    private readonly KafkaCalls _calls;

    public TopicService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>
    /// Streams the topics matching <paramref name="query"/>, ordered by name, from one metadata
    /// request. A plain name (no wildcard) that does not exist is reported through
    /// <paramref name="onItemError"/> as TopicNotFound; a wildcard that matches nothing is not an error.
    /// </summary>
    public async IAsyncEnumerable<KafkaTopic> ListAsync(
        TopicQuery query,
        Action<KafkaCatalogException>? onItemError = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var patterns = TopicSelection.ParsePatterns(query.Names);
        var metadata = await GetMetadataAsync(cancellationToken).ConfigureAwait(false);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var selected = new List<TopicMetadata>();
        foreach (var topic in metadata.Topics.OrderBy(t => t.Topic, StringComparer.Ordinal))
        {
            if (TopicSelection.Selected(topic.Topic, patterns, query.IncludeInternal))
            {
                seen.Add(topic.Topic);
                selected.Add(topic);
            }
        }

        foreach (var pattern in patterns)
        {
            if (!pattern.HasWildcards && !seen.Contains(pattern.Literal))
            {
                onItemError?.Invoke(KafkaErrors.ForTopic(ErrorCode.UnknownTopicOrPart, null, pattern.Literal, "describe"));
            }
        }

        IReadOnlyDictionary<string, long>? counts = null;
        if (query.IncludeMessageCount)
        {
            counts = await CountMessagesAsync(selected.Select(ToTopic).ToList(), cancellationToken).ConfigureAwait(false);
        }

        KafkaTopic WithCount(KafkaTopic item) =>
            counts is not null && counts.TryGetValue(item.Name, out var count) ? item with { MessageCount = count } : item;

        if (!query.IncludeConfig && !query.UnderMinIsr)
        {
            foreach (var topic in selected)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var item = WithCount(ToTopic(topic));
                if (!query.HasHealthFilter || TopicSelection.IsUnhealthy(item, query, null))
                {
                    yield return item;
                }
            }

            yield break;
        }

        // Configs are needed: one DescribeConfigs per batch of topics, topics emitted as each batch completes.
        var configs = new ConfigService(_calls.Factory, _calls.Sink, _calls.Retry);
        var byName = selected.ToDictionary(t => t.Topic, StringComparer.Ordinal);
        await foreach (var (name, entries) in configs.DescribeTopicsAsync(selected.Select(t => t.Topic).ToArray(), onItemError, cancellationToken).ConfigureAwait(false))
        {
            var config = entries.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
            var item = WithCount(ToTopic(byName[name]));
            if (query.IncludeConfig)
            {
                item = item with { Config = config };
            }

            if (!query.HasHealthFilter || TopicSelection.IsUnhealthy(item, query, config))
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// Messages per topic: the sum over its partitions of high watermark minus log start offset.
    /// A topic with a partition whose offsets could not be read gets no count (a warning says so):
    /// a partial sum would be an invented number.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> CountMessagesAsync(IReadOnlyList<KafkaTopic> topics, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var offsets = new TopicOffsetService(_calls.Factory, _calls.Sink, _calls.Retry);
        _calls.Sink.Verbose("Message counts are high watermark minus log start offset per partition (approximate for compacted topics and for transactional topics, whose markers take offsets). Sizes in bytes are not read: they need DescribeLogDirs, which Confluent.Kafka does not offer.");
        await foreach (var row in offsets.GetAsync(topics, null, _ => { }, cancellationToken).ConfigureAwait(false))
        {
            counts[row.Topic] = counts.GetValueOrDefault(row.Topic) + row.MessageCount;
            rows[row.Topic] = rows.GetValueOrDefault(row.Topic) + 1;
        }

        foreach (var topic in topics)
        {
            if (rows.GetValueOrDefault(topic.Name) != topic.Partitions.Count)
            {
                counts.Remove(topic.Name);
                _calls.Sink.Warning($"The offsets of some partitions of topic '{topic.Name}' could not be read; its MessageCount is left empty.");
            }
        }

        return counts;
    }

    /// <summary>Whether a topic matches any of the query's health filters.</summary>
    public static bool IsUnhealthy(KafkaTopic topic, TopicQuery query, IReadOnlyDictionary<string, string?>? config) =>
        TopicSelection.IsUnhealthy(topic, query, config);

    /// <summary>
    /// Deletes topics in one DeleteTopics request and reports each topic's outcome. Internal
    /// topics are refused before any call.
    /// </summary>
    public async Task<IReadOnlyList<KafkaTopicChange>> DeleteAsync(IReadOnlyList<string> topics, CancellationToken cancellationToken = default)
    {
        var outcomes = new List<KafkaTopicChange>();
        var toDelete = new List<string>();
        foreach (var topic in topics.Distinct(StringComparer.Ordinal))
        {
            if (InternalTopics.Contains(topic))
            {
                outcomes.Add(new KafkaTopicChange
                {
                    Topic = topic,
                    Error = new KafkaCatalogException(ErrorCatalog.CannotDeleteInternalTopic,
                        $"Topic '{topic}' is internal to Kafka and is not deleted.", topic),
                });
            }
            else
            {
                toDelete.Add(topic);
            }
        }

        if (toDelete.Count == 0)
        {
            return outcomes;
        }

        _calls.Sink.Verbose($"DeleteTopics: {string.Join(", ", toDelete)} on {_calls.Factory.BootstrapServers}.");
        outcomes.AddRange(await _calls.RunAsync<IReadOnlyList<KafkaTopicChange>, DeleteTopicsException>(
            new KafkaCall("DeleteTopics", KafkaCallKind.NonIdempotentWrite, "delete topics " + string.Join(", ", toDelete), string.Join(",", toDelete)),
            async _ =>
            {
                await _calls.Factory.AdminClient.DeleteTopicsAsync(toDelete, new DeleteTopicsOptions { RequestTimeout = _calls.Factory.RequestTimeout, OperationTimeout = _calls.Factory.RequestTimeout }).ConfigureAwait(false);
                return toDelete.Select(t => new KafkaTopicChange { Topic = t }).ToArray();
            },
            ex => ex.Results.Select(r => new KafkaTopicChange
            {
                Topic = r.Topic,
                Error = r.Error.IsError ? KafkaErrors.ForTopic(r.Error.Code, r.Error.Reason, r.Topic, "delete") : null,
            }).ToArray(),
            null,
            cancellationToken).ConfigureAwait(false));

        return outcomes;
    }

    /// <summary>
    /// Raises a topic's partition count to <paramref name="totalCount"/> (or only validates it).
    /// Kafka cannot remove partitions: a total not above the current count is InvalidPartitions.
    /// </summary>
    public async Task<KafkaTopic?> AddPartitionsAsync(string topic, int totalCount, bool validateOnly, CancellationToken cancellationToken = default)
    {
        if (totalCount < 1)
        {
            throw new KafkaCatalogException(ErrorCatalog.InvalidPartitions,
                $"Cannot add partitions to topic '{topic}': the total count must be at least 1 (got {totalCount}).", topic);
        }

        _calls.Sink.Verbose($"CreatePartitions{(validateOnly ? " (validate only)" : string.Empty)}: topic '{topic}' to {totalCount} partitions on {_calls.Factory.BootstrapServers}.");
        var verb = validateOnly ? "validate adding partitions to" : "add partitions to";
        await _calls.RunAsync(
            new KafkaCall("CreatePartitions", KafkaCallKind.NonIdempotentWrite, $"{verb} topic '{topic}'", topic)
            {
                Map = ex => ex is CreatePartitionsException partitions && (partitions.Results.FirstOrDefault(r => r.Error.IsError) ?? partitions.Results[0]) is { } report
                    ? KafkaErrors.ForTopic(report.Error.Code, report.Error.Reason, topic, verb)
                    : null,
            },
            _ => _calls.Factory.AdminClient.CreatePartitionsAsync(
                [new PartitionsSpecification { Topic = topic, IncreaseTo = totalCount }],
                new CreatePartitionsOptions { ValidateOnly = validateOnly, RequestTimeout = _calls.Factory.RequestTimeout, OperationTimeout = _calls.Factory.RequestTimeout }),
            cancellationToken).ConfigureAwait(false);

        if (validateOnly)
        {
            return null;
        }

        // The new partitions appear in metadata shortly after the call returns.
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            var (described, _) = await TryDescribeAsync(topic, cancellationToken).ConfigureAwait(false);
            if (described is not null && described.PartitionCount >= totalCount)
            {
                return described;
            }

            if (attempt >= 8)
            {
                return described;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    /// <summary>
    /// Creates one topic, or with <paramref name="validateOnly"/> asks the cluster to validate the
    /// creation without doing it (<see cref="TopicCreator"/>).
    /// </summary>
    public Task<TopicCreationResult> CreateAsync(NewTopicSpec spec, bool validateOnly, CancellationToken cancellationToken = default) =>
        new TopicCreator(_calls, this).CreateAsync(spec, validateOnly, cancellationToken);

    /// <summary>The client-side checks of <see cref="CreateAsync"/> (nothing is sent when they fail).</summary>
    public static void Validate(NewTopicSpec spec) => TopicCreator.Validate(spec);

    /// <summary>One metadata request for every topic, retried when transient.</summary>
    internal async Task<Metadata> GetMetadataAsync(CancellationToken cancellationToken)
    {
        _calls.Sink.Verbose($"Metadata request (all topics) to {_calls.Factory.BootstrapServers}.");
        try
        {
            return await GetMetadataCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KafkaCatalogException ex)
        {
            throw _calls.Factory.Refine(ex);
        }
    }

    private Task<Metadata> GetMetadataCoreAsync(CancellationToken cancellationToken)
    {
        return _calls.Retry.ExecuteAsync(
            "Metadata",
            KafkaCallKind.Read,
            _calls.Factory.BootstrapServers,
            token => _calls.Factory.GetMetadataAsync(null, token),
            _calls.Sink,
            cancellationToken);
    }

    internal KafkaTopic ToTopic(TopicMetadata topic) => TopicMapping.FromMetadata(topic, _calls.Factory);

    /// <summary>Describes one topic (DescribeTopics: async, with topic id and the cluster's internal flag).</summary>
    internal async Task<(KafkaTopic? Topic, string Problem)> TryDescribeAsync(string name, CancellationToken cancellationToken)
    {
        return await _calls.RunAsync<(KafkaTopic?, string), KafkaException>(
            new KafkaCall("DescribeTopics", KafkaCallKind.Read, $"describe topic '{name}'", name),
            async _ =>
            {
                var result = await _calls.Factory.AdminClient.DescribeTopicsAsync(TopicCollection.OfTopicNames([name]), new DescribeTopicsOptions { RequestTimeout = _calls.Factory.RequestTimeout }).ConfigureAwait(false);
                var description = result.TopicDescriptions.FirstOrDefault(d => d.Name == name);
                if (description is null || description.Error.IsError || description.Partitions.Count == 0)
                {
                    return (null, description?.Error.Reason ?? "not in metadata");
                }

                return (ToTopic(description), string.Empty);
            },
            ex => ex is DescribeTopicsException described
                ? (null, described.Results.TopicDescriptions.FirstOrDefault(d => d.Error.IsError)?.Error.Reason ?? ex.Message)
                : (null, ex.Error.Reason),
            ex => ex is DescribeTopicsException || !KafkaRetry.IsClusterUnreachable(ex, KafkaCallKind.Read),
            cancellationToken).ConfigureAwait(false);
    }

    internal KafkaTopic ToTopic(TopicDescription description) => TopicMapping.FromDescription(description, _calls.Factory);
}
