using Confluent.Kafka;

namespace KafkaCatalog.Core.Resilience;

/// <summary>
/// The retry rules of the consumer-group calls, written once (the request-level policy is
/// <see cref="KafkaRetry"/>; these handle what it cannot see: per-group answers inside a call that
/// succeeded, and a batch that one dead coordinator holds up).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Ask again</b> (<see cref="AskAgainAsync{T}"/>): a broker that just went down fails the first
/// call that reaches it (FindCoordinator may pick it); by the second attempt librdkafka knows and asks a
/// live one. Used for the committed offsets of a group (OffsetFetch).</item>
/// <item><b>Describe one by one</b> (<see cref="OneByOneAsync{T}"/>): one DescribeConsumerGroups waits
/// for every group's coordinator, so one dead broker fails the whole batch; the groups that failed
/// transiently are asked again alone, so that the live coordinators still answer.</item>
/// <item><b>Until the coordinator answers</b> (<see cref="UntilAnsweredAsync{T}"/>): a per-group error
/// saying the coordinator is moving or restarting is asked again a bounded number of times, with a
/// growing delay. Used when one group is described for a reset or a removal.</item>
/// <item><b>Another round on broker churn</b> (<see cref="WithinBudgetAsync{T}"/>): a ListGroups round that
/// a broker stopping mid-round failed is run again while the caller's budget allows.</item>
/// </list>
/// </remarks>
public static class GroupRetry
{
    /// <summary>Base delay between two "until the coordinator answers" attempts (times the attempt number).</summary>
    public static readonly TimeSpan CoordinatorRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Delay before another ListGroups round.</summary>
    public static readonly TimeSpan ListRetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>The shortest ListGroups round worth starting.</summary>
    public static readonly TimeSpan MinListRound = TimeSpan.FromMilliseconds(500);

    /// <summary>A per-group answer that says the group's coordinator is moving or could not be reached (worth asking again).</summary>
    public static bool IsCoordinatorTrouble(ErrorCode code) =>
        code is ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.GroupLoadInProgress
            or ErrorCode.Local_Transport or ErrorCode.Local_TimedOut or ErrorCode.Local_TimedOutQueue or ErrorCode.Local_WaitCoord
            or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_DestroyBroker or ErrorCode.NetworkException or ErrorCode.RequestTimedOut;

    /// <summary>A per-group error in a batch answer that asking for the group alone may cure.</summary>
    public static bool IsWorthAskingAlone(ErrorCode code) => KafkaRetry.IsTransient(code) || KafkaRetry.IsUnreachable(code);

    /// <summary>A broker connection that broke or a coordinator moving: the next round may well succeed.</summary>
    public static bool IsBrokerChurn(ErrorCode code) =>
        code is ErrorCode.Local_Transport or ErrorCode.Local_DestroyBroker or ErrorCode.Local_Partial or ErrorCode.NetworkException
        || (KafkaRetry.IsTransient(code) && code is not (ErrorCode.Local_TimedOut or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve));

    /// <summary>
    /// Runs <paramref name="call"/>; when its answer says a broker did not answer, tells
    /// <paramref name="onAskAgain"/> and runs it once more, returning the second answer.
    /// </summary>
    public static async Task<T> AskAgainAsync<T>(Func<Task<T>> call, Func<T, bool> brokerDidNotAnswer, Action? onAskAgain = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(brokerDidNotAnswer);
        var first = await call().ConfigureAwait(false);
        if (!brokerDidNotAnswer(first))
        {
            return first;
        }

        onAskAgain?.Invoke();
        return await call().ConfigureAwait(false);
    }

    /// <summary>
    /// When a batch answer of more than one item has items that <paramref name="failedTransiently"/>,
    /// asks for each of those alone through <paramref name="single"/> (which returns the new answer, or
    /// the old one when it cannot do better); the others are kept. Order is kept.
    /// </summary>
    public static async Task<IReadOnlyList<T>> OneByOneAsync<T>(IReadOnlyList<T> batch, Func<T, bool> failedTransiently, Func<T, Task<T>> single)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count <= 1 || !batch.Any(failedTransiently))
        {
            return batch;
        }

        var result = new List<T>(batch.Count);
        foreach (var item in batch)
        {
            result.Add(failedTransiently(item) ? await single(item).ConfigureAwait(false) : item);
        }

        return result;
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (given the attempt number) until its answer is not
    /// <paramref name="worthAskingAgain"/> or <paramref name="maxAttempts"/> were made, waiting
    /// <see cref="CoordinatorRetryDelay"/> times the attempt number in between; returns the last answer.
    /// </summary>
    public static async Task<T> UntilAnsweredAsync<T>(
        Func<int, Task<T>> attempt,
        Func<T, bool> worthAskingAgain,
        int maxAttempts,
        Action<T, int>? onRetry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var n = 1; ; n++)
        {
            var answer = await attempt(n).ConfigureAwait(false);
            if (!worthAskingAgain(answer) || n >= maxAttempts)
            {
                return answer;
            }

            onRetry?.Invoke(answer, n + 1);
            await Task.Delay(CoordinatorRetryDelay * n, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="round"/> (given the time left, at least <see cref="MinListRound"/>) again after a
    /// <see cref="KafkaException"/> that <see cref="IsBrokerChurn"/>, while attempts and <paramref name="budget"/>
    /// allow; any other failure, or the last one, is thrown.
    /// </summary>
    public static async Task<T> WithinBudgetAsync<T>(
        Func<TimeSpan, Task<T>> round,
        TimeSpan budget,
        int maxAttempts,
        Action<KafkaException, int>? onRetry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        TimeSpan Left() => budget - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        for (var attempt = 1; ; attempt++)
        {
            var remaining = Left();
            try
            {
                return await round(remaining > MinListRound ? remaining : MinListRound).ConfigureAwait(false);
            }
            catch (KafkaException ex) when (IsBrokerChurn(ex.Error.Code) && attempt < maxAttempts && Left() > MinListRound + ListRetryDelay)
            {
                onRetry?.Invoke(ex, attempt + 1);
                await Task.Delay(ListRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// When every error of a per-group admin exception is transient, a <see cref="KafkaException"/>
    /// carrying it (so that <see cref="KafkaRetry"/> sees it); otherwise the original exception.
    /// </summary>
    public static Exception TransientOrSame(Exception original, IEnumerable<Error?> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var failed = errors.Where(e => e is { IsError: true }).Select(e => e!).ToList();
        return failed.Count > 0 && failed.All(e => KafkaRetry.IsTransient(e.Code)) ? new KafkaException(failed[0]) : original;
    }
}
