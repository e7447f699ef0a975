using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Tests.Kafka;

public class KafkaRetryTests
{
    private static readonly KafkaRetry FastRetry = new(new KafkaRetryOptions { MaxAttempts = 4, BaseDelay = TimeSpan.Zero, UseJitter = false });

    private static KafkaException Error(ErrorCode code) => new(new Error(code, "test"));

    [Theory]
    [InlineData(ErrorCode.RequestTimedOut)]
    [InlineData(ErrorCode.NotController)]
    [InlineData(ErrorCode.LeaderNotAvailable)]
    [InlineData(ErrorCode.NotLeaderForPartition)]
    [InlineData(ErrorCode.GroupLoadInProgress)]
    [InlineData(ErrorCode.GroupCoordinatorNotAvailable)]
    [InlineData(ErrorCode.NotCoordinatorForGroup)]
    [InlineData(ErrorCode.NetworkException)]
    [InlineData(ErrorCode.Local_Transport)]
    [InlineData(ErrorCode.Local_TimedOut)]
    public void Known_transient_errors(ErrorCode code) => Assert.True(KafkaRetry.IsTransient(code));

    [Theory]
    [InlineData(ErrorCode.TopicAlreadyExists)]
    [InlineData(ErrorCode.InvalidReplicationFactor)]
    [InlineData(ErrorCode.InvalidConfig)]
    [InlineData(ErrorCode.TopicAuthorizationFailed)]
    [InlineData(ErrorCode.SaslAuthenticationFailed)]
    [InlineData(ErrorCode.UnknownTopicOrPart)]
    public void Permanent_errors_are_not_transient(ErrorCode code) => Assert.False(KafkaRetry.IsTransient(code));

    [Fact]
    public async Task Transient_read_failure_is_retried_until_it_succeeds()
    {
        var attempts = 0;
        var sink = new RecordingSink();
        var result = await FastRetry.ExecuteAsync("Metadata", KafkaCallKind.Read, "b:9092", _ =>
        {
            attempts++;
            return attempts < 3 ? throw Error(ErrorCode.LeaderNotAvailable) : Task.FromResult(42);
        }, sink, CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
        Assert.Equal(2, sink.Verbose.Count(v => v.Contains("retry", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Attempts_are_bounded()
    {
        var attempts = 0;
        var ex = await Assert.ThrowsAsync<KafkaException>(() => FastRetry.ExecuteAsync<int>("Metadata", KafkaCallKind.Read, "b:9092", _ =>
        {
            attempts++;
            throw Error(ErrorCode.NotController);
        }, null, CancellationToken.None));

        Assert.Equal(4, attempts);
        Assert.Equal(ErrorCode.NotController, ex.Error.Code);
    }

    [Fact]
    public async Task Permanent_failure_is_not_retried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<KafkaException>(() => FastRetry.ExecuteAsync<int>("CreateTopics", KafkaCallKind.Read, "b:9092", _ =>
        {
            attempts++;
            throw Error(ErrorCode.TopicAuthorizationFailed);
        }, null, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Non_idempotent_write_that_timed_out_is_not_retried()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<KafkaException>(() => FastRetry.ExecuteAsync<int>("CreateTopics", KafkaCallKind.NonIdempotentWrite, "b:9092", _ =>
        {
            attempts++;
            throw Error(ErrorCode.RequestTimedOut);
        }, null, CancellationToken.None));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Non_idempotent_write_refused_by_a_non_controller_is_retried()
    {
        var attempts = 0;
        var result = await FastRetry.ExecuteAsync("CreateTopics", KafkaCallKind.NonIdempotentWrite, "b:9092", _ =>
        {
            attempts++;
            return attempts == 1 ? throw Error(ErrorCode.NotController) : Task.FromResult("ok");
        }, null, CancellationToken.None);

        Assert.Equal("ok", result);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Create_topics_is_retried_only_when_every_item_proves_nothing_was_created()
    {
        var attempts = 0;
        var mixed = new CreateTopicsException(
        [
            new CreateTopicReport { Topic = "a", Error = new Error(ErrorCode.NotController) },
            new CreateTopicReport { Topic = "b", Error = new Error(ErrorCode.RequestTimedOut) },
        ]);
        await Assert.ThrowsAsync<CreateTopicsException>(() => FastRetry.ExecuteAsync<int>("CreateTopics", KafkaCallKind.NonIdempotentWrite, "b:9092", _ =>
        {
            attempts++;
            throw mixed;
        }, null, CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal(new[] { ErrorCode.NotController, ErrorCode.RequestTimedOut }, KafkaRetry.ErrorCodesOf(mixed));
    }

    [Theory]
    [InlineData(ErrorCode.Local_Transport)]
    [InlineData(ErrorCode.Local_AllBrokersDown)]
    [InlineData(ErrorCode.Local_TimedOut)]
    public async Task Dead_cluster_is_one_terminating_error_naming_the_bootstrap_servers(ErrorCode code)
    {
        var attempts = 0;
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => FastRetry.ExecuteAsync<int>("Metadata", KafkaCallKind.Read, "broker1:9092,broker2:9092", _ =>
        {
            attempts++;
            throw Error(code);
        }, null, CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal("KafkaClusterUnreachable", ex.ErrorId);
        Assert.Equal(FailureKind.ConnectionError, ex.Kind);
        Assert.StartsWith("Cannot reach the Kafka cluster at broker1:9092,broker2:9092", ex.Message);
    }

    [Fact]
    public async Task Write_that_timed_out_is_not_called_unreachable()
    {
        await Assert.ThrowsAsync<KafkaException>(() => FastRetry.ExecuteAsync<int>("CreateTopics", KafkaCallKind.NonIdempotentWrite, "b:9092",
            _ => throw Error(ErrorCode.Local_TimedOut), null, CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_stops_retrying()
    {
        using var cts = new CancellationTokenSource();
        var slow = new KafkaRetry(new KafkaRetryOptions { MaxAttempts = 10, BaseDelay = TimeSpan.FromHours(1), UseJitter = false });
        var attempts = 0;
        var task = slow.ExecuteAsync<int>("Metadata", KafkaCallKind.Read, "b:9092", _ =>
        {
            attempts++;
            cts.Cancel();
            throw Error(ErrorCode.LeaderNotAvailable);
        }, null, cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Calls_sharing_one_retry_report_their_own_operation_to_their_own_sink()
    {
        // One pipeline per call kind serves every call: what a retry reports must still come from the call that retried.
        var retry = new KafkaRetry(new KafkaRetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, UseJitter = false });
        var first = new RecordingSink();
        var second = new RecordingSink();
        var bothFailedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failed = new HashSet<string>();

        async Task<string> Call(string name)
        {
            lock (failed)
            {
                if (failed.Add(name))
                {
                    if (failed.Count == 2)
                    {
                        bothFailedOnce.TrySetResult();
                    }

                    throw Error(ErrorCode.NotCoordinatorForGroup);
                }
            }

            await bothFailedOnce.Task;
            return name;
        }

        var a = retry.ExecuteAsync("ListConsumerGroupOffsets", KafkaCallKind.Read, "b:9092", _ => Call("a"), first, CancellationToken.None);
        var b = retry.ExecuteAsync("DescribeConsumerGroups", KafkaCallKind.Read, "b:9092", _ => Call("b"), second, CancellationToken.None);

        Assert.Equal(["a", "b"], await Task.WhenAll(a, b));
        Assert.Equal("ListConsumerGroupOffsets: transient error (NotCoordinatorForGroup); retry 1 of 2 in 0 ms.", Assert.Single(first.Verbose));
        Assert.Equal("DescribeConsumerGroups: transient error (NotCoordinatorForGroup); retry 1 of 2 in 0 ms.", Assert.Single(second.Verbose));
    }

    [Fact]
    public async Task The_call_gets_the_callers_cancellation_token()
    {
        using var cts = new CancellationTokenSource();
        var seen = await FastRetry.ExecuteAsync("Metadata", KafkaCallKind.Read, "b:9092", token => Task.FromResult(token), null, cts.Token);

        cts.Cancel();
        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public void Options_need_at_least_one_attempt() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new KafkaRetry(new KafkaRetryOptions { MaxAttempts = 0 }));

    [Fact]
    public void Exceptions_without_kafka_codes_are_not_retried() =>
        Assert.False(KafkaRetry.ShouldRetry(new InvalidOperationException("x"), KafkaCallKind.Read));
}

internal sealed class RecordingSink : IOperationSink
{
    private readonly object _gate = new();

    public List<string> Verbose { get; } = new();

    public List<string> Warnings { get; } = new();

    public List<OperationProgress> ProgressRecords { get; } = new();

    void IOperationSink.Verbose(string message)
    {
        lock (_gate)
        {
            Verbose.Add(message);
        }
    }

    public void Warning(string message)
    {
        lock (_gate)
        {
            Warnings.Add(message);
        }
    }

    public void Progress(OperationProgress progress)
    {
        lock (_gate)
        {
            ProgressRecords.Add(progress);
        }
    }
}
