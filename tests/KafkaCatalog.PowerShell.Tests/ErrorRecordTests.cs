using System.Globalization;
using System.Management.Automation;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using static KafkaCatalog.PowerShell.Tests.ShouldProcessTests;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Bad input for each cmdlet family, in a real runspace: the ErrorRecord PowerShell shows has a
/// specific FullyQualifiedErrorId ("Id,Cmdlet type"), the right ErrorCategory and the command as
/// its origin, the catalogue's fix as ErrorDetails.RecommendedAction (ErrorDetails.Message is the exception's
/// message), and the state the command would have changed (cluster, catalog, Polaris, session)
/// is the same before and after.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ErrorRecordTests(EngineFixture fx)
{
    /// <summary>A bad input: its family, how to set it up (returns the state probe), the command, the error id, the category.</summary>
    public sealed record Case(string Family, string Script, string ErrorId, ErrorCategory Category, Func<Arrangement, Func<string>> Arrange)
    {
        public override string ToString() => $"{Family}: {Script}";
    }

    private static Func<string> Nothing(Arrangement a) => () => string.Empty;

    private static Func<string> TopicConfigProbe(Arrangement a)
    {
        var name = a.Set("name", a.Fx.NewTopic(1, "ercfg"));
        return () => string.Join(",", a.Fx.Cluster.State.GetTopic(name)!.Configs.Select(kv => kv.Key + "=" + kv.Value));
    }

    /// <summary>$group with a committed offset on a topic, $missing a topic / group that does not exist.</summary>
    private static Func<string> GroupProbe(Arrangement a)
    {
        var topic = a.Fx.NewTopic(1, "ergrp");
        a.Fx.AppendRecords(topic, 0, 10);
        var group = a.Set("group", EngineFixture.Unique("ergroup"));
        a.Set("missing", EngineFixture.Unique("ermissing"));
        a.Fx.Cluster.State.CommitOffsets(group, topic, 0, 5);
        return () => (a.Fx.Cluster.State.GetCommittedOffset(group, topic, 0)?.ToString(CultureInfo.InvariantCulture) ?? "none")
            + " groups:" + Count(a.Fx.Cluster.State.Groups.ListGroups().Count);
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    public static readonly IReadOnlyList<Case> Cases =
    [
        new("connections", "Connect-KafkaCluster -BootstrapServer 'broker1:99999' -Name bad-bootstrap", "BootstrapServerInvalid", ErrorCategory.InvalidArgument,
            a => () => a.Engine.Run("@(Get-KafkaConnection).Count").Output.Single().ToString()!),

        new("cluster", "Get-KafkaBrokerConfig -BrokerId 99 -BootstrapServer $bs", "BrokerNotFound", ErrorCategory.ObjectNotFound, Nothing),

        new("cluster", "Set-KafkaBrokerConfig -BrokerId $broker -Set @{ 'log.cleaner.threads' = 'many' } -BootstrapServer $aclbs -Confirm:$false", "InvalidConfig", ErrorCategory.InvalidArgument, a =>
        {
            var state = a.Fx.AclCluster.State;
            var broker = state.Brokers[0].Id;
            a.Engine.SetVariable("broker", broker);
            return () =>
            {
                lock (state.Sync)
                {
                    return state.DynamicBrokerConfigs(broker).GetValueOrDefault("log.cleaner.threads") ?? "(static)";
                }
            };
        }),

        new("topics", "New-KafkaTopic -Name $name -Partitions 1 -BootstrapServer $bs", "TopicAlreadyExists", ErrorCategory.ResourceExists, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(2, "erexists"));
            return () => Count(a.Fx.Cluster.State.GetTopic(name)!.Partitions.Count);
        }),

        new("topics", "New-KafkaTopic -Name 'not a topic name!' -Partitions 1 -BootstrapServer $bs", "InvalidTopicName", ErrorCategory.InvalidArgument,
            a => () => Count(a.Fx.Cluster.State.Topics.Count)),

        new("topics", "Remove-KafkaTopic -Name $name -BootstrapServer $bs -Force", "TopicNotFound", ErrorCategory.ObjectNotFound, a =>
        {
            a.Set("name", EngineFixture.Unique("ermissing"));
            return () => Count(a.Fx.Cluster.State.Topics.Count);
        }),

        new("topics", "Add-KafkaPartition -Name $name -TotalCount 1 -BootstrapServer $bs", "InvalidPartitions", ErrorCategory.InvalidArgument, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(2, "erpart"));
            return () => Count(a.Fx.Cluster.State.GetTopic(name)!.Partitions.Count);
        }),

        new("configs", "Set-KafkaTopicConfig -Name $name -Set @{ 'retention.ms' = 'soon' } -BootstrapServer $bs", "InvalidConfig", ErrorCategory.InvalidArgument, TopicConfigProbe),

        new("configs", "Set-KafkaTopicConfig -Name $name -Set @{ 'retention.ms' = '1000' } -Remove retention.ms -BootstrapServer $bs", "ConflictingConfigChange", ErrorCategory.InvalidArgument, TopicConfigProbe),

        new("configs", "Get-KafkaTopicConfig -Name $name -BootstrapServer $bs", "TopicNotFound", ErrorCategory.ObjectNotFound, a =>
        {
            a.Set("name", EngineFixture.Unique("ermissing"));
            return () => string.Empty;
        }),

        new("groups", "Reset-KafkaConsumerGroupOffset -GroupId $group -ToOffset 3 -Topic $missing -BootstrapServer $bs -Force", "TopicNotFound", ErrorCategory.ObjectNotFound, GroupProbe),

        new("groups", "Remove-KafkaConsumerGroup -GroupId $missing -BootstrapServer $bs -Force", "ConsumerGroupNotFound", ErrorCategory.ObjectNotFound, GroupProbe),

        // Adding, not listing: librdkafka (through 2.15.1) drops DescribeAcls' top-level error code, so a listing
        // on a cluster without an authorizer comes back empty instead of SECURITY_DISABLED (see the report).
        new("ACLs", "Add-KafkaAcl -ResourceType Topic -ResourceName $name -Principal User:alice -Operation Read -BootstrapServer $bs -Confirm:$false", "AclAuthorizerDisabled", ErrorCategory.InvalidOperation, a =>
        {
            a.Set("name", EngineFixture.Unique("eracl"));
            return () => Count(a.Fx.Cluster.State.Acls.Count);
        }),

        new("ACLs", "Add-KafkaAcl -ResourceType Topic -ResourceName $name -Principal alice -Operation Read -BootstrapServer $aclbs -Confirm:$false", "AclPrincipalInvalid", ErrorCategory.InvalidArgument, a =>
        {
            var name = a.Set("name", EngineFixture.Unique("eracl"));
            return () => Count(a.Fx.AclCluster.State.Acls.Count(b => b.ResourceName == name));
        }),

        new("messages", "Publish-KafkaMessage -Topic $missing -Value hello -BootstrapServer $bs", "TopicNotFound", ErrorCategory.ObjectNotFound, a =>
        {
            var missing = a.Set("missing", EngineFixture.Unique("ermissing"));
            return () => a.Fx.Cluster.State.GetTopic(missing) is null ? "absent" : "created";
        }),

        new("messages", "Publish-KafkaMessage -Topic $name -Partition 5 -Value hello -BootstrapServer $bs", "PartitionNotFound", ErrorCategory.ObjectNotFound, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "erpub"));
            return () =>
            {
                lock (a.Fx.Cluster.State.Sync)
                {
                    return a.Fx.Cluster.State.GetPartition(name, 0)!.HighWatermark.ToString(CultureInfo.InvariantCulture);
                }
            };
        }),

        new("messages", "Receive-KafkaMessage -BootstrapServer $bs -FromBeginning", "ReceiveTopicMissing", ErrorCategory.InvalidArgument, Nothing),

        new("catalog", "Connect-Catalog -BaseUri 'ftp://catalog.example' -ApiToken $atlanToken", "CatalogInvalidBaseUri", ErrorCategory.InvalidArgument,
            a => () => a.Fx.Atlan.Requests.Total.ToString(CultureInfo.InvariantCulture)),

        new("catalog", "Get-KafkaTopic -Name orders -BootstrapServer $bs | Publish-CatalogKafkaAsset -ConnectionQualifiedName 'not a qualified name' -Confirm:$false", "CatalogInvalidConnectionQualifiedName", ErrorCategory.InvalidArgument, a =>
        {
            a.Run("Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken | Out-Null");
            return () => a.Fx.Atlan.Requests.BulkUpserts.ToString(CultureInfo.InvariantCulture);
        }),

        new("catalog", "New-CatalogKafkaConnection -Name $name -AdminUser no-such-user -Confirm:$false", "CatalogUserNotFound", ErrorCategory.ObjectNotFound, a =>
        {
            a.Run("Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken | Out-Null");
            var name = a.Set("name", EngineFixture.Unique("erconn"));
            return () => a.Fx.Atlan.Store.OfType("Connection").Any(e => e.Name == name) ? "created" : "absent";
        }),

        new("Polaris", "Connect-Polaris -BaseUri 'ftp://polaris.example' -ApiKey $polarisKey -Name bad-polaris", "PolarisInvalidBaseUri", ErrorCategory.InvalidArgument,
            a => () => Count(a.Fx.Polaris.Requests.Count)),

        new("Polaris", "New-PolarisKafkaConnection -Name $name -BootstrapServer $bs -Confirm:$false", "PolarisTopicMissing", ErrorCategory.InvalidArgument, a =>
        {
            a.Run("Connect-Polaris -BaseUri $polarisUri -ApiKey $polarisKey -ProjectId $polarisProject | Out-Null");
            var name = a.Set("name", EngineFixture.Unique("erpol"));
            return () => a.Fx.Polaris.Store.ConnectionNames.Contains(name) ? "created" : "absent";
        }),

        new("Polaris", "Stop-PolarisIngestionJob -JobId $missing -Force", "PolarisJobNotFound", ErrorCategory.ObjectNotFound, a =>
        {
            a.Run("Connect-Polaris -BaseUri $polarisUri -ApiKey $polarisKey -ProjectId $polarisProject | Out-Null");
            a.Set("missing", Guid.NewGuid().ToString());
            return () => string.Join(",", a.Fx.Polaris.Store.Jobs.Select(j => j.DesiredExecutionStatus));
        }),
    ];

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.ToString()));

    [Fact]
    public void Every_cmdlet_family_has_a_bad_input_case()
    {
        var families = Cases.Select(c => c.Family).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "ACLs", "Polaris", "catalog", "cluster", "configs", "connections", "groups", "messages", "topics" }.Order(StringComparer.Ordinal), families);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Bad_input_gives_a_specific_error_id_and_category_and_changes_nothing(string name)
    {
        var @case = Cases.Single(c => c.ToString() == name);
        using var engine = fx.Open(new AnsweringHost("N"));
        var probe = @case.Arrange(new Arrangement(fx, engine));
        var before = probe();

        var run = engine.Run(@case.Script);

        Assert.True(run.AllErrors.Count == 1, $"expected one error, got {run.AllErrors.Count}: {string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message))}; output: {string.Join(", ", run.Output.Select(o => o?.BaseObject?.GetType().Name + " " + o))}");
        var error = run.AllErrors[0];
        var command = engine.Run("(Get-Command " + @case.Script.Split('|').Last().Trim().Split(' ')[0] + ").ImplementingType.FullName").Output.Single().ToString();
        Assert.Equal($"{@case.ErrorId},{command}", error.FullyQualifiedErrorId);
        Assert.Equal(@case.Category, error.CategoryInfo.Category);
        Assert.False(string.IsNullOrWhiteSpace(error.Exception.Message));
        Assert.Equal(ErrorCatalog.Find(@case.ErrorId)!.Fix, error.ErrorDetails?.RecommendedAction);
        Assert.Equal(error.Exception.Message, error.ErrorDetails!.Message);
        Assert.Equal(before, probe());
    }
}
