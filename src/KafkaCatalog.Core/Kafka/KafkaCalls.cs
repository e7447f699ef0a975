using Confluent.Kafka;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>How the failures of a <see cref="KafkaCall"/> that no per-call mapper claims reach the user.</summary>
public enum KafkaCallReport
{
    /// <summary>
    /// A <see cref="KafkaException"/> through <see cref="KafkaErrors.FromException"/> with the call's
    /// target, action and kind; <see cref="KafkaRetry"/>'s KafkaClusterUnreachable as it is.
    /// </summary>
    Mapped,

    /// <summary>
    /// Through <see cref="ClusterReachabilityGuard.Explain"/>: a <see cref="KafkaException"/>, and a
    /// KafkaClusterUnreachable or KafkaRequestTimedOut, become KafkaTlsFailed /
    /// KafkaAuthenticationFailed when that is why, else the one unreachable message that names the
    /// bootstrap servers and the timeout.
    /// </summary>
    Explained,

    /// <summary>
    /// As <see cref="Explained"/>, but a KafkaClusterUnreachable is explained from librdkafka's own
    /// error, so its message keeps librdkafka's reason (Connect-KafkaCluster's DescribeCluster).
    /// </summary>
    ExplainedWithReason,
}

/// <summary>
/// One request of a Core service as its failures see it: <paramref name="Operation"/> names it in
/// retry messages, <paramref name="Kind"/> decides how freely it is retried, and
/// <paramref name="Action"/> ("delete topics a, b") and <paramref name="Target"/> go into its errors.
/// </summary>
public sealed record KafkaCall(string Operation, KafkaCallKind Kind, string Action, object? Target = null)
{
    /// <summary>How failures that <see cref="Map"/> does not claim are reported.</summary>
    public KafkaCallReport Report { get; init; }

    /// <summary>
    /// The call's own mapping of a <see cref="KafkaException"/> (Confluent's typed admin exceptions
    /// included, as they derive from it); null from it, or no mapper, falls back to <see cref="Report"/>.
    /// </summary>
    public Func<KafkaException, KafkaCatalogException?>? Map { get; init; }
}

/// <summary>
/// The one shape of a Core service's request: run through <see cref="KafkaRetry"/>'s pipeline for its
/// <see cref="KafkaCallKind"/>; a typed admin exception that carries an answer (per-item errors) turned
/// into the call's result by the caller's <c>recover</c>; any other <see cref="KafkaException"/> mapped by
/// the call's <see cref="KafkaCall.Map"/>, else as its <see cref="KafkaCall.Report"/> says. Cancellation
/// and every other exception pass through untouched.
/// </summary>
public sealed class KafkaCalls
{
    /// <summary>What a service's requests go through: <paramref name="factory"/>'s clients, <paramref name="sink"/> (none when null) and <paramref name="retry"/> (the default retry when null).</summary>
    public KafkaCalls(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        Factory = factory ?? throw new ArgumentNullException(nameof(factory));
        Sink = sink ?? NullOperationSink.Instance;
        Retry = retry ?? new KafkaRetry();
    }

    public KafkaClientFactory Factory { get; }

    public IOperationSink Sink { get; }

    public KafkaRetry Retry { get; }

    /// <summary>Runs <paramref name="request"/> as <paramref name="call"/>; its failures are terminating errors.</summary>
    public Task<T> RunAsync<T>(KafkaCall call, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken) =>
        RunAsync<T, KafkaException>(call, request, null, null, cancellationToken);

    /// <summary>Same as <see cref="RunAsync{T}"/> for a request without a result.</summary>
    public Task RunAsync(KafkaCall call, Func<CancellationToken, Task> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync<bool>(
            call,
            async token =>
            {
                await request(token).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="request"/> as <paramref name="call"/>. A <typeparamref name="TAdminException"/>
    /// (after the retries) that <paramref name="recoverWhen"/> accepts (all of them when it is null) is an
    /// answer, not a failure: <paramref name="recover"/> makes the result of it.
    /// </summary>
    public async Task<T> RunAsync<T, TAdminException>(
        KafkaCall call,
        Func<CancellationToken, Task<T>> request,
        Func<TAdminException, T>? recover,
        Func<TAdminException, bool>? recoverWhen,
        CancellationToken cancellationToken)
        where TAdminException : KafkaException
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await Retry.ExecuteAsync(call.Operation, call.Kind, Factory.BootstrapServers, request, Sink, cancellationToken).ConfigureAwait(false);
        }
        catch (TAdminException ex) when (recover is not null && (recoverWhen is null || recoverWhen(ex)))
        {
            return recover(ex);
        }
        catch (KafkaException ex)
        {
            throw Failure(call, ex);
        }
        catch (KafkaCatalogException ex) when (Explains(call.Report, ex))
        {
            // "Cannot reach the cluster" may really be a TLS or SASL failure: say which.
            var failure = call.Report == KafkaCallReport.ExplainedWithReason ? ex.InnerException ?? ex : ex;
            throw ClusterReachabilityGuard.Explain(Factory, failure, call.Action, call.Target, call.Kind);
        }
    }

    /// <summary>What a <see cref="KafkaException"/> of <paramref name="call"/> becomes.</summary>
    public KafkaCatalogException Failure(KafkaCall call, KafkaException exception)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(exception);
        return call.Map?.Invoke(exception) ?? (call.Report == KafkaCallReport.Mapped
            ? KafkaErrors.FromException(exception, call.Target, call.Action, Factory.BootstrapServers, call.Kind)
            : ClusterReachabilityGuard.Explain(Factory, exception, call.Action, call.Target, call.Kind));
    }

    private static bool Explains(KafkaCallReport report, KafkaCatalogException failure) => report switch
    {
        KafkaCallReport.Explained => ClusterReachabilityGuard.Explains(failure),
        KafkaCallReport.ExplainedWithReason => failure.Is(ErrorCatalog.KafkaClusterUnreachable),
        _ => false,
    };
}
