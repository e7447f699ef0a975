using System.Security;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Polaris;

/// <summary>
/// Which Polaris connection a command uses, and how Connect-Polaris fills gaps from the
/// environment (POLARIS_BASE_URL, POLARIS_API_KEY, POLARIS_PROJECT_ID) for unattended runs.
/// </summary>
public static class PolarisConnectionResolver
{
    public const string BaseUrlVariable = "POLARIS_BASE_URL";
    public const string ApiKeyVariable = "POLARIS_API_KEY";
    public const string ProjectIdVariable = "POLARIS_PROJECT_ID";

    /// <summary>Connect-Polaris: explicit parameters first, then the environment.</summary>
    public static PolarisConnection Create(string? name, Uri? baseUri, SecureString? apiKey, string? projectId, Func<string, string?> environment, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        baseUri ??= ParseUri(environment(BaseUrlVariable));
        if (baseUri is null)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.PolarisBaseUriMissing,
                $"No Polaris API address. Pass -BaseUri (https://ORG.REGION.CLOUD.api.imply.io/v1/projects/PROJECT_ID) or set {BaseUrlVariable}.");
        }

        if (apiKey is null || apiKey.Length == 0)
        {
            apiKey = ToSecureString(environment(ApiKeyVariable));
        }

        if (string.IsNullOrWhiteSpace(projectId))
        {
            projectId = environment(ProjectIdVariable);
        }

        return PolarisConnection.Create(name, baseUri, apiKey!, projectId, requestTimeout);
    }

    /// <summary>
    /// Every Polaris command: the -PolarisConnection given, else the session default, else one
    /// built from the environment, else a clear error.
    /// </summary>
    public static PolarisConnection Resolve(PolarisConnection? explicitConnection, PolarisConnection? sessionDefault, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (explicitConnection is not null)
        {
            return explicitConnection;
        }

        if (sessionDefault is not null)
        {
            return sessionDefault;
        }

        if (!string.IsNullOrWhiteSpace(environment(BaseUrlVariable)) && !string.IsNullOrEmpty(environment(ApiKeyVariable)))
        {
            return Create("env", null, null, null, environment);
        }

        throw new KafkaCatalogException(
            ErrorCatalog.PolarisNotConnected,
            $"No Polaris connection. Run Connect-Polaris, pass -PolarisConnection, or set {BaseUrlVariable} and {ApiKeyVariable}.");
    }

    private static Uri? ParseUri(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) ? uri
        : throw new KafkaCatalogException(ErrorCatalog.PolarisInvalidBaseUri, $"{BaseUrlVariable} '{text}' is not an absolute URI.", text);

    private static SecureString? ToSecureString(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}

/// <summary>Which Polaris failures concern the whole session rather than one item.</summary>
public static class PolarisErrors
{
    private static readonly ErrorDefinition[] SessionLevel =
    [
        ErrorCatalog.PolarisNotConnected, ErrorCatalog.PolarisUnauthorized, ErrorCatalog.PolarisForbidden, ErrorCatalog.PolarisUnreachable,
        ErrorCatalog.PolarisTimeout, ErrorCatalog.PolarisServerError, ErrorCatalog.PolarisRateLimited, ErrorCatalog.PolarisProjectNotFound,
        ErrorCatalog.PolarisInvalidResponse,
    ];

    /// <summary>True when the next item would fail the same way: the cmdlet should stop (terminating error).</summary>
    public static bool IsSessionLevel(KafkaCatalogException error) => SessionLevel.Any(error.Is);
}
