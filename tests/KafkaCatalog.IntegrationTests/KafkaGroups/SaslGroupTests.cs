using System.Net;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Acls;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.IntegrationTests.TestKit;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>A SASL_PLAINTEXT TestKit cluster (PLAIN and SCRAM users).</summary>
public sealed class SaslGroupsFixture : IAsyncLifetime
{
    public const string Password = "ops-Secret-91x";

    public KafkaTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        NativeLibraryLoader.EnsureLoaded();
        var options = new KafkaTestClusterOptions { Brokers = 3 };
        var security = new KafkaSecurityOptions { Protocol = TkProtocol.SaslPlaintext };
        security.AddUser("ops", Password);
        options.UseSecurity(security);
        Cluster = await KafkaTestCluster.StartAsync(options);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public KafkaClientFactory Factory(KafkaSaslMechanism mechanism, string password) => new(new KafkaConnection("sasl", new KafkaConnectionOptions
    {
        BootstrapServers = Cluster.BootstrapServers,
        SecurityProtocol = Core.Connections.KafkaSecurityProtocol.SaslPlaintext,
        SaslMechanism = mechanism,
        SaslUsername = "ops",
        SaslPassword = new NetworkCredential(string.Empty, password).SecurePassword,
        RequestTimeout = TimeSpan.FromSeconds(5),
    }));
}

public sealed class SaslGroupTests(SaslGroupsFixture fx) : IClassFixture<SaslGroupsFixture>
{
    [Theory]
    [InlineData(KafkaSaslMechanism.Plain)]
    [InlineData(KafkaSaslMechanism.ScramSha256)]
    [InlineData(KafkaSaslMechanism.ScramSha512)]
    public async Task Lag_and_reset_work_over_each_sasl_mechanism_and_no_output_carries_the_secret(KafkaSaslMechanism mechanism)
    {
        var topic = GroupsFixture.Unique("sasl");
        fx.Cluster.State.CreateTopic(topic, 2, 1);
        foreach (var p in fx.Cluster.State.GetTopic(topic)!.Partitions)
        {
            lock (fx.Cluster.State.Sync)
            {
                p.HighWatermark = 40;
            }
        }

        var group = GroupsFixture.Unique("sgrp");
        fx.Cluster.State.CommitOffsets(group, topic, [10, 30]);
        using var factory = fx.Factory(mechanism, SaslGroupsFixture.Password);
        var service = new ConsumerGroupService(factory);

        var rows = await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [group] }).ToListAsync();
        var applied = await service.ApplyResetAsync(group, await service.PlanResetAsync(new OffsetResetRequest { GroupId = group, Mode = OffsetResetMode.ToLatest }));
        var groups = await service.ListAsync(new ConsumerGroupQuery { GroupIds = [group], IncludeOffsets = true }).ToListAsync();

        Assert.Equal([30L, 10L], rows.Select(r => r.Lag));
        Assert.Equal(40, fx.Cluster.State.GetCommittedOffset(group, topic, 0));
        var everything = JsonSerializer.Serialize(new object[] { rows, applied, groups }) + string.Join("", rows.Select(r => r.ToString())) + factory.Connection;
        Assert.DoesNotContain(SaslGroupsFixture.Password, everything);
    }

    [Fact]
    public async Task A_wrong_password_is_a_terminating_error_without_the_secret()
    {
        const string wrong = "not-the-Password-77";
        using var factory = fx.Factory(KafkaSaslMechanism.ScramSha512, wrong);
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => new ConsumerGroupService(factory).ListAsync(new ConsumerGroupQuery()).ToListAsync());
        Assert.Equal("KafkaAuthenticationFailed", ex.ErrorId);
        Assert.Equal(FailureKind.AuthenticationError, ex.Kind);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.DoesNotContain(SaslGroupsFixture.Password, ex.ToString());
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("remove")]
    [InlineData("offsets")]
    [InlineData("acl")]
    [InlineData("receive")]
    public async Task A_wrong_password_fails_cleanly_everywhere(string operation)
    {
        const string wrong = "not-the-Password-78";
        using var factory = fx.Factory(KafkaSaslMechanism.ScramSha512, wrong);
        Func<Task> act = operation switch
        {
            "reset" => () => new ConsumerGroupService(factory).PlanResetAsync(new OffsetResetRequest { GroupId = "g", Mode = OffsetResetMode.ToLatest }),
            "remove" => () => new ConsumerGroupService(factory).RemoveAsync("g", null),
            "offsets" => () => new ConsumerGroupService(factory).GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = ["g"] }).ToListAsync(),
            "acl" => () => new AclService(factory).GetAsync(new KafkaAclFilter()),
            _ => () => new MessageReader(factory).ReceiveAsync(new ReceiveRequest { Topic = "t", Start = MessageStartPosition.Beginning }).ToListAsync(),
        };
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(act);
        Assert.Equal("KafkaAuthenticationFailed", ex.ErrorId);
        Assert.DoesNotContain(wrong, ex.ToString());
    }
}
