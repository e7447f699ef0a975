using System.Collections.Concurrent;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// The proof, once per command invocation and cluster, that the cluster answers, made before any
/// per-item work: one brokers-only DescribeCluster request, not retried, bounded by one request
/// timeout on the .NET side. A cluster that does not answer is one terminating
/// KafkaClusterUnreachable (or KafkaTlsFailed / KafkaAuthenticationFailed when that is why) naming
/// the bootstrap servers and the timeout, instead of one timeout per pipeline item
/// (<c>Import-Csv topics.csv | New-KafkaTopic</c> against a stopped cluster). A per-item
/// KafkaRequestTimedOut is then only reported by a cluster that answered this proof.
/// </summary>
/// <remarks>
/// The request goes through <see cref="ClusterReachabilityGuard.AdminCallAsync{T}"/>, so librdkafka
/// never times it out itself; an abandoned proof (timeout, Ctrl+C) finishes on its own or is
/// dropped with the client. Any answer proves the cluster reachable, an error answer included
/// (an old broker without DescribeCluster, a principal without Describe on the cluster).
/// </remarks>
public sealed class ClusterReachabilityCheck
{
    private readonly ConcurrentDictionary<KafkaClientFactory, Lazy<Task>> _proofs = new(ReferenceEqualityComparer.Instance);

    /// <summary>Proofs started so far (one per factory unless one was cancelled).</summary>
    public int ProofCount => _proofs.Count;

    /// <summary>
    /// Completes when <paramref name="factory"/>'s cluster has answered; the first call for a factory
    /// sends the request, later ones share its outcome. Cancelling <paramref name="cancellationToken"/>
    /// ends the wait at once.
    /// </summary>
    /// <exception cref="KafkaCatalogException">KafkaClusterUnreachable, KafkaTlsFailed, KafkaAuthenticationFailed.</exception>
    public Task EnsureAsync(KafkaClientFactory factory, IOperationSink? sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        cancellationToken.ThrowIfCancellationRequested();
        var proof = _proofs.GetOrAdd(factory, f => new Lazy<Task>(() => ProveAsync(f, sink ?? NullOperationSink.Instance), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        return NativeCallGate.Abandonable(AsBool(proof), cancellationToken);
    }

    /// <summary>
    /// Sends one DescribeCluster and waits one request timeout for its answer (never under the
    /// caller's token: a proof another record of the pipeline waits for must not be cancelled by one
    /// caller; it is bounded by the timeout anyway).
    /// </summary>
    public static async Task ProveAsync(KafkaClientFactory factory, IOperationSink sink)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(sink);
        var timeout = factory.RequestTimeout;
        sink.Verbose($"Checking that the Kafka cluster at {factory.BootstrapServers} answers (DescribeCluster, at most {Seconds(timeout)} s).");
        try
        {
            // A refused login or TLS handshake ends the proof when librdkafka reports it, not a timeout later.
            var securityError = factory.NextSecurityErrorAsync();
            var describe = ClusterReachabilityGuard.AdminCallAsync(
                nativeTimeout => factory.AdminClient.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = nativeTimeout }),
                timeout,
                CancellationToken.None);
            if (await Task.WhenAny(describe, securityError).ConfigureAwait(false) != describe)
            {
                // Refine names what librdkafka reported (KafkaAuthenticationFailed / KafkaTlsFailed), redacted.
                ClusterReachabilityGuard.Abandon(describe);
                throw factory.Refine(Unreachable(factory, timeout, null));
            }

            var cluster = await describe.ConfigureAwait(false);
            factory.Connection.ClusterId ??= cluster.ClusterId;
            sink.Verbose($"The cluster {cluster.ClusterId} answered ({cluster.Nodes.Count} brokers).");
        }
        catch (KafkaException ex) when (NoAnswer(ex.Error.Code))
        {
            throw factory.Refine(Unreachable(factory, timeout, ex));
        }
        catch (KafkaException ex) when (ex.Error.Code is ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication or ErrorCode.Local_Ssl)
        {
            throw KafkaErrors.FromException(ex, factory.BootstrapServers, "reach the cluster", factory.BootstrapServers, Resilience.KafkaCallKind.Read);
        }
        catch (KafkaException ex)
        {
            // An error answer is an answer: the brokers are there.
            sink.Verbose($"The cluster at {factory.BootstrapServers} answered DescribeCluster with {ex.Error.Code}; it is reachable.");
        }
    }

    /// <summary>The terminating error for a cluster that did not answer within <paramref name="timeout"/>.</summary>
    public static KafkaCatalogException Unreachable(KafkaClientFactory factory, TimeSpan timeout, Exception? inner)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var reason = inner is KafkaException { Error.Code: not ErrorCode.Local_TimedOut } k ? $" ({factory.Redact(k.Error.Reason)})" : string.Empty;
        return new KafkaCatalogException(
            ErrorCatalog.KafkaClusterUnreachable,
            $"Cannot reach the Kafka cluster at {factory.BootstrapServers}: no broker answered within {Seconds(timeout)} s{reason}. " +
            $"Check that the brokers are running and reachable from here (host names, ports, firewalls), and the bootstrap servers and security settings of connection '{factory.Connection.Name}'; or raise -TimeoutSec. Nothing was changed.",
            factory.BootstrapServers,
            inner);
    }

    private static bool NoAnswer(ErrorCode code) =>
        code is ErrorCode.Local_TimedOut or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve or ErrorCode.Local_TimedOutQueue;

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static async Task<bool> AsBool(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }
}
