using System.Security;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.OAuth;

/// <summary>How the client id and secret are sent to the token endpoint.</summary>
public enum OAuthClientAuthentication
{
    /// <summary>client_id and client_secret in the form body (RFC 6749 client_secret_post; what Mage / kafka-python do).</summary>
    ClientSecretPost,
    /// <summary>HTTP Basic authentication (client_secret_basic; what librdkafka's built-in OIDC does).</summary>
    ClientSecretBasic,
}

/// <summary>OAuth 2.0 client-credentials settings for SASL/OAUTHBEARER.</summary>
public sealed partial record KafkaOAuthOptions
{
    public required Uri TokenEndpoint { get; init; }
    public required string ClientId { get; init; }
    [JsonIgnore]
    public SecureString ClientSecret { get; init; } = new();
    /// <summary>Optional scope (space-separated).</summary>
    public string? Scope { get; init; }
    /// <summary>SASL extensions sent with the token (RFC 7628), e.g. logicalCluster for Confluent Cloud.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = new Dictionary<string, string>();
    public OAuthClientAuthentication ClientAuthentication { get; init; } = OAuthClientAuthentication.ClientSecretPost;
    /// <summary>
    /// PEM file with the CA certificates that sign the token endpoint's TLS certificate, for identity
    /// providers whose certificate is not publicly trusted. Null: the system trust store.
    /// </summary>
    public string? CaLocation { get; init; }
    /// <summary>A cached token is replaced this long before it expires (Mage: 60 s).</summary>
    public TimeSpan RefreshBeforeExpiry { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Timeout of one HTTP attempt (Mage: 10 s).</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stands in for a token endpoint nobody gave, so that <see cref="Validate"/> can name it.</summary>
    internal static readonly Uri MissingEndpoint = new("urn:kafkacatalog:missing-token-endpoint");

    /// <summary>Checks the settings; never includes the secret.</summary>
    public IReadOnlyList<KafkaConnectionProblem> Validate()
    {
        var problems = new List<KafkaConnectionProblem>();
        if (TokenEndpoint is null || TokenEndpoint == MissingEndpoint)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthTokenEndpointMissing, "OAuth.TokenEndpoint",
                "OAuth client credentials were given without a token endpoint. Pass -OAuthTokenEndpoint with the identity provider's token URL."));
        }
        else if (!TokenEndpoint.IsAbsoluteUri || (TokenEndpoint.Scheme != Uri.UriSchemeHttps && TokenEndpoint.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthTokenEndpointInvalid, "OAuth.TokenEndpoint",
                $"The OAuth token endpoint '{TokenEndpoint}' is not an absolute http(s) URL. Pass the full URL, e.g. -OAuthTokenEndpoint https://idp.example.com/realms/kafka/protocol/openid-connect/token."));
        }
        else if (TokenEndpoint.Scheme == Uri.UriSchemeHttp && !TokenEndpoint.IsLoopback)
        {
            problems.Add(KafkaConnectionProblem.Warning("OAuthTokenEndpointNotHttps", "OAuth.TokenEndpoint",
                $"The OAuth token endpoint '{TokenEndpoint}' uses http: the client secret travels unencrypted. Use https."));
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthClientIdMissing, "OAuth.ClientId",
                "The OAuth client id is empty. Pass -OAuthClientCredential with the client id as the user name."));
        }

        if (ClientSecret is null || ClientSecret.Length == 0)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthClientSecretMissing, "OAuth.ClientSecret",
                "The OAuth client secret is empty. Pass -OAuthClientCredential with the client secret as the password."));
        }

        if (Scope is not null && (Scope.Trim().Length == 0 || Scope.Any(char.IsControl)))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthScopeInvalid, "OAuth.Scope",
                "The OAuth scope must be one or more space-separated words without control characters, or left out."));
        }

        foreach (var (key, value) in Extensions)
        {
            if (!ExtensionKeyPattern().IsMatch(key ?? string.Empty) || string.Equals(key, "auth", StringComparison.Ordinal))
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthExtensionKeyInvalid, "OAuth.Extensions",
                    $"SASL extension name '{key}' is not allowed: names are letters only (RFC 7628) and 'auth' is reserved. Rename it."));
            }
            else if (value is null || !value.All(c => c is (>= '\x21' and <= '\x7e') or ' ' or '\t' or '\r' or '\n'))
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthExtensionValueInvalid, $"OAuth.Extensions[{key}]",
                    $"The value of SASL extension '{key}' must be printable ASCII (RFC 7628). Remove other characters."));
            }
        }

        if (RefreshBeforeExpiry < TimeSpan.Zero)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthRefreshMarginInvalid, "OAuth.RefreshBeforeExpiry",
                "The token refresh margin cannot be negative. Use a value such as 60 seconds."));
        }

        if (HttpTimeout <= TimeSpan.Zero)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthHttpTimeoutInvalid, "OAuth.HttpTimeout",
                "The token request timeout must be positive. Use a value such as 10 seconds."));
        }

        return problems;
    }

    /// <summary>Never includes the secret.</summary>
    public override string ToString() => $"client '{ClientId}' at {TokenEndpoint}";

    [GeneratedRegex("^[A-Za-z]+$")]
    private static partial Regex ExtensionKeyPattern();
}
