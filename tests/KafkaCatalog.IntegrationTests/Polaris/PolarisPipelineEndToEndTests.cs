using System.Text.Json;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.IntegrationTests.Kafka;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using KafkaCatalog.TestKit.Polaris;
using static KafkaCatalog.IntegrationTests.Polaris.PolarisTest;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.Polaris;

/// <summary>
/// Get-KafkaTopic clicks | New-PolarisKafkaConnection -Name clicks | Start-PolarisIngestionJob -TableName clicks -CreateTable,
/// at the Core level: the real TopicService (Confluent.Kafka over TCP to TestKit) feeds the Polaris services (HTTP to the emulator),
/// and the emulator's test-connection reaches the same cluster.
/// </summary>
public sealed class PolarisPipelineEndToEndTests(KafkaCoreFixture fixture) : IClassFixture<KafkaCoreFixture>
{
    [Fact]
    public async Task Topic_from_the_cluster_becomes_a_tested_connection_and_a_running_job()
    {
        fixture.Cluster.State.CreateTopic("clicks", 3, 2);
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);

        var topic = Assert.Single(await fixture.Topics().ListAsync(new TopicQuery { Names = ["clicks"] }).ToListAsync());
        var connection = await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "clicks", Topic = topic });
        var test = await client.TestKafkaConnectionAsync(connection.Name);
        var plan = PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters { ConnectionName = connection.Name, TableName = "clicks", CreateTableIfNotExists = true });
        var job = await client.StartIngestionJobAsync(plan.Spec);
        var running = await client.GetIngestionJobAsync(job.JobId);

        Assert.Equal(fixture.Cluster.BootstrapServers, connection.BootstrapServers);
        Assert.Equal("clicks", connection.TopicName);
        Assert.True(test.Succeeded, test.Reason);
        Assert.Equal("clicks", job.ConnectionName);
        Assert.Equal("running", running.ExecutionStatus);
        Assert.Equal(new[] { "clicks" }, polaris.Store.TableNames);
    }

    [Fact]
    public async Task Topics_of_a_sasl_cluster_carry_the_kafka_connections_secrets_into_Polaris()
    {
        var security = new KafkaSecurityOptions { Protocol = TkProtocol.SaslPlaintext };
        security.AddUser("svc-polaris", KafkaPassword);
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        var auth = options.UseSecurity(security);
        await using var cluster = await KafkaTestCluster.StartAsync(options);
        cluster.State.CreateTopic("orders", 2, 1);
        var kafka = new KafkaConnection("secured", new KafkaConnectionOptions
        {
            BootstrapServers = cluster.BootstrapServers,
            SecurityProtocol = Core.Connections.KafkaSecurityProtocol.SaslPlaintext,
            SaslMechanism = KafkaSaslMechanism.ScramSha256,
            SaslUsername = "svc-polaris",
            SaslPassword = Secure(KafkaPassword),
            RequestTimeout = TimeSpan.FromSeconds(10),
        });
        using var factory = new KafkaClientFactory(kafka);
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);

        var topic = Assert.Single(await new TopicService(factory).ListAsync(new TopicQuery { Names = ["orders"] }).ToListAsync());
        var connection = await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Topic = topic, KafkaConnection = kafka });
        var test = await client.TestKafkaConnectionAsync(connection.Name);

        Assert.Equal("orders", connection.Name);
        Assert.Equal("sasl_scram", connection.SecretType);
        Assert.Equal("svc-polaris", connection.SecretPrincipal);
        Assert.True(test.Succeeded, test.Reason);
        Assert.Contains("SCRAM-SHA-256", auth.AuthenticatedMechanisms);
        Assert.Equal("SCRAM-SHA-256", (string?)polaris.Store.GetConnectionSpec("orders")!["secrets"]!["mechanism"]);
        Assert.DoesNotContain(KafkaPassword, JsonSerializer.Serialize(connection));
        Assert.All(polaris.Requests, r => Assert.DoesNotContain(KafkaPassword, r.ResponseBody));
    }
}
