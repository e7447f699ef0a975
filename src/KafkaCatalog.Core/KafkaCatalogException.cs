using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core;

/// <summary>What kind of failure, so the cmdlets can choose PowerShell's ErrorCategory.</summary>
public enum FailureKind
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    ConnectionError,
    AuthenticationError,
    PermissionDenied,
    OperationTimeout,
    LimitsExceeded,
    SecurityError,
    NotInstalled,
}

/// <summary>
/// A failure Core reports on purpose: a stable <see cref="ErrorId"/> from <see cref="ErrorCatalog"/>
/// (becomes the ErrorRecord's FullyQualifiedErrorId), its <see cref="Kind"/>, the item it is about,
/// and a message that says what failed and what to do. Messages never contain secrets.
/// </summary>
public class KafkaCatalogException : Exception
{
    /// <summary>A failure with its catalogue entry (id and kind come from the entry).</summary>
    public KafkaCatalogException(ErrorDefinition error, string message, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
        ErrorId = error.Id;
        Kind = error.Kind;
        Target = target;
    }

    /// <summary>
    /// Raises again an id that was already chosen from the catalogue (a mapped failure given its
    /// inner exception, connection problems, results that carry their id as text). New failures
    /// use the <see cref="ErrorDefinition"/> constructor.
    /// </summary>
    public KafkaCatalogException(string errorId, FailureKind kind, string message, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
        Error = ErrorCatalog.Find(errorId);
    }

    /// <summary>The same failure (id, kind, message, target) with <paramref name="innerException"/> as its cause.</summary>
    public KafkaCatalogException(KafkaCatalogException mapped, Exception? innerException)
        : this((mapped ?? throw new ArgumentNullException(nameof(mapped))).ErrorId, mapped.Kind, mapped.Message, mapped.Target, innerException)
    {
    }

    public string ErrorId { get; }

    public FailureKind Kind { get; }

    public object? Target { get; }

    /// <summary>The catalogue entry of <see cref="ErrorId"/> (null only for an id the catalogue does not know).</summary>
    public ErrorDefinition? Error { get; }

    /// <summary>True when this failure is <paramref name="error"/> (typed check: never compare <see cref="ErrorId"/> strings).</summary>
    public bool Is(ErrorDefinition error) => ReferenceEquals(Error, error);
}
