using System.Security.Cryptography;
using System.Text;

namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>
/// SCRAM-SHA-256 / SCRAM-SHA-512 server (RFC 5802 / RFC 7677): client-first → server-first (r, s, i) →
/// client-final (c, r, p) → server-final (v). Every failure gives Kafka's generic message
/// "Authentication failed during authentication due to invalid credentials with SASL mechanism &lt;mech&gt;".
/// </summary>
public sealed class ScramServer : ISaslServer
{
    private enum State { ReceiveClientFirst, ReceiveClientFinal, Complete, Failed }

    private readonly SaslCredentialStore _store;
    private readonly HashAlgorithmName _hash;
    private State _state = State.ReceiveClientFirst;
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private string _gs2Header = "";
    private string _user = "";
    private ScramCredential? _credential;

    public ScramServer(string mechanism, SaslCredentialStore store)
    {
        Mechanism = mechanism;
        _store = store;
        _hash = mechanism switch
        {
            SaslMechanisms.ScramSha256 => HashAlgorithmName.SHA256,
            SaslMechanisms.ScramSha512 => HashAlgorithmName.SHA512,
            _ => throw new ArgumentException($"Not a SCRAM mechanism: {mechanism}", nameof(mechanism)),
        };
    }

    public string Mechanism { get; }

    public bool IsComplete => _state == State.Complete;

    public string? AuthenticatedUser => IsComplete ? _user : null;

    /// <summary>Server nonce generator (tests may replace it for deterministic vectors).</summary>
    public Func<string> ServerNonceFactory { get; set; } = () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    public static ScramCredential CreateCredential(HashAlgorithmName hash, string password, int iterations, byte[]? salt = null)
    {
        salt ??= RandomNumberGenerator.GetBytes(16);
        int len = hash == HashAlgorithmName.SHA512 ? 64 : 32;
        byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, hash, len);
        return CredentialFromSaltedPassword(hash, salted, salt, iterations);
    }

    /// <summary>
    /// The stored credential for a SaltedPassword = Hi(password, salt, i) computed by the client (RFC 5802 §3), as
    /// AlterUserScramCredentials sends it: only StoredKey and ServerKey are kept, never the salted password itself.
    /// </summary>
    public static ScramCredential CredentialFromSaltedPassword(HashAlgorithmName hash, byte[] salted, byte[] salt, int iterations)
    {
        byte[] clientKey = Hmac(hash, salted, "Client Key"u8);
        byte[] storedKey = Hash(hash, clientKey);
        byte[] serverKey = Hmac(hash, salted, "Server Key"u8);
        return new ScramCredential(salt, storedKey, serverKey, iterations);
    }

    public SaslStep Evaluate(ReadOnlySpan<byte> clientToken)
    {
        try
        {
            string message = Encoding.UTF8.GetString(clientToken);
            switch (_state)
            {
                case State.ReceiveClientFirst:
                    return ClientFirst(message);
                case State.ReceiveClientFinal:
                    return ClientFinal(message);
                default:
                    throw Fail();
            }
        }
        catch (SaslAuthenticationException)
        {
            _state = State.Failed;
            throw;
        }
    }

    private SaslAuthenticationException Fail() =>
        new($"Authentication failed during authentication due to invalid credentials with SASL mechanism {Mechanism}");

    private SaslStep ClientFirst(string message)
    {
        // gs2-header: cbind-flag "," [authzid] ","  — only "n" and "y" (no channel binding) are supported.
        int first = message.IndexOf(',');
        int second = first < 0 ? -1 : message.IndexOf(',', first + 1);
        if (second < 0)
        {
            throw Fail();
        }

        string cbind = message[..first];
        if (cbind != "n" && cbind != "y")
        {
            throw Fail();
        }

        string authzid = message[(first + 1)..second];
        _gs2Header = message[..(second + 1)];
        _clientFirstBare = message[(second + 1)..];
        var attrs = ParseAttributes(_clientFirstBare);
        if (!attrs.TryGetValue('n', out var user) || user.Length == 0)
        {
            throw Fail();
        }

        if (!attrs.TryGetValue('r', out var clientNonce) || clientNonce.Length == 0)
        {
            throw Fail();
        }

        user = user.Replace("=2C", ",").Replace("=3D", "=");
        if (authzid.Length > 0 && authzid != "a=" + user)
        {
            throw Fail();
        }

        _credential = _store.GetScram(user, Mechanism);
        if (_credential is null)
        {
            throw Fail();
        }

        _user = user;
        _nonce = clientNonce + ServerNonceFactory();
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_credential.Salt)},i={_credential.Iterations}";
        _state = State.ReceiveClientFinal;
        return new SaslStep(Encoding.UTF8.GetBytes(_serverFirst), false);
    }

    private SaslStep ClientFinal(string message)
    {
        int proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            throw Fail();
        }

        string withoutProof = message[..proofAt];
        var attrs = ParseAttributes(message);
        if (!attrs.TryGetValue('c', out var cb) || cb != Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header)))
        {
            throw Fail();
        }

        if (!attrs.TryGetValue('r', out var nonce) || nonce != _nonce)
        {
            throw Fail();
        }

        if (!attrs.TryGetValue('p', out var proofB64))
        {
            throw Fail();
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(proofB64);
        }
        catch (FormatException)
        {
            throw Fail();
        }
        var cred = _credential!;
        string authMessage = _clientFirstBare + "," + _serverFirst + "," + withoutProof;
        byte[] clientSignature = Hmac(_hash, cred.StoredKey, Encoding.UTF8.GetBytes(authMessage));
        if (proof.Length != clientSignature.Length)
        {
            throw Fail();
        }

        byte[] clientKey = new byte[proof.Length];
        for (int i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(Hash(_hash, clientKey), cred.StoredKey))
        {
            throw Fail();
        }

        byte[] serverSignature = Hmac(_hash, cred.ServerKey, Encoding.UTF8.GetBytes(authMessage));
        _state = State.Complete;
        return new SaslStep(Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature)), true);
    }

    private static Dictionary<char, string> ParseAttributes(string s)
    {
        var d = new Dictionary<char, string>();
        foreach (var part in s.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                d.TryAdd(part[0], part[2..]);
            }
        }
        return d;
    }

    internal static byte[] Hmac(HashAlgorithmName hash, byte[] key, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);

    internal static byte[] Hash(HashAlgorithmName hash, byte[] data) =>
        hash == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);
}
