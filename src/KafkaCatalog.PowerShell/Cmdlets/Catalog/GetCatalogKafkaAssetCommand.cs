using System.Management.Automation;
using KafkaCatalog.Core.Catalog;

namespace KafkaCatalog.PowerShell.Cmdlets.Catalog;

/// <summary>Finds a connection's Kafka topics and consumer groups in the catalog (index search, paged, streamed).</summary>
[Cmdlet(VerbsCommon.Get, "CatalogKafkaAsset")]
[OutputType(typeof(CatalogKafkaAsset))]
public sealed class GetCatalogKafkaAssetCommand : CatalogCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateSet("All", "Topic", "ConsumerGroup")]
    public string AssetType { get; set; } = "All";

    /// <summary>The Kafka connection in the catalog; defaults to the session's. Binds from New-CatalogKafkaConnection.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ConnectionQualifiedName { get; set; }

    /// <summary>Also return archived (soft-deleted) assets.</summary>
    [Parameter]
    public SwitchParameter IncludeArchived { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 100;

    protected override void ProcessRecord()
    {
        var catalog = ResolveCatalog();
        var query = new CatalogAssetQuery
        {
            ConnectionQualifiedName = ResolveConnectionQualifiedName(catalog, ConnectionQualifiedName),
            TypeNames = AssetType switch
            {
                "Topic" => new[] { CatalogTypeNames.KafkaTopic },
                "ConsumerGroup" => new[] { CatalogTypeNames.KafkaConsumerGroup },
                _ => Array.Empty<string>(),
            },
            Names = Name ?? Array.Empty<string>(),
            IncludeArchived = IncludeArchived.IsPresent,
            PageSize = PageSize,
        };
        RunAsync(async token =>
        {
            await foreach (var asset in CatalogAssetSearch.SearchAsync(catalog, query, CreateSink(), token).ConfigureAwait(false))
            {
                Emit(asset);
            }
        });
    }
}
