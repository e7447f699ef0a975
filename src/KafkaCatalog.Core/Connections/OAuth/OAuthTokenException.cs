using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.OAuth;

/// <summary>A token could not be obtained. The message says why and what to do; it never contains the client secret.</summary>
public sealed class OAuthTokenException : KafkaCatalogException
{
    public OAuthTokenException(ErrorDefinition error, Uri endpoint, string message, int? statusCode = null, string? oauthError = null, Exception? innerException = null)
        : base(error, message, endpoint, innerException)
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        OAuthError = oauthError;
    }

    public Uri Endpoint { get; }
    /// <summary>HTTP status of the last attempt, when there was a response.</summary>
    public int? StatusCode { get; }
    /// <summary>The "error" field of an OAuth error response (e.g. invalid_client), when present.</summary>
    public string? OAuthError { get; }
}
