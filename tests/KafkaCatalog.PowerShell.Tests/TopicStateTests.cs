using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.TopicState;
using KafkaCatalog.PowerShell.Tests.Infrastructure;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Compare-KafkaTopic and Sync-KafkaTopic in a real runspace: a -RemoveMissing deletion is a ConfirmImpact
/// High change inside a Medium command (asked at the default $ConfirmPreference; -Force and -Confirm:$false
/// skip the question; -WhatIf reports it), pipeline input, and bad input with no side effect.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class TopicStateTests(EngineFixture fx)
{
    /// <summary>A scope of two topics, one desired (in a desired-state file, $path) and one Missing ($missing).</summary>
    private (string Kept, string Missing) Scope(Engine engine)
    {
        var prefix = EngineFixture.Unique("tsrm");
        engine.SetVariable("scope", prefix + "-*");
        var kept = prefix + "-kept";
        var missing = prefix + "-gone";
        fx.Cluster.State.CreateTopic(kept, 1, 1);
        fx.Cluster.State.CreateTopic(missing, 1, 1);
        var path = Path.Combine(Path.GetTempPath(), prefix + ".yaml");
        File.WriteAllText(path, $"topics:\n  - name: {kept}\n    partitions: 1\n");
        engine.SetVariable("path", path);
        engine.SetVariable("missing", missing);
        return (kept, missing);
    }

    [Fact]
    public void RemoveMissing_asks_at_the_default_ConfirmPreference_and_No_keeps_the_topic()
    {
        var host = new AnsweringHost("N");
        using var engine = fx.Open(host);
        var (kept, missing) = Scope(engine);
        engine.Run("Sync-KafkaTopic -Path $path -Scope $scope -RemoveMissing -BootstrapServer $bs").AssertNoErrors();
        Assert.Single(host.Prompts);
        Assert.Contains(missing, host.Prompts[0], StringComparison.Ordinal);
        Assert.NotNull(fx.Cluster.State.GetTopic(missing));
        Assert.NotNull(fx.Cluster.State.GetTopic(kept));
    }

    [Fact]
    public void RemoveMissing_answered_Yes_deletes_only_the_missing_topic_in_scope()
    {
        var host = new AnsweringHost("Y");
        using var engine = fx.Open(host);
        var (kept, missing) = Scope(engine);
        var outside = fx.NewTopic(1, "tsoutside");
        var run = engine.Run("Sync-KafkaTopic -Path $path -Scope $scope -RemoveMissing -BootstrapServer $bs").AssertNoErrors();
        Assert.Single(host.Prompts);
        var result = Assert.Single(run.Objects<KafkaTopicSyncResult>());
        Assert.Equal((missing, KafkaTopicDifferenceKind.Missing, "Applied"), (result.Topic, result.Kind, result.Status));
        Assert.Null(fx.Cluster.State.GetTopic(missing));
        Assert.NotNull(fx.Cluster.State.GetTopic(kept));
        Assert.NotNull(fx.Cluster.State.GetTopic(outside));
    }

    [Theory]
    [InlineData(" -Force")]
    [InlineData(" -Confirm:$false")]
    public void RemoveMissing_with_Force_or_Confirm_false_deletes_without_asking(string switches)
    {
        var host = new AnsweringHost("N");
        using var engine = fx.Open(host);
        var (_, missing) = Scope(engine);
        engine.Run("Sync-KafkaTopic -Path $path -Scope $scope -RemoveMissing -BootstrapServer $bs" + switches).AssertNoErrors();
        Assert.Empty(host.Prompts);
        Assert.Null(fx.Cluster.State.GetTopic(missing));
    }

    [Fact]
    public void WhatIf_shows_the_deletion_and_deletes_nothing_even_with_Force()
    {
        var host = new AnsweringHost("Y");
        using var engine = fx.Open(host);
        var (_, missing) = Scope(engine);
        var run = engine.Run("Sync-KafkaTopic -Path $path -Scope $scope -RemoveMissing -Force -BootstrapServer $bs -WhatIf").AssertNoErrors();
        Assert.Empty(host.Prompts);
        Assert.Empty(run.Output);
        Assert.Contains(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal) && l.Contains(missing, StringComparison.Ordinal));
        Assert.NotNull(fx.Cluster.State.GetTopic(missing));
    }

    [Fact]
    public void Without_RemoveMissing_a_missing_topic_is_a_warning_and_NotApplied()
    {
        using var engine = fx.Open(new AnsweringHost("Y"));
        var (_, missing) = Scope(engine);
        var run = engine.Run("Sync-KafkaTopic -Path $path -Scope $scope -BootstrapServer $bs").AssertNoErrors();
        Assert.Equal("NotApplied", Assert.Single(run.Objects<KafkaTopicSyncResult>()).Status);
        Assert.Contains(run.Warnings, w => w.Contains("-RemoveMissing", StringComparison.Ordinal));
        Assert.NotNull(fx.Cluster.State.GetTopic(missing));
    }

    [Fact]
    public void Hashtables_and_Get_KafkaTopic_output_are_desired_states_from_the_pipeline()
    {
        using var engine = fx.Open();
        var name = EngineFixture.Unique("tspipe");
        engine.SetVariable("name", name);
        var run = engine.Run("@{ Name = $name; Partitions = 2; Config = @{ 'retention.ms' = 1234 } } | Sync-KafkaTopic -BootstrapServer $bs").AssertNoErrors();
        Assert.Equal("Applied", Assert.Single(run.Objects<KafkaTopicSyncResult>()).Status);
        Assert.Equal("1234", fx.Cluster.State.GetTopic(name)!.Configs["retention.ms"]);

        var compare = engine.Run("Get-KafkaTopic -Name $name -BootstrapServer $bs | Compare-KafkaTopic -BootstrapServer $bs").AssertNoErrors();
        Assert.Empty(compare.Output);
        compare = engine.Run("@{ Name = $name; Partitions = 3 } | Compare-KafkaTopic -BootstrapServer $bs").AssertNoErrors();
        Assert.Equal(KafkaTopicDifferenceKind.AddPartitions, Assert.Single(compare.Objects<KafkaTopicDifference>()).Kind);
    }

    [Theory]
    [InlineData("@{ Name = $name }, @{ Name = $name } | Sync-KafkaTopic -BootstrapServer $bs", "DesiredStateDuplicateTopic")]
    [InlineData("@{ Name = $name; Partitions = 'many' } | Sync-KafkaTopic -BootstrapServer $bs", "DesiredStateInvalidPartitions")]
    [InlineData("Sync-KafkaTopic -Path ./no-such-file.yaml -BootstrapServer $bs", "DesiredStateFileNotFound")]
    [InlineData("Sync-KafkaTopic -Path ./topics.txt -BootstrapServer $bs", "DesiredStateUnknownFormat")]
    [InlineData("@{ Name = $name } | Sync-KafkaTopic -Scope '[' -BootstrapServer $bs", "InvalidNamePattern")]
    public void Bad_input_is_a_terminating_error_with_its_id_and_creates_nothing(string script, string errorId)
    {
        using var engine = fx.Open();
        var name = EngineFixture.Unique("tsbad");
        engine.SetVariable("name", name);
        // Only a terminating error reaches the catch block.
        var run = engine.Run($"try {{ {script} }} catch {{ 'caught ' + $_.FullyQualifiedErrorId }}");
        var caught = Assert.Single(run.Output).ToString();
        Assert.StartsWith($"caught {errorId},", caught, StringComparison.Ordinal);
        Assert.Null(fx.Cluster.State.GetTopic(name));
    }
}
