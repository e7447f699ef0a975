namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// A client factory as its user holds it (<see cref="KafkaClientCache.Lease"/>): the shared factory of a
/// registered connection, which the cache keeps (releasing the lease leaves it alone), or a one-off factory
/// for a connection nobody registered, which the lease owns (releasing the lease disposes it).
/// </summary>
public sealed class KafkaClientLease : IDisposable
{
    private int _released;

    private KafkaClientLease(KafkaClientFactory factory, bool isOwned)
    {
        Factory = factory;
        IsOwned = isOwned;
    }

    public KafkaClientFactory Factory { get; }

    /// <summary>True when the lease owns <see cref="Factory"/> (a one-off connection) and disposes it when released.</summary>
    public bool IsOwned { get; }

    /// <summary>Disposes <see cref="Factory"/> when the lease owns it (once); a shared factory stays with its cache.</summary>
    public void Dispose()
    {
        if (IsOwned && Interlocked.Exchange(ref _released, 1) == 0)
        {
            Factory.Dispose();
        }
    }

    internal static KafkaClientLease Shared(KafkaClientFactory factory) => new(factory, isOwned: false);

    internal static KafkaClientLease Owned(KafkaClientFactory factory) => new(factory, isOwned: true);
}
