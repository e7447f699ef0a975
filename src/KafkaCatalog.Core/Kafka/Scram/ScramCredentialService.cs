using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka.Scram;

/// <summary>What Get-KafkaUserScramCredential found: the credentials, and one error per named user the cluster does not know.</summary>
public sealed record KafkaUserScramCredentialListing(IReadOnlyList<KafkaUserScramCredential> Credentials, IReadOnlyList<KafkaCatalogException> Errors);

/// <summary>
/// SCRAM users (KIP-554): describe credentials (DescribeUserScramCredentials), create or replace one
/// (AlterUserScramCredentials upsertion with a fresh random salt) and delete one. The password is taken as a
/// SecureString, turned into UTF-8 bytes only for the call (the client derives SaltedPassword from it; the password
/// itself never leaves this process) and wiped afterwards; no message, verbose line or exception carries it.
/// </summary>
public sealed class ScramCredentialService
{
    private readonly KafkaCalls _calls;

    public ScramCredentialService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>
    /// The credentials of the users matching <paramref name="users"/> (every user when null or empty), one per user and
    /// mechanism, ordered by user then mechanism. Plain names are asked for directly and an unknown one is a
    /// ScramUserNotFound error in the listing; a wildcard that matches nothing is no error (as Get-ChildItem does).
    /// </summary>
    public async Task<KafkaUserScramCredentialListing> GetAsync(IReadOnlyList<string>? users, CancellationToken cancellationToken = default)
    {
        var patterns = (users ?? []).Select(NamePattern.Parse).ToArray();
        var literalOnly = patterns.Length > 0 && patterns.All(p => !p.HasWildcards);
        var asked = literalOnly ? patterns.Select(p => p.Literal).Distinct(StringComparer.Ordinal).ToArray() : [];
        foreach (var name in asked)
        {
            if (name.Length == 0)
            {
                throw new KafkaCatalogException(ErrorCatalog.ScramUserNameEmpty,
                    "The user name is empty. Give the SCRAM user's name, or omit -User to list every user.", name);
            }
        }

        _calls.Sink.Verbose(asked.Length > 0
            ? $"DescribeUserScramCredentials ({string.Join(", ", asked)}) on {_calls.Factory.BootstrapServers}."
            : $"DescribeUserScramCredentials (all users) on {_calls.Factory.BootstrapServers}.");
        const string action = "list SCRAM credentials";
        var target = users is { Count: > 0 } ? string.Join(", ", users) : "(all users)";
        var descriptions = await _calls.RunAsync<List<UserScramCredentialsDescription>, DescribeUserScramCredentialsException>(
            new KafkaCall("DescribeUserScramCredentials", KafkaCallKind.Read, action, users)
            {
                Report = KafkaCallReport.Explained,
                Map = ex => Map(ex.Error.Code, ex.Error.Reason, target, null, action, ex),
            },
            async _ => (await _calls.Factory.AdminClient.DescribeUserScramCredentialsAsync(asked, new DescribeUserScramCredentialsOptions { RequestTimeout = _calls.Factory.RequestTimeout }).ConfigureAwait(false)).UserScramCredentialsDescriptions,
            // Some users have an error (unknown user): the others are still in the report.
            ex => ex.Results.UserScramCredentialsDescriptions,
            null,
            cancellationToken).ConfigureAwait(false);

        var credentials = new List<KafkaUserScramCredential>();
        var errors = new List<KafkaCatalogException>();
        foreach (var d in descriptions)
        {
            if (d.Error is { IsError: true } error)
            {
                errors.Add(Map(error.Code, error.Reason, d.User, null, $"list the SCRAM credentials of user '{d.User}'", null));
                continue;
            }

            if (!literalOnly && patterns.Length > 0 && !NamePattern.MatchesAny(patterns, d.User))
            {
                continue;
            }

            foreach (var info in d.ScramCredentialInfos ?? [])
            {
                credentials.Add(new KafkaUserScramCredential(d.User, NameOf(info.Mechanism), info.Iterations) { ConnectionName = _calls.Factory.Connection.Name });
            }
        }

        if (!literalOnly)
        {
            // Listing every user and filtering: a plain name among wildcards that matched nothing is still unknown.
            foreach (var p in patterns.Where(p => !p.HasWildcards && !credentials.Any(c => c.User == p.Literal)))
            {
                errors.Add(NotFound(p.Literal));
            }
        }

        return new KafkaUserScramCredentialListing(
            credentials.OrderBy(c => c.User, StringComparer.Ordinal).ThenBy(c => c.Mechanism, StringComparer.Ordinal).ToArray(),
            errors);
    }

    /// <summary>
    /// Checks what Set-KafkaUserScramCredential was given, before any call: a user name, a password, a mechanism Kafka
    /// knows and iterations in Kafka's range. Returns the canonical mechanism name.
    /// </summary>
    public static string Validate(string? user, SecureString? password, string? mechanism, int iterations)
    {
        if (string.IsNullOrEmpty(user))
        {
            throw new KafkaCatalogException(ErrorCatalog.ScramUserNameEmpty,
                "The credential has no user name. Give -Credential a user name and a password: Get-Credential alice.", user);
        }

        if (password is null || password.Length == 0)
        {
            throw new KafkaCatalogException(ErrorCatalog.ScramPasswordEmpty,
                $"The credential for user '{user}' has an empty password. Kafka would store it, and anyone could then log in as '{user}'; give a password.", user);
        }

        var canonical = ScramMechanisms.Normalize(mechanism) ?? throw new KafkaCatalogException(ErrorCatalog.ScramMechanismUnsupported,
            $"'{mechanism}' is not a SCRAM mechanism Kafka stores. Use {ScramMechanisms.Sha256} or {ScramMechanisms.Sha512}.", mechanism);
        if (iterations is < ScramMechanisms.MinIterations or > ScramMechanisms.MaxIterations)
        {
            throw new KafkaCatalogException(ErrorCatalog.ScramIterationsOutOfRange,
                $"{iterations} iterations is outside what Kafka accepts for {canonical}: {ScramMechanisms.MinIterations} to {ScramMechanisms.MaxIterations}. The default is {ScramMechanisms.DefaultIterations}.", iterations);
        }

        return canonical;
    }

    /// <summary>Creates or replaces the <paramref name="mechanism"/> credential of <paramref name="user"/> and returns what the cluster now holds.</summary>
    public async Task<KafkaUserScramCredential> SetAsync(string user, SecureString password, string mechanism, int iterations, CancellationToken cancellationToken = default)
    {
        var canonical = Validate(user, password, mechanism, iterations);
        var salt = RandomNumberGenerator.GetBytes(ScramMechanisms.SaltLength(canonical));
        var secret = Utf8(password);
        try
        {
            var upsertion = new UserScramCredentialUpsertion
            {
                User = user,
                ScramCredentialInfo = new ScramCredentialInfo { Mechanism = ToConfluent(canonical), Iterations = iterations },
                Password = secret,
                Salt = salt,
            };
            _calls.Sink.Verbose($"AlterUserScramCredentials (upsert {canonical} for user '{user}', {iterations} iterations, new {salt.Length}-byte salt) on {_calls.Factory.BootstrapServers}.");
            await AlterAsync(upsertion, user, canonical, "set the SCRAM credential", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }

        return new KafkaUserScramCredential(user, canonical, iterations) { ConnectionName = _calls.Factory.Connection.Name };
    }

    /// <summary>
    /// Deletes the <paramref name="mechanism"/> credential of <paramref name="user"/> and returns it as it was. It is
    /// looked up first, so a credential that does not exist is ScramCredentialNotFound before any write.
    /// </summary>
    public async Task<KafkaUserScramCredential> RemoveAsync(string user, string mechanism, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(user))
        {
            throw new KafkaCatalogException(ErrorCatalog.ScramUserNameEmpty, "The user name is empty. Give the SCRAM user's name.", user);
        }

        var canonical = ScramMechanisms.Normalize(mechanism) ?? throw new KafkaCatalogException(ErrorCatalog.ScramMechanismUnsupported,
            $"'{mechanism}' is not a SCRAM mechanism Kafka stores. Use {ScramMechanisms.Sha256} or {ScramMechanisms.Sha512}.", mechanism);
        var listing = await GetAsync([NamePattern.ContainsWildcard(user) ? EscapeWildcards(user) : user], cancellationToken).ConfigureAwait(false);
        var existing = listing.Credentials.FirstOrDefault(c => c.User == user && c.Mechanism == canonical);
        if (existing is null)
        {
            var has = listing.Credentials.Where(c => c.User == user).Select(c => c.Mechanism).ToArray();
            throw new KafkaCatalogException(ErrorCatalog.ScramCredentialNotFound,
                has.Length == 0
                    ? $"User '{user}' has no SCRAM credential, so nothing was removed. Use Get-KafkaUserScramCredential to list the users."
                    : $"User '{user}' has no {canonical} credential (it has {string.Join(", ", has)}), so nothing was removed.",
                user);
        }

        _calls.Sink.Verbose($"AlterUserScramCredentials (delete {canonical} of user '{user}') on {_calls.Factory.BootstrapServers}.");
        await AlterAsync(new UserScramCredentialDeletion { User = user, Mechanism = ToConfluent(canonical) }, user, canonical, "remove the SCRAM credential", cancellationToken).ConfigureAwait(false);
        return existing;
    }

    private static string EscapeWildcards(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (c is '*' or '?' or '[' or ']' or '`')
            {
                sb.Append('`');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    // A repeated deletion would fail with RESOURCE_NOT_FOUND, a repeated upsertion with a new salt: retried only
    // when the error proves the cluster did not apply the first.
    private Task AlterAsync(UserScramCredentialAlteration alteration, string user, string mechanism, string action, CancellationToken cancellationToken) =>
        _calls.RunAsync(
            new KafkaCall("AlterUserScramCredentials", KafkaCallKind.NonIdempotentWrite, $"{action} of user '{user}'", user)
            {
                Report = KafkaCallReport.Explained,
                Map = ex =>
                {
                    var error = ex is AlterUserScramCredentialsException refused ? refused.Results.FirstOrDefault(r => r.Error.IsError)?.Error : ex.Error;
                    return Map(error?.Code ?? ErrorCode.Unknown, error?.Reason, user, mechanism, $"{action} of user '{user}'", ex);
                },
            },
            _ => _calls.Factory.AdminClient.AlterUserScramCredentialsAsync([alteration], new AlterUserScramCredentialsOptions { RequestTimeout = _calls.Factory.RequestTimeout }),
            cancellationToken);

    private static KafkaCatalogException NotFound(string user) => new(ErrorCatalog.ScramUserNotFound,
        $"User '{user}' has no SCRAM credential on this cluster. Use Get-KafkaUserScramCredential to list the users, or Set-KafkaUserScramCredential to create one.", user);

    private KafkaCatalogException Map(ErrorCode code, string? reason, string target, string? mechanism, string action, Exception? inner)
    {
        var detail = string.IsNullOrWhiteSpace(reason) ? code.ToString() : reason;
        KafkaCatalogException mapped = code switch
        {
            ErrorCode.ResourceNotFound when mechanism is null => NotFound(target),
            ErrorCode.ResourceNotFound => new(ErrorCatalog.ScramCredentialNotFound,
                $"User '{target}' has no {mechanism} credential, so nothing was removed ({detail}). Use Get-KafkaUserScramCredential -User '{target}' to see its mechanisms.", target),
            ErrorCode.UnacceptableCredential => new(ErrorCatalog.ScramCredentialUnacceptable,
                $"The cluster refused to {action}: {detail}. Kafka accepts {ScramMechanisms.MinIterations} to {ScramMechanisms.MaxIterations} iterations and a non-empty user name.", target),
            ErrorCode.UnsupportedSaslMechanism => new(ErrorCatalog.ScramMechanismUnsupported,
                $"The cluster refused to {action}: {detail}. Use {ScramMechanisms.Sha256} or {ScramMechanisms.Sha512}.", target),
            ErrorCode.DuplicateResource => new(ErrorCatalog.ScramUserDuplicate,
                $"The cluster refused to {action}: {detail}. Change one credential of a user per call.", target),
            ErrorCode.ClusterAuthorizationFailed => new(ErrorCatalog.KafkaAuthorizationFailed,
                $"Not authorized to {action}: SCRAM credentials need the {(mechanism is null ? "Describe" : "Alter")} operation on the Cluster resource. Ask the cluster's administrator for the ACL.", target),
            _ when KafkaRetry.IsUnreachable(code) && inner is not null => KafkaRetry.ClusterUnreachable(_calls.Factory.BootstrapServers, inner),
            _ => KafkaErrors.General(code, reason, target, action),
        };
        return inner is null ? mapped : new KafkaCatalogException(mapped.ErrorId, mapped.Kind, mapped.Message, mapped.Target, inner);
    }

    internal static string NameOf(ScramMechanism mechanism) => mechanism switch
    {
        ScramMechanism.ScramSha256 => ScramMechanisms.Sha256,
        ScramMechanism.ScramSha512 => ScramMechanisms.Sha512,
        _ => "UNKNOWN",
    };

    internal static ScramMechanism ToConfluent(string canonical) =>
        canonical == ScramMechanisms.Sha512 ? ScramMechanism.ScramSha512 : ScramMechanism.ScramSha256;

    private static byte[] Utf8(SecureString password)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(password);
        var chars = new char[password.Length];
        try
        {
            Marshal.Copy(pointer, chars, 0, chars.Length);
            return Encoding.UTF8.GetBytes(chars);
        }
        finally
        {
            Array.Clear(chars);
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
