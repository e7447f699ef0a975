using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Polaris;
using static KafkaCatalog.Core.Tests.Polaris.PolarisSpecBuilderTests;

namespace KafkaCatalog.Core.Tests.Polaris;

/// <summary>The text -WhatIf/-Confirm show: exactly what would be sent, never a secret.</summary>
public sealed class PolarisDescribeTests
{
    [Fact]
    public void Connection_description_names_everything_but_the_password()
    {
        const string password = "Sup3r-Secret!";
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters
        {
            Name = "orders-kafka",
            TopicName = "orders",
            BootstrapServers = "b-1:9096,b-2:9096",
            Username = "svc",
            Password = Secure(password),
            ScramMechanism = PolarisScramMechanism.ScramSha512,
            ClientRack = "use1-az1",
            Description = "orders on prod",
        });

        var text = spec.Describe("p-123");

        Assert.Equal(
            "Polaris Kafka connection 'orders-kafka' in project p-123: topic 'orders' at b-1:9096,b-2:9096, secrets sasl_scram SCRAM-SHA-512 (svc), clientRack use1-az1, description 'orders on prod'",
            text);
        Assert.DoesNotContain(password, text);
    }

    [Fact]
    public void Pattern_and_iam_are_described()
    {
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters
        {
            Name = "events",
            TopicPattern = "events-.*",
            BootstrapServers = "msk:9098",
            AwsAssumedRoleArn = "arn:aws:iam::123456789012:role/r",
        });

        Assert.Equal(
            "Polaris Kafka connection 'events' in project p: topics matching 'events-.*' at msk:9098, secrets aws_iam (arn:aws:iam::123456789012:role/r)",
            spec.Describe("p"));
    }

    [Fact]
    public void Topic_without_secrets_says_none()
    {
        var topic = new KafkaTopic { Name = "clicks", Partitions = Array.Empty<KafkaPartition>(), BootstrapServers = "k:9092" };
        var spec = PolarisKafkaConnectionSpecBuilder.Build(new PolarisKafkaConnectionParameters { Topic = topic, KafkaConnection = new KafkaConnection("k", new KafkaConnectionOptions { BootstrapServers = "k:9092" }) });

        Assert.Equal("Polaris Kafka connection 'clicks' in project p: topic 'clicks' at k:9092, secrets none", spec.Describe("p"));
    }

    [Fact]
    public void Job_description_gives_format_start_point_period_and_table_creation()
    {
        var plan = PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters
        {
            TableName = "clicks",
            ConnectionName = "clicks",
            CreateTableIfNotExists = true,
            ReadFromPoint = PolarisReadFromPoint.Earliest,
            LateMessageRejectionPeriod = "P90D",
        });
        var defaults = PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters
        {
            TableName = "orders",
            ConnectionName = "orders",
            InputSchema = new[] { new PolarisInputField("id", "string") },
        });

        Assert.Equal(
            "Streaming job from Polaris connection 'clicks' into table 'clicks' in project p (nd-json, from earliest, lateMessageRejectionPeriod P90D, schema discovery, 1 mapping(s), creating the table if missing)",
            plan.Spec.Describe("p"));
        Assert.Equal(
            "Streaming job from Polaris connection 'orders' into table 'orders' in project p (nd-json, from latest, lateMessageRejectionPeriod P30D (default), 2 input field(s), 2 mapping(s))",
            defaults.Spec.Describe("p"));
    }
}
