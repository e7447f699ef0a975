using System.Security;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Catalog;

/// <summary>What Connect-Catalog needs. The token is a SecureString and is never echoed.</summary>
public sealed record CatalogConnectionOptions
{
    /// <summary>Tenant URL such as https://acme.atlan.com (a trailing '/' is dropped).</summary>
    public required string BaseUri { get; init; }
    public required SecureString ApiToken { get; init; }
    /// <summary>Session name; defaults to the tenant's host name.</summary>
    public string? Name { get; init; }
    /// <summary>Kafka connection qualifiedName the catalog cmdlets use when not told another.</summary>
    public string? DefaultConnectionQualifiedName { get; init; }
    public CatalogResilienceOptions Resilience { get; init; } = new();
    public string UserAgent { get; init; } = "KafkaCatalog/0.1 (+https://github.com/kafkacatalog/KafkaCatalog)";
    /// <summary>Check the token with one call before returning (default on).</summary>
    public bool Verify { get; init; } = true;
}

/// <summary>
/// A session with one Atlan tenant (Connect-Catalog's output). Holds the HTTP client; exposes no
/// secret: the token lives only inside the client, so ToString, ConvertTo-Json and error records
/// of this object cannot show it.
/// </summary>
public sealed class CatalogConnection : IDisposable
{
    private readonly bool _ownsApi;

    private CatalogConnection(string name, Uri baseUri, CatalogApiClient api, string? defaultConnection, DateTimeOffset connectedAt, bool ownsApi)
    {
        Name = name;
        BaseUri = baseUri;
        Api = api;
        DefaultConnectionQualifiedName = defaultConnection;
        ConnectedAt = connectedAt;
        _ownsApi = ownsApi;
    }

    public string Name { get; }

    public Uri BaseUri { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The Kafka connection (default/kafka/&lt;epoch&gt;) used when a cmdlet is not given one; New-CatalogKafkaConnection sets it.</summary>
    public string? DefaultConnectionQualifiedName { get; set; }

    /// <summary>HTTP attempts made through this session so far (retries included).</summary>
    public long RequestCount => Api.RequestCount;

    internal CatalogApiClient Api { get; }

    /// <summary>Validates the URI and token, and (unless told not to) proves the token with one call.</summary>
    public static async Task<CatalogConnection> ConnectAsync(CatalogConnectionOptions options, IOperationSink? sink = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        sink ??= NullOperationSink.Instance;
        var baseUri = ParseBaseUri(options.BaseUri);
        if (options.ApiToken is null || options.ApiToken.Length == 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogApiTokenMissing, "No API token was given. Pass -ApiToken (a SecureString) or set ATLAN_API_KEY.");
        }

        if (options.DefaultConnectionQualifiedName is { } qn && QualifiedNames.ValidateConnection(qn) is { } why)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidConnectionQualifiedName, why, qn);
        }

        var api = new CatalogApiClient(baseUri, options.ApiToken, options.Resilience, options.UserAgent);
        var connection = new CatalogConnection(options.Name ?? baseUri.Host, baseUri, api, options.DefaultConnectionQualifiedName, DateTimeOffset.UtcNow, ownsApi: true);
        if (options.Verify)
        {
            try
            {
                await api.GetAsync("api/service/roles?count=false&offset=0&limit=1", sink, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        return connection;
    }

    /// <summary>Accepts absolute http(s) URLs without credentials, query or fragment.</summary>
    public static Uri ParseBaseUri(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogBaseUriMissing, "No catalog URL was given. Pass -BaseUri https://<tenant>.atlan.com or set ATLAN_BASE_URL.");
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidBaseUri, $"'{value}' is not a valid catalog URL. Use the tenant's address including https://, e.g. https://acme.atlan.com.", value);
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidBaseUri, "The catalog URL must not contain credentials, a query or a fragment; pass only https://<tenant>.atlan.com and the token through -ApiToken.", uri.GetLeftPart(UriPartial.Path));
        }

        var text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        return new Uri(text, UriKind.Absolute);
    }

    /// <summary>The connection qualifiedName to use: the one given, else the session default; validated.</summary>
    public string ResolveConnectionQualifiedName(string? given)
    {
        var qn = string.IsNullOrWhiteSpace(given) ? DefaultConnectionQualifiedName : given.Trim();
        if (qn is null)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogConnectionQualifiedNameMissing, "No Kafka connection in the catalog was named. Pass -ConnectionQualifiedName default/kafka/<epoch>, or run New-CatalogKafkaConnection first (it becomes the session default).");
        }

        if (QualifiedNames.ValidateConnection(qn) is { } why)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidConnectionQualifiedName, why, qn);
        }

        return qn;
    }

    /// <summary>
    /// This session with <paramref name="connectionQualifiedName"/> as its default Kafka connection:
    /// what a CatalogKafkaConnection passed as -CatalogConnection stands for. It shares this
    /// session's HTTP client and does not dispose it.
    /// </summary>
    public CatalogConnection WithDefaultConnection(string connectionQualifiedName)
    {
        if (QualifiedNames.ValidateConnection(connectionQualifiedName) is { } why)
        {
            throw new KafkaCatalogException(ErrorCatalog.CatalogInvalidConnectionQualifiedName, why, connectionQualifiedName);
        }

        return new CatalogConnection(Name, BaseUri, Api, connectionQualifiedName, ConnectedAt, ownsApi: false);
    }

    public void Dispose()
    {
        if (_ownsApi)
        {
            Api.Dispose();
        }
    }

    public override string ToString() => $"{Name} ({BaseUri})";
}
