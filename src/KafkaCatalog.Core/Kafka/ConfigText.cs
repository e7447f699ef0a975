using System.Collections;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Reads config entries given as a dictionary (a PowerShell hashtable) or as text
/// "key=value;key2=value2" (e.g. a column of Import-Csv). Values keep their text form.
/// </summary>
public static class ConfigText
{
    public static Dictionary<string, string> Parse(object? input, string what = "config")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (input)
        {
            case null:
                return result;
            case string text:
                ParseText(text, result, what);
                return result;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)?.Trim();
                    if (string.IsNullOrEmpty(key))
                    {
                        throw Invalid(what, "an entry has an empty name");
                    }

                    result[key] = ToText(entry.Value) ?? throw Invalid(what, $"'{key}' has no value");
                }

                return result;
            default:
                throw Invalid(what, $"a {input.GetType().Name} is neither a hashtable nor text 'key=value;key2=value2'");
        }
    }

    private static void ParseText(string text, Dictionary<string, string> result, string what)
    {
        foreach (var pair in text.Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Invalid(what, $"'{pair}' is not key=value");
            }

            result[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }
    }

    private static string? ToText(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        IEnumerable e and not string => string.Join(",", e.Cast<object?>().Select(ToText)),
        _ => value.ToString(),
    };

    private static KafkaCatalogException Invalid(string what, string problem) =>
        new(ErrorCatalog.InvalidConfig,
            $"Invalid {what}: {problem}. Give a hashtable like @{{'retention.ms'='86400000'}} or text like 'retention.ms=86400000;cleanup.policy=compact'.");
}
