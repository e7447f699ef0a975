namespace KafkaCatalog.Core.Connections;

public enum KafkaProblemSeverity
{
    Error,
    Warning,
}

/// <summary>
/// One finding about connection settings. <see cref="Code"/> is stable (use it as the PowerShell
/// ErrorId / warning id); <see cref="Option"/> names the option (or profile key / environment
/// variable); <see cref="Message"/> says what is wrong and what to do, and never holds a secret.
/// </summary>
public sealed record KafkaConnectionProblem(string Code, KafkaProblemSeverity Severity, string Option, string Message)
{
    public static KafkaConnectionProblem Error(string code, string option, string message) =>
        new(code, KafkaProblemSeverity.Error, option, message);

    /// <summary>An error finding whose code is the catalogue entry <paramref name="error"/>.</summary>
    public static KafkaConnectionProblem Error(Errors.ErrorDefinition error, string option, string message) =>
        new(error.Id, KafkaProblemSeverity.Error, option, message);

    public static KafkaConnectionProblem Warning(string code, string option, string message) =>
        new(code, KafkaProblemSeverity.Warning, option, message);

    public override string ToString() => Message;
}

/// <summary>
/// Connection settings that cannot work. Lists every error; the first one's code is the
/// <see cref="KafkaCatalogException.ErrorId"/> and its option the <see cref="KafkaCatalogException.Target"/>.
/// </summary>
public sealed class KafkaConnectionException : KafkaCatalogException
{
    public KafkaConnectionException(IReadOnlyList<KafkaConnectionProblem> problems)
        : base(First(problems).Code, FailureKind.InvalidArgument, BuildMessage(problems), First(problems).Option)
    {
        Problems = problems;
    }

    public KafkaConnectionException(KafkaConnectionProblem problem)
        : this(new[] { problem })
    {
    }

    public IReadOnlyList<KafkaConnectionProblem> Problems { get; }

    /// <summary>The option (parameter, profile key or environment variable) of the first problem.</summary>
    public string Option => Problems[0].Option;

    private static KafkaConnectionProblem First(IReadOnlyList<KafkaConnectionProblem> problems) =>
        problems is { Count: > 0 } ? problems[0] : throw new ArgumentException("At least one problem is needed.", nameof(problems));

    private static string BuildMessage(IReadOnlyList<KafkaConnectionProblem> problems) =>
        problems.Count == 1
            ? problems[0].Message
            : $"The connection settings have {problems.Count} problems:" + string.Concat(problems.Select(p => Environment.NewLine + " - " + p.Message));
}
