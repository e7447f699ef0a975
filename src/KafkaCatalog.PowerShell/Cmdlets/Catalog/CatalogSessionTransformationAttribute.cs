using System.Management.Automation;
using KafkaCatalog.Core.Catalog;

namespace KafkaCatalog.PowerShell.Cmdlets.Catalog;

/// <summary>
/// Lets -CatalogConnection take what the README passes it: the CatalogConnection of Connect-Catalog,
/// or the CatalogKafkaConnection of New-CatalogKafkaConnection, which stands for its catalog session
/// with that Kafka connection as the default.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class CatalogSessionTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            CatalogKafkaConnection connection => connection.ToCatalogSession()
                ?? throw new ArgumentTransformationMetadataException(
                    $"The Kafka connection '{connection.Name}' ({connection.QualifiedName}) carries no catalog session. Pass the session of Connect-Catalog to -CatalogConnection and '{connection.QualifiedName}' to -ConnectionQualifiedName."),
            _ => inputData,
        };
    }
}
