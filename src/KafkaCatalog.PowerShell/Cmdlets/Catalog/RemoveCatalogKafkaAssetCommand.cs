using System.Management.Automation;
using KafkaCatalog.Core.Catalog;

namespace KafkaCatalog.PowerShell.Cmdlets.Catalog;

/// <summary>
/// Removes Kafka assets from the catalog, consumer groups before topics, then optionally their
/// connection. SOFT (archive) by default; -DeleteType Hard or Purge removes them.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "CatalogKafkaAsset", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = AssetSet)]
[OutputType(typeof(CatalogAssetResult))]
public sealed class RemoveCatalogKafkaAssetCommand : CatalogCmdlet
{
    private const string AssetSet = "Asset";
    private const string ConnectionSet = "Connection";
    private readonly List<CatalogAssetReference> _assets = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AssetSet)]
    [ValidateNotNullOrEmpty]
    public string QualifiedName { get; set; } = string.Empty;

    /// <summary>KafkaTopic or KafkaConsumerGroup; inferred from the qualifiedName when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AssetSet)]
    [ValidateSet("KafkaTopic", "KafkaConsumerGroup")]
    public string? TypeName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AssetSet)]
    public string? Guid { get; set; }

    /// <summary>After the assets, remove the connection(s) they belong to, with everything left in them.</summary>
    [Parameter(ParameterSetName = AssetSet)]
    public SwitchParameter IncludeConnection { get; set; }

    /// <summary>Remove every topic and group of this connection, then the connection itself.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionSet)]
    public string ConnectionQualifiedName { get; set; } = string.Empty;

    [Parameter]
    public CatalogDeleteType DeleteType { get; set; } = CatalogDeleteType.Soft;

    /// <summary>Skip the confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == AssetSet)
        {
            var type = TypeName ?? (QualifiedName.Contains("/consumer-group/", StringComparison.Ordinal) ? CatalogTypeNames.KafkaConsumerGroup : CatalogTypeNames.KafkaTopic);
            _assets.Add(new CatalogAssetReference(type, QualifiedName, string.IsNullOrEmpty(Guid) ? null : Guid));
        }
    }

    protected override void EndProcessing()
    {
        var catalog = ResolveCatalog();
        var options = new CatalogDeleteOptions { DeleteType = DeleteType };
        var connections = ParameterSetName == ConnectionSet
            ? new List<string> { ResolveConnectionQualifiedName(catalog, ConnectionQualifiedName) }
            : IncludeConnection.IsPresent
                ? _assets.Select(a => QualifiedNames.ConnectionOf(a.QualifiedName)).Where(c => c is not null).Select(c => c!).Distinct(StringComparer.Ordinal).ToList()
                : new List<string>();
        var approval = Approval(Force);
        bool Approve(string action) => approval.Approve(catalog.BaseUri.ToString(), action);

        RunAsync(async token =>
        {
            var sink = CreateSink();
            await foreach (var result in CatalogAssetDeleter.DeleteAsync(catalog, _assets, options, sink, Approve, token).ConfigureAwait(false))
            {
                EmitResult(result);
            }

            foreach (var connection in connections)
            {
                await foreach (var result in CatalogAssetDeleter.DeleteConnectionAsync(catalog, connection, options, sink, Approve, token).ConfigureAwait(false))
                {
                    EmitResult(result);
                }
            }
        });
    }
}
