using Confluent.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

/// <summary>The consumer-group retry rules (Resilience/GroupRetry), each with the calls it makes counted.</summary>
public class GroupRetryTests
{
    [Fact]
    public async Task Ask_again_calls_once_when_the_broker_answered()
    {
        var calls = 0;
        var asked = 0;
        var answer = await GroupRetry.AskAgainAsync(() => Task.FromResult(++calls), _ => false, () => asked++);
        Assert.Equal((1, 1, 0), (answer, calls, asked));
    }

    [Fact]
    public async Task Ask_again_calls_a_second_time_only_and_returns_that_answer()
    {
        var calls = 0;
        var asked = 0;
        var answer = await GroupRetry.AskAgainAsync(() => Task.FromResult(++calls), _ => true, () => asked++);
        Assert.Equal((2, 2, 1), (answer, calls, asked));
    }

    [Fact]
    public async Task One_by_one_asks_alone_only_for_the_items_that_failed_transiently_and_keeps_order()
    {
        var alone = new List<string>();
        var batch = new[] { "ok-1", "bad-2", "ok-3", "bad-4" };
        var result = await GroupRetry.OneByOneAsync(batch, s => s.StartsWith("bad", StringComparison.Ordinal), s =>
        {
            alone.Add(s);
            return Task.FromResult(s.Replace("bad", "fixed", StringComparison.Ordinal));
        });
        Assert.Equal(["ok-1", "fixed-2", "ok-3", "fixed-4"], result);
        Assert.Equal(["bad-2", "bad-4"], alone);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public async Task One_by_one_leaves_a_single_item_or_a_clean_batch_alone(int failing)
    {
        var batch = failing == 1 ? new[] { "bad" } : new[] { "ok-1", "ok-2" };
        var result = await GroupRetry.OneByOneAsync(batch, s => s.StartsWith("bad", StringComparison.Ordinal), _ => throw new InvalidOperationException("asked alone"));
        Assert.Same(batch, result);
    }

    [Fact]
    public async Task Until_answered_stops_at_the_first_good_answer()
    {
        var attempts = new List<int>();
        var answer = await GroupRetry.UntilAnsweredAsync(n =>
        {
            attempts.Add(n);
            return Task.FromResult(n < 2 ? ErrorCode.NotCoordinatorForGroup : ErrorCode.NoError);
        }, GroupRetry.IsCoordinatorTrouble, maxAttempts: 4, null, CancellationToken.None);
        Assert.Equal(ErrorCode.NoError, answer);
        Assert.Equal([1, 2], attempts);
    }

    [Fact]
    public async Task Until_answered_returns_the_last_answer_after_max_attempts()
    {
        var retries = new List<int>();
        var calls = 0;
        var answer = await GroupRetry.UntilAnsweredAsync(_ =>
        {
            calls++;
            return Task.FromResult(ErrorCode.GroupCoordinatorNotAvailable);
        }, GroupRetry.IsCoordinatorTrouble, maxAttempts: 2, (_, next) => retries.Add(next), CancellationToken.None);
        Assert.Equal(ErrorCode.GroupCoordinatorNotAvailable, answer);
        Assert.Equal(2, calls);
        Assert.Equal([2], retries);
    }

    [Fact]
    public async Task Within_budget_runs_another_round_after_broker_churn()
    {
        var rounds = 0;
        var answer = await GroupRetry.WithinBudgetAsync(_ =>
        {
            rounds++;
            return rounds == 1 ? throw new KafkaException(ErrorCode.Local_Transport) : Task.FromResult("listed");
        }, TimeSpan.FromSeconds(30), maxAttempts: 4, null, CancellationToken.None);
        Assert.Equal(("listed", 2), (answer, rounds));
    }

    [Fact]
    public async Task Within_budget_throws_a_timeout_at_once()
    {
        var rounds = 0;
        var ex = await Assert.ThrowsAsync<KafkaException>(() => GroupRetry.WithinBudgetAsync<string>(_ =>
        {
            rounds++;
            throw new KafkaException(ErrorCode.Local_TimedOut);
        }, TimeSpan.FromSeconds(30), maxAttempts: 4, null, CancellationToken.None));
        Assert.Equal(ErrorCode.Local_TimedOut, ex.Error.Code);
        Assert.Equal(1, rounds);
    }

    [Fact]
    public void Transient_or_same_carries_a_transient_error_to_the_retry_policy_and_keeps_any_other()
    {
        var original = new InvalidOperationException("per-group failure");
        var transient = GroupRetry.TransientOrSame(original, [new Error(ErrorCode.NoError), new Error(ErrorCode.NotCoordinatorForGroup)]);
        Assert.Equal(ErrorCode.NotCoordinatorForGroup, Assert.IsType<KafkaException>(transient).Error.Code);
        Assert.Same(original, GroupRetry.TransientOrSame(original, [new Error(ErrorCode.NotCoordinatorForGroup), new Error(ErrorCode.GroupAuthorizationFailed)]));
        Assert.Same(original, GroupRetry.TransientOrSame(original, [null, new Error(ErrorCode.NoError)]));
    }

    [Fact]
    public void A_result_is_a_value_or_an_error()
    {
        var ok = GroupResult<string>.Success("g");
        var failed = GroupResult<string>.Failure(new KafkaCatalogException("ConsumerGroupNotFound", FailureKind.ObjectNotFound, "gone", "g"));
        Assert.Equal((true, "g", null), (ok.IsSuccess, ok.Value, ok.Error));
        Assert.Equal((false, null), (failed.IsSuccess, failed.Value));
        Assert.Equal("ConsumerGroupNotFound", failed.Error!.ErrorId);
    }
}
