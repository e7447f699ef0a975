using System.Text;

namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>SASL/PLAIN (RFC 4616): one token <c>authzid \0 user \0 password</c>; success is an empty token.</summary>
public sealed class PlainServer : ISaslServer
{
    private readonly SaslCredentialStore _store;

    public PlainServer(SaslCredentialStore store) => _store = store;

    public string Mechanism => SaslMechanisms.Plain;

    public bool IsComplete { get; private set; }

    public string? AuthenticatedUser { get; private set; }

    public SaslStep Evaluate(ReadOnlySpan<byte> clientToken)
    {
        if (IsComplete)
        {
            throw new SaslAuthenticationException("Authentication failed: SASL/PLAIN exchange is already complete");
        }

        var text = Encoding.UTF8.GetString(clientToken);
        var parts = text.Split('\0');
        if (parts.Length != 3)
        {
            throw new SaslAuthenticationException($"Invalid SASL/PLAIN response: expected 3 tokens, got {parts.Length}");
        }
        string authzid = parts[0], user = parts[1], password = parts[2];
        if (user.Length == 0)
        {
            throw new SaslAuthenticationException("Authentication failed: username not specified");
        }

        if (password.Length == 0)
        {
            throw new SaslAuthenticationException("Authentication failed: password not specified");
        }

        if (!_store.VerifyPlain(user, password))
        {
            throw new SaslAuthenticationException("Authentication failed: Invalid username or password");
        }

        if (authzid.Length != 0 && authzid != user)
        {
            throw new SaslAuthenticationException("Authentication failed: Client requested an authorization id that is different from username");
        }
        AuthenticatedUser = user;
        IsComplete = true;
        return new SaslStep(Array.Empty<byte>(), true);
    }
}
