using KafkaCatalog.Module.Tests.Infrastructure;

namespace KafkaCatalog.Module.Tests;

/// <summary>
/// Get-KafkaConsumerGroupOffset's pipeline input, as the compiled assembly declares it: -InputObject takes the
/// piped objects by value in every parameter set (typed object, so PowerShell never coerces an Import-Csv row into
/// an empty KafkaConsumerGroup), and -GroupId still binds by property name. The engine tests
/// (GroupPipelineRequestTests) run both for real.
/// </summary>
[Collection(MetadataLoadContextCollection.Name)]
public sealed class GroupOffsetInputContractTests
{
    private static CmdletDescriptor Cmdlet => ModuleUnderTest.Real.Assembly.Find("Get-KafkaConsumerGroupOffset")
        ?? throw new InvalidOperationException("Get-KafkaConsumerGroupOffset is not in the assembly.");

    [Fact]
    public void InputObject_binds_by_value_in_every_parameter_set_as_object()
    {
        var input = Cmdlet.Parameter("InputObject");
        Assert.NotNull(input);
        Assert.Equal("System.Object[]", input.Type.FullName);
        Assert.True(input.ByValue);
        Assert.False(input.ByPropertyName);
        Assert.False(input.Mandatory);
        Assert.All(Cmdlet.ParameterSetNames, set => Assert.True(input.InSet(set), $"-InputObject is not in parameter set {set}"));
    }

    [Fact]
    public void GroupId_still_binds_by_property_name_and_position_0()
    {
        var groupId = Cmdlet.Parameter("GroupId");
        Assert.NotNull(groupId);
        Assert.True(groupId.ByPropertyName);
        Assert.False(groupId.ByValue);
        Assert.All(groupId.Bindings, b => Assert.Equal(0, b.Position));
        Assert.Contains("Group", groupId.Aliases);
    }
}
