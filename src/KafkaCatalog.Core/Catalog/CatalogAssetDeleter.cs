using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Catalog;

public sealed record CatalogDeleteOptions
{
    public CatalogDeleteType DeleteType { get; init; } = CatalogDeleteType.Soft;
    /// <summary>GUIDs per DELETE (they travel in the URL; the docs advise 20–50).</summary>
    public int BatchSize { get; init; } = 50;
}

/// <summary>
/// Deletes assets bottom-up: consumer groups, then topics, then connections (Atlan's advice, so
/// nothing is left pointing at a removed parent). SOFT archives (restorable), HARD and PURGE remove.
/// One result per asset: Archived (SOFT) or Deleted, Unchanged when there was nothing to do
/// (already archived, or gone), Failed with the reason.
/// </summary>
public static class CatalogAssetDeleter
{
    internal const int ProgressId = 5104;

    public static async IAsyncEnumerable<CatalogAssetResult> DeleteAsync(
        CatalogConnection catalog,
        IEnumerable<CatalogAssetReference> assets,
        CatalogDeleteOptions? options = null,
        IOperationSink? sink = null,
        Func<string, bool>? approve = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new CatalogDeleteOptions();
        sink ??= NullOperationSink.Instance;
        if (options.BatchSize is < 1 or > 100)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidBatchSize, $"Batch size {options.BatchSize} is outside 1..100.", options.BatchSize);
        }

        var unique = assets
            .GroupBy(a => a.Guid ?? a.TypeName + "\n" + a.QualifiedName, StringComparer.Ordinal)
            .Select(g => g.Last())
            .OrderBy(a => Rank(a.TypeName))
            .ToList();
        var total = unique.Count;
        var done = 0;
        foreach (var tier in unique.GroupBy(a => Rank(a.TypeName)).OrderBy(g => g.Key))
        {
            var resolved = new List<(CatalogAssetReference Ref, string Guid, string Status)>();
            foreach (var asset in tier)
            {
                CatalogAssetResult? failure = null;
                (string Guid, string Status, string Name)? found = null;
                try
                {
                    found = await ResolveAsync(catalog, asset, sink, cancellationToken).ConfigureAwait(false);
                }
                catch (CatalogApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    failure = Result(asset, null, CatalogAssetStatus.Failed, ErrorCatalog.CatalogAssetNotFound.Id, $"{asset.TypeName} '{asset.QualifiedName}' is not in the catalog.");
                }
                catch (CatalogApiException ex)
                {
                    failure = Result(asset, null, CatalogAssetStatus.Failed, ex.ErrorId, ex.Message);
                }

                if (failure is not null)
                {
                    done++;
                    yield return failure;
                    continue;
                }

                var (guid, status, name) = found!.Value;
                var named = asset with { Name = asset.Name ?? name };
                if (status == "DELETED" && options.DeleteType == CatalogDeleteType.Soft)
                {
                    done++;
                    yield return Result(named, guid, CatalogAssetStatus.Unchanged, null, null);
                    continue;
                }

                resolved.Add((named, guid, status));
            }

            foreach (var batch in resolved.Chunk(options.BatchSize))
            {
                var approved = batch.Where(b => approve?.Invoke($"{options.DeleteType.ToString().ToUpperInvariant()} delete {b.Ref.TypeName} '{b.Ref.QualifiedName}'") ?? true).ToList();
                if (approved.Count == 0)
                {
                    continue;
                }

                var path = new StringBuilder("api/meta/entity/bulk?");
                foreach (var b in approved)
                {
                    path.Append("guid=").Append(Uri.EscapeDataString(b.Guid)).Append('&');
                }

                path.Append("deleteType=").Append(options.DeleteType.ToString().ToUpperInvariant());
                JsonNode? response = null;
                CatalogApiException? error = null;
                try
                {
                    response = await catalog.Api.DeleteAsync(path.ToString(), sink, cancellationToken).ConfigureAwait(false);
                }
                catch (CatalogApiException ex)
                {
                    error = ex;
                }

                var deleted = new HashSet<string>(StringComparer.Ordinal);
                if (response?["mutatedEntities"]?["DELETE"] is JsonArray list)
                {
                    foreach (var h in list)
                    {
                        if (h?["guid"]?.GetValue<string>() is { } g)
                        {
                            deleted.Add(g);
                        }
                    }
                }

                foreach (var b in approved)
                {
                    done++;
                    sink.Progress(new OperationProgress(ProgressId, "Removing catalog assets", $"{done} of {total}", (int)(100L * done / Math.Max(1, total))));
                    yield return error is not null
                        ? Result(b.Ref, b.Guid, CatalogAssetStatus.Failed, error.ErrorId, error.Message)
                        : deleted.Contains(b.Guid)
                            ? Result(b.Ref, b.Guid, options.DeleteType == CatalogDeleteType.Soft ? CatalogAssetStatus.Archived : CatalogAssetStatus.Deleted, null, null)
                            : Result(b.Ref, b.Guid, CatalogAssetStatus.Unchanged, null, null);
                }
            }
        }

        sink.Progress(new OperationProgress(ProgressId, "Removing catalog assets", "Done", 100, Completed: true));
    }

    /// <summary>Every topic and group of the connection (archived ones too for HARD/PURGE), then the connection itself.</summary>
    public static async IAsyncEnumerable<CatalogAssetResult> DeleteConnectionAsync(
        CatalogConnection catalog,
        string connectionQualifiedName,
        CatalogDeleteOptions? options = null,
        IOperationSink? sink = null,
        Func<string, bool>? approve = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new CatalogDeleteOptions();
        var connection = await CatalogKafkaConnections.GetAsync(catalog, connectionQualifiedName, sink, cancellationToken).ConfigureAwait(false);
        var refs = new List<CatalogAssetReference>();
        await foreach (var asset in CatalogAssetSearch.SearchAsync(catalog, new CatalogAssetQuery { ConnectionQualifiedName = connectionQualifiedName, IncludeArchived = options.DeleteType != CatalogDeleteType.Soft }, sink, cancellationToken).ConfigureAwait(false))
        {
            refs.Add(new CatalogAssetReference(asset.TypeName, asset.QualifiedName, asset.Guid, asset.Name));
        }

        refs.Add(new CatalogAssetReference(CatalogTypeNames.Connection, connection.QualifiedName, connection.Guid, connection.Name));
        await foreach (var result in DeleteAsync(catalog, refs, options, sink, approve, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>Groups first, then topics, anything else, connections last.</summary>
    public static int Rank(string typeName) => typeName switch
    {
        CatalogTypeNames.KafkaConsumerGroup => 0,
        CatalogTypeNames.KafkaTopic => 1,
        CatalogTypeNames.Connection => 3,
        _ => 2,
    };

    private static async Task<(string Guid, string Status, string Name)> ResolveAsync(CatalogConnection catalog, CatalogAssetReference asset, IOperationSink sink, CancellationToken ct)
    {
        var path = asset.Guid is { Length: > 0 } guid
            ? $"api/meta/entity/guid/{Uri.EscapeDataString(guid)}?ignoreRelationships=true&minExtInfo=true"
            : $"api/meta/entity/uniqueAttribute/type/{Uri.EscapeDataString(asset.TypeName)}?attr:qualifiedName={Uri.EscapeDataString(asset.QualifiedName)}&ignoreRelationships=true&minExtInfo=true";
        var entity = (await catalog.Api.GetAsync(path, sink, ct).ConfigureAwait(false))?["entity"];
        return (
            entity?["guid"]?.GetValue<string>() ?? asset.Guid ?? string.Empty,
            entity?["status"]?.GetValue<string>() ?? "ACTIVE",
            entity?["attributes"]?["name"]?.GetValue<string>() ?? asset.QualifiedName);
    }

    private static CatalogAssetResult Result(CatalogAssetReference asset, string? guid, CatalogAssetStatus status, string? errorId, string? error) => new()
    {
        TypeName = asset.TypeName,
        QualifiedName = asset.QualifiedName,
        Name = asset.Name ?? asset.QualifiedName.Split('/').Last(),
        Guid = guid ?? asset.Guid,
        Status = status,
        ErrorId = errorId,
        Error = error,
        ConnectionQualifiedName = asset.TypeName == CatalogTypeNames.Connection ? asset.QualifiedName : QualifiedNames.ConnectionOf(asset.QualifiedName),
    };
}
