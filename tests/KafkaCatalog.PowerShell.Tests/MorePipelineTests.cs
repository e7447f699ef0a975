using System.Globalization;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using KafkaCatalog.TestKit.Kafka;
using static KafkaCatalog.PowerShell.Tests.ShouldProcessTests;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// The other "A | B" pipelines the module promises (beyond the architecture's table, see
/// <see cref="PipelineTests"/>), run for real: B acts on exactly the objects A emitted (names
/// only this case created), shown by B's output or by the state B changed.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class MorePipelineTests(EngineFixture fx)
{
    /// <summary>A pipeline and its set-up, which returns the check of the run (the state is read after it).</summary>
    public sealed record Case(string Pipeline, Func<Arrangement, Action<Run>> Arrange);

    public static readonly IReadOnlyList<Case> Cases =
    [
        new("Get-KafkaTopic -Name $name -BootstrapServer $bs | Get-KafkaTopic", a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(4, "mptopic"));
            return run => Assert.Equal(4, Assert.Single(run.Objects<KafkaTopic>(), t => t.Name == name).PartitionCount);
        }),

        new("Get-KafkaTopic -Name $name -BootstrapServer $bs | Add-KafkaPartition -TotalCount 5", a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(2, "mppart"));
            return _ => Assert.Equal(5, a.Fx.Cluster.State.GetTopic(name)!.Partitions.Count);
        }),

        new("Get-KafkaTopic -Name $name -BootstrapServer $bs | Get-KafkaTopicOffset", a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(2, "mpoff"));
            a.Fx.AppendRecords(name, 1, 7);
            return run => Assert.Equal([(0, 0L), (1, 7L)], run.Objects<KafkaTopicOffset>().Where(o => o.Topic == name).OrderBy(o => o.Partition).Select(o => (o.Partition, o.HighWatermark)));
        }),

        new("Get-KafkaTopic -Name $name -BootstrapServer $bs | Set-KafkaTopicConfig -Set @{ 'retention.ms' = '424242' }", a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "mpcfg"));
            return _ => Assert.Equal("424242", a.Fx.Cluster.State.GetTopic(name)!.Configs["retention.ms"]);
        }),

        new("Get-KafkaBroker -BrokerId $broker -BootstrapServer $aclbs | Get-KafkaBrokerConfig -ConfigName log.cleaner.threads", a =>
        {
            var broker = a.Fx.AclCluster.State.Brokers[0].Id;
            a.Engine.SetVariable("broker", broker);
            return run => Assert.Equal(broker.ToString(CultureInfo.InvariantCulture), Assert.Single(run.Objects<KafkaConfigEntry>()).ResourceName);
        }),

        new("Get-KafkaBroker -BrokerId $broker -BootstrapServer $aclbs | Set-KafkaBrokerConfig -Set @{ 'log.cleaner.threads' = '4' }", a =>
        {
            var state = a.Fx.AclCluster.State;
            var broker = state.Brokers[0].Id;
            a.Engine.SetVariable("broker", broker);
            return _ =>
            {
                lock (state.Sync)
                {
                    Assert.Equal("4", state.DynamicBrokerConfigs(broker)["log.cleaner.threads"]);
                }
            };
        }),

        new("Get-KafkaConsumerGroup -GroupId $group -BootstrapServer $bs | Remove-KafkaConsumerGroup -Force", a =>
        {
            var topic = a.Fx.NewTopic(1, "mpgrp");
            a.Fx.AppendRecords(topic, 0, 3);
            var group = a.Set("group", EngineFixture.Unique("mpgroup"));
            var other = EngineFixture.Unique("mpkeep");
            a.Fx.Cluster.State.CommitOffsets(group, topic, 0, 2);
            a.Fx.Cluster.State.CommitOffsets(other, topic, 0, 1);
            return _ =>
            {
                Assert.Null(a.Fx.Cluster.State.GetCommittedOffset(group, topic, 0));
                Assert.Equal(1, a.Fx.Cluster.State.GetCommittedOffset(other, topic, 0));
            };
        }),

        new("Get-KafkaAcl -ResourceType Topic -ResourceName $name -BootstrapServer $aclbs | Remove-KafkaAcl -Force", a =>
        {
            var name = a.Set("name", EngineFixture.Unique("mpacl"));
            var keep = EngineFixture.Unique("mpkeep");
            a.Fx.AclCluster.State.AddAcl(new AclBinding(AclResourceType.Topic, name, AclPatternType.Literal, "User:alice", "*", AclOperation.Read, AclPermissionType.Allow));
            a.Fx.AclCluster.State.AddAcl(new AclBinding(AclResourceType.Topic, name, AclPatternType.Literal, "User:bob", "*", AclOperation.Write, AclPermissionType.Allow));
            a.Fx.AclCluster.State.AddAcl(new AclBinding(AclResourceType.Topic, keep, AclPatternType.Literal, "User:alice", "*", AclOperation.Read, AclPermissionType.Allow));
            return _ =>
            {
                Assert.DoesNotContain(a.Fx.AclCluster.State.Acls, b => b.ResourceName == name);
                Assert.Single(a.Fx.AclCluster.State.Acls, b => b.ResourceName == keep);
            };
        }),

        new("Receive-KafkaMessage -Topic $name -FromBeginning -BootstrapServer $bs | Publish-KafkaMessage -Topic $copy", a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "mpsrc"));
            var copy = a.Set("copy", a.Fx.NewTopic(1, "mpdst"));
            a.Fx.AppendRecords(name, 0, 3);
            return run =>
            {
                Assert.Equal([0L, 1L, 2L], run.Objects<KafkaDeliveryResult>().Select(d => d.Offset));
                Assert.All(run.Objects<KafkaDeliveryResult>(), d => Assert.Equal(copy, d.Topic));
                Assert.Equal(["key-0", "key-1", "key-2"], run.Objects<KafkaDeliveryResult>().Select(d => d.Key));
            };
        }),

        new("New-CatalogKafkaConnection -Name $catalogName -AdminRole '$admin' -Confirm:$false | Get-CatalogKafkaAsset -AssetType Topic", a =>
        {
            CatalogWithTopic(a);
            return run => Assert.Equal([a.Engine.GetVariable("topic")], run.Objects<CatalogKafkaAsset>().Select(x => (object)x.Name));
        }),

        new("Get-CatalogKafkaAsset -Name $topic -AssetType Topic -CatalogConnection $conn | Remove-CatalogKafkaAsset -CatalogConnection $conn -Force", a =>
        {
            var qn = CatalogWithTopic(a);
            return _ => Assert.NotEqual("ACTIVE", a.Fx.Atlan.Store.Find(CatalogTypeNames.KafkaTopic, qn)?.Status ?? "absent");
        }),

        new("Get-KafkaTopic -Name $second -BootstrapServer $bs | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false | Remove-CatalogKafkaAsset -CatalogConnection $conn -Force", a =>
        {
            var first = CatalogWithTopic(a);
            var second = a.Set("second", a.Fx.NewTopic(1, "mpcat"));
            return _ =>
            {
                Assert.Equal("ACTIVE", a.Fx.Atlan.Store.Find(CatalogTypeNames.KafkaTopic, first)!.Status);
                Assert.NotEqual("ACTIVE", a.Fx.Atlan.Store.Find(CatalogTypeNames.KafkaTopic, first[..first.LastIndexOf('/')] + "/" + second)?.Status ?? "absent");
            };
        }),

        new("Get-PolarisIngestionJob -TableName $table | Stop-PolarisIngestionJob -Force", a =>
        {
            a.Set("topic", a.Fx.NewTopic(1, "mppol"));
            a.Set("name", EngineFixture.Unique("mppolc"));
            a.Set("table", EngineFixture.Unique("mptable"));
            a.Run("Connect-Polaris -BaseUri $polarisUri -ApiKey $polarisKey -ProjectId $polarisProject | Out-Null; New-PolarisKafkaConnection -Name $name -TopicName $topic -BootstrapServer $bs -Confirm:$false | Out-Null");
            var id = a.Engine.Run("(Start-PolarisIngestionJob -ConnectionName $name -TableName $table -CreateTable -Confirm:$false).JobId").AssertNoErrors().Output.Single().ToString()!;
            return _ => Assert.Equal("canceled", a.Fx.Polaris.Store.GetJob(id)!.DesiredExecutionStatus);
        }),
    ];

    public static TheoryData<string> Pipelines => new(Cases.Select(c => c.Pipeline));

    [Theory]
    [MemberData(nameof(Pipelines))]
    public void The_downstream_cmdlet_acts_on_the_piped_objects(string pipeline)
    {
        var @case = Cases.Single(c => c.Pipeline == pipeline);
        using var engine = fx.Open(new AnsweringHost("N"));
        var check = @case.Arrange(new Arrangement(fx, engine));

        var run = engine.Run(pipeline).AssertNoErrors();

        check(run);
    }

    /// <summary>A catalog session, $conn with a published topic ($topic); returns the topic asset's qualified name.</summary>
    private static string CatalogWithTopic(Arrangement a)
    {
        var topic = a.Set("topic", a.Fx.NewTopic(1, "mpcat"));
        a.Set("catalogName", EngineFixture.Unique("mpkafka"));
        a.Run("Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken | Out-Null; $global:conn = New-CatalogKafkaConnection -Name $catalogName -AdminRole '$admin' -Confirm:$false; Get-KafkaTopic -Name $topic -BootstrapServer $bs | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false | Out-Null");
        return a.Engine.Run("$conn.QualifiedName").AssertNoErrors().Output.Single() + "/topic/" + topic;
    }
}
