using Confluent.Kafka;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class TopicSpecValidationTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData(".", "reserved")]
    [InlineData("..", "reserved")]
    [InlineData("has space", "' '")]
    [InlineData("slash/topic", "'/'")]
    [InlineData("ünïcode", "'ü'")]
    public void Bad_topic_names_are_refused_before_any_call(string name, string expectedFragment)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => TopicService.Validate(new NewTopicSpec { Name = name }));
        Assert.Equal("InvalidTopicName", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains(expectedFragment, ex.Message);
        Assert.Equal(name, ex.Target);
    }

    [Fact]
    public void Overlong_topic_name_is_refused()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => TopicService.Validate(new NewTopicSpec { Name = new string('a', 250) }));
        Assert.Equal("InvalidTopicName", ex.ErrorId);
        Assert.Contains("250 characters", ex.Message);
    }

    [Fact]
    public void Longest_legal_name_passes() => TopicService.Validate(new NewTopicSpec { Name = new string('a', 249) });

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-100)]
    public void Partitions_below_one_are_refused(int partitions)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => TopicService.Validate(new NewTopicSpec { Name = "t", Partitions = partitions }));
        Assert.Equal("InvalidPartitions", ex.ErrorId);
        Assert.Contains($"got {partitions}", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(40000)]
    public void Replication_factor_out_of_range_is_refused(int replicationFactor)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => TopicService.Validate(new NewTopicSpec { Name = "t", ReplicationFactor = replicationFactor }));
        Assert.Equal("InvalidReplicationFactor", ex.ErrorId);
    }

    [Fact]
    public void Empty_config_key_is_refused()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => TopicService.Validate(new NewTopicSpec { Name = "t", Config = new Dictionary<string, string> { [""] = "1" } }));
        Assert.Equal("InvalidConfig", ex.ErrorId);
    }

    [Fact]
    public void Good_spec_passes_and_describes_itself()
    {
        var spec = new NewTopicSpec { Name = "orders.v1_x-y", Partitions = 3, ReplicationFactor = 2, Config = new Dictionary<string, string> { ["retention.ms"] = "1000" } };
        TopicService.Validate(spec);
        Assert.Equal("topic 'orders.v1_x-y' (partitions=3, replication factor=2, config retention.ms=1000)", spec.ToString());
        Assert.Equal("topic 't' (partitions=broker default, replication factor=broker default)", new NewTopicSpec { Name = "t" }.ToString());
    }

    [Theory]
    [InlineData(ErrorCode.TopicAlreadyExists, "TopicAlreadyExists", FailureKind.ResourceExists)]
    [InlineData(ErrorCode.TopicException, "InvalidTopicName", FailureKind.InvalidArgument)]
    [InlineData(ErrorCode.InvalidPartitions, "InvalidPartitions", FailureKind.InvalidArgument)]
    [InlineData(ErrorCode.InvalidReplicationFactor, "InvalidReplicationFactor", FailureKind.InvalidArgument)]
    [InlineData(ErrorCode.InvalidConfig, "InvalidConfig", FailureKind.InvalidArgument)]
    [InlineData(ErrorCode.PolicyViolation, "PolicyViolation", FailureKind.PermissionDenied)]
    [InlineData(ErrorCode.TopicAuthorizationFailed, "KafkaAuthorizationFailed", FailureKind.PermissionDenied)]
    [InlineData(ErrorCode.UnknownTopicOrPart, "TopicNotFound", FailureKind.ObjectNotFound)]
    [InlineData(ErrorCode.RequestTimedOut, "KafkaRequestTimedOut", FailureKind.OperationTimeout)]
    [InlineData(ErrorCode.InvalidRequest, "KafkaInvalidRequest", FailureKind.InvalidArgument)]
    public void Cluster_refusals_map_to_specific_errors(ErrorCode code, string errorId, FailureKind kind)
    {
        var ex = KafkaErrors.ForTopic(code, "broker says no", "orders", "create");
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal("orders", ex.Target);
    }

    [Fact]
    public void Already_exists_message_says_what_to_do() =>
        Assert.Equal("Topic 'orders' already exists. Use Get-KafkaTopic to inspect it.",
            KafkaErrors.ForTopic(ErrorCode.TopicAlreadyExists, "x", "orders", "create").Message);

    [Fact]
    public void Unknown_codes_keep_the_code_in_the_error_id() =>
        Assert.Equal("KafkaErrorReassignmentInProgress", KafkaErrors.ForTopic(ErrorCode.ReassignmentInProgress, null, "t", "create").ErrorId);
}
