using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using KafkaCatalog.TestKit.Kafka.Handlers;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Security;

/// <summary>
/// The SCRAM credentials a cluster keeps (KIP-554), shared with its SASL listener: on a cluster with
/// <see cref="KafkaSecurityAuthenticator"/> they are that authenticator's users, so a credential created with
/// AlterUserScramCredentials authenticates over SASL/SCRAM at once. A cluster without SASL keeps its own store
/// (Kafka stores credentials whatever its listeners are).
/// </summary>
public static class ScramCredentials
{
    private static readonly ConditionalWeakTable<KafkaTestCluster, SaslCredentialStore> Fallback = new();

    /// <summary>The store the cluster's SCRAM APIs and SCRAM authentication use.</summary>
    public static SaslCredentialStore Of(KafkaTestCluster cluster) =>
        cluster.Options.Authenticator is KafkaSecurityAuthenticator a ? a.Options.Users : Fallback.GetValue(cluster, _ => new SaslCredentialStore());

    /// <summary>Kafka's ScramMechanism type ids (1 SCRAM-SHA-256, 2 SCRAM-SHA-512; anything else is UNKNOWN).</summary>
    public static string? MechanismName(sbyte type) => type switch
    {
        1 => SaslMechanisms.ScramSha256,
        2 => SaslMechanisms.ScramSha512,
        _ => null,
    };

    public static sbyte MechanismType(string name) => name switch
    {
        SaslMechanisms.ScramSha256 => 1,
        SaslMechanisms.ScramSha512 => 2,
        _ => 0,
    };

    /// <summary>Kafka's ScramMechanism minIterations (4096 for both) and ScramControlManager's MAX_ITERATIONS.</summary>
    public const int MinIterations = 4096;
    public const int MaxIterations = 16384;

    /// <summary>Cluster DESCRIBE / ALTER, as Kafka's KafkaApis/ControllerApis authorize these APIs.</summary>
    internal static bool Authorized(RequestContext ctx, AclOperation op) =>
        ctx.State.IsAuthorized(ctx.Principal, op, AclResourceType.Cluster, "kafka-cluster");
}

/// <summary>
/// DescribeUserScramCredentials (50) v0, following Kafka's ScramImage.describe: null or empty Users lists every user
/// with a credential; a user named twice is DUPLICATE_RESOURCE, an unknown one RESOURCE_NOT_FOUND (per user, top-level
/// error 0). Never returns salts or keys: only mechanism and iterations, as Kafka does.
/// </summary>
internal sealed class DescribeUserScramCredentialsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DescribeUserScramCredentials;
    public short MinVersion => 0;
    public short MaxVersion => 0;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        resp.Set("Results", new List<Message>());
        if (!ScramCredentials.Authorized(ctx, AclOperation.Describe))
        {
            resp.Set("ErrorCode", ErrorCode.ClusterAuthorizationFailed);
            resp.Set("ErrorMessage", ErrorCode.DefaultMessage(ErrorCode.ClusterAuthorizationFailed));
            return ValueTask.FromResult<Message?>(resp);
        }

        var byUser = ScramCredentials.Of(ctx.Cluster).ScramCredentials
            .GroupBy(c => c.User, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => ScramCredentials.MechanismType(c.Mechanism)).ToArray(), StringComparer.Ordinal);
        var requested = request.GetArray("Users");
        IEnumerable<string> users;
        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        if (requested is null || requested.Count == 0)
        {
            users = byUser.Keys.OrderBy(u => u, StringComparer.Ordinal);
        }
        else
        {
            var names = requested.Select(u => u.GetString("Name") ?? "").ToList();
            foreach (var g in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                duplicates.Add(g.Key);
            }

            users = names.Distinct(StringComparer.Ordinal);
        }

        foreach (var user in users)
        {
            var r = resp.AddElement("Results");
            r.Set("User", user);
            r.Set("CredentialInfos", new List<Message>());
            if (duplicates.Contains(user))
            {
                r.Set("ErrorCode", ErrorCode.DuplicateResource);
                r.Set("ErrorMessage", "Cannot describe SCRAM credentials for the same user twice in a single request: " + user);
                continue;
            }
            if (!byUser.TryGetValue(user, out var creds))
            {
                r.Set("ErrorCode", ErrorCode.ResourceNotFound);
                r.Set("ErrorMessage", "Attempt to describe a user credential that does not exist: " + user);
                continue;
            }
            foreach (var c in creds)
            {
                var info = r.AddElement("CredentialInfos");
                info.Set("Mechanism", ScramCredentials.MechanismType(c.Mechanism));
                info.Set("Iterations", c.Credential.Iterations);
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}

/// <summary>
/// AlterUserScramCredentials (51) v0, following Kafka's ScramControlManager.alterCredentials: one change per user per
/// request (a second is DUPLICATE_RESOURCE for that user), empty name UNACCEPTABLE_CREDENTIAL, unknown mechanism
/// UNSUPPORTED_SASL_MECHANISM, iterations outside [4096, 16384] UNACCEPTABLE_CREDENTIAL ("Too few/many iterations"),
/// deleting a credential that does not exist RESOURCE_NOT_FOUND. Valid changes apply together. The client sends
/// Salt and SaltedPassword (RFC 5802 Hi()); the broker keeps StoredKey and ServerKey derived from them.
/// </summary>
internal sealed class AlterUserScramCredentialsHandler : IKafkaApiHandler
{
    private const string Twice = "A user credential cannot be altered twice in the same request";

    public short ApiKey => ApiKeys.AlterUserScramCredentials;
    public short MinVersion => 0;
    public short MaxVersion => 0;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        resp.Set("Results", new List<Message>());
        var deletions = request.GetArray("Deletions") ?? new List<Message>();
        var upsertions = request.GetArray("Upsertions") ?? new List<Message>();
        if (!ScramCredentials.Authorized(ctx, AclOperation.Alter))
        {
            foreach (var user in deletions.Concat(upsertions).Select(m => m.GetString("Name") ?? "").Distinct(StringComparer.Ordinal))
            {
                Result(resp, user, ErrorCode.ClusterAuthorizationFailed, ErrorCode.DefaultMessage(ErrorCode.ClusterAuthorizationFailed));
            }
            return ValueTask.FromResult<Message?>(resp);
        }

        var store = ScramCredentials.Of(ctx.Cluster);
        lock (store.AlterSync)
        {
            var toDelete = new Dictionary<string, string>(StringComparer.Ordinal);
            var toUpsert = new Dictionary<string, (string Mechanism, ScramCredential Credential)>(StringComparer.Ordinal);
            var errors = new Dictionary<string, (short Code, string Message)>(StringComparer.Ordinal);
            foreach (var d in deletions)
            {
                var user = d.GetString("Name") ?? "";
                if (errors.ContainsKey(user))
                {
                    continue;
                }

                if (toDelete.Remove(user))
                {
                    errors[user] = (ErrorCode.DuplicateResource, Twice);
                    continue;
                }
                var mechanism = ScramCredentials.MechanismName(d.GetInt8("Mechanism"));
                if (NameAndMechanism(user, mechanism) is { } bad)
                {
                    errors[user] = bad;
                }
                else if (store.GetScram(user, mechanism!) is null)
                {
                    errors[user] = (ErrorCode.ResourceNotFound, "Attempt to delete a user credential that does not exist");
                }
                else
                {
                    toDelete[user] = mechanism!;
                }
            }
            foreach (var u in upsertions)
            {
                var user = u.GetString("Name") ?? "";
                if (errors.ContainsKey(user))
                {
                    continue;
                }

                if (toDelete.Remove(user) | toUpsert.Remove(user))
                {
                    errors[user] = (ErrorCode.DuplicateResource, Twice);
                    continue;
                }
                var mechanism = ScramCredentials.MechanismName(u.GetInt8("Mechanism"));
                var iterations = u.GetInt32("Iterations");
                if (NameAndMechanism(user, mechanism) is { } bad)
                {
                    errors[user] = bad;
                }
                else if (iterations < ScramCredentials.MinIterations)
                {
                    errors[user] = (ErrorCode.UnacceptableCredential, "Too few iterations");
                }
                else if (iterations > ScramCredentials.MaxIterations)
                {
                    errors[user] = (ErrorCode.UnacceptableCredential, "Too many iterations");
                }
                else
                {
                    var hash = mechanism == SaslMechanisms.ScramSha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
                    var salt = u.GetBytes("Salt") ?? Array.Empty<byte>();
                    var salted = u.GetBytes("SaltedPassword") ?? Array.Empty<byte>();
                    toUpsert[user] = (mechanism!, ScramServer.CredentialFromSaltedPassword(hash, salted, salt, iterations));
                }
            }

            foreach (var (user, mechanism) in toDelete)
            {
                store.RemoveScramCredential(user, mechanism);
                Result(resp, user, ErrorCode.None, null);
            }
            foreach (var (user, change) in toUpsert)
            {
                store.AddScramCredential(user, change.Mechanism, change.Credential);
                Result(resp, user, ErrorCode.None, null);
            }
            foreach (var (user, error) in errors)
            {
                Result(resp, user, error.Code, error.Message);
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }

    private static (short, string)? NameAndMechanism(string user, string? mechanism)
    {
        if (user.Length == 0)
        {
            return (ErrorCode.UnacceptableCredential, "Username must not be empty");
        }

        if (mechanism is null)
        {
            return (ErrorCode.UnsupportedSaslMechanism, "Unknown SCRAM mechanism");
        }

        return null;
    }

    private static void Result(Message resp, string user, short code, string? message)
    {
        var r = resp.AddElement("Results");
        r.Set("User", user);
        r.Set("ErrorCode", code);
        r.Set("ErrorMessage", message);
    }
}
