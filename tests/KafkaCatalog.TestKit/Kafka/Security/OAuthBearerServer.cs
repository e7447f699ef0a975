using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaCatalog.TestKit.OAuth;

namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>
/// SASL/OAUTHBEARER server (RFC 7628). Client first message: <c>gs2-header \x01 auth=Bearer &lt;token&gt; \x01 [k=v \x01]* \x01</c>.
/// A valid token completes with an empty server token. An invalid one gets a JSON error challenge
/// (<c>{"status":"invalid_token"}</c>); the client answers <c>\x01</c> and authentication fails with that JSON as the
/// error message, as Kafka's OAuthBearerSaslServer does.
/// </summary>
public sealed class OAuthBearerServer : ISaslServer
{
    private readonly Func<string, OAuthTokenValidation> _validator;
    private readonly string? _requiredScope;
    private string? _pendingError;

    public OAuthBearerServer(Func<string, OAuthTokenValidation> validator, string? requiredScope = null)
    {
        _validator = validator;
        _requiredScope = requiredScope;
    }

    public string Mechanism => SaslMechanisms.OAuthBearer;

    public bool IsComplete { get; private set; }

    public string? AuthenticatedUser { get; private set; }

    /// <summary>Extensions the client sent (RFC 7628 key=value pairs other than auth).</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; private set; } = new Dictionary<string, string>();

    public SaslStep Evaluate(ReadOnlySpan<byte> clientToken)
    {
        if (_pendingError is not null)
        {
            // After our error challenge the client must send a single %x01; either way, authentication fails now.
            throw new SaslAuthenticationException(_pendingError);
        }
        if (IsComplete)
        {
            throw new SaslAuthenticationException("Authentication failed: SASL/OAUTHBEARER exchange is already complete");
        }

        string message = Encoding.UTF8.GetString(clientToken);
        int sep = message.IndexOf('\u0001');
        if (sep < 0)
        {
            throw new SaslAuthenticationException("Invalid OAUTHBEARER client first message");
        }

        string gs2 = message[..sep];
        var gs2Parts = gs2.Split(',');
        if (gs2Parts.Length < 3 || (gs2Parts[0] != "n" && gs2Parts[0] != "y"))
        {
            throw new SaslAuthenticationException("Invalid OAUTHBEARER client first message");
        }
        string? authzid = gs2Parts[1].StartsWith("a=", StringComparison.Ordinal) ? gs2Parts[1][2..] : null;
        var kv = message[(sep + 1)..].Split('\u0001', StringSplitOptions.RemoveEmptyEntries);
        string? auth = null;
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in kv)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new SaslAuthenticationException("Invalid OAUTHBEARER client first message");
            }

            string key = pair[..eq], value = pair[(eq + 1)..];
            if (key == "auth")
            {
                auth = value;
            }
            else
            {
                extensions[key] = value;
            }
        }
        Extensions = extensions;
        if (auth is null || !auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw new SaslAuthenticationException("Invalid OAUTHBEARER client first message: no auth=Bearer value");
        }
        string token = auth[7..].Trim();
        var result = _validator(token);
        string? status = null;
        if (!result.IsValid)
        {
            status = "invalid_token";
        }
        else if (_requiredScope is not null && !result.HasScope(_requiredScope))
        {
            status = "insufficient_scope";
        }
        else if (authzid is not null && authzid.Length > 0 && authzid != result.Subject)
        {
            status = "invalid_token";
        }

        if (status is not null)
        {
            var json = new JsonObject { ["status"] = status };
            if (status == "insufficient_scope")
            {
                json["scope"] = _requiredScope;
            }

            _pendingError = json.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
            return new SaslStep(Encoding.UTF8.GetBytes(_pendingError), false);
        }
        AuthenticatedUser = result.Subject ?? "";
        IsComplete = true;
        return new SaslStep(Array.Empty<byte>(), true);
    }

    /// <summary>
    /// Validator for librdkafka's default unsecured JWT (alg "none"): accepts it when it is well formed and not expired,
    /// with the principal from the <paramref name="principalClaim"/> claim (default "sub").
    /// </summary>
    public static OAuthTokenValidation ValidateUnsecuredJwt(string token, TimeProvider? clock = null, string principalClaim = "sub")
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[2].Length != 0)
        {
            return OAuthTokenValidation.Invalid("not an unsecured JWT");
        }

        try
        {
            var header = JsonNode.Parse(Base64Url.Decode(parts[0]))!.AsObject();
            if (header["alg"]?.GetValue<string>() != "none")
            {
                return OAuthTokenValidation.Invalid("alg is not none");
            }

            var payload = JsonNode.Parse(Base64Url.Decode(parts[1]))!.AsObject();
            string? sub = payload[principalClaim]?.GetValue<string>();
            if (string.IsNullOrEmpty(sub))
            {
                return OAuthTokenValidation.Invalid("no principal claim");
            }

            DateTimeOffset? exp = null;
            if (payload["exp"] is JsonNode e)
            {
                exp = DateTimeOffset.FromUnixTimeMilliseconds((long)(e.GetValue<double>() * 1000));
                if (exp <= (clock ?? TimeProvider.System).GetUtcNow())
                {
                    return OAuthTokenValidation.Invalid("token expired");
                }
            }
            var scopes = payload["scope"] switch
            {
                JsonArray a => a.Select(x => x!.GetValue<string>()).ToArray(),
                JsonValue v => v.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries),
                _ => Array.Empty<string>(),
            };
            return new OAuthTokenValidation(true, sub, scopes, exp, null);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            return OAuthTokenValidation.Invalid("malformed token");
        }
    }
}
