using System.Management.Automation;
using System.Security;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets.Catalog;

/// <summary>
/// Base of the catalog cmdlets: -CatalogConnection (alias -Catalog), falling back to the session
/// default (Connect-Catalog), then to ATLAN_BASE_URL / ATLAN_API_KEY.
/// </summary>
public abstract class CatalogCmdlet : AsyncCmdlet
{
    /// <summary>The catalog session, as Connect-Catalog returns it, or a Kafka connection from New-CatalogKafkaConnection (its session, with that connection as the default).</summary>
    [Parameter]
    [Alias("Catalog")]
    [CatalogSessionTransformation]
    public CatalogConnection? CatalogConnection { get; set; }

    /// <summary>The session to use, or a terminating CatalogNotConnected error.</summary>
    protected CatalogConnection ResolveCatalog()
    {
        if (CatalogConnection is not null)
        {
            return CatalogConnection;
        }

        if (Session.Catalog.Default is { } session)
        {
            return session;
        }

        var baseUrl = Environment.GetEnvironmentVariable("ATLAN_BASE_URL");
        var apiKey = Environment.GetEnvironmentVariable("ATLAN_API_KEY");
        if (!string.IsNullOrWhiteSpace(baseUrl) && !string.IsNullOrEmpty(apiKey))
        {
            CatalogConnection? connected = null;
            RunAsync(async token =>
            {
                connected = await Core.Catalog.CatalogConnection.ConnectAsync(new CatalogConnectionOptions { BaseUri = baseUrl, ApiToken = ToSecureString(apiKey) }, CreateSink(), token).ConfigureAwait(false);
            });
            if (connected is not null)
            {
                Session.Catalog.Add(connected.Name, connected, makeDefault: true);
                return connected;
            }
        }

        ThrowTerminatingError(ToErrorRecord(new KafkaCatalogException(
            ErrorCatalog.CatalogNotConnected,
            "No catalog session. Run Connect-Catalog -BaseUri https://<tenant>.atlan.com -ApiToken (Read-Host -AsSecureString), pass -CatalogConnection, or set ATLAN_BASE_URL and ATLAN_API_KEY.")));
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>The Kafka connection qualifiedName: the parameter, else the session default; terminating error otherwise.</summary>
    protected string ResolveConnectionQualifiedName(CatalogConnection catalog, string? given)
    {
        try
        {
            return catalog.ResolveConnectionQualifiedName(given);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            throw;
        }
    }

    /// <summary>Writes one result and, when it failed, a non-terminating error for that asset.</summary>
    protected void EmitResult(CatalogAssetResult result)
    {
        Emit(result);
        if (result.Status == CatalogAssetStatus.Failed)
        {
            EmitError(new KafkaCatalogException(result.ErrorId ?? ErrorCatalog.CatalogAssetFailed.Id, ErrorCatalog.KindOf(result.ErrorId), $"{result.TypeName} '{result.Name}' ({result.QualifiedName}): {result.Error}", result));
        }
    }

    internal static SecureString ToSecureString(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
