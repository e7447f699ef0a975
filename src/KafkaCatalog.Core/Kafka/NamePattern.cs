using System.Text;
using System.Text.RegularExpressions;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// A name filter with PowerShell's wildcard syntax (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-z]</c>,
/// backtick escapes). A pattern with wildcards matches case-insensitively, as PowerShell's
/// <c>-like</c> does; a plain name matches exactly, because Kafka names are case-sensitive.
/// </summary>
public sealed class NamePattern
{
    private readonly Regex? _regex;
    private readonly string _literal;

    private NamePattern(string pattern, Regex? regex, string literal)
    {
        Pattern = pattern;
        _regex = regex;
        _literal = literal;
    }

    public string Pattern { get; }

    public bool HasWildcards => _regex is not null;

    /// <summary>For a plain name: the name with escapes removed.</summary>
    public string Literal => _literal;

    public static NamePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!ContainsWildcard(pattern))
        {
            return new NamePattern(pattern, null, Unescape(pattern));
        }

        return new NamePattern(pattern, new Regex(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline), pattern);
    }

    /// <summary>True when the text has an unescaped <c>*</c>, <c>?</c> or <c>[</c>.</summary>
    public static bool ContainsWildcard(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '`')
            {
                i++;
                continue;
            }

            if (c is '*' or '?' or '[')
            {
                return true;
            }
        }

        return false;
    }

    public bool IsMatch(string name) => _regex?.IsMatch(name) ?? string.Equals(name, _literal, StringComparison.Ordinal);

    /// <summary>True when any of <paramref name="patterns"/> matches, or when there are none.</summary>
    public static bool MatchesAny(IReadOnlyList<NamePattern> patterns, string name)
    {
        if (patterns.Count == 0)
        {
            return true;
        }

        foreach (var pattern in patterns)
        {
            if (pattern.IsMatch(name))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => Pattern;

    private static string Unescape(string text)
    {
        if (!text.Contains('`', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '`' && i + 1 < text.Length)
            {
                i++;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    private static string ToRegex(string pattern)
    {
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    builder.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    builder.Append(".*");
                    break;
                case '?':
                    builder.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new ArgumentException($"The wildcard pattern '{pattern}' has a '[' without a closing ']'. Escape a literal bracket with a backtick: `[.", nameof(pattern));
                    }

                    var set = pattern.Substring(i + 1, end - i - 1);
                    builder.Append('[');
                    foreach (var member in set)
                    {
                        builder.Append(member is '\\' or '^' or '[' ? "\\" + member : member.ToString());
                    }

                    builder.Append(']');
                    i = end;
                    break;
                default:
                    builder.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return builder.Append('$').ToString();
    }
}
