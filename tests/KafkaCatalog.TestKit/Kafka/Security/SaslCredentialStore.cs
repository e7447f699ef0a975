using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>Salted SCRAM credential as Kafka stores it (never the password).</summary>
public sealed record ScramCredential(byte[] Salt, byte[] StoredKey, byte[] ServerKey, int Iterations);

/// <summary>
/// Users known to the broker: a PLAIN password check (constant-time) and SCRAM-SHA-256/512 salted credentials
/// (iterations 4096 by default), derived once when the user is added.
/// </summary>
public sealed class SaslCredentialStore
{
    public const int DefaultIterations = 4096;

    private readonly ConcurrentDictionary<string, byte[]> _plainHashes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string User, string Mechanism), ScramCredential> _scram = new();

    public void AddUser(string user, string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        _plainHashes[user] = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        _scram[(user, SaslMechanisms.ScramSha256)] = ScramServer.CreateCredential(HashAlgorithmName.SHA256, password, iterations);
        _scram[(user, SaslMechanisms.ScramSha512)] = ScramServer.CreateCredential(HashAlgorithmName.SHA512, password, iterations);
    }

    /// <summary>Stores a precomputed SCRAM credential (e.g. RFC test vectors) for one mechanism.</summary>
    public void AddScramCredential(string user, string mechanism, ScramCredential credential)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        _scram[(user, mechanism)] = credential;
    }

    public bool RemoveUser(string user)
    {
        bool removed = _plainHashes.TryRemove(user, out _);
        _scram.TryRemove((user, SaslMechanisms.ScramSha256), out _);
        _scram.TryRemove((user, SaslMechanisms.ScramSha512), out _);
        return removed;
    }

    /// <summary>Removes one SCRAM credential (AlterUserScramCredentials deletion); the PLAIN password stays.</summary>
    public bool RemoveScramCredential(string user, string mechanism) => _scram.TryRemove((user, mechanism), out _);

    /// <summary>Every (user, mechanism) that has a SCRAM credential.</summary>
    public IReadOnlyList<(string User, string Mechanism, ScramCredential Credential)> ScramCredentials =>
        _scram.Select(kv => (kv.Key.User, kv.Key.Mechanism, kv.Value)).ToArray();

    /// <summary>Held while one AlterUserScramCredentials request is validated and applied, so it applies atomically.</summary>
    internal object AlterSync { get; } = new();

    public IReadOnlyCollection<string> Users => _plainHashes.Keys.ToArray();

    public bool VerifyPlain(string user, string password)
    {
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        return _plainHashes.TryGetValue(user, out var expected) && CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    public ScramCredential? GetScram(string user, string mechanism) =>
        _scram.TryGetValue((user, mechanism), out var c) ? c : null;
}
