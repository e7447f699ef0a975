using System.Collections;
using Confluent.Kafka;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka;
using Polly;
using Polly.Retry;

namespace KafkaCatalog.Core.Resilience;

/// <summary>What a Kafka call does to the cluster; decides how freely it may be retried.</summary>
public enum KafkaCallKind
{
    /// <summary>Metadata, describe, list offsets: safe to repeat.</summary>
    Read,

    /// <summary>A write whose repetition leaves the same state (alter configs to a value, delete offsets).</summary>
    IdempotentWrite,

    /// <summary>A write that fails differently when repeated (create topics, add partitions, delete topics):
    /// retried only when the error proves the cluster did not apply it.</summary>
    NonIdempotentWrite,
}

/// <summary>Bounds of the retry: attempts in total (first call included) and the backoff.</summary>
public sealed record KafkaRetryOptions
{
    public static KafkaRetryOptions Default { get; } = new();

    public int MaxAttempts { get; init; } = 4;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
    public bool UseJitter { get; init; } = true;
}

/// <summary>
/// The one place that decides which Kafka errors are transient and how Kafka calls are retried
/// (Polly.Core: bounded attempts, exponential backoff with jitter). A cluster that cannot be
/// reached at all becomes a single terminating <see cref="KafkaCatalogException"/>
/// "KafkaClusterUnreachable" naming the bootstrap servers.
/// </summary>
public sealed class KafkaRetry
{
    // Broker answers that say "not now, ask again": leadership or coordinator moving, a broker
    // busy or restarting. RequestTimedOut is among them but does not prove a write was not applied.
    private static readonly HashSet<ErrorCode> TransientCodes =
    [
        ErrorCode.RequestTimedOut,
        ErrorCode.NotController,
        ErrorCode.LeaderNotAvailable,
        ErrorCode.NotLeaderForPartition,
        ErrorCode.BrokerNotAvailable,
        ErrorCode.ReplicaNotAvailable,
        ErrorCode.GroupLoadInProgress,
        ErrorCode.GroupCoordinatorNotAvailable,
        ErrorCode.NotCoordinatorForGroup,
        ErrorCode.NetworkException,
        ErrorCode.NotEnoughReplicas,
        ErrorCode.NotEnoughReplicasAfterAppend,
        ErrorCode.KafkaStorageError,
        ErrorCode.FetchSessionIdNotFound,
        ErrorCode.OffsetNotAvailable,
        ErrorCode.PreferredLeaderNotAvailable,
        ErrorCode.EligibleLeadersNotAvailable,
        ErrorCode.FencedLeaderEpoch,
        ErrorCode.UnknownLeaderEpoch,
        ErrorCode.UnstableOffsetCommit,
        ErrorCode.ThrottlingQuotaExceeded,
        ErrorCode.ConcurrentTransactions,
        ErrorCode.Local_Transport,
        ErrorCode.Local_TimedOut,
        ErrorCode.Local_TimedOutQueue,
        ErrorCode.Local_AllBrokersDown,
        ErrorCode.Local_WaitCoord,
        ErrorCode.Local_WaitCache,
        ErrorCode.Local_Retry,
        ErrorCode.Local_Resolve,
    ];

    // Answers given before the request was acted on: the receiving broker refused to handle it.
    private static readonly HashSet<ErrorCode> NotAppliedCodes =
    [
        ErrorCode.NotController,
        ErrorCode.LeaderNotAvailable,
        ErrorCode.NotLeaderForPartition,
        ErrorCode.GroupLoadInProgress,
        ErrorCode.GroupCoordinatorNotAvailable,
        ErrorCode.NotCoordinatorForGroup,
        ErrorCode.ThrottlingQuotaExceeded,
        ErrorCode.Local_WaitCoord,
        ErrorCode.Local_WaitCache,
        ErrorCode.Local_AllBrokersDown,
        ErrorCode.Local_Resolve,
    ];

    // The client could not talk to the cluster at all.
    private static readonly HashSet<ErrorCode> UnreachableCodes =
    [
        ErrorCode.Local_Transport,
        ErrorCode.Local_AllBrokersDown,
        ErrorCode.Local_Resolve,
        ErrorCode.Local_TimedOut,
    ];

    private static readonly ResiliencePropertyKey<string> OperationKey = new("KafkaCatalog.Operation");
    private static readonly ResiliencePropertyKey<IOperationSink> SinkKey = new("KafkaCatalog.Sink");

    private readonly KafkaRetryOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline?[] _pipelines = new ResiliencePipeline?[Enum.GetValues<KafkaCallKind>().Length];

    public KafkaRetry(KafkaRetryOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? KafkaRetryOptions.Default;
        if (_options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxAttempts must be at least 1.");
        }

        _time = timeProvider ?? TimeProvider.System;
    }

    public KafkaRetryOptions Options => _options;

    public static bool IsTransient(ErrorCode code) => TransientCodes.Contains(code);

    /// <summary>True when the error proves the cluster did not apply the request.</summary>
    public static bool ProvesNotApplied(ErrorCode code) => NotAppliedCodes.Contains(code);

    /// <summary>True when the error means the client could not reach the cluster.</summary>
    public static bool IsUnreachable(ErrorCode code) => UnreachableCodes.Contains(code);

    /// <summary>
    /// The error codes an exception carries: a <see cref="KafkaException"/>'s code, or, for
    /// Confluent's admin exceptions, the codes of every failed item in its Results.
    /// </summary>
    public static IReadOnlyList<ErrorCode> ErrorCodesOf(Exception exception)
    {
        var codes = new List<ErrorCode>();
        var report = exception.GetType().GetProperty("Results")?.GetValue(exception);

        // Most admin exceptions hold a list of per-item reports; a few hold one report with a list inside.
        var results = report as IEnumerable ?? report?.GetType().GetProperties()
            .Where(p => p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))
            .Select(p => p.GetValue(report) as IEnumerable)
            .FirstOrDefault(e => e is not null);
        if (results is not null)
        {
            foreach (var item in results)
            {
                if (item?.GetType().GetProperty("Error")?.GetValue(item) is Error { IsError: true } itemError)
                {
                    codes.Add(itemError.Code);
                }
            }
        }

        if (codes.Count == 0 && exception is KafkaException kafka && kafka.Error.IsError)
        {
            codes.Add(kafka.Error.Code);
        }

        return codes;
    }

    /// <summary>Whether a failure of a call of <paramref name="kind"/> may be retried.</summary>
    public static bool ShouldRetry(Exception exception, KafkaCallKind kind)
    {
        var codes = ErrorCodesOf(exception);
        if (codes.Count == 0)
        {
            return false;
        }

        // librdkafka already keeps reconnecting to every bootstrap broker for the whole request
        // timeout; another attempt would only multiply the wait for a dead cluster.
        if (codes.Any(c => c is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve))
        {
            return false;
        }

        return kind switch
        {
            KafkaCallKind.NonIdempotentWrite => codes.All(ProvesNotApplied),
            _ => codes.All(IsTransient) && !codes.Contains(ErrorCode.Local_TimedOut),
        };
    }

    /// <summary>
    /// Runs <paramref name="call"/> with retries fit for <paramref name="kind"/>. A call that
    /// could not reach the cluster ends in KafkaClusterUnreachable naming
    /// <paramref name="bootstrapServers"/>; other failures are rethrown as they are.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(
        string operation,
        KafkaCallKind kind,
        string bootstrapServers,
        Func<CancellationToken, Task<T>> call,
        IOperationSink? sink,
        CancellationToken cancellationToken)
    {
        sink ??= NullOperationSink.Instance;
        var pipeline = PipelineFor(kind);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(OperationKey, operation);
        context.Properties.Set(SinkKey, sink);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        // Ctrl+C ends the wait at once, even for a native call that cannot be interrupted.
                        return Outcome.FromResult(await NativeCallGate.Abandonable(state(ctx.CancellationToken), ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<T>(ex);
                    }
                },
                context,
                call).ConfigureAwait(false);
            if (outcome.Exception is { } failure)
            {
                if (failure is not KafkaCatalogException && IsClusterUnreachable(failure, kind))
                {
                    throw ClusterUnreachable(bootstrapServers, failure);
                }

                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }

            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Same as <see cref="ExecuteAsync{T}"/> for calls without a result.</summary>
    public Task ExecuteAsync(
        string operation,
        KafkaCallKind kind,
        string bootstrapServers,
        Func<CancellationToken, Task> call,
        IOperationSink? sink,
        CancellationToken cancellationToken) =>
        ExecuteAsync<bool>(
            operation,
            kind,
            bootstrapServers,
            async token =>
            {
                await call(token).ConfigureAwait(false);
                return true;
            },
            sink,
            cancellationToken);

    /// <summary>
    /// True when the failure means nothing answered: transport errors or all brokers down, and,
    /// for reads, a timeout (a write that timed out may have been applied, so it is not
    /// reported as "unreachable").
    /// </summary>
    public static bool IsClusterUnreachable(Exception exception, KafkaCallKind kind)
    {
        var codes = ErrorCodesOf(exception);
        if (codes.Count == 0)
        {
            return false;
        }

        return codes.All(c => c is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve
            || (c == ErrorCode.Local_TimedOut && kind == KafkaCallKind.Read));
    }

    public static KafkaCatalogException ClusterUnreachable(string bootstrapServers, Exception? inner) =>
        new(
            ErrorCatalog.KafkaClusterUnreachable,
            $"Cannot reach the Kafka cluster at {bootstrapServers}" +
            (inner is KafkaException k ? $" ({k.Error.Reason})" : string.Empty) +
            ". Check that the brokers are running and reachable from here, the bootstrap servers and security settings of the connection, or raise -TimeoutSec.",
            bootstrapServers,
            inner);

    // One pipeline per call kind, built on first use: building (and validating) a Polly pipeline
    // costs far more than a Kafka call's own work, and lag over 1,000 groups makes 2,000 calls.
    private ResiliencePipeline PipelineFor(KafkaCallKind kind)
    {
        var index = (int)kind;
        return Volatile.Read(ref _pipelines[index]) ?? Interlocked.CompareExchange(ref _pipelines[index], BuildPipeline(kind), null) ?? _pipelines[index]!;
    }

    private ResiliencePipeline BuildPipeline(KafkaCallKind kind)
    {
        if (_options.MaxAttempts == 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = _options.UseJitter,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && ShouldRetry(ex, kind)),
                OnRetry = args =>
                {
                    var codes = args.Outcome.Exception is { } ex ? string.Join(", ", ErrorCodesOf(ex)) : "unknown";
                    var operation = args.Context.Properties.GetValue(OperationKey, "Kafka call");
                    var sink = args.Context.Properties.GetValue(SinkKey, NullOperationSink.Instance);
                    sink.Verbose($"{operation}: transient error ({codes}); retry {args.AttemptNumber + 1} of {_options.MaxAttempts - 1} in {args.RetryDelay.TotalMilliseconds:0} ms.");
                    return default;
                },
            })
            .Build();
    }
}
