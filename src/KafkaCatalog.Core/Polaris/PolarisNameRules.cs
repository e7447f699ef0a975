using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Polaris;

/// <summary>Polaris' naming rules: connection names are 1–64 ASCII letters, digits, '.', '_' or '-'.</summary>
public static class PolarisNameRules
{
    public const int MaxConnectionNameLength = 64;
    public const int MaxTableNameLength = 255;

    /// <summary>Null when <paramref name="name"/> is a legal connection name, else why not.</summary>
    public static string? ConnectionNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "A Polaris connection name cannot be empty.";
        }

        if (name.Length > MaxConnectionNameLength)
        {
            return $"The Polaris connection name '{name}' is {name.Length} characters long; the limit is {MaxConnectionNameLength}.";
        }

        foreach (var c in name)
        {
            if (!IsAllowed(c))
            {
                return $"The Polaris connection name '{name}' contains '{c}'. Use only ASCII letters, digits, '.', '_' and '-'.";
            }
        }

        return null;
    }

    /// <summary>Null when <paramref name="name"/> is a usable table name, else why not.</summary>
    public static string? TableNameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "A Polaris table name cannot be empty.";
        }

        if (name.Length > MaxTableNameLength)
        {
            return $"The Polaris table name '{name}' is {name.Length} characters long; the limit is {MaxTableNameLength}.";
        }

        if (name.Any(char.IsControl) || name.Contains('/') || name != name.Trim())
        {
            return $"The Polaris table name '{name}' contains a control character, '/', or leading/trailing spaces.";
        }

        return null;
    }

    public static void ValidateConnectionName(string? name)
    {
        var problem = ConnectionNameProblem(name);
        if (problem is not null)
        {
            throw new KafkaCatalogException(ErrorCatalog.PolarisInvalidConnectionName, problem, name);
        }
    }

    public static void ValidateTableName(string? name)
    {
        var problem = TableNameProblem(name);
        if (problem is not null)
        {
            throw new KafkaCatalogException(ErrorCatalog.PolarisInvalidTableName, problem, name);
        }
    }

    /// <summary>
    /// Turns a Kafka topic name into a legal connection name (Kafka allows the same characters,
    /// but up to 249 of them): longer names are cut to 64.
    /// </summary>
    public static string ConnectionNameFromTopic(string topic) =>
        topic.Length <= MaxConnectionNameLength ? topic : topic[..MaxConnectionNameLength];

    private static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';
}
