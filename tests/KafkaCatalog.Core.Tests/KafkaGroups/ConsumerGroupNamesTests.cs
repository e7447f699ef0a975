using KafkaCatalog.Core.Kafka.Groups;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

public class ConsumerGroupNamesTests
{
    [Theory]
    [InlineData("billing*", "billing-eu", true)]
    [InlineData("billing*", "Billing-EU", true)]
    [InlineData("billing*", "audit", false)]
    [InlineData("b?lling", "billing", true)]
    [InlineData("[ab]udit", "audit", true)]
    [InlineData("[ab]udit", "cudit", false)]
    [InlineData("exact.name", "exact.name", true)]
    [InlineData("exact.name", "exactXname", false)]
    [InlineData("exact.name", "Exact.Name", false)]
    [InlineData("a+b", "a+b", true)]
    public void Wildcards_match_like_PowerShell(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, ConsumerGroupNames.CreateMatcher([pattern])(name));
    }

    [Fact]
    public void No_pattern_matches_everything()
    {
        Assert.True(ConsumerGroupNames.CreateMatcher(null)("anything"));
        Assert.True(ConsumerGroupNames.CreateMatcher([])("anything"));
    }

    [Fact]
    public void Any_of_several_patterns_matches()
    {
        var match = ConsumerGroupNames.CreateMatcher(["a*", "b*"]);
        Assert.True(match("beta"));
        Assert.False(match("gamma"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Empty_group_id_is_rejected(string? groupId)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ConsumerGroupNames.EnsureValidGroupId(groupId));
        Assert.Equal("EmptyGroupId", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
    }
}
