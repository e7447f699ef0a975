using Confluent.Kafka;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Tests.Kafka;

public class ClusterReachabilityGuardTests
{
    private static KafkaClientFactory Factory() => new(new KafkaConnection("guard", new KafkaConnectionOptions { BootstrapServers = "b1:9092,b2:9092" }));

    [Fact]
    public async Task Admin_calls_get_the_largest_native_timeout_librdkafka_accepts_and_their_result()
    {
        TimeSpan? native = null;

        var result = await ClusterReachabilityGuard.AdminCallAsync(n => { native = n; return Task.FromResult(42); }, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(TimeSpan.FromHours(1), native);
        Assert.Equal(TimeSpan.FromHours(1), ClusterReachabilityGuard.NativeAdminTimeout);
    }

    [Fact]
    public async Task The_callers_timeout_surfaces_as_librdkafkas_own_timeout_error()
    {
        var never = new TaskCompletionSource<int>();

        var ex = await Assert.ThrowsAsync<KafkaException>(() => ClusterReachabilityGuard.AdminCallAsync(_ => never.Task, TimeSpan.FromMilliseconds(20), CancellationToken.None));

        Assert.Equal(ErrorCode.Local_TimedOut, ex.Error.Code);
        Assert.True(KafkaRetry.IsClusterUnreachable(ex, KafkaCallKind.Read));
        never.SetException(new KafkaException(ErrorCode.Local_Destroy));
    }

    [Fact]
    public async Task Cancellation_stops_the_wait_and_a_failure_of_the_call_passes_through_unchanged()
    {
        using var cts = new CancellationTokenSource();
        var never = new TaskCompletionSource<int>();
        var waiting = ClusterReachabilityGuard.AdminCallAsync(_ => never.Task, TimeSpan.FromMinutes(5), cts.Token);
        await cts.CancelAsync();
        var failure = new KafkaException(new Error(ErrorCode.GroupAuthorizationFailed, "no"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        var passed = await Assert.ThrowsAsync<KafkaException>(() => ClusterReachabilityGuard.AdminCallAsync<int>(_ => Task.FromException<int>(failure), TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Same(failure, passed);
    }

    [Fact]
    public void Explains_raw_kafka_errors_and_mapped_timeouts_only()
    {
        Assert.True(ClusterReachabilityGuard.Explains(new KafkaException(ErrorCode.Local_TimedOut)));
        Assert.True(ClusterReachabilityGuard.Explains(KafkaRetry.ClusterUnreachable("b1:9092", null)));
        Assert.True(ClusterReachabilityGuard.Explains(new KafkaCatalogException("KafkaRequestTimedOut", FailureKind.OperationTimeout, "slow", null)));
        Assert.False(ClusterReachabilityGuard.Explains(new KafkaCatalogException("TopicNotFound", FailureKind.ObjectNotFound, "no", "t")));
        Assert.False(ClusterReachabilityGuard.Explains(new InvalidOperationException()));
    }

    [Fact]
    public void Without_a_tls_or_sasl_failure_on_record_errors_keep_their_own_mapping()
    {
        using var factory = Factory();

        var unreachable = ClusterReachabilityGuard.Explain(factory, new KafkaException(ErrorCode.Local_TimedOut), "describe configs");
        var denied = ClusterReachabilityGuard.Explain(factory, new KafkaException(new Error(ErrorCode.TopicAuthorizationFailed, "denied")), "describe configs", "orders");
        var write = ClusterReachabilityGuard.Explain(factory, new KafkaException(ErrorCode.Local_TimedOut), "change the configs of topic 'orders'", "orders", KafkaCallKind.IdempotentWrite);

        Assert.Equal("KafkaClusterUnreachable", unreachable.ErrorId);
        Assert.Contains("b1:9092,b2:9092", unreachable.Message);
        Assert.Contains("no broker answered within 30 s", unreachable.Message);
        Assert.Contains("Check that the brokers are running", unreachable.Message);
        Assert.Equal("KafkaAuthorizationFailed", denied.ErrorId);
        Assert.Equal("KafkaRequestTimedOut", write.ErrorId);
    }

    [Fact]
    public void An_unreachable_cluster_mapped_elsewhere_gets_the_message_that_names_servers_and_timeout()
    {
        using var factory = new KafkaClientFactory(new KafkaConnection("guard", new KafkaConnectionOptions { BootstrapServers = "b1:9092", RequestTimeout = TimeSpan.FromSeconds(7) }));

        var fromRetry = ClusterReachabilityGuard.Explain(factory, KafkaRetry.ClusterUnreachable("b1:9092", new KafkaException(ErrorCode.Local_AllBrokersDown)), "list topics");
        var raw = ClusterReachabilityGuard.Explain(factory, new KafkaException(ErrorCode.Local_Transport), "describe the cluster");

        foreach (var error in new[] { fromRetry, raw })
        {
            Assert.Equal("KafkaClusterUnreachable", error.ErrorId);
            Assert.Equal(FailureKind.ConnectionError, error.Kind);
            Assert.Contains("b1:9092", error.Message);
            Assert.Contains("within 7 s", error.Message);
        }
    }
}
