namespace KafkaCatalog.TestKit.Kafka.Handlers;

/// <summary>Kafka's topic name rules (org.apache.kafka.common.internals.Topic).</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

    /// <summary>Kafka's InvalidTopicException message, or null when the name is legal.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Topic name is illegal, it can't be empty";
        }

        if (name is "." or "..")
        {
            return "Topic name cannot be \".\" or \"..\"";
        }

        if (name.Length > MaxLength)
        {
            return $"Topic name is illegal, it can't be longer than {MaxLength} characters, topic name: {name}";
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '_' or '-'))
            {
                return $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }

        return null;
    }

    /// <summary>True when two names differ but map to the same metric name ('.' vs '_').</summary>
    public static bool Collide(string a, string b) =>
        !string.Equals(a, b, StringComparison.Ordinal) &&
        string.Equals(a.Replace('.', '_'), b.Replace('.', '_'), StringComparison.Ordinal);
}
