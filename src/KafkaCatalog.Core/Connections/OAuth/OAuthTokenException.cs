namespace KafkaCatalog.Core.Connections.OAuth;

/// <summary>A token could not be obtained. The message says why and what to do; it never contains the client secret.</summary>
public sealed class OAuthTokenException : Exception
{
    public OAuthTokenException(string errorId, Uri endpoint, string message, int? statusCode = null, string? oauthError = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Endpoint = endpoint;
        StatusCode = statusCode;
        OAuthError = oauthError;
    }

    /// <summary>Stable id: OAuthInvalidClient, OAuthRequestRejected, OAuthServerError, OAuthResponseNotJson,
    /// OAuthAccessTokenMissing, OAuthTokenTypeUnsupported, OAuthEndpointUnreachable, OAuthTimeout.</summary>
    public string ErrorId { get; }
    public Uri Endpoint { get; }
    /// <summary>HTTP status of the last attempt, when there was a response.</summary>
    public int? StatusCode { get; }
    /// <summary>The "error" field of an OAuth error response (e.g. invalid_client), when present.</summary>
    public string? OAuthError { get; }
}
