using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.Profiles;

/// <summary>
/// A profile file that cannot be used. The message names the file, the key (or line and column for
/// a syntax error) and the fix. It never contains a secret value.
/// </summary>
public sealed class ProfileFormatException : KafkaCatalogException
{
    public ProfileFormatException(ErrorDefinition error, string filePath, string? key, string problem, string fix, long? line = null, long? column = null, Exception? innerException = null)
        : base(error, BuildMessage(filePath, key, problem, fix, line, column), filePath, innerException)
    {
        FilePath = filePath;
        Key = key;
        Problem = problem;
        Fix = fix;
        Line = line;
        Column = column;
    }

    public string FilePath { get; }
    /// <summary>Dotted key path (e.g. ssl_config.cafile), or null for file-level problems.</summary>
    public string? Key { get; }
    public string Problem { get; }
    public string Fix { get; }
    public long? Line { get; }
    public long? Column { get; }

    private static string BuildMessage(string filePath, string? key, string problem, string fix, long? line, long? column)
    {
        var where = line is { } l ? $" at line {l}{(column is { } c ? $", column {c}" : string.Empty)}" : string.Empty;
        var what = key is null ? string.Empty : $", key '{key}'";
        return $"Profile '{filePath}'{what}{where}: {problem} {fix}";
    }
}
