using System.Management.Automation;
using System.Security;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets.Catalog;

/// <summary>Opens a session with an Atlan tenant, checks the token, and makes it the session default.</summary>
[Cmdlet(VerbsCommunications.Connect, "Catalog")]
[OutputType(typeof(CatalogConnection))]
public sealed class ConnectCatalogCommand : AsyncCmdlet
{
    /// <summary>https://&lt;tenant&gt;.atlan.com; defaults to ATLAN_BASE_URL.</summary>
    [Parameter(Position = 0)]
    [Alias("Uri", "BaseUrl")]
    public string? BaseUri { get; set; }

    /// <summary>The API token; defaults to ATLAN_API_KEY.</summary>
    [Parameter(Position = 1)]
    public SecureString? ApiToken { get; set; }

    /// <summary>Session name (defaults to the tenant host).</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The Kafka connection (default/kafka/&lt;epoch&gt;) the catalog cmdlets use by default.</summary>
    [Parameter]
    public string? ConnectionQualifiedName { get; set; }

    /// <summary>Skip the call that proves the token.</summary>
    [Parameter]
    public SwitchParameter SkipVerify { get; set; }

    protected override void EndProcessing()
    {
        var baseUri = BaseUri ?? Environment.GetEnvironmentVariable("ATLAN_BASE_URL");
        var token = ApiToken;
        if (token is null && Environment.GetEnvironmentVariable("ATLAN_API_KEY") is { Length: > 0 } key)
        {
            token = CatalogCmdlet.ToSecureString(key);
        }

        if (token is null)
        {
            ThrowTerminatingError(ToErrorRecord(new KafkaCatalogException(ErrorCatalog.CatalogApiTokenMissing, "No API token was given. Pass -ApiToken (a SecureString, e.g. Read-Host -AsSecureString) or set ATLAN_API_KEY.")));
            return;
        }

        var options = new CatalogConnectionOptions
        {
            BaseUri = baseUri ?? string.Empty,
            ApiToken = token,
            Name = Name,
            DefaultConnectionQualifiedName = ConnectionQualifiedName,
            Verify = !SkipVerify.IsPresent,
        };
        RunAsync(async cancellationToken =>
        {
            var connection = await CatalogConnection.ConnectAsync(options, CreateSink(), cancellationToken).ConfigureAwait(false);
            Session.Catalog.Add(connection.Name, connection, makeDefault: true);
            Emit(connection);
        });
    }
}
