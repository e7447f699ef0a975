using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Tests.Kafka;

public class KafkaCallsTests
{
    private static readonly KafkaRetry FastRetry = new(new KafkaRetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.Zero, UseJitter = false });

    private static KafkaClientFactory Factory() =>
        new(new KafkaConnection("calls", new KafkaConnectionOptions { BootstrapServers = "b1:9092", RequestTimeout = TimeSpan.FromSeconds(7) }));

    private static KafkaException Refused(ErrorCode code, string reason) => new(new Error(code, reason));

    [Fact]
    public async Task An_answer_is_the_result_and_the_request_gets_the_callers_token()
    {
        using var factory = Factory();
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;

        var result = await new KafkaCalls(factory, null, FastRetry).RunAsync(
            new KafkaCall("Metadata", KafkaCallKind.Read, "list topics"),
            token =>
            {
                seen = token;
                return Task.FromResult(42);
            },
            cts.Token);

        Assert.Equal(42, result);
        Assert.Equal(cts.Token, seen);
    }

    [Fact]
    public async Task A_typed_admin_exception_with_an_answer_is_recovered_into_the_result_without_a_retry()
    {
        using var factory = Factory();
        var attempts = 0;
        var refusal = new DeleteTopicsException([new DeleteTopicReport { Topic = "orders", Error = new Error(ErrorCode.TopicDeletionDisabled, "disabled") }]);

        var outcome = await new KafkaCalls(factory, null, FastRetry).RunAsync<string, DeleteTopicsException>(
            new KafkaCall("DeleteTopics", KafkaCallKind.NonIdempotentWrite, "delete topics orders", "orders"),
            _ =>
            {
                attempts++;
                return Task.FromException<string>(refusal);
            },
            ex => $"{ex.Results[0].Topic}: {ex.Results[0].Error.Code}",
            null,
            CancellationToken.None);

        Assert.Equal("orders: TopicDeletionDisabled", outcome);
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_typed_admin_exception_the_recovery_does_not_accept_is_mapped_as_any_other()
    {
        using var factory = Factory();
        var refusal = new DeleteTopicsException([new DeleteTopicReport { Topic = "orders", Error = new Error(ErrorCode.TopicAuthorizationFailed, "denied") }]);
        var recovered = false;

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new KafkaCalls(factory, null, FastRetry).RunAsync<string, DeleteTopicsException>(
            new KafkaCall("DeleteTopics", KafkaCallKind.NonIdempotentWrite, "delete topics orders", "orders"),
            _ => Task.FromException<string>(refusal),
            _ =>
            {
                recovered = true;
                return "recovered";
            },
            e => e.Results.All(r => r.Error.Code == ErrorCode.TopicDeletionDisabled),
            CancellationToken.None));

        Assert.False(recovered);
        Assert.Equal("KafkaAuthorizationFailed", ex.ErrorId);
        Assert.Same(refusal, ex.InnerException);
    }

    [Fact]
    public async Task A_typed_admin_exception_goes_through_the_calls_own_mapper()
    {
        using var factory = Factory();
        var refusal = new CreateTopicsException([new CreateTopicReport { Topic = "orders", Error = new Error(ErrorCode.TopicAlreadyExists, "exists") }]);
        KafkaException? mapped = null;

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new KafkaCalls(factory, null, FastRetry).RunAsync(
            new KafkaCall("CreateTopics", KafkaCallKind.NonIdempotentWrite, "create topic 'orders'", "orders")
            {
                Map = e =>
                {
                    mapped = e;
                    return e is CreateTopicsException c ? KafkaErrors.ForTopic(c.Results[0].Error.Code, c.Results[0].Error.Reason, "orders", "create") : null;
                },
            },
            _ => Task.FromException(refusal),
            CancellationToken.None));

        Assert.Same(refusal, mapped);
        Assert.Equal("TopicAlreadyExists", ex.ErrorId);
        Assert.Equal(FailureKind.ResourceExists, ex.Kind);
        Assert.Equal("Topic 'orders' already exists. Use Get-KafkaTopic to inspect it.", ex.Message);
        Assert.Equal("orders", ex.Target);
    }

    [Fact]
    public async Task A_mapper_that_does_not_claim_an_error_leaves_it_to_the_general_mapping()
    {
        using var factory = Factory();
        var refusal = Refused(ErrorCode.PolicyViolation, "no");

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new KafkaCalls(factory, null, FastRetry).RunAsync(
            new KafkaCall("CreateTopics", KafkaCallKind.NonIdempotentWrite, "create topic 'orders'", "orders") { Map = _ => null },
            _ => Task.FromException(refusal),
            CancellationToken.None));

        Assert.Equal("KafkaErrorPolicyViolation", ex.ErrorId);
        Assert.Equal("Failed to create topic 'orders': no (PolicyViolation).", ex.Message);
        Assert.Same(refusal, ex.InnerException);
    }

    [Theory]
    [InlineData(KafkaCallKind.IdempotentWrite)]
    [InlineData(KafkaCallKind.NonIdempotentWrite)]
    public async Task A_kafka_exception_is_mapped_with_the_calls_target_action_and_kind(KafkaCallKind kind)
    {
        using var factory = Factory();
        var timeout = Refused(ErrorCode.Local_TimedOut, "Timed out");

        // A write that timed out may have been applied: it is KafkaRequestTimedOut, not "unreachable".
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new KafkaCalls(factory, null, FastRetry).RunAsync(
            new KafkaCall("IncrementalAlterConfigs", kind, "change the configs of topic 'orders'", "orders"),
            _ => Task.FromException(timeout),
            CancellationToken.None));

        Assert.Equal("KafkaRequestTimedOut", ex.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, ex.Kind);
        Assert.Equal("Timed out trying to change the configs of topic 'orders' (Timed out). The cluster may or may not have applied it; check before retrying, or raise -TimeoutSec.", ex.Message);
        Assert.Equal("orders", ex.Target);
        Assert.Same(timeout, ex.InnerException);
    }

    [Fact]
    public async Task The_same_timeout_on_a_read_is_an_unreachable_cluster()
    {
        using var factory = Factory();

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new KafkaCalls(factory, null, FastRetry).RunAsync(
            new KafkaCall("DescribeConfigs", KafkaCallKind.Read, "describe configs"),
            _ => Task.FromException(Refused(ErrorCode.Local_TimedOut, "Timed out")),
            CancellationToken.None));

        Assert.Equal("KafkaClusterUnreachable", ex.ErrorId);
        Assert.Equal(FailureKind.ConnectionError, ex.Kind);
    }

    [Fact]
    public async Task An_unreachable_cluster_is_retrys_error_as_it_is_unless_the_call_explains_it()
    {
        using var factory = Factory();
        var down = Refused(ErrorCode.Local_AllBrokersDown, "1/1 brokers are down");
        Task Down(CancellationToken _) => Task.FromException(down);
        var calls = new KafkaCalls(factory, null, FastRetry);

        var mapped = await Assert.ThrowsAsync<KafkaCatalogException>(() => calls.RunAsync(new KafkaCall("DeleteRecords", KafkaCallKind.IdempotentWrite, "delete records of topic 'orders'", "orders"), Down, CancellationToken.None));
        var explained = await Assert.ThrowsAsync<KafkaCatalogException>(() => calls.RunAsync(new KafkaCall("DescribeAcls", KafkaCallKind.Read, "list ACLs") { Report = KafkaCallReport.Explained }, Down, CancellationToken.None));
        var withReason = await Assert.ThrowsAsync<KafkaCatalogException>(() => calls.RunAsync(new KafkaCall("DescribeCluster", KafkaCallKind.Read, "describe the cluster", "b1:9092") { Report = KafkaCallReport.ExplainedWithReason }, Down, CancellationToken.None));

        Assert.All(new[] { mapped, explained, withReason }, e => Assert.Equal("KafkaClusterUnreachable", e.ErrorId));
        Assert.Equal(
            "Cannot reach the Kafka cluster at b1:9092 (1/1 brokers are down). Check that the brokers are running and reachable from here, the bootstrap servers and security settings of the connection, or raise -TimeoutSec.",
            mapped.Message);
        Assert.Same(down, mapped.InnerException);
        Assert.Equal(
            "Cannot reach the Kafka cluster at b1:9092: no broker answered within 7 s. Check that the brokers are running and reachable from here (host names, ports, firewalls), and the bootstrap servers and security settings of connection 'calls'; or raise -TimeoutSec. Nothing was changed.",
            explained.Message);
        Assert.Equal(
            "Cannot reach the Kafka cluster at b1:9092: no broker answered within 7 s (1/1 brokers are down). Check that the brokers are running and reachable from here (host names, ports, firewalls), and the bootstrap servers and security settings of connection 'calls'; or raise -TimeoutSec. Nothing was changed.",
            withReason.Message);
    }

    [Fact]
    public async Task An_explained_call_explains_a_plain_kafka_exception_with_its_own_target_and_action()
    {
        using var factory = Factory();

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new KafkaCalls(factory, null, FastRetry).RunAsync(
            new KafkaCall("IncrementalAlterConfigs", KafkaCallKind.IdempotentWrite, "change the configs of broker 1", "1") { Report = KafkaCallReport.Explained },
            _ => Task.FromException(Refused(ErrorCode.ClusterAuthorizationFailed, "denied")),
            CancellationToken.None));

        Assert.Equal("KafkaAuthorizationFailed", ex.ErrorId);
        Assert.Equal("Not authorized to change the configs of broker 1 (denied). Ask the cluster's administrator for the ACL.", ex.Message);
        Assert.Equal("1", ex.Target);
    }

    [Theory]
    [InlineData(KafkaCallReport.Mapped)]
    [InlineData(KafkaCallReport.Explained)]
    [InlineData(KafkaCallReport.ExplainedWithReason)]
    public async Task Cancellation_passes_through_untouched(KafkaCallReport report)
    {
        using var factory = Factory();
        using var cts = new CancellationTokenSource();
        var never = new TaskCompletionSource<int>();
        var touched = false;
        var running = new KafkaCalls(factory, null, FastRetry).RunAsync<int, KafkaException>(
            new KafkaCall("ListOffsets", KafkaCallKind.Read, "list latest offsets")
            {
                Report = report,
                Map = _ =>
                {
                    touched = true;
                    return null;
                },
            },
            _ => never.Task,
            _ =>
            {
                touched = true;
                return 0;
            },
            null,
            cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.False(touched);
        never.SetResult(0);
    }

    [Theory]
    [InlineData(KafkaCallReport.Mapped)]
    [InlineData(KafkaCallReport.Explained)]
    public async Task Other_failures_pass_through_as_the_same_exception(KafkaCallReport report)
    {
        using var factory = Factory();
        var known = new KafkaCatalogException("TopicNotFound", FailureKind.ObjectNotFound, "Topic 'orders' was not found.", "orders");
        var bug = new InvalidOperationException("not a Kafka failure");
        var calls = new KafkaCalls(factory, null, FastRetry);
        var call = new KafkaCall("Metadata", KafkaCallKind.Read, "list topics") { Report = report };

        Assert.Same(known, await Assert.ThrowsAsync<KafkaCatalogException>(() => calls.RunAsync(call, _ => Task.FromException(known), CancellationToken.None)));
        Assert.Same(bug, await Assert.ThrowsAsync<InvalidOperationException>(() => calls.RunAsync(call, _ => Task.FromException(bug), CancellationToken.None)));
    }

    [Fact]
    public async Task Transient_errors_are_retried_by_the_pipeline_of_the_calls_kind()
    {
        using var factory = Factory();
        var attempts = 0;
        var sink = new RecordingSink();

        var result = await new KafkaCalls(factory, sink, FastRetry).RunAsync(
            new KafkaCall("DescribeAcls", KafkaCallKind.Read, "list ACLs"),
            _ => ++attempts < 3 ? Task.FromException<int>(Refused(ErrorCode.NotController, "moving")) : Task.FromResult(attempts),
            CancellationToken.None);

        Assert.Equal(3, result);
        Assert.Equal(2, sink.Verbose.Count(v => v.StartsWith("DescribeAcls: transient error (NotController)", StringComparison.Ordinal)));
    }
}
