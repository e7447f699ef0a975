using System.Text.Json.Serialization;

namespace KafkaCatalog.Core.Connections.OAuth;

/// <summary>
/// An access token from the token endpoint. The token itself is a credential: it is excluded from
/// JSON and <see cref="ToString"/>; pass <see cref="AccessToken"/> only to OAuthBearerSetToken.
/// </summary>
public sealed record OAuthToken
{
    [JsonIgnore]
    public string AccessToken { get; init; } = string.Empty;
    public required DateTimeOffset ExpiresAt { get; init; }
    public required DateTimeOffset ObtainedAt { get; init; }
    /// <summary>The JWT "sub" claim, or the client id for opaque tokens (librdkafka's principal name).</summary>
    public required string PrincipalName { get; init; }
    public string TokenType { get; init; } = "Bearer";
    public string? Scope { get; init; }
    /// <summary>True when the access token is a JWT whose payload could be read (the signature is not checked).</summary>
    public bool IsJwt { get; init; }
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = new Dictionary<string, string>();

    /// <summary>Expiry in Unix epoch milliseconds, as OAuthBearerSetToken wants it.</summary>
    public long ExpiresAtUnixMilliseconds => ExpiresAt.ToUnixTimeMilliseconds();

    public override string ToString() =>
        $"{TokenType} token for '{PrincipalName}' ({(IsJwt ? "JWT" : "opaque")}), expires {ExpiresAt:u}";
}
