using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Polaris;

/// <summary>
/// A Polaris project as Connect-Polaris returns it and the session keeps it: the regional base
/// URI, the project id and the API key. The key is a <see cref="SecureString"/>; it becomes plain
/// text only inside <see cref="CreateAuthorizationHeader"/>, right before a request is sent, so
/// it never shows in ToString, Format-List or ConvertTo-Json of this object.
/// </summary>
public sealed partial class PolarisConnection
{
    private readonly SecureString _apiKey;

    private PolarisConnection(string name, Uri baseUri, string projectId, SecureString apiKey)
    {
        Name = name;
        BaseUri = baseUri;
        ProjectId = projectId;
        _apiKey = apiKey;
    }

    /// <summary>The session name of this connection (Connect-Polaris -Name).</summary>
    public string Name { get; }

    /// <summary>The regional API base, e.g. https://example.us-east-1.aws.api.imply.io/.</summary>
    public Uri BaseUri { get; }

    public string ProjectId { get; }

    /// <summary>The project-scoped root all v1 calls are relative to.</summary>
    public Uri ProjectUri => new(BaseUri, $"v1/projects/{Uri.EscapeDataString(ProjectId)}/");

    public DateTimeOffset ConnectedAt { get; init; } = DateTimeOffset.UtcNow;

    public bool IsDefault { get; set; }

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Builds a connection. The project id comes from <paramref name="baseUri"/>
    /// (…/v1/projects/&lt;id&gt;) or from <paramref name="projectId"/>; when both are given they must agree.
    /// </summary>
    public static PolarisConnection Create(string? name, Uri baseUri, SecureString apiKey, string? projectId = null, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        if (apiKey is null || apiKey.Length == 0)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisApiKeyMissing,
                "No Polaris API key. Pass -ApiKey (a SecureString) or set the POLARIS_API_KEY environment variable.");
        }

        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisInvalidBaseUri,
                $"'{baseUri}' is not an absolute http(s) URI. Use the regional API address, e.g. https://ORG.REGION.CLOUD.api.imply.io/v1/projects/PROJECT_ID.",
                baseUri);
        }

        var path = baseUri.AbsolutePath;
        string? projectFromUri = null;
        var match = ProjectPath().Match(path);
        if (match.Success)
        {
            projectFromUri = Uri.UnescapeDataString(match.Groups["id"].Value);
            path = path[..match.Index];
        }

        if (projectFromUri is not null && !string.IsNullOrWhiteSpace(projectId)
            && !string.Equals(projectFromUri, projectId, StringComparison.OrdinalIgnoreCase))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisProjectIdConflict,
                $"The URI names project '{projectFromUri}' but -ProjectId is '{projectId}'. Give the project once.",
                projectId);
        }

        var project = !string.IsNullOrWhiteSpace(projectId) ? projectId!.Trim() : projectFromUri;
        if (string.IsNullOrWhiteSpace(project))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisProjectIdMissing,
                $"No Polaris project id. Use a project URI ({baseUri.GetLeftPart(UriPartial.Authority)}/v1/projects/PROJECT_ID) or pass -ProjectId.",
                baseUri);
        }

        if (!path.EndsWith('/'))
        {
            path += "/";
        }

        var root = new UriBuilder(baseUri) { Path = path, Query = string.Empty, Fragment = string.Empty }.Uri;
        var copy = apiKey.Copy();
        copy.MakeReadOnly();
        return new PolarisConnection(string.IsNullOrWhiteSpace(name) ? root.Host : name!, root, project!, copy)
        {
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(100),
        };
    }

    /// <summary>
    /// <c>Authorization: Basic &lt;API key&gt;</c>: the raw key, as Polaris' "Ingest data from Apache Kafka by
    /// API" page sends it (<c>--header "Authorization: Basic $POLARIS_API_KEY"</c>, and its Python sample
    /// <c>f'Basic {apikey}'</c>). Polaris API keys are already the credential; they are not base64(user:password).
    /// </summary>
    internal AuthenticationHeaderValue CreateAuthorizationHeader()
    {
        var key = new NetworkCredential(string.Empty, _apiKey).Password;
        return new AuthenticationHeaderValue("Basic", key);
    }

    /// <summary>Never includes the API key.</summary>
    public override string ToString() => $"{Name}: {ProjectUri}";

    [GeneratedRegex("/v1/projects/(?<id>[^/]+)/?$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectPath();
}
