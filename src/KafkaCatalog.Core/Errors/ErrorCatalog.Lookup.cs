using System.Collections.Frozen;
using System.Reflection;

namespace KafkaCatalog.Core.Errors;

/// <summary>Finding catalogue entries by id (for ids that travel as text: result objects, re-raised errors).</summary>
public static partial class ErrorCatalog
{
    /// <summary>The prefix of the ids for Kafka error codes the module has no own id for ("KafkaError" + the code's name).</summary>
    public const string KafkaErrorPrefix = "KafkaError";

    /// <summary>The family entry of the "KafkaError&lt;Code&gt;" ids (Kafka error codes without an own id).</summary>
    public static readonly ErrorDefinition KafkaError = new(KafkaErrorPrefix, FailureKind.NotSpecified, "See the Kafka error code in the id and the message; run the command again with -Verbose for the client's log.");

    private static readonly Lazy<FrozenDictionary<string, ErrorDefinition>> ById = new(() =>
        typeof(ErrorCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorDefinition))
            .Select(f => (ErrorDefinition)f.GetValue(null)!)
            .ToFrozenDictionary(e => e.Id, StringComparer.Ordinal));

    /// <summary>Every entry, ordered by id.</summary>
    public static IReadOnlyList<ErrorDefinition> All => [.. ById.Value.Values.OrderBy(e => e.Id, StringComparer.Ordinal)];

    /// <summary>The entry of <paramref name="id"/>; the <see cref="KafkaError"/> family for "KafkaError&lt;Code&gt;"; null for an id not in the catalogue.</summary>
    public static ErrorDefinition? Find(string? id)
    {
        if (id is null)
        {
            return null;
        }

        if (ById.Value.TryGetValue(id, out var entry))
        {
            return entry;
        }

        return id.StartsWith(KafkaErrorPrefix, StringComparison.Ordinal) ? KafkaError : null;
    }

    /// <summary>The Kafka error code's id: its own entry when it has one, otherwise "KafkaError" + <paramref name="codeName"/> in the <see cref="KafkaError"/> family.</summary>
    public static string KafkaErrorId(string codeName) => KafkaErrorPrefix + codeName;

    /// <summary>The kind of <paramref name="id"/>, or <paramref name="fallback"/> for an id not in the catalogue.</summary>
    public static FailureKind KindOf(string? id, FailureKind fallback = FailureKind.NotSpecified) => Find(id)?.Kind ?? fallback;
}
