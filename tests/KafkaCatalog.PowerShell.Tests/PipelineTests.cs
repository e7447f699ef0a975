using System.Management.Automation;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.PowerShell.Tests.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Every row of "Pipelines that must work" (design/architecture.md), run for real: the upstream
/// cmdlet's objects reach the downstream cmdlet through PowerShell's own parameter binder, and the
/// downstream result (objects, cluster, catalog or Polaris state) shows it acted on exactly those
/// objects. Each row uses names only it creates, so rows never depend on one another.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PipelineTests(EngineFixture fx)
{
    /// <summary>Get-KafkaTopic -Name 'orders*' | Get-KafkaTopicConfig</summary>
    [Fact]
    public void Topics_by_wildcard_pipe_into_Get_KafkaTopicConfig()
    {
        var prefix = EngineFixture.Unique("pcfg");
        fx.Cluster.State.CreateTopic(prefix + "-a", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "111111" });
        fx.Cluster.State.CreateTopic(prefix + "-b", 2, 1, new Dictionary<string, string> { ["retention.ms"] = "222222" });
        fx.Cluster.State.CreateTopic("other-" + prefix, 1, 1, new Dictionary<string, string> { ["retention.ms"] = "333333" });
        using var engine = fx.Open();
        engine.SetVariable("pattern", prefix + "*");

        var run = engine.Run("Get-KafkaTopic -Name $pattern -BootstrapServer $bs | Get-KafkaTopicConfig -ConfigName retention.ms").AssertNoErrors();

        var entries = run.Objects<KafkaConfigEntry>().OrderBy(e => e.ResourceName, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { prefix + "-a", prefix + "-b" }, entries.Select(e => e.ResourceName));
        Assert.Equal(new[] { "111111", "222222" }, entries.Select(e => e.Value));
        Assert.All(entries, e => Assert.Equal("retention.ms", e.Name));
    }

    /// <summary>Get-KafkaTopic -Name 'tmp-*' | Remove-KafkaTopic -WhatIf</summary>
    [Fact]
    public void Topics_by_wildcard_pipe_into_Remove_KafkaTopic_WhatIf_which_names_each_and_deletes_none()
    {
        var prefix = EngineFixture.Unique("ptmp");
        var names = new[] { prefix + "-1", prefix + "-2" };
        foreach (var name in names)
        {
            fx.Cluster.State.CreateTopic(name, 1, 1);
        }

        var host = new AnsweringHost("N");
        using var engine = fx.Open(host);
        engine.SetVariable("pattern", prefix + "-*");

        var run = engine.Run("Get-KafkaTopic -Name $pattern -BootstrapServer $bs | Remove-KafkaTopic -WhatIf").AssertNoErrors();

        Assert.Empty(run.Output);
        Assert.Empty(host.Prompts);
        var whatIf = host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, whatIf.Count);
        foreach (var name in names)
        {
            Assert.Single(whatIf, l => l.Contains($"'{name}'", StringComparison.Ordinal));
            Assert.NotNull(fx.Cluster.State.GetTopic(name));
        }
    }

    /// <summary>Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset | Where-Object Lag -gt 1000</summary>
    [Fact]
    public void Groups_pipe_into_offsets_and_lag_filters_with_Where_Object()
    {
        var topic = fx.NewTopic(partitions: 2, prefix: "plag");
        fx.AppendRecords(topic, 0, 1500);
        fx.AppendRecords(topic, 1, 1500);
        var lagging = EngineFixture.Unique("lagging");
        var current = EngineFixture.Unique("current");
        fx.Cluster.State.CommitOffsets(lagging, topic, 0, 100);   // lag 1400
        fx.Cluster.State.CommitOffsets(lagging, topic, 1, 1000);  // lag 500
        fx.Cluster.State.CommitOffsets(current, topic, 0, 1490);  // lag 10
        fx.Cluster.State.CommitOffsets(current, topic, 1, 1500);  // lag 0
        using var engine = fx.Open();

        var run = engine.Run("Connect-KafkaCluster -BootstrapServer $bs -Name pipe-lag | Out-Null; Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset | Where-Object Lag -gt 1000").AssertNoErrors();

        var rows = run.Objects<KafkaConsumerGroupOffset>();
        var mine = rows.Where(r => r.Topic == topic).ToList();
        var row = Assert.Single(mine);
        Assert.Equal(lagging, row.GroupId);
        Assert.Equal(0, row.Partition);
        Assert.Equal(1400, row.Lag);
        Assert.All(rows, r => Assert.True(r.Lag > 1000));

        // Every group the listing emitted reached Get-KafkaConsumerGroupOffset (the seeded ones too).
        var all = engine.Run("Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset").AssertNoErrors().Objects<KafkaConsumerGroupOffset>();
        Assert.Contains(all, r => r.GroupId == current && r.Topic == topic && r.Lag == 10);
        Assert.Contains(all, r => r.GroupId == "orders-processor" && r.Topic == "orders");
    }

    /// <summary>Get-KafkaConsumerGroup -GroupId billing | Reset-KafkaConsumerGroupOffset -ToEarliest -WhatIf</summary>
    [Fact]
    public void A_group_pipes_into_Reset_ToEarliest_WhatIf_which_plans_from_its_offsets_and_commits_nothing()
    {
        var topic = fx.NewTopic(partitions: 2, prefix: "preset");
        fx.AppendRecords(topic, 0, 20);
        fx.AppendRecords(topic, 1, 20);
        var billing = EngineFixture.Unique("billing");
        fx.Cluster.State.CommitOffsets(billing, topic, 0, 15);
        fx.Cluster.State.CommitOffsets(billing, topic, 1, 7);
        var host = new AnsweringHost("N");
        using var engine = fx.Open(host);
        engine.SetVariable("group", billing);

        var run = engine.Run("Get-KafkaConsumerGroup -GroupId $group -BootstrapServer $bs | Reset-KafkaConsumerGroupOffset -ToEarliest -WhatIf").AssertNoErrors();

        Assert.Empty(run.Output);
        Assert.Empty(host.Prompts);
        var whatIf = Assert.Single(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
        Assert.Contains($"consumer group '{billing}'", whatIf, StringComparison.Ordinal);
        Assert.Contains($"{topic}[0]: 15 -> 0", whatIf, StringComparison.Ordinal);
        Assert.Contains($"{topic}[1]: 7 -> 0", whatIf, StringComparison.Ordinal);
        Assert.Equal(15, fx.Cluster.State.GetCommittedOffset(billing, topic, 0));
        Assert.Equal(7, fx.Cluster.State.GetCommittedOffset(billing, topic, 1));
    }

    /// <summary>Get-KafkaTopic | Publish-CatalogKafkaAsset -CatalogConnection $conn</summary>
    [Fact]
    public void Every_listed_topic_pipes_into_Publish_CatalogKafkaAsset()
    {
        using var engine = fx.Open();
        var conn = NewCatalogConnection(engine);

        var run = engine.Run("Connect-KafkaCluster -BootstrapServer $bs -Name pipe-publish | Out-Null; $topics = @(Get-KafkaTopic); $topics.Name; Get-KafkaTopic | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false").AssertNoErrors();

        var listed = run.Output.Select(o => o.BaseObject).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var results = run.Objects<CatalogAssetResult>();
        Assert.Contains("orders", listed);
        Assert.Equal(listed, results.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(results, r => Assert.Equal(CatalogAssetStatus.Created, r.Status));
        Assert.All(results, r => Assert.Equal(conn.QualifiedName, r.ConnectionQualifiedName));
        var stored = fx.Atlan.Store.OfType(CatalogTypeNames.KafkaTopic).Where(e => e.ConnectionQualifiedName == conn.QualifiedName).ToList();
        Assert.Equal(listed, stored.Select(e => e.Name).Order(StringComparer.Ordinal));
        var orders = Assert.Single(stored, e => e.Name == "orders");
        Assert.Equal(6, orders.Attributes["kafkaTopicPartitionsCount"]?.GetValue<long>());
    }

    /// <summary>Get-KafkaConsumerGroup | Publish-CatalogKafkaAsset -CatalogConnection $conn</summary>
    [Fact]
    public void Every_listed_group_pipes_into_Publish_CatalogKafkaAsset()
    {
        using var engine = fx.Open();
        var conn = NewCatalogConnection(engine);

        // A group's asset references its topics' assets, so the topics go first (as in the README tour).
        engine.Run("Connect-KafkaCluster -BootstrapServer $bs -Name pipe-groups | Out-Null; Get-KafkaTopic | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false | Out-Null").AssertNoErrors();

        var run = engine.Run("@(Get-KafkaConsumerGroup).GroupId; Get-KafkaConsumerGroup | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false").AssertNoErrors();

        var listed = run.Output.Select(o => o.BaseObject).OfType<string>().Order(StringComparer.Ordinal).ToList();
        Assert.Contains("orders-processor", listed);
        var groups = run.Objects<CatalogAssetResult>().Where(r => r.TypeName == CatalogTypeNames.KafkaConsumerGroup).ToList();
        Assert.Equal(listed, groups.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(run.Objects<CatalogAssetResult>(), r => Assert.NotEqual(CatalogAssetStatus.Failed, r.Status));
        var stored = fx.Atlan.Store.OfType(CatalogTypeNames.KafkaConsumerGroup).Where(e => e.ConnectionQualifiedName == conn.QualifiedName).ToList();
        Assert.Equal(listed, stored.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["orders"], Assert.Single(stored, e => e.Name == "orders-processor").KafkaTopics.Select(q => q[(q.LastIndexOf('/') + 1)..]));
    }

    /// <summary>Sync-CatalogKafkaAsset -CatalogConnection $conn -WhatIf</summary>
    [Fact]
    public void Sync_WhatIf_reads_the_cluster_and_changes_nothing_in_the_catalog()
    {
        using var engine = fx.Open();
        var conn = NewCatalogConnection(engine);
        var stale = fx.NewTopic(partitions: 1, prefix: "pstale");
        engine.SetVariable("stale", stale);
        engine.Run("Get-KafkaTopic -Name orders, $stale -BootstrapServer $bs | Publish-CatalogKafkaAsset -CatalogConnection $conn -Confirm:$false").AssertNoErrors();
        fx.Cluster.State.DeleteTopic(stale);
        var before = Snapshot(conn.QualifiedName);
        var upserts = fx.Atlan.Requests.BulkUpserts;
        var deletes = fx.Atlan.Requests.BulkDeletes;

        var run = engine.Run("Connect-KafkaCluster -BootstrapServer $bs -Name pipe-sync | Out-Null; Sync-CatalogKafkaAsset -CatalogConnection $conn -ArchiveMissing -WhatIf").AssertNoErrors();

        var summary = Assert.Single(run.Objects<CatalogSyncSummary>());
        Assert.True(summary.IsWhatIf);
        Assert.Equal(conn.QualifiedName, summary.ConnectionQualifiedName);
        Assert.True(summary.Created > 0, "the topics and groups not yet published would be created");
        Assert.Equal(1, summary.Archived);
        Assert.Equal(before, Snapshot(conn.QualifiedName));
        Assert.Equal(upserts, fx.Atlan.Requests.BulkUpserts);
        Assert.Equal(deletes, fx.Atlan.Requests.BulkDeletes);
    }

    /// <summary>Import-Csv topics.csv | New-KafkaTopic</summary>
    [Fact]
    public void Csv_rows_pipe_into_New_KafkaTopic_with_their_partitions_and_replication_factor()
    {
        var prefix = EngineFixture.Unique("pcsv");
        var csv = Path.Combine(Path.GetTempPath(), prefix + ".csv");
        File.WriteAllLines(csv, ["Name,Partitions,ReplicationFactor", $"{prefix}-a,3,2", $"{prefix}-b,1,1", $"{prefix}-c,5,3"]);
        try
        {
            using var engine = fx.Open();
            engine.SetVariable("csv", csv);

            var run = engine.Run("Connect-KafkaCluster -BootstrapServer $bs -Name pipe-csv | Out-Null; Import-Csv $csv | New-KafkaTopic -PassThru").AssertNoErrors();

            Assert.Equal(new[] { prefix + "-a", prefix + "-b", prefix + "-c" }, run.Objects<KafkaTopic>().Select(t => t.Name));
            foreach (var (name, partitions, rf) in new[] { ("a", 3, 2), ("b", 1, 1), ("c", 5, 3) })
            {
                var topic = fx.Cluster.State.GetTopic($"{prefix}-{name}");
                Assert.NotNull(topic);
                Assert.Equal(partitions, topic!.Partitions.Count);
                Assert.Equal(rf, topic.ReplicationFactor);
            }
        }
        finally
        {
            File.Delete(csv);
        }
    }

    /// <summary>Get-KafkaTopic -Name 'clicks' | New-PolarisKafkaConnection | Start-PolarisIngestionJob -TableName clicks</summary>
    [Fact]
    public void A_topic_pipes_into_a_Polaris_connection_which_pipes_into_an_ingestion_job()
    {
        var topic = fx.NewTopic(partitions: 2, prefix: "pclicks");
        var table = EngineFixture.Unique("tclicks");
        using var engine = fx.Open();
        engine.SetVariable("topic", topic);
        engine.SetVariable("table", table);
        engine.Run("Connect-Polaris -BaseUri $polarisUri -ApiKey $polarisKey -ProjectId $polarisProject | Out-Null").AssertNoErrors();

        var run = engine.Run("Get-KafkaTopic -Name $topic -BootstrapServer $bs | New-PolarisKafkaConnection -Confirm:$false | Start-PolarisIngestionJob -TableName $table -CreateTable -Confirm:$false").AssertNoErrors();

        var job = Assert.Single(run.Objects<PolarisIngestionJob>());
        Assert.Equal(table, job.TableName);
        var stored = Assert.Single(fx.Polaris.Store.Jobs, j => j.Id == job.JobId);
        Assert.Equal(job.ConnectionName, stored.ConnectionName);
        var spec = fx.Polaris.Store.GetConnectionSpec(stored.ConnectionName);
        Assert.NotNull(spec);
        Assert.Equal(topic, spec!["topicName"]?.GetValue<string>());
        Assert.Equal(fx.BootstrapServers, spec["bootstrapServers"]?.GetValue<string>());
    }

    private static CatalogKafkaConnection NewCatalogConnection(Engine engine)
    {
        engine.SetVariable("catalogName", EngineFixture.Unique("kafka"));
        var run = engine.Run("Connect-Catalog -BaseUri $atlanUri -ApiToken $atlanToken | Out-Null; $conn = New-CatalogKafkaConnection -Name $catalogName -AdminRole '$admin' -Confirm:$false; $conn").AssertNoErrors();
        return Assert.Single(run.Objects<CatalogKafkaConnection>());
    }

    private string Snapshot(string connectionQualifiedName) => string.Join("\n", fx.Atlan.Store.All
        .Where(e => e.ConnectionQualifiedName == connectionQualifiedName)
        .OrderBy(e => e.QualifiedName, StringComparer.Ordinal)
        .Select(e => $"{e.TypeName} {e.QualifiedName} {e.Status} v{e.Version} {e.UpdateTime}"));
}
