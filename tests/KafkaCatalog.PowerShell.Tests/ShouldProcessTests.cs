using System.Management.Automation;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using KafkaCatalog.TestKit.Kafka;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// -WhatIf and -Confirm for every cmdlet that supports ShouldProcess, in a real runspace whose host
/// answers the confirmation prompt. Each case arranges its own state, runs one change, and reads
/// the cluster / catalog / Polaris state before and after:
/// -WhatIf: no prompt, a "What if:" line, nothing changed;
/// -Confirm answered No: asked, nothing changed; -Confirm answered Yes: asked, changed;
/// neither (default $ConfirmPreference High) answered No: a High-impact cmdlet asks and changes
/// nothing, a Medium one changes without asking, which is what its ConfirmImpact attribute says;
/// -Force answered No (cmdlets whose -Force skips confirmation): changed without asking;
/// -Force -WhatIf (every cmdlet with a -Force): -WhatIf wins, a "What if:" line and nothing changed.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ShouldProcessTests(EngineFixture fx)
{
    /// <summary>A change: its ConfirmImpact, whether -Force skips confirmation, how to set it up (returns the state probe), the command.</summary>
    public sealed record Case(string Cmdlet, ConfirmImpact Impact, bool ForceSkipsConfirm, Func<Arrangement, Func<string>> Arrange, string Act);

    /// <summary>What a case's Arrange gets: the fixture and the runspace the change will run in.</summary>
    public sealed record Arrangement(EngineFixture Fx, Engine Engine)
    {
        public string Set(string variable, string value)
        {
            Engine.SetVariable(variable, value);
            return value;
        }

        public void Run(string script) => Engine.Run(script).AssertNoErrors();
    }

    public static readonly IReadOnlyList<Case> Cases =
    [
        new("New-KafkaTopic", ConfirmImpact.Medium, false, a =>
        {
            var name = a.Set("name", EngineFixture.Unique("spnew"));
            return () => a.Fx.Cluster.State.GetTopic(name) is null ? "absent" : "present";
        }, "New-KafkaTopic -Name $name -Partitions 1 -ReplicationFactor 1 -BootstrapServer $bs"),

        new("Remove-KafkaTopic", ConfirmImpact.High, true, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "sprm"));
            return () => a.Fx.Cluster.State.GetTopic(name) is null ? "absent" : "present";
        }, "Remove-KafkaTopic -Name $name -BootstrapServer $bs"),

        new("Add-KafkaPartition", ConfirmImpact.Medium, false, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "sppart"));
            return () => a.Fx.Cluster.State.GetTopic(name)!.Partitions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }, "Add-KafkaPartition -Name $name -TotalCount 3 -BootstrapServer $bs"),

        new("Set-KafkaTopicConfig", ConfirmImpact.Medium, false, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "spcfg"));
            return () => a.Fx.Cluster.State.GetTopic(name)!.Configs.GetValueOrDefault("retention.ms") ?? "(default)";
        }, "Set-KafkaTopicConfig -Name $name -Set @{ 'retention.ms' = '123456' } -BootstrapServer $bs"),

        new("Set-KafkaBrokerConfig", ConfirmImpact.Medium, false, a =>
        {
            var state = a.Fx.AclCluster.State;
            var broker = state.Brokers[0].Id;
            a.Engine.SetVariable("broker", broker);
            lock (state.Sync)
            {
                state.DynamicBrokerConfigs(broker).Remove("log.cleaner.threads");
            }

            return () =>
            {
                lock (state.Sync)
                {
                    return state.DynamicBrokerConfigs(broker).GetValueOrDefault("log.cleaner.threads") ?? "(static)";
                }
            };
        }, "Set-KafkaBrokerConfig -BrokerId $broker -Set @{ 'log.cleaner.threads' = '3' } -BootstrapServer $aclbs"),

        new("Reset-KafkaConsumerGroupOffset", ConfirmImpact.High, true, a =>
        {
            var (group, topic) = GroupWithOffsets(a);
            return () => a.Fx.Cluster.State.GetCommittedOffset(group, topic, 0)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
        }, "Reset-KafkaConsumerGroupOffset -GroupId $group -ToEarliest -BootstrapServer $bs"),

        new("Remove-KafkaConsumerGroup", ConfirmImpact.High, true, a =>
        {
            var (group, topic) = GroupWithOffsets(a);
            return () => a.Fx.Cluster.State.GetCommittedOffset(group, topic, 0)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
        }, "Remove-KafkaConsumerGroup -GroupId $group -BootstrapServer $bs"),

        new("Add-KafkaAcl", ConfirmImpact.Medium, false, a =>
        {
            var name = a.Set("name", EngineFixture.Unique("spacl"));
            return () => AclsOn(a.Fx, name);
        }, "Add-KafkaAcl -ResourceType Topic -ResourceName $name -Principal User:alice -Operation Read -BootstrapServer $aclbs"),

        new("Remove-KafkaAcl", ConfirmImpact.High, true, a =>
        {
            var name = a.Set("name", EngineFixture.Unique("spacl"));
            a.Fx.AclCluster.State.AddAcl(new AclBinding(AclResourceType.Topic, name, AclPatternType.Literal, "User:alice", "*", AclOperation.Read, AclPermissionType.Allow));
            return () => AclsOn(a.Fx, name);
        }, "Remove-KafkaAcl -ResourceType Topic -ResourceName $name -BootstrapServer $aclbs"),

        new("Invoke-KafkaLeaderElection", ConfirmImpact.Medium, false, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "spelect"));
            a.Fx.Cluster.State.MoveLeader(name, 0);
            return () =>
            {
                lock (a.Fx.Cluster.State.Sync)
                {
                    return a.Fx.Cluster.State.GetPartition(name, 0)!.LeaderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            };
        }, "Invoke-KafkaLeaderElection -Topic $name -BootstrapServer $bs"),

        new("Remove-KafkaRecord", ConfirmImpact.High, true, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "sprec"));
            a.Fx.AppendRecords(name, 0, 5);
            return () =>
            {
                lock (a.Fx.Cluster.State.Sync)
                {
                    return a.Fx.Cluster.State.GetPartition(name, 0)!.LogStartOffset.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            };
        }, "Remove-KafkaRecord -Topic $name -Partition 0 -BeforeOffset 3 -BootstrapServer $bs"),

        new("Set-KafkaUserScramCredential", ConfirmImpact.Medium, false, a =>
        {
            var user = a.Set("user", EngineFixture.Unique("spscram"));
            return () => KafkaCatalog.TestKit.Kafka.Security.ScramCredentials.Of(a.Fx.Cluster).GetScram(user, "SCRAM-SHA-512") is null ? "absent" : "present";
        }, "Set-KafkaUserScramCredential -Credential ([pscredential]::new($user, (ConvertTo-SecureString 'sp-Secret-1' -AsPlainText -Force))) -BootstrapServer $bs"),

        new("Remove-KafkaUserScramCredential", ConfirmImpact.High, true, a =>
        {
            var user = a.Set("user", EngineFixture.Unique("spscram"));
            a.Run("Set-KafkaUserScramCredential -Credential ([pscredential]::new($user, (ConvertTo-SecureString 'sp-Secret-1' -AsPlainText -Force))) -BootstrapServer $bs -Confirm:$false");
            return () => KafkaCatalog.TestKit.Kafka.Security.ScramCredentials.Of(a.Fx.Cluster).GetScram(user, "SCRAM-SHA-512") is null ? "absent" : "present";
        }, "Remove-KafkaUserScramCredential -User $user -Mechanism SCRAM-SHA-512 -BootstrapServer $bs"),

        new("Sync-KafkaTopic", ConfirmImpact.Medium, false, a =>
        {
            var name = a.Set("name", EngineFixture.Unique("spsync"));
            var path = a.Set("path", Path.Combine(Path.GetTempPath(), name + ".yaml"));
            File.WriteAllText(path, $"topics:\n  - name: {name}\n    partitions: 2\n    replicationFactor: 1\n");
            return () => a.Fx.Cluster.State.GetTopic(name) is null ? "absent" : "present";
        }, "Sync-KafkaTopic -Path $path -BootstrapServer $bs"),

        new("Publish-KafkaMessage", ConfirmImpact.Medium, false, a =>
        {
            var name = a.Set("name", a.Fx.NewTopic(1, "sppub"));
            return () =>
            {
                lock (a.Fx.Cluster.State.Sync)
                {
                    return a.Fx.Cluster.State.GetPartition(name, 0)!.HighWatermark.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            };
        }, "Publish-KafkaMessage -Topic $name -Value hello -BootstrapServer $bs"),

        new("New-CatalogKafkaConnection", ConfirmImpact.Medium, false, a =>
        {
            a.Run("Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken | Out-Null");
            var name = a.Set("name", EngineFixture.Unique("spconn"));
            return () => a.Fx.Atlan.Store.OfType("Connection").Any(e => e.Name == name) ? "present" : "absent";
        }, "New-CatalogKafkaConnection -Name $name -AdminRole '$admin'"),

        new("Publish-CatalogKafkaAsset", ConfirmImpact.Medium, false, a =>
        {
            var (qn, _) = CatalogTopic(a, publish: false);
            return () => a.Fx.Atlan.Store.Find("KafkaTopic", qn)?.Status ?? "absent";
        }, "Get-KafkaTopic -Name $topic -BootstrapServer $bs | Publish-CatalogKafkaAsset -CatalogConnection $conn"),

        new("Sync-CatalogKafkaAsset", ConfirmImpact.Medium, false, a =>
        {
            var (qn, _) = CatalogTopic(a, publish: false);
            return () => a.Fx.Atlan.Store.Find("KafkaTopic", qn)?.Status ?? "absent";
        }, "Get-KafkaTopic -Name $topic -BootstrapServer $bs | Sync-CatalogKafkaAsset -CatalogConnection $conn -AssetType Topic"),

        new("Remove-CatalogKafkaAsset", ConfirmImpact.High, true, a =>
        {
            var (qn, _) = CatalogTopic(a, publish: true);
            a.Set("qn", qn);
            return () => a.Fx.Atlan.Store.Find("KafkaTopic", qn)?.Status ?? "absent";
        }, "Remove-CatalogKafkaAsset -QualifiedName $qn -TypeName KafkaTopic -CatalogConnection $conn"),

        new("New-PolarisKafkaConnection", ConfirmImpact.Medium, false, a =>
        {
            var name = PolarisConnection(a, create: false);
            return () => a.Fx.Polaris.Store.ConnectionNames.Contains(name) ? "present" : "absent";
        }, "New-PolarisKafkaConnection -Name $name -TopicName $topic -BootstrapServer $bs"),

        new("Set-PolarisKafkaConnection", ConfirmImpact.Medium, false, a =>
        {
            var name = PolarisConnection(a, create: true);
            return () => a.Fx.Polaris.Store.GetConnectionSpec(name)?["description"]?.GetValue<string>() ?? "(none)";
        }, "Set-PolarisKafkaConnection -Name $name -TopicName $topic -BootstrapServer $bs -Description replaced"),

        new("Remove-PolarisKafkaConnection", ConfirmImpact.High, true, a =>
        {
            var name = PolarisConnection(a, create: true);
            return () => a.Fx.Polaris.Store.ConnectionNames.Contains(name) ? "present" : "absent";
        }, "Remove-PolarisKafkaConnection -Name $name"),

        new("Start-PolarisIngestionJob", ConfirmImpact.Medium, false, a =>
        {
            PolarisConnection(a, create: true);
            var table = a.Set("table", EngineFixture.Unique("sptable"));
            return () => a.Fx.Polaris.Store.Jobs.Count(j => j.TableName == table).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }, "Start-PolarisIngestionJob -ConnectionName $name -TableName $table -CreateTable"),

        new("Stop-PolarisIngestionJob", ConfirmImpact.Medium, true, a =>
        {
            PolarisConnection(a, create: true);
            a.Set("table", EngineFixture.Unique("sptable"));
            var id = a.Engine.Run("(Start-PolarisIngestionJob -ConnectionName $name -TableName $table -CreateTable -Confirm:$false).JobId").AssertNoErrors().Output.Single().ToString()!;
            a.Set("jobId", id);
            return () => a.Fx.Polaris.Store.GetJob(id)!.DesiredExecutionStatus;
        }, "Stop-PolarisIngestionJob -JobId $jobId"),
    ];

    public static TheoryData<string> CmdletNames => new(Cases.Select(c => c.Cmdlet));

    /// <summary>The ShouldProcess cmdlets that have a -Force parameter (whatever it skips).</summary>
    public static readonly IReadOnlyList<string> CmdletsWithForce =
    [
        "Remove-KafkaTopic", "Reset-KafkaConsumerGroupOffset", "Remove-KafkaConsumerGroup", "Remove-KafkaAcl",
        "Invoke-KafkaLeaderElection", "Remove-KafkaRecord", "Remove-KafkaUserScramCredential", "New-CatalogKafkaConnection",
        "Sync-CatalogKafkaAsset", "Remove-CatalogKafkaAsset", "Remove-PolarisKafkaConnection", "Stop-PolarisIngestionJob", "Sync-KafkaTopic",
    ];

    public static TheoryData<string> CmdletWithForceNames => new(CmdletsWithForce);

    public static TheoryData<string> ForceCmdletNames => new(Cases.Where(c => c.ForceSkipsConfirm).Select(c => c.Cmdlet));

    /// <summary>The table covers every ShouldProcess cmdlet the module exports, with the ConfirmImpact its attribute declares.</summary>
    [Fact]
    public void Every_ShouldProcess_cmdlet_is_covered_with_its_declared_ConfirmImpact()
    {
        using var engine = fx.Open();
        var declared = engine.Run("Get-Command -Module KafkaCatalog -CommandType Cmdlet | ForEach-Object { $a = $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; if ($a.SupportsShouldProcess) { '{0}={1}' -f $_.Name, $a.ConfirmImpact } }")
            .AssertNoErrors().Output.Select(o => o.ToString()!).Order(StringComparer.Ordinal).ToList();
        var table = Cases.Select(c => $"{c.Cmdlet}={c.Impact}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(declared, table);
    }

    /// <summary>The -Force list is every exported ShouldProcess cmdlet with a Force parameter, and each is in the table.</summary>
    [Fact]
    public void Every_ShouldProcess_cmdlet_with_Force_is_covered_by_the_Force_WhatIf_case()
    {
        using var engine = fx.Open();
        var declared = engine.Run("Get-Command -Module KafkaCatalog -CommandType Cmdlet | Where-Object { $_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].SupportsShouldProcess -and $_.Parameters.ContainsKey('Force') } | ForEach-Object Name")
            .AssertNoErrors().Output.Select(o => o.ToString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(declared, CmdletsWithForce.Order(StringComparer.Ordinal).ToList());
        Assert.All(CmdletsWithForce, c => Assert.Contains(Cases, k => k.Cmdlet == c));
    }

    /// <summary>-WhatIf always wins over -Force: the "What if:" line, no prompt, TestKit/Atlan/Polaris state unchanged.</summary>
    [Theory]
    [MemberData(nameof(CmdletWithForceNames))]
    public void Force_with_WhatIf_says_what_would_happen_and_changes_nothing(string cmdlet)
    {
        var (host, before, after, run) = Execute(cmdlet, "Y", " -Force -WhatIf");
        run.AssertNoErrors();
        Assert.Empty(host.Prompts);
        Assert.Contains(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
        Assert.Equal(before, after);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void WhatIf_says_what_would_happen_and_changes_nothing(string cmdlet)
    {
        var (host, before, after, run) = Execute(cmdlet, "N", " -WhatIf");
        run.AssertNoErrors();
        Assert.Empty(host.Prompts);
        Assert.Contains(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
        Assert.Equal(before, after);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Confirm_answered_No_asks_and_changes_nothing(string cmdlet)
    {
        var (host, before, after, run) = Execute(cmdlet, "N", " -Confirm");
        run.AssertNoErrors();
        Assert.NotEmpty(host.Prompts);
        Assert.Equal(before, after);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Confirm_answered_Yes_asks_and_changes(string cmdlet)
    {
        var (host, before, after, run) = Execute(cmdlet, "Y", " -Confirm");
        run.AssertNoErrors();
        Assert.NotEmpty(host.Prompts);
        Assert.NotEqual(before, after);
    }

    /// <summary>With the default $ConfirmPreference (High), only a High-impact cmdlet asks.</summary>
    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Without_Confirm_only_a_High_impact_cmdlet_asks(string cmdlet)
    {
        var impact = Cases.Single(c => c.Cmdlet == cmdlet).Impact;
        var (host, before, after, run) = Execute(cmdlet, "N", string.Empty);
        run.AssertNoErrors();
        if (impact == ConfirmImpact.High)
        {
            Assert.NotEmpty(host.Prompts);
            Assert.Equal(before, after);
        }
        else
        {
            Assert.Empty(host.Prompts);
            Assert.NotEqual(before, after);
        }
    }

    [Theory]
    [MemberData(nameof(ForceCmdletNames))]
    public void Force_changes_without_asking(string cmdlet)
    {
        var (host, before, after, run) = Execute(cmdlet, "N", " -Force");
        run.AssertNoErrors();
        Assert.Empty(host.Prompts);
        Assert.NotEqual(before, after);
    }

    private (AnsweringHost Host, string Before, string After, Run Run) Execute(string cmdlet, string answer, string switches)
    {
        var @case = Cases.Single(c => c.Cmdlet == cmdlet);
        var host = new AnsweringHost(answer);
        using var engine = fx.Open(host);
        var probe = @case.Arrange(new Arrangement(fx, engine));
        var promptsBefore = host.Prompts.Count;
        var before = probe();
        var run = engine.Run(@case.Act + switches);
        var after = probe();
        Assert.Equal(0, promptsBefore);
        return (host, before, after, run);
    }

    private static (string Group, string Topic) GroupWithOffsets(Arrangement a)
    {
        var topic = a.Fx.NewTopic(1, "spgrp");
        a.Fx.AppendRecords(topic, 0, 10);
        var group = a.Set("group", EngineFixture.Unique("spgroup"));
        a.Fx.Cluster.State.CommitOffsets(group, topic, 0, 5);
        return (group, topic);
    }

    private static string AclsOn(EngineFixture fx, string resource) =>
        string.Join(";", fx.AclCluster.State.Acls.Where(b => b.ResourceName == resource).Select(b => $"{b.Principal} {b.Operation} {b.Permission}"));

    /// <summary>A catalog session, a Kafka connection asset ($conn) and a topic ($topic); returns the topic asset's qualified name.</summary>
    private static (string QualifiedName, string Topic) CatalogTopic(Arrangement a, bool publish)
    {
        var topic = a.Set("topic", a.Fx.NewTopic(1, "spcat"));
        a.Set("catalogName", EngineFixture.Unique("spkafka"));
        a.Run("Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken | Out-Null; $global:conn = New-CatalogKafkaConnection -Name $catalogName -AdminRole '$admin' -Confirm:$false");
        if (publish)
        {
            a.Run("Get-KafkaTopic -Name $topic -BootstrapServer $bs | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false | Out-Null");
        }

        var connectionQualifiedName = a.Engine.Run("$conn.QualifiedName").AssertNoErrors().Output.Single().ToString();
        return ($"{connectionQualifiedName}/topic/{topic}", topic);
    }

    /// <summary>A Polaris session, a topic ($topic) and a connection name ($name), created in Polaris when asked.</summary>
    private static string PolarisConnection(Arrangement a, bool create)
    {
        a.Set("topic", a.Fx.NewTopic(1, "sppol"));
        var name = a.Set("name", EngineFixture.Unique("sppolc"));
        a.Run("Connect-Polaris -BaseUri $polarisUri -ApiKey $polarisKey -ProjectId $polarisProject | Out-Null");
        if (create)
        {
            a.Run("New-PolarisKafkaConnection -Name $name -TopicName $topic -BootstrapServer $bs -Description original -Confirm:$false | Out-Null");
        }

        return name;
    }
}
