using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>
/// Connection hook for SSL / SASL_PLAINTEXT / SASL_SSL listeners: TLS handshake with the TestKit CA's broker
/// certificate (optionally requiring a client certificate → principal "User:CN=..."), and SASL gating (before
/// authentication only ApiVersions, SaslHandshake and SaslAuthenticate are served; anything else closes the
/// connection, as Kafka does).
/// </summary>
public sealed class KafkaSecurityAuthenticator : IConnectionAuthenticator
{
    internal const string SessionKey = "testkit2.sasl";

    public KafkaSecurityAuthenticator(KafkaSecurityOptions options)
    {
        Options = options;
        if (options.UsesTls && options.CertificateAuthority is null)
        {
            options.CertificateAuthority = TestCertificateAuthority.Create();
        }
    }

    public KafkaSecurityOptions Options { get; }

    /// <summary>Number of TLS handshakes that failed (wrong CA on the client, no client certificate, ...).</summary>
    public int FailedTlsHandshakes => Volatile.Read(ref _failedTls);

    private int _failedTls;
    private int _failedSasl;
    private int _reauthentications;

    /// <summary>Completed KIP-368 re-authentications (SaslAuthenticate v1 SessionLifetimeMs &gt; 0 makes librdkafka re-authenticate).</summary>
    public int Reauthentications => Volatile.Read(ref _reauthentications);

    /// <summary>Number of SASL exchanges that ended with an authentication failure.</summary>
    public int FailedAuthentications => Volatile.Read(ref _failedSasl);

    /// <summary>Principals of successfully authenticated connections, in order (SASL user or TLS client certificate).</summary>
    public ConcurrentQueue<string> AuthenticatedPrincipals { get; } = new();

    /// <summary>SASL mechanisms clients completed authentication with, in order.</summary>
    public ConcurrentQueue<string> AuthenticatedMechanisms { get; } = new();

    internal static void RecordFailure(RequestContext ctx)
    {
        if (ctx.Cluster.Options.Authenticator is KafkaSecurityAuthenticator a)
        {
            Interlocked.Increment(ref a._failedSasl);
        }
    }

    public async ValueTask<Stream> OnConnectedAsync(ConnectionState connection, Stream stream, CancellationToken ct)
    {
        connection.SecurityProtocol = Options.Protocol switch
        {
            KafkaSecurityProtocol.Ssl => "SSL",
            KafkaSecurityProtocol.SaslPlaintext => "SASL_PLAINTEXT",
            KafkaSecurityProtocol.SaslSsl => "SASL_SSL",
            _ => "PLAINTEXT",
        };
        if (Options.UsesTls)
        {
            var ca = Options.CertificateAuthority!;
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, cert, _, _) =>
                !Options.RequireClientCertificate || (cert is not null && ca.ValidateClientCertificate(new X509Certificate2(cert))));
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = ca.BrokerCertificate,
                    ClientCertificateRequired = Options.RequireClientCertificate,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                Interlocked.Increment(ref _failedTls);
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw new IOException("TLS handshake failed: " + ex.Message, ex);
            }
            if (ssl.RemoteCertificate is { } remote)
            {
                connection.Principal = TestCertificateAuthority.PrincipalFor(new X509Certificate2(remote));
                if (!Options.UsesSasl)
                {
                    AuthenticatedPrincipals.Enqueue(connection.Principal);
                }
            }
            stream = ssl;
        }
        if (Options.UsesSasl)
        {
            connection.IsAuthenticated = false;
            connection.Items[SessionKey] = new SaslSession(Options);
        }
        return stream;
    }

    public bool IsAllowed(ConnectionState connection, short apiKey) =>
        connection.IsAuthenticated || apiKey is ApiKeys.ApiVersions or ApiKeys.SaslHandshake or ApiKeys.SaslAuthenticate;

    internal static SaslSession? Session(ConnectionState connection) =>
        connection.Items.TryGetValue(SessionKey, out var s) ? s as SaslSession : null;

    internal static void OnAuthenticated(RequestContext ctx, ConnectionState connection, SaslSession session)
    {
        connection.IsAuthenticated = true;
        connection.Principal = session.Principal ?? connection.Principal;
        if (ctx.Cluster.Options.Authenticator is KafkaSecurityAuthenticator a)
        {
            a.AuthenticatedPrincipals.Enqueue(connection.Principal);
            a.AuthenticatedMechanisms.Enqueue(session.Mechanism ?? "");
            if (session.Reauthentications > 0)
            {
                Interlocked.Increment(ref a._reauthentications);
            }
        }
    }
}

/// <summary>Wires security into a cluster's options.</summary>
public static class KafkaSecurityClusterOptionsExtensions
{
    /// <summary>
    /// Serves the cluster's listeners with the given security (TLS and/or SASL). Returns the authenticator
    /// (its <see cref="KafkaSecurityAuthenticator.Options"/> carry the generated CA for clients).
    /// </summary>
    public static KafkaSecurityAuthenticator UseSecurity(this KafkaTestClusterOptions options, KafkaSecurityOptions security)
    {
        var auth = new KafkaSecurityAuthenticator(security);
        options.Authenticator = auth;
        return auth;
    }
}

/// <summary>SaslHandshake (17) v0-v1. v0: the tokens that follow are raw frames; v1: SaslAuthenticate requests.</summary>
internal sealed class SaslHandshakeHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.SaslHandshake;
    public short MinVersion => 0;
    public short MaxVersion => 1;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        var session = KafkaSecurityAuthenticator.Session(ctx.Connection);
        if (session is null)
        {
            resp.Set("ErrorCode", ErrorCode.IllegalSaslState);
            resp.Set("Mechanisms", new List<string>());
            return ValueTask.FromResult<Message?>(resp);
        }
        var r = session.Handshake(request.GetString("Mechanism") ?? "", ctx.ApiVersion);
        resp.Set("ErrorCode", r.ErrorCode);
        resp.Set("Mechanisms", r.Mechanisms.ToList());
        if (r.ErrorCode == 0 && session.ExpectRawTokens)
        {
            var conn = ctx.Connection;
            conn.RawFrameHandler = RawStep;

            ValueTask<RawFrameResult> RawStep(ReadOnlyMemory<byte> frame, CancellationToken token)
            {
                var step = session.Authenticate(frame.Span);
                if (step.ErrorCode != 0)
                {
                    KafkaSecurityAuthenticator.RecordFailure(ctx);
                    return ValueTask.FromResult(new RawFrameResult(null, true));
                }
                if (session.IsAuthenticated)
                {
                    KafkaSecurityAuthenticator.OnAuthenticated(ctx, conn, session);
                }
                else
                {
                    conn.RawFrameHandler = RawStep;
                }

                return ValueTask.FromResult(new RawFrameResult(step.AuthBytes, false));
            }
        }
        else if (r.CloseConnection)
        {
            ctx.Connection.RawFrameHandler = (_, _) => ValueTask.FromResult(new RawFrameResult(null, true));
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>SaslAuthenticate (36) v0-v2. On failure: SASL_AUTHENTICATION_FAILED (58) with Kafka's message; the next frame closes the connection.</summary>
internal sealed class SaslAuthenticateHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.SaslAuthenticate;
    public short MinVersion => 0;
    public short MaxVersion => 2;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        var session = KafkaSecurityAuthenticator.Session(ctx.Connection);
        SaslResult r = session is null
            ? new SaslResult(ErrorCode.IllegalSaslState, "SaslAuthenticate request received on a listener without SASL", Array.Empty<byte>(), Array.Empty<string>(), true)
            : session.Authenticate(request.GetBytes("AuthBytes") ?? Array.Empty<byte>());
        resp.Set("ErrorCode", r.ErrorCode);
        resp.Set("ErrorMessage", r.ErrorMessage);
        resp.Set("AuthBytes", r.AuthBytes);
        if (session is not null && session.IsAuthenticated && r.ErrorCode == 0)
        {
            KafkaSecurityAuthenticator.OnAuthenticated(ctx, ctx.Connection, session);
            if (ctx.ApiVersion >= 1)
            {
                resp.Set("SessionLifetimeMs", (ctx.Cluster.Options.Authenticator as KafkaSecurityAuthenticator)?.Options.SessionLifetimeMs ?? 0L);
            }
        }
        if (r.ErrorCode == ErrorCode.SaslAuthenticationFailed)
        {
            KafkaSecurityAuthenticator.RecordFailure(ctx);
        }

        if (r.CloseConnection)
        {
            ctx.Connection.RawFrameHandler = (_, _) => ValueTask.FromResult(new RawFrameResult(null, true));
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}
