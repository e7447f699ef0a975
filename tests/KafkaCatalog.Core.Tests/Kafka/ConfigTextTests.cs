using System.Collections;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class ConfigTextTests
{
    [Fact]
    public void Hashtable_values_become_invariant_text()
    {
        var table = new Hashtable { ["retention.ms"] = 86400000L, ["cleanup.policy"] = "compact", ["unclean.leader.election.enable"] = false, ["min.cleanable.dirty.ratio"] = 0.5 };
        var parsed = ConfigText.Parse(table);

        Assert.Equal("86400000", parsed["retention.ms"]);
        Assert.Equal("compact", parsed["cleanup.policy"]);
        Assert.Equal("false", parsed["unclean.leader.election.enable"]);
        Assert.Equal("0.5", parsed["min.cleanable.dirty.ratio"]);
    }

    [Fact]
    public void Csv_style_text_is_split_on_semicolons()
    {
        var parsed = ConfigText.Parse("retention.ms=1000; cleanup.policy = compact,delete");
        Assert.Equal(2, parsed.Count);
        Assert.Equal("1000", parsed["retention.ms"]);
        Assert.Equal("compact,delete", parsed["cleanup.policy"]);
    }

    [Fact]
    public void Arrays_become_comma_lists() =>
        Assert.Equal("compact,delete", ConfigText.Parse(new Hashtable { ["cleanup.policy"] = new[] { "compact", "delete" } })["cleanup.policy"]);

    [Fact]
    public void Null_is_empty() => Assert.Empty(ConfigText.Parse(null));

    [Theory]
    [InlineData("retention.ms")]
    [InlineData("=5")]
    [InlineData("a=1;justakey")]
    public void Text_without_key_value_pairs_is_refused(string text)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConfigText.Parse(text, "-Config"));
        Assert.Equal("InvalidConfig", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains("-Config", ex.Message);
    }

    [Fact]
    public void Null_value_is_refused()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConfigText.Parse(new Hashtable { ["retention.ms"] = null }));
        Assert.Contains("'retention.ms' has no value", ex.Message);
    }

    [Fact]
    public void Empty_key_is_refused() =>
        Assert.Equal("InvalidConfig", Assert.Throws<KafkaCatalogException>(() => ConfigText.Parse(new Hashtable { [" "] = "1" })).ErrorId);

    [Fact]
    public void Other_types_are_refused() =>
        Assert.Equal("InvalidConfig", Assert.Throws<KafkaCatalogException>(() => ConfigText.Parse(42)).ErrorId);
}
