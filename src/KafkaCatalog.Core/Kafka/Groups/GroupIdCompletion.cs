using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// What tab completion of consumer group ids asks the cluster: one ListGroups round per broker
/// (<see cref="ConsumerGroupReader.ListGroupListingsAsync"/>, never librdkafka's admin ListConsumerGroups
/// fan-out, which can abort the process while a broker restarts), one attempt, with a deadline below the
/// completer's wait so that a partial answer (a broker down) still lands in time. The completer waits at
/// most <see cref="Wait"/> through <see cref="CompletionCache"/>, which answers with the names it already
/// has when the cluster is slower.
/// </summary>
public static class GroupIdCompletion
{
    /// <summary>How long a Tab waits for the cluster.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    /// <summary>The deadline of the ListGroups round behind a Tab.</summary>
    public static readonly TimeSpan ListTimeout = TimeSpan.FromMilliseconds(1500);

    public static async Task<IReadOnlyList<string>> FetchAsync(KafkaClientFactory factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var service = new ConsumerGroupReader(factory, retry: new KafkaRetry(new KafkaRetryOptions { MaxAttempts = 1 }));
        var listings = await service.ListGroupListingsAsync([], ListTimeout, cancellationToken).ConfigureAwait(false);
        return listings.Select(l => l.GroupId).Order(StringComparer.Ordinal).ToArray();
    }
}
