using Confluent.Kafka;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Keeps librdkafka 2.15.1 from aborting the process (and with it the user's PowerShell session)
/// on admin paths that crash it, and turns "cannot talk to the cluster" into a specific error.
/// </summary>
/// <remarks>
/// <para>Reproduced against TestKit (IntegrationTests AdminAbortProbe, child process):</para>
/// <list type="bullet">
/// <item>ListConsumerGroups while no broker ever becomes usable (the client does not trust the
/// brokers' CA, or SASL authentication fails): heap corruption ("double free detected in tcache",
/// SIGSEGV) within a few calls. The admin request waits for a broker list through an enq-once
/// that every broker state change re-triggers.</item>
/// <item>A coordinator-targeted admin request (DescribeConsumerGroups, ListConsumerGroupOffsets,
/// and in librdkafka also Alter/DeleteConsumerGroupOffsets and DeleteConsumerGroups) whose
/// request timeout expires before its coordinator request was sent (FindCoordinator answered late,
/// or the coordinator was down and comes back), and ListConsumerGroups timing out while a broker is
/// down and then coming back: when the coordinator request finally fires,
/// librdkafka frees the request's enq-once and then uses it
/// (<c>rdkafka_queue.h:1086 rd_kafka_enq_once_del_source_return: Assertion 'eonce->refcnt &gt; 0'</c>,
/// or SIGSEGV). Upstream: confluentinc/librdkafka#4605 / #3663 (open), fix proposed in
/// confluentinc/librdkafka#5397 (not in a release as of 2.15.1).</item>
/// </list>
/// <para>Guards: (1) <see cref="ProveReachableAsync"/> — one metadata request before any group
/// listing or coordinator call, so that with a TLS, SASL or network failure no such admin request
/// is ever created; its failure becomes KafkaTlsFailed / KafkaAuthenticationFailed /
/// KafkaClusterUnreachable naming the bootstrap servers. (2) <see cref="AdminCallAsync{T}"/> —
/// gives the native admin request a timeout it cannot reach in practice
/// (<see cref="NativeAdminTimeout"/>) and enforces the caller's timeout on the .NET side, so
/// a slow or absent coordinator or broker can never make librdkafka time the request out first.</para>
/// <para>Not solved: ListConsumerGroups while a broker is down (fan-out to every known broker) still
/// corrupted librdkafka's heap in 1 of 4 guarded probe runs (unguarded: every run). The guard makes
/// it rarer; only a librdkafka fix (or not fanning out to a down broker) removes it.</para>
/// </remarks>
public static class ClusterReachabilityGuard
{
    /// <summary>The largest request timeout librdkafka accepts for an admin request (one hour).</summary>
    public static readonly TimeSpan NativeAdminTimeout = TimeSpan.FromHours(1);

    /// <summary>
    /// One metadata request (all topics) through the shared admin client: proof that the TLS
    /// handshake, SASL authentication and at least one broker work. Failures are terminating
    /// errors that say what went wrong (see <see cref="Explain"/>).
    /// </summary>
    public static async Task<Metadata> ProveReachableAsync(KafkaClientFactory factory, KafkaRetry retry, IOperationSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(sink);
        sink.Verbose($"Metadata (all topics) from {factory.BootstrapServers}.");
        return await new KafkaCalls(factory, sink, retry).RunAsync(
            new KafkaCall("Metadata", KafkaCallKind.Read, "read the cluster's metadata") { Report = KafkaCallReport.Explained },
            token => factory.GetMetadataAsync(null, token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The specific error for a failed call: KafkaTlsFailed or KafkaAuthenticationFailed when
    /// librdkafka reported a TLS or SASL failure on the way (the request itself only times out or
    /// finds no broker then), else what the failure maps to (e.g. KafkaClusterUnreachable,
    /// KafkaRequestTimedOut). Every message names the bootstrap servers; none carries a secret.
    /// </summary>
    public static KafkaCatalogException Explain(KafkaClientFactory factory, Exception failure, string action, object? target = null, KafkaCallKind kind = KafkaCallKind.Read)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(failure);
        var mapped = failure as KafkaCatalogException
            ?? KafkaErrors.FromException(failure, target, action, factory.BootstrapServers, kind);
        if (mapped.Is(ErrorCatalog.KafkaClusterUnreachable) || mapped.Is(ErrorCatalog.KafkaRequestTimedOut))
        {
            var refined = factory.Refine(KafkaRetry.ClusterUnreachable(factory.BootstrapServers, failure));
            if (!refined.Is(ErrorCatalog.KafkaClusterUnreachable))
            {
                return refined;
            }
        }

        // The one message for a cluster that does not answer: it names the servers and the timeout.
        return mapped.Is(ErrorCatalog.KafkaClusterUnreachable)
            ? factory.Refine(ClusterReachabilityCheck.Unreachable(factory, factory.RequestTimeout, failure))
            : mapped;
    }

    /// <summary>
    /// True for what <see cref="Explain"/> handles: a raw <see cref="KafkaException"/>, or a
    /// timeout / unreachable error already mapped by <see cref="KafkaRetry"/> (which a TLS or SASL
    /// failure looks like from the request's side).
    /// </summary>
    public static bool Explains(Exception failure) =>
        failure is KafkaException || (failure is KafkaCatalogException k && (k.Is(ErrorCatalog.KafkaClusterUnreachable) || k.Is(ErrorCatalog.KafkaRequestTimedOut)));

    /// <summary>
    /// Runs an admin call that librdkafka must never time out itself: the coordinator-targeted ones
    /// (DescribeConsumerGroups, ListConsumerGroupOffsets, AlterConsumerGroupOffsets,
    /// DeleteConsumerGroupOffsets, DeleteConsumerGroups) and ListConsumerGroups (which fans out to
    /// every broker and crashes the same way when one of them is down past the timeout):
    /// <paramref name="call"/> receives the native request timeout to put in its options
    /// (<see cref="NativeAdminTimeout"/>); the caller's <paramref name="timeout"/> is enforced
    /// here and surfaces as a <see cref="KafkaException"/> with <see cref="ErrorCode.Local_TimedOut"/>,
    /// as librdkafka's own timeout would. The abandoned native request finishes (or is dropped
    /// when the client is disposed) on its own.
    /// </summary>
    public static async Task<T> AdminCallAsync<T>(Func<TimeSpan, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var task = call(NativeAdminTimeout);
        try
        {
            return await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abandon(task);
            throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"No answer from the cluster within {timeout.TotalSeconds:0.#} s."));
        }
        catch (OperationCanceledException)
        {
            Abandon(task);
            throw;
        }
    }

    /// <summary>Observes the abandoned task's eventual failure so it is not reported as unobserved.</summary>
    internal static void Abandon(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
