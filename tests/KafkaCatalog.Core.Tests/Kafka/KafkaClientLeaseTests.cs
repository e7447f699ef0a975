using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class KafkaClientLeaseTests
{
    private static KafkaConnection Connection(string name = "lease") =>
        new(name, new KafkaConnectionOptions { BootstrapServers = "localhost:1" });

    [Fact]
    public void The_registered_connection_borrows_the_cached_factory_and_releasing_the_lease_leaves_it_open()
    {
        using var cache = new KafkaClientCache();
        var registered = Connection();

        var lease = cache.Lease(registered, registered);
        lease.Dispose();

        Assert.False(lease.IsOwned);
        Assert.Same(cache.GetOrCreate(registered), lease.Factory);
        Assert.Same(lease.Factory, cache.Shared(registered, registered));
        Assert.Equal(1, cache.Count);
        Assert.NotNull(lease.Factory.AdminClient);
    }

    [Fact]
    public void A_connection_that_is_not_the_registered_object_owns_a_new_factory_and_releasing_disposes_it()
    {
        using var cache = new KafkaClientCache();
        var registered = Connection();
        var lookalike = Connection();

        var replaced = cache.Lease(lookalike, registered);
        var unregistered = cache.Lease(lookalike, null);
        replaced.Dispose();
        replaced.Dispose();

        Assert.True(replaced.IsOwned);
        Assert.True(unregistered.IsOwned);
        Assert.NotSame(replaced.Factory, unregistered.Factory);
        Assert.Null(cache.Shared(lookalike, registered));
        Assert.Equal(0, cache.Count);
        Assert.Throws<ObjectDisposedException>(() => replaced.Factory.AdminClient);
        Assert.Same(lookalike, unregistered.Factory.Connection);
        unregistered.Dispose();
        Assert.Throws<ObjectDisposedException>(() => unregistered.Factory.AdminClient);
    }
}
