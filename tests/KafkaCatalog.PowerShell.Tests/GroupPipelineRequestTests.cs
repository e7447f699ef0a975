using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Tests.Infrastructure;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// <c>Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset</c> without double work, counted by TestKit for the
/// command's own client.id after the pipeline has ended (every request is answered by then; nothing is counted in
/// flight): an Empty group is described once in all (by the listing round; Get-KafkaConsumerGroupOffset takes the
/// groups and does not describe them again), its committed offsets are read once in all (Get-KafkaConsumerGroup's
/// read travels with the group while Get-KafkaConsumerGroup still runs), and every topic's metadata is read once per
/// invocation, however many batches of 64 groups pass. A group kept in a variable has its offsets read again.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class GroupPipelineRequestTests(EngineFixture fx)
{
    /// <summary>More than one batch of the offset service (64), so a per-batch request would show.</summary>
    private const int GroupCount = 70;

    [Fact]
    public void Groups_piped_into_offsets_are_described_and_fetched_once_and_metadata_is_read_once_per_invocation()
    {
        var (prefix, topic, groups) = Seed();
        using var engine = fx.Open();
        var clientId = EngineFixture.Unique("gpipe");
        engine.SetVariable("clientId", clientId);
        engine.SetVariable("pattern", prefix + "*");

        var run = engine.Run("$env:KAFKA_CLIENT_ID = $clientId; try { Get-KafkaConsumerGroup -GroupId $pattern -BootstrapServer $bs | Get-KafkaConsumerGroupOffset -BootstrapServer $bs } finally { Remove-Item Env:KAFKA_CLIENT_ID }").AssertNoErrors();

        var rows = run.Objects<KafkaConsumerGroupOffset>();
        Assert.Equal(GroupCount * 2, rows.Count);
        Assert.All(rows, r => Assert.Equal(topic, r.Topic));
        Assert.Equal(groups.Sum(g => g.Lag), rows.Sum(r => r.Lag));

        // Two invocations, one all-topic metadata read each (not one per 64 groups).
        Assert.Equal(2, fx.Cluster.State.AllTopicsMetadataRequestsBy(clientId));

        // Each (Empty) group: named once by the listing's DescribeGroups round, never again (not by
        // Get-KafkaConsumerGroup, not by Get-KafkaConsumerGroupOffset).
        foreach (var (id, _) in groups)
        {
            var byVersion = fx.Cluster.State.GroupDescriptionsBy(clientId, id);
            Assert.True(byVersion.Values.Sum() == 1, $"group {id} was described {Show(byVersion)}; expected once, by the listing");
        }

        // One OffsetFetch per group in all: Get-KafkaConsumerGroupOffset used what Get-KafkaConsumerGroup read.
        Assert.Equal(GroupCount, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, clientId));
    }

    [Fact]
    public void Groups_kept_in_a_variable_have_their_offsets_read_again()
    {
        var (prefix, topic, groups) = Seed();
        using var engine = fx.Open();
        var readClient = EngineFixture.Unique("gvar");
        engine.SetVariable("clientId", readClient);
        engine.SetVariable("pattern", prefix + "*");
        engine.Run("$env:KAFKA_CLIENT_ID = $clientId; try { $global:kept = Get-KafkaConsumerGroup -GroupId $pattern -BootstrapServer $bs } finally { Remove-Item Env:KAFKA_CLIENT_ID }").AssertNoErrors();

        // The first group catches up on partition 0 after it was read.
        fx.Cluster.State.CommitOffsets(groups[0].Id, topic, 0, 100);
        var lagClient = EngineFixture.Unique("gvar2");
        engine.SetVariable("clientId", lagClient);
        var rows = engine.Run("$env:KAFKA_CLIENT_ID = $clientId; try { $global:kept | Get-KafkaConsumerGroupOffset -BootstrapServer $bs } finally { Remove-Item Env:KAFKA_CLIENT_ID }")
            .AssertNoErrors().Objects<KafkaConsumerGroupOffset>();

        var caughtUp = Assert.Single(rows, r => r.GroupId == groups[0].Id && r.Partition == 0);
        Assert.Equal(100, caughtUp.CommittedOffset);
        Assert.Equal(0, caughtUp.Lag);
        Assert.Equal(GroupCount, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, lagClient));
        Assert.Equal(groups.Skip(1).Sum(g => g.Lag), rows.Sum(r => r.Lag));
    }

    [Fact]
    public void Offsets_of_a_pattern_read_metadata_once_and_describe_no_empty_group()
    {
        var (prefix, _, groups) = Seed();
        using var engine = fx.Open();
        var clientId = EngineFixture.Unique("gpat");
        engine.SetVariable("clientId", clientId);
        engine.SetVariable("pattern", prefix + "*");

        var rows = engine.Run("$env:KAFKA_CLIENT_ID = $clientId; try { Get-KafkaConsumerGroupOffset -GroupId $pattern -BootstrapServer $bs } finally { Remove-Item Env:KAFKA_CLIENT_ID }").AssertNoErrors().Objects<KafkaConsumerGroupOffset>();

        Assert.Equal(GroupCount * 2, rows.Count);
        Assert.Equal(1, fx.Cluster.State.AllTopicsMetadataRequestsBy(clientId));

        // The groups are Empty (offsets, no members): the listing round names each once and nothing describes them again.
        Assert.All(groups, g => Assert.Equal(1, fx.Cluster.State.GroupDescriptionsBy(clientId, g.Id).Values.Sum()));
    }

    [Fact]
    public void Group_ids_by_property_name_still_bind_and_are_batched_with_one_metadata_read()
    {
        var (_, topic, groups) = Seed();
        using var engine = fx.Open();
        var clientId = EngineFixture.Unique("gprop");
        engine.SetVariable("clientId", clientId);
        engine.SetVariable("ids", groups.Select(g => g.Id).ToArray());
        var csv = Path.Combine(Path.GetTempPath(), clientId + ".csv");
        engine.SetVariable("csv", csv);
        try
        {
            var rows = engine.Run("$ids | ForEach-Object { [pscustomobject]@{ GroupId = $_ } } | Export-Csv -Path $csv; $env:KAFKA_CLIENT_ID = $clientId; try { Import-Csv $csv | Get-KafkaConsumerGroupOffset -BootstrapServer $bs } finally { Remove-Item Env:KAFKA_CLIENT_ID }")
                .AssertNoErrors().Objects<KafkaConsumerGroupOffset>();

            Assert.Equal(GroupCount * 2, rows.Count);
            Assert.Equal(groups.Select(g => g.Id).Order(StringComparer.Ordinal), rows.Select(r => r.GroupId).Distinct().Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Equal(topic, r.Topic));
            Assert.Equal(1, fx.Cluster.State.AllTopicsMetadataRequestsBy(clientId));

            // Plain ids are described (one DescribeConsumerGroups each), not listed.
            Assert.Equal(0, fx.Cluster.RequestCount(ApiKeys.ListGroups, clientId));
            Assert.All(groups, g => Assert.True(fx.Cluster.State.GroupDescriptionsBy(clientId, g.Id).Values.Sum() == 1, $"{g.Id}: {fx.Cluster.State.DescribeGroupsLog(g.Id)}"));
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void A_piped_group_without_an_id_is_EmptyGroupId_and_nothing_is_read()
    {
        using var engine = fx.Open();
        var clientId = EngineFixture.Unique("gbad");
        engine.SetVariable("clientId", clientId);

        var run = engine.Run("$env:KAFKA_CLIENT_ID = $clientId; try { [KafkaCatalog.Core.Kafka.KafkaConsumerGroup]@{ GroupId = ' '; State = 'Stable' } | Get-KafkaConsumerGroupOffset -BootstrapServer $bs } finally { Remove-Item Env:KAFKA_CLIENT_ID }");

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("EmptyGroupId,KafkaCatalog.PowerShell.Cmdlets.GetKafkaConsumerGroupOffsetCommand", error.FullyQualifiedErrorId);
        Assert.Empty(run.Objects<KafkaConsumerGroupOffset>());
        Assert.Equal(0, fx.Cluster.RequestCount(ApiKeys.OffsetFetch, clientId));
        Assert.Equal(0, fx.Cluster.RequestCount(ApiKeys.DescribeGroups, clientId));
    }

    [Fact]
    public void A_piped_object_that_is_no_group_is_NotAConsumerGroup_and_nothing_is_sent()
    {
        using var engine = fx.Open();
        var clientId = EngineFixture.Unique("gnot");
        engine.SetVariable("clientId", clientId);

        var run = engine.Run("$env:KAFKA_CLIENT_ID = $clientId; try { [datetime]::UnixEpoch | Get-KafkaConsumerGroupOffset -BootstrapServer $bs } finally { Remove-Item Env:KAFKA_CLIENT_ID }");

        var error = Assert.Single(run.AllErrors);
        Assert.Equal("NotAConsumerGroup,KafkaCatalog.PowerShell.Cmdlets.GetKafkaConsumerGroupOffsetCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(run.Objects<KafkaConsumerGroupOffset>());
        for (short api = 0; api < 100; api++)
        {
            Assert.Equal(0, fx.Cluster.RequestCount(api, clientId));
        }
    }

    [Fact]
    public void Group_id_strings_pipe_in_by_value()
    {
        var (_, topic, groups) = Seed();
        using var engine = fx.Open();
        engine.SetVariable("ids", groups.Take(3).Select(g => g.Id).ToArray());

        var rows = engine.Run("$ids | Get-KafkaConsumerGroupOffset -BootstrapServer $bs").AssertNoErrors().Objects<KafkaConsumerGroupOffset>();

        Assert.Equal(groups.Take(3).Select(g => g.Id), rows.Select(r => r.GroupId).Distinct());
        Assert.All(rows, r => Assert.Equal(topic, r.Topic));
        Assert.Equal(groups.Take(3).Sum(g => g.Lag), rows.Sum(r => r.Lag));
    }

    /// <summary>A topic with records on 2 partitions and <see cref="GroupCount"/> Empty groups committed on it (each with its own lag).</summary>
    private (string Prefix, string Topic, List<(string Id, long Lag)> Groups) Seed()
    {
        var topic = fx.NewTopic(partitions: 2, prefix: "gpipe");
        fx.AppendRecords(topic, 0, 100);
        fx.AppendRecords(topic, 1, 100);
        var prefix = EngineFixture.Unique("gp");
        var groups = new List<(string, long)>();
        for (var i = 0; i < GroupCount; i++)
        {
            var id = $"{prefix}-{i:D3}";
            fx.Cluster.State.CommitOffsets(id, topic, 0, i);
            fx.Cluster.State.CommitOffsets(id, topic, 1, 100);
            groups.Add((id, 100 - i));
        }

        return (prefix, topic, groups);
    }

    private static string Show(IReadOnlyDictionary<short, int> byVersion) =>
        byVersion.Count == 0 ? "never" : string.Join(", ", byVersion.OrderBy(kv => kv.Key).Select(kv => $"v{kv.Key}: {kv.Value}x"));
}
