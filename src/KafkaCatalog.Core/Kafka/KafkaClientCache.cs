using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// One <see cref="KafkaClientFactory"/> (and so one admin client) per live connection object;
/// released, and its clients disposed, when the connection is disconnected.
/// </summary>
public sealed class KafkaClientCache : IDisposable
{
    private readonly ConcurrentDictionary<KafkaCatalog.Core.Connections.KafkaConnection, Lazy<KafkaClientFactory>> _factories =
        new(ReferenceComparer.Instance);
    private readonly Func<KafkaCatalog.Core.Connections.KafkaConnection, KafkaOAuthBearerTokenProvider?>? _oauthProviderFor;

    public KafkaClientCache(Func<KafkaCatalog.Core.Connections.KafkaConnection, KafkaOAuthBearerTokenProvider?>? oauthProviderFor = null)
    {
        _oauthProviderFor = oauthProviderFor;
    }

    public int Count => _factories.Count;

    public KafkaClientFactory GetOrCreate(KafkaCatalog.Core.Connections.KafkaConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return _factories.GetOrAdd(
            connection,
            c => new Lazy<KafkaClientFactory>(() => new KafkaClientFactory(c, _oauthProviderFor?.Invoke(c)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>
    /// The cached factory when <paramref name="connection"/> is <paramref name="registered"/> itself (the object
    /// registered under its name, e.g. by Connect-KafkaCluster), else null: a one-off connection (-BootstrapServer,
    /// the environment, an unregistered or replaced -Connection object) gets a factory its user owns.
    /// </summary>
    public KafkaClientFactory? Shared(KafkaCatalog.Core.Connections.KafkaConnection connection, KafkaCatalog.Core.Connections.KafkaConnection? registered)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return ReferenceEquals(registered, connection) ? GetOrCreate(connection) : null;
    }

    /// <summary>
    /// The factory for <paramref name="connection"/>: the shared one of a registered connection (see <see cref="Shared"/>),
    /// or a new one that the lease owns and disposes when released.
    /// </summary>
    public KafkaClientLease Lease(KafkaCatalog.Core.Connections.KafkaConnection connection, KafkaCatalog.Core.Connections.KafkaConnection? registered) =>
        Shared(connection, registered) is { } shared ? KafkaClientLease.Shared(shared) : KafkaClientLease.Owned(new KafkaClientFactory(connection));

    /// <summary>Disposes the connection's clients; true if it had any.</summary>
    public bool Release(KafkaCatalog.Core.Connections.KafkaConnection connection)
    {
        if (_factories.TryRemove(connection, out var factory))
        {
            if (factory.IsValueCreated)
            {
                factory.Value.Dispose();
            }

            return true;
        }

        return false;
    }

    public void Dispose()
    {
        foreach (var connection in _factories.Keys.ToArray())
        {
            Release(connection);
        }
    }

    private sealed class ReferenceComparer : IEqualityComparer<KafkaCatalog.Core.Connections.KafkaConnection>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(KafkaCatalog.Core.Connections.KafkaConnection? x, KafkaCatalog.Core.Connections.KafkaConnection? y) => ReferenceEquals(x, y);

        public int GetHashCode(KafkaCatalog.Core.Connections.KafkaConnection obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
