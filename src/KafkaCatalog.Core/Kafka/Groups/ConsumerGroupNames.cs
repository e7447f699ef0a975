using System.Text;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>Group id checks and PowerShell-style wildcard matching (*, ?, [abc]) for -GroupId.</summary>
public static class ConsumerGroupNames
{
    public static void EnsureValidGroupId(string? groupId)
    {
        if (string.IsNullOrWhiteSpace(groupId))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.EmptyGroupId,
                "The consumer group id is empty. Give a group id (Get-KafkaConsumerGroup lists them).",
                groupId);
        }
    }

    public static bool HasWildcard(string pattern) => pattern.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>
    /// A matcher for the patterns; null or empty patterns match everything. A pattern with
    /// wildcards matches case-insensitively (PowerShell's -like); a plain id matches exactly,
    /// because Kafka group ids are case-sensitive.
    /// </summary>
    public static Func<string, bool> CreateMatcher(IReadOnlyCollection<string>? patterns)
    {
        if (patterns is null || patterns.Count == 0)
        {
            return _ => true;
        }

        var literals = patterns.Where(p => !HasWildcard(p)).ToHashSet(StringComparer.Ordinal);
        var regexes = patterns.Where(HasWildcard).Select(ToRegex).ToArray();
        return name => literals.Contains(name) || regexes.Any(r => r.IsMatch(name));
    }

    private static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                    }
                    else
                    {
                        sb.Append('[').Append(pattern[(i + 1)..close].Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                        i = close;
                    }

                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
