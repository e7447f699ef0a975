namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>SASL mechanism names as Kafka spells them.</summary>
public static class SaslMechanisms
{
    public const string Plain = "PLAIN";
    public const string ScramSha256 = "SCRAM-SHA-256";
    public const string ScramSha512 = "SCRAM-SHA-512";
    public const string OAuthBearer = "OAUTHBEARER";

    public static readonly IReadOnlyList<string> All = [Plain, ScramSha256, ScramSha512, OAuthBearer];
}

/// <summary>Kafka error codes of the SASL exchange.</summary>
public static class SaslErrors
{
    public const short UnsupportedSaslMechanism = 33;
    public const short IllegalSaslState = 34;
    public const short SaslAuthenticationFailed = 58;
}

/// <summary>Authentication failed. <see cref="Message"/> is what the broker puts in ErrorMessage (code 58).</summary>
public sealed class SaslAuthenticationException : Exception
{
    public SaslAuthenticationException(string message) : base(message) { }
}

/// <summary>One server step: the token to send back, and whether authentication is complete (successful).</summary>
public readonly record struct SaslStep(byte[] Challenge, bool Complete);

/// <summary>Server side of one SASL mechanism for one connection. Throws <see cref="SaslAuthenticationException"/> on failure.</summary>
public interface ISaslServer
{
    string Mechanism { get; }

    bool IsComplete { get; }

    /// <summary>Authenticated user name (Kafka principal "User:&lt;name&gt;") once complete.</summary>
    string? AuthenticatedUser { get; }

    SaslStep Evaluate(ReadOnlySpan<byte> clientToken);
}
