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
/// A failure Core reports on purpose: a stable <see cref="ErrorId"/> (becomes the ErrorRecord's
/// FullyQualifiedErrorId), a <see cref="Kind"/>, the item it is about, and a message that says
/// what failed and what to do. Messages never contain secrets.
/// </summary>
public class KafkaCatalogException : Exception
{
    public KafkaCatalogException(string errorId, FailureKind kind, string message, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }

    public FailureKind Kind { get; }

    public object? Target { get; }
}
