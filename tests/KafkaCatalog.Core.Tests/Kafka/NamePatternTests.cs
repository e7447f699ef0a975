using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class NamePatternTests
{
    [Theory]
    [InlineData("orders*", "orders", true)]
    [InlineData("orders*", "orders.eu", true)]
    [InlineData("orders*", "ORDERS-2", true)]
    [InlineData("orders*", "my-orders", false)]
    [InlineData("*-dlq", "billing-dlq", true)]
    [InlineData("t?p", "tmp", true)]
    [InlineData("t?p", "tp", false)]
    [InlineData("log[0-2]", "log1", true)]
    [InlineData("log[0-2]", "log3", false)]
    [InlineData("log[ab]", "logb", true)]
    [InlineData("a.b*", "axb", false)]
    [InlineData("*", "__consumer_offsets", true)]
    public void Wildcards_match_like_PowerShell(string pattern, string name, bool expected) =>
        Assert.Equal(expected, NamePattern.Parse(pattern).IsMatch(name));

    [Fact]
    public void Plain_names_match_exactly_and_case_sensitively()
    {
        var pattern = NamePattern.Parse("Orders");
        Assert.False(pattern.HasWildcards);
        Assert.True(pattern.IsMatch("Orders"));
        Assert.False(pattern.IsMatch("orders"));
        Assert.False(pattern.IsMatch("Orders2"));
    }

    [Fact]
    public void Backtick_escapes_a_wildcard_character()
    {
        var pattern = NamePattern.Parse("odd`*name");
        Assert.False(pattern.HasWildcards);
        Assert.Equal("odd*name", pattern.Literal);
        Assert.True(pattern.IsMatch("odd*name"));
        Assert.False(pattern.IsMatch("oddXname"));
    }

    [Fact]
    public void Unclosed_bracket_is_a_clear_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => NamePattern.Parse("log[0-2"));
        Assert.Contains("without a closing ']'", ex.Message);
    }

    [Fact]
    public void No_patterns_match_everything() =>
        Assert.True(NamePattern.MatchesAny(Array.Empty<NamePattern>(), "anything"));

    [Fact]
    public void Any_of_several_patterns_matches()
    {
        var patterns = new[] { NamePattern.Parse("a*"), NamePattern.Parse("exact") };
        Assert.True(NamePattern.MatchesAny(patterns, "abc"));
        Assert.True(NamePattern.MatchesAny(patterns, "exact"));
        Assert.False(NamePattern.MatchesAny(patterns, "b"));
    }
}
