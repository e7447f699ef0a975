namespace KafkaCatalog.Core.Kafka.Scram;

/// <summary>
/// One SCRAM credential of a user as the cluster reports it (DescribeUserScramCredentials): the user, the mechanism
/// ("SCRAM-SHA-256" or "SCRAM-SHA-512", the names SASL clients and kafka-configs use) and the iteration count. The
/// cluster never returns the salt or keys, so there is nothing secret here. <see cref="User"/> and
/// <see cref="Mechanism"/> bind by property name to Remove-KafkaUserScramCredential.
/// </summary>
public sealed record KafkaUserScramCredential(string User, string Mechanism, int Iterations)
{
    public string? ConnectionName { get; init; }

    public override string ToString() => $"{User} {Mechanism} ({Iterations} iterations)";
}

/// <summary>The SCRAM mechanisms Kafka stores credentials for, and the rules it applies to them.</summary>
public static class ScramMechanisms
{
    public const string Sha256 = "SCRAM-SHA-256";
    public const string Sha512 = "SCRAM-SHA-512";

    /// <summary>Kafka's minimum (ScramMechanism.minIterations, 4096 for both mechanisms).</summary>
    public const int MinIterations = 4096;

    /// <summary>Kafka's maximum (ScramControlManager MAX_ITERATIONS).</summary>
    public const int MaxIterations = 16384;

    /// <summary>
    /// Twice Kafka's minimum, the value Kafka's own documentation uses in its kafka-configs example: a stronger default
    /// than the bare minimum at a cost paid once per connection.
    /// </summary>
    public const int DefaultIterations = 8192;

    public static IReadOnlyList<string> All { get; } = [Sha256, Sha512];

    /// <summary>The canonical name for <paramref name="name"/> (case-insensitive), or null when Kafka has no such mechanism.</summary>
    public static string? Normalize(string? name) =>
        string.Equals(name, Sha256, StringComparison.OrdinalIgnoreCase) ? Sha256
        : string.Equals(name, Sha512, StringComparison.OrdinalIgnoreCase) ? Sha512
        : null;

    /// <summary>The salt length used for a new credential: the mechanism's hash length (32 or 64 random bytes).</summary>
    public static int SaltLength(string mechanism) => mechanism == Sha512 ? 64 : 32;
}
