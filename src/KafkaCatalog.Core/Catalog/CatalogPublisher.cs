using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Catalog;

/// <summary>How a publish batches and parallelises.</summary>
public sealed record CatalogPublishOptions
{
    public const int DefaultBatchSize = 20;
    public const int MaxBatchSize = 100;

    /// <summary>Assets per POST /entity/bulk (1..100; the SDKs use 20).</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Batches in flight at once.</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>Skip the check that the Kafka connection exists and is readable before sending.</summary>
    public bool SkipConnectionCheck { get; init; }

    public void Validate()
    {
        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidBatchSize, $"Batch size {BatchSize} is outside 1..{MaxBatchSize}.", BatchSize);
        }

        if (MaxParallelism is < 1 or > 64)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidParallelism, $"Parallelism {MaxParallelism} is outside 1..64.", MaxParallelism);
        }
    }
}

/// <summary>One bulk request a publish is about to send (for ShouldProcess and -WhatIf/-AsPayload).</summary>
public sealed record CatalogPublishBatch(string TypeName, IReadOnlyList<PlannedAsset> Assets, string Json)
{
    public string Describe() => $"POST /api/meta/entity/bulk with {Assets.Count} {TypeName} asset(s): {string.Join(", ", Assets.Take(5).Select(a => a.Name))}{(Assets.Count > 5 ? ", ..." : string.Empty)}";
}

/// <summary>
/// Upserts topics, then consumer groups (groups reference topics by qualifiedName, which Atlan
/// resolves only against stored entities), in batches with bounded parallelism. Reports exactly
/// one <see cref="CatalogAssetResult"/> per asset: Created/Updated/Unchanged/Restored from the
/// server's mutation lists, Failed with the reason otherwise. A group whose topic failed in this
/// run is reported, not sent. When Atlan rejects a whole batch because of one entity it names,
/// that entity is failed and the rest of the batch is sent again.
/// </summary>
public static class CatalogPublisher
{
    /// <summary>Builds the bulk request bodies without sending anything (-AsPayload, -WhatIf).</summary>
    public static IEnumerable<CatalogPublishBatch> Batches(CatalogPublishSet set, CatalogPublishOptions options, bool indented = false)
    {
        options.Validate();
        var json = new System.Text.Json.JsonSerializerOptions { WriteIndented = indented };
        foreach (var (type, assets) in new[] { (CatalogTypeNames.KafkaTopic, set.Topics), (CatalogTypeNames.KafkaConsumerGroup, set.Groups) })
        {
            foreach (var chunk in assets.Chunk(options.BatchSize))
            {
                yield return new CatalogPublishBatch(type, chunk, CatalogAssetBuilder.BulkBody(chunk).ToJsonString(json));
            }
        }
    }

    public static async IAsyncEnumerable<CatalogAssetResult> PublishAsync(
        CatalogConnection catalog,
        CatalogPublishSet set,
        CatalogPublishOptions? options = null,
        IOperationSink? sink = null,
        Func<CatalogPublishBatch, bool>? approve = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(set);
        options ??= new CatalogPublishOptions();
        options.Validate();
        sink ??= NullOperationSink.Instance;

        foreach (var rejected in set.Rejected)
        {
            yield return rejected;
        }

        if (set.Count == 0)
        {
            yield break;
        }

        if (!options.SkipConnectionCheck)
        {
            await CatalogKafkaConnections.GetAsync(catalog, set.ConnectionQualifiedName, sink, cancellationToken).ConfigureAwait(false);
        }

        var channel = Channel.CreateUnbounded<CatalogAssetResult>(new UnboundedChannelOptions { SingleReader = true });
        var total = set.Count;
        var done = 0;
        var run = Task.Run(
            async () =>
            {
                try
                {
                    var failedTopics = new HashSet<string>(StringComparer.Ordinal);
                    void Report(CatalogAssetResult r)
                    {
                        if (r.TypeName == CatalogTypeNames.KafkaTopic && r.Status == CatalogAssetStatus.Failed)
                        {
                            lock (failedTopics)
                            {
                                failedTopics.Add(r.QualifiedName);
                            }
                        }

                        var n = Interlocked.Increment(ref done);
                        sink.Progress(new OperationProgress(ProgressId, "Publishing Kafka assets to the catalog", $"{n} of {total} assets", (int)(100L * n / total)));
                        channel.Writer.TryWrite(r);
                    }

                    await SendPhaseAsync(catalog, set.ConnectionQualifiedName, CatalogTypeNames.KafkaTopic, set.Topics, options, sink, approve, Report, cancellationToken).ConfigureAwait(false);

                    var sendableGroups = new List<PlannedAsset>();
                    foreach (var group in set.Groups)
                    {
                        var failed = group.ReferencedTopics.FirstOrDefault(failedTopics.Contains);
                        if (failed is not null)
                        {
                            Report(Failure(group, set.ConnectionQualifiedName, ErrorCatalog.CatalogTopicNotPublished, $"Not sent: the group consumes topic '{failed}', which failed to publish in this run."));
                        }
                        else
                        {
                            sendableGroups.Add(group);
                        }
                    }

                    await SendPhaseAsync(catalog, set.ConnectionQualifiedName, CatalogTypeNames.KafkaConsumerGroup, sendableGroups, options, sink, approve, Report, cancellationToken).ConfigureAwait(false);
                    sink.Progress(new OperationProgress(ProgressId, "Publishing Kafka assets to the catalog", "Done", 100, Completed: true));
                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        await foreach (var result in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            yield return result;
        }

        await run.ConfigureAwait(false);
    }

    internal const int ProgressId = 5101;

    private static async Task SendPhaseAsync(
        CatalogConnection catalog,
        string connectionQn,
        string typeName,
        IReadOnlyList<PlannedAsset> assets,
        CatalogPublishOptions options,
        IOperationSink sink,
        Func<CatalogPublishBatch, bool>? approve,
        Action<CatalogAssetResult> report,
        CancellationToken ct)
    {
        var batches = assets.Chunk(options.BatchSize).ToList();
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = ct },
            async (batch, token) =>
            {
                if (approve is not null)
                {
                    var description = new CatalogPublishBatch(typeName, batch, CatalogAssetBuilder.BulkBody(batch).ToJsonString(CatalogApiClient.Compact));
                    if (!approve(description))
                    {
                        return;
                    }
                }

                foreach (var result in await SendBatchAsync(catalog, connectionQn, batch, sink, token).ConfigureAwait(false))
                {
                    report(result);
                }
            }).ConfigureAwait(false);
    }

    /// <summary>Sends one batch; splits out entities the server blames by name and resends the rest.</summary>
    internal static async Task<List<CatalogAssetResult>> SendBatchAsync(CatalogConnection catalog, string connectionQn, IReadOnlyList<PlannedAsset> batch, IOperationSink sink, CancellationToken ct)
    {
        var results = new List<CatalogAssetResult>(batch.Count);
        var pending = batch.ToList();
        while (pending.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            JsonNode? response;
            try
            {
                response = await catalog.Api.PostAsync(BulkPath, CatalogAssetBuilder.BulkBody(pending), sink, ct).ConfigureAwait(false);
            }
            catch (CatalogApiException ex) when (Blamed(ex, pending) is { } index)
            {
                var blamed = pending[index];
                var errorId = ex.Is(ErrorCatalog.CatalogReferencedAssetNotFound) && !blamed.IsTopic ? ErrorCatalog.CatalogReferencedTopicMissing.Id : ex.ErrorId;
                results.Add(Failure(blamed, connectionQn, errorId, ex.Message));
                pending.RemoveAt(index);
                continue;
            }
            catch (CatalogApiException ex)
            {
                results.AddRange(pending.Select(a => Failure(a, connectionQn, ex.ErrorId, ex.Message)));
                return results;
            }

            results.AddRange(Classify(pending, response, connectionQn));
            return results;
        }

        return results;
    }

    internal const string BulkPath = "api/meta/entity/bulk?replaceClassifications=false&replaceBusinessAttributes=false&overwriteBusinessAttributes=false";

    /// <summary>Maps placeholders to GUIDs and GUIDs to the CREATE/UPDATE lists (specs §6).</summary>
    internal static IEnumerable<CatalogAssetResult> Classify(IReadOnlyList<PlannedAsset> sent, JsonNode? response, string connectionQn)
    {
        var assignments = response?["guidAssignments"] as JsonObject;
        var created = Guids(response?["mutatedEntities"]?["CREATE"]);
        var updated = Guids(response?["mutatedEntities"]?["UPDATE"]);
        // Partial updates come under mutatedEntities.PARTIAL_UPDATE and, as pyatlan's
        // AssetMutationResponse reads them, in the top-level partialUpdatedEntities list.
        updated.UnionWith(Guids(response?["mutatedEntities"]?["PARTIAL_UPDATE"]));
        updated.UnionWith(Guids(response?["partialUpdatedEntities"]));
        for (var i = 0; i < sent.Count; i++)
        {
            var asset = sent[i];
            var guid = assignments?[CatalogAssetBuilder.Placeholder(i)]?.GetValue<string>();
            if (guid is null)
            {
                yield return Failure(asset, connectionQn, ErrorCatalog.CatalogNoGuidAssigned, "The catalog accepted the request but assigned no GUID to this asset; check it with Get-CatalogKafkaAsset.");
                continue;
            }

            var status = created.Contains(guid) ? CatalogAssetStatus.Created
                : updated.Contains(guid) ? (asset.Restore ? CatalogAssetStatus.Restored : CatalogAssetStatus.Updated)
                : CatalogAssetStatus.Unchanged;
            yield return new CatalogAssetResult
            {
                TypeName = asset.TypeName,
                QualifiedName = asset.QualifiedName,
                Name = asset.Name,
                Guid = guid,
                Status = status,
                ConnectionQualifiedName = connectionQn,
            };
        }
    }

    internal static CatalogAssetResult Failure(PlannedAsset asset, string connectionQn, ErrorDefinition errorId, string error) =>
        Failure(asset, connectionQn, errorId.Id, error);

    internal static CatalogAssetResult Failure(PlannedAsset asset, string connectionQn, string errorId, string error) => new()
    {
        TypeName = asset.TypeName,
        QualifiedName = asset.QualifiedName,
        Name = asset.Name,
        Status = CatalogAssetStatus.Failed,
        ErrorId = errorId,
        Error = error,
        ConnectionQualifiedName = connectionQn,
    };

    private static HashSet<string> Guids(JsonNode? list)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (list is JsonArray headers)
        {
            foreach (var h in headers)
            {
                if (h?["guid"]?.GetValue<string>() is { } g)
                {
                    set.Add(g);
                }
            }
        }

        return set;
    }

    private static int? Blamed(CatalogApiException ex, List<PlannedAsset> pending)
    {
        if (pending.Count == 0 || ex.EntityGuid is null || ex.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.BadRequest))
        {
            return null;
        }

        for (var i = 0; i < pending.Count; i++)
        {
            if (CatalogAssetBuilder.Placeholder(i) == ex.EntityGuid)
            {
                return i;
            }
        }

        return null;
    }
}
