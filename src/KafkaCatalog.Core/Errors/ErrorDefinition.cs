namespace KafkaCatalog.Core.Errors;

/// <summary>
/// One entry of <see cref="ErrorCatalog"/>: the stable id users key on (FullyQualifiedErrorId), the
/// kind of failure (the cmdlets turn it into PowerShell's ErrorCategory) and the fix, in a sentence.
/// Entries are compared by reference: <c>ex.Is(ErrorCatalog.TopicNotFound)</c>.
/// </summary>
public sealed class ErrorDefinition
{
    internal ErrorDefinition(string id, FailureKind kind, string fix)
    {
        Id = id;
        Kind = kind;
        Fix = fix;
    }

    /// <summary>The stable id (never changes once shipped).</summary>
    public string Id { get; }

    /// <summary>What kind of failure: the ErrorCategory of the ErrorRecord.</summary>
    public FailureKind Kind { get; }

    /// <summary>What the user can do about it.</summary>
    public string Fix { get; }

    public override string ToString() => Id;
}
