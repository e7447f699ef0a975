using System.Management.Automation;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.PowerShell.Cmdlets.Catalog;

/// <summary>
/// Upserts Kafka topics and consumer groups from the pipeline into the catalog: topics first,
/// then groups, in batches; one result per asset. -AsPayload / -WhatIf emit the bulk JSON instead.
/// </summary>
[Cmdlet(VerbsData.Publish, "CatalogKafkaAsset", SupportsShouldProcess = true)]
[OutputType(typeof(CatalogAssetResult), typeof(string))]
public sealed class PublishCatalogKafkaAssetCommand : CatalogCmdlet
{
    private readonly List<object> _items = new();

    [Parameter(ValueFromPipeline = true)]
    public KafkaTopic[]? KafkaTopic { get; set; }

    [Parameter(ValueFromPipeline = true)]
    public KafkaConsumerGroup[]? KafkaConsumerGroup { get; set; }

    /// <summary>The Kafka connection in the catalog (default/kafka/&lt;epoch&gt;); defaults to the session's.</summary>
    [Parameter]
    public string? ConnectionQualifiedName { get; set; }

    [Parameter]
    public string? Description { get; set; }

    [Parameter]
    public string[]? OwnerUser { get; set; }

    [Parameter]
    public string[]? OwnerGroup { get; set; }

    [Parameter]
    [ValidateSet("VERIFIED", "DRAFT", "DEPRECATED")]
    public string? Certificate { get; set; }

    [Parameter]
    public string? CertificateMessage { get; set; }

    [Parameter]
    [ValidateRange(1, CatalogPublishOptions.MaxBatchSize)]
    public int BatchSize { get; set; } = CatalogPublishOptions.DefaultBatchSize;

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>Emit the bulk request bodies (JSON) instead of sending them.</summary>
    [Parameter]
    public SwitchParameter AsPayload { get; set; }

    protected override void ProcessRecord()
    {
        if (KafkaTopic is not null)
        {
            _items.AddRange(KafkaTopic);
        }

        if (KafkaConsumerGroup is not null)
        {
            _items.AddRange(KafkaConsumerGroup);
        }
    }

    protected override void EndProcessing()
    {
        var catalog = ResolveCatalog();
        var qn = ResolveConnectionQualifiedName(catalog, ConnectionQualifiedName);
        var decoration = new CatalogAssetDecoration
        {
            Description = Description,
            OwnerUsers = OwnerUser ?? Array.Empty<string>(),
            OwnerGroups = OwnerGroup ?? Array.Empty<string>(),
            CertificateStatus = Certificate,
            CertificateStatusMessage = CertificateMessage,
        };
        var options = new CatalogPublishOptions { BatchSize = BatchSize, MaxParallelism = ThrottleLimit };
        var approval = Approval();
        RunAsync(async token =>
        {
            var set = CatalogAssetBuilder.Build(qn, _items, decoration);
            if (AsPayload.IsPresent)
            {
                foreach (var rejected in set.Rejected)
                {
                    EmitResult(rejected);
                }

                foreach (var batch in CatalogPublisher.Batches(set, options, indented: true))
                {
                    Emit(batch.Json);
                }

                return;
            }

            bool Approve(CatalogPublishBatch batch)
            {
                if (approval.Approve($"{catalog.BaseUri} connection {qn}", batch.Describe()))
                {
                    return true;
                }

                if (approval.WhatIf)
                {
                    Emit(CatalogPublisher.Batches(new CatalogPublishSet { ConnectionQualifiedName = qn, Topics = batch.Assets.Where(a => a.IsTopic).ToList(), Groups = batch.Assets.Where(a => !a.IsTopic).ToList() }, options, indented: true).Single().Json);
                }

                return false;
            }

            await foreach (var result in CatalogPublisher.PublishAsync(catalog, set, options, CreateSink(), Approve, token).ConfigureAwait(false))
            {
                EmitResult(result);
            }
        });
    }
}
