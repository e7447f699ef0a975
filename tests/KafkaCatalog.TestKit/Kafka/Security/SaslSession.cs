using KafkaCatalog.TestKit.OAuth;

namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>Listener security protocol, as Kafka names them.</summary>
public enum KafkaSecurityProtocol
{
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

/// <summary>SASL and TLS settings of the TestKit broker's listener.</summary>
public sealed class KafkaSecurityOptions
{
    public KafkaSecurityProtocol Protocol { get; set; } = KafkaSecurityProtocol.Plaintext;

    /// <summary>Enabled SASL mechanisms (order is the order reported to clients).</summary>
    public IList<string> EnabledMechanisms { get; } = new List<string> { SaslMechanisms.Plain, SaslMechanisms.ScramSha256, SaslMechanisms.ScramSha512, SaslMechanisms.OAuthBearer };

    /// <summary>Users for PLAIN and SCRAM.</summary>
    public SaslCredentialStore Users { get; } = new();

    /// <summary>OAUTHBEARER token validator, e.g. <c>oauth.Validate</c>. Null: only librdkafka's unsecured JWTs are accepted if <see cref="AllowUnsecuredJwt"/>.</summary>
    public Func<string, OAuthTokenValidation>? OAuthTokenValidator { get; set; }

    /// <summary>Accept unsigned (alg none) JWTs for OAUTHBEARER (librdkafka's default unsecured token).</summary>
    public bool AllowUnsecuredJwt { get; set; }

    /// <summary>Scope an OAUTHBEARER token must carry (null: none required).</summary>
    public string? RequiredScope { get; set; }

    /// <summary>Certificates for SSL / SASL_SSL (created on demand when null and the protocol needs TLS).</summary>
    public TestCertificateAuthority? CertificateAuthority { get; set; }

    /// <summary>Require and verify a client certificate (mutual TLS); principal is "User:CN=...".</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>SessionLifetimeMs reported in SaslAuthenticate v1+ (0: no re-authentication).</summary>
    public long SessionLifetimeMs { get; set; }

    public bool UsesTls => Protocol is KafkaSecurityProtocol.Ssl or KafkaSecurityProtocol.SaslSsl;

    public bool UsesSasl => Protocol is KafkaSecurityProtocol.SaslPlaintext or KafkaSecurityProtocol.SaslSsl;

    /// <summary>Convenience: adds a PLAIN/SCRAM user.</summary>
    public KafkaSecurityOptions AddUser(string user, string password)
    {
        Users.AddUser(user, password);
        return this;
    }

    internal ISaslServer? CreateServer(string mechanism)
    {
        if (!EnabledMechanisms.Contains(mechanism, StringComparer.Ordinal))
        {
            return null;
        }

        return mechanism switch
        {
            SaslMechanisms.Plain => new PlainServer(Users),
            SaslMechanisms.ScramSha256 or SaslMechanisms.ScramSha512 => new ScramServer(mechanism, Users),
            SaslMechanisms.OAuthBearer => new OAuthBearerServer(ValidateBearer, RequiredScope),
            _ => null,
        };
    }

    private OAuthTokenValidation ValidateBearer(string token)
    {
        if (OAuthTokenValidator is not null)
        {
            var r = OAuthTokenValidator(token);
            if (r.IsValid || !AllowUnsecuredJwt)
            {
                return r;
            }
        }
        return AllowUnsecuredJwt ? OAuthBearerServer.ValidateUnsecuredJwt(token) : OAuthTokenValidation.Invalid("no validator");
    }
}

/// <summary>Result of one SASL call, ready to be put into a SaslHandshake / SaslAuthenticate response.</summary>
public sealed record SaslResult(short ErrorCode, string? ErrorMessage, byte[] AuthBytes, IReadOnlyList<string> Mechanisms, bool CloseConnection);

/// <summary>
/// Per-connection SASL state: SaslHandshake (v0 → raw frames follow, v1 → SaslAuthenticate requests), then token
/// exchange until the mechanism completes. Before completion only ApiVersions, SaslHandshake and SaslAuthenticate may be
/// served (<see cref="IsRequestAllowed"/>).
/// </summary>
public sealed class SaslSession
{
    public const short ApiKeyApiVersions = 18;
    public const short ApiKeySaslHandshake = 17;
    public const short ApiKeySaslAuthenticate = 36;

    private readonly KafkaSecurityOptions _options;
    private ISaslServer? _server;
    private bool _reauthenticating;
    private bool _wasAuthenticatedBefore;

    public SaslSession(KafkaSecurityOptions options) => _options = options;

    public bool IsAuthenticated { get; private set; }

    /// <summary>Completed KIP-368 re-authentications on this connection.</summary>
    public int Reauthentications { get; private set; }

    /// <summary>Kafka principal after authentication, e.g. "User:alice".</summary>
    public string? Principal { get; private set; }

    public string? Mechanism => _server?.Mechanism;

    /// <summary>True after a SaslHandshake v0 until authentication ends: the next frames are raw SASL tokens.</summary>
    public bool ExpectRawTokens { get; private set; }

    public bool IsRequestAllowed(short apiKey) =>
        IsAuthenticated || apiKey is ApiKeyApiVersions or ApiKeySaslHandshake or ApiKeySaslAuthenticate;

    public SaslResult Handshake(string mechanism, short version)
    {
        var enabled = _options.EnabledMechanisms.ToArray();
        bool reauthenticating = IsAuthenticated && (_server is null || _server.IsComplete);
        if (!reauthenticating && _server is not null)
        {
            return new SaslResult(SaslErrors.IllegalSaslState, "Unexpected SaslHandshake request", Array.Empty<byte>(), enabled, true);
        }
        if (reauthenticating && _server is not null && mechanism != _server.Mechanism)
        {
            // KIP-368: re-authentication must use the same mechanism.
            return new SaslResult(SaslErrors.IllegalSaslState,
                $"SASL mechanism '{mechanism}' requested by client is not supported for re-authentication of mechanism '{_server.Mechanism}'",
                Array.Empty<byte>(), enabled, true);
        }
        _reauthenticating = reauthenticating;
        _server = _options.CreateServer(mechanism);
        if (_server is null)
        {
            return new SaslResult(SaslErrors.UnsupportedSaslMechanism,
                $"Unsupported SASL mechanism {mechanism}", Array.Empty<byte>(), enabled, false);
        }
        ExpectRawTokens = version == 0;
        return new SaslResult(0, null, Array.Empty<byte>(), enabled, false);
    }

    /// <summary>Evaluates a client token (from SaslAuthenticate or a raw frame).</summary>
    public SaslResult Authenticate(ReadOnlySpan<byte> token)
    {
        var enabled = _options.EnabledMechanisms.ToArray();
        if (_server is null || _server.IsComplete || (IsAuthenticated && !_reauthenticating))
        {
            return new SaslResult(SaslErrors.IllegalSaslState, "Unexpected SaslAuthenticate request", Array.Empty<byte>(), enabled, true);
        }
        try
        {
            var step = _server.Evaluate(token);
            if (step.Complete)
            {
                var principal = "User:" + _server.AuthenticatedUser;
                if (_reauthenticating && principal != Principal)
                {
                    // KIP-368: re-authentication may not change the principal.
                    throw new SaslAuthenticationException(
                        $"Cannot change principals during re-authentication from {Principal}: {principal}");
                }
                IsAuthenticated = true;
                ExpectRawTokens = false;
                Principal = principal;
                _reauthenticating = false;
                if (_wasAuthenticatedBefore)
                {
                    Reauthentications++;
                }

                _wasAuthenticatedBefore = true;
            }
            return new SaslResult(0, null, step.Challenge, enabled, false);
        }
        catch (SaslAuthenticationException ex)
        {
            return new SaslResult(SaslErrors.SaslAuthenticationFailed, ex.Message, Array.Empty<byte>(), enabled, true);
        }
    }

    /// <summary>Marks the connection authenticated by a verified TLS client certificate (SSL listener, no SASL).</summary>
    public void AuthenticateWithCertificate(string principal)
    {
        IsAuthenticated = true;
        Principal = principal;
    }
}
