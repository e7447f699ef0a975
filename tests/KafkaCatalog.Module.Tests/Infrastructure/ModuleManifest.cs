using System.Text;

namespace KafkaCatalog.Module.Tests.Infrastructure;

/// <summary>
/// A .psd1 module manifest read without PowerShell: a small parser for the data language subset
/// manifests use (nested hashtables, @() arrays, quoted strings, bare words, comments). Values are
/// string, List&lt;object&gt; or Dictionary&lt;string, object&gt;.
/// </summary>
public sealed class ModuleManifest
{
    public string Path { get; }
    public IReadOnlyDictionary<string, object> Values { get; }

    private ModuleManifest(string path, IReadOnlyDictionary<string, object> values)
    {
        Path = path;
        Values = values;
    }

    public static ModuleManifest Load(string path) => new(path, Parse(File.ReadAllText(path)));

    /// <summary>A string or an array of strings; empty when the key is absent.</summary>
    public IReadOnlyList<string> Strings(string key) =>
        Values.TryGetValue(key, out var value)
            ? value switch
            {
                string s => [s],
                List<object> list => list.OfType<string>().ToList(),
                _ => [],
            }
            : [];

    public string? String(string key) => Values.TryGetValue(key, out var value) ? value as string : null;

    public static Dictionary<string, object> Parse(string text)
    {
        var tokens = Tokenize(text);
        var position = 0;
        Expect(tokens, ref position, "@{");
        var result = ParseHashtable(tokens, ref position);
        return result;
    }

    private sealed record Token(string Kind, string Text);

    private static Dictionary<string, object> ParseHashtable(List<Token> tokens, ref int position)
    {
        var result = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipSeparators(tokens, ref position);
            if (position >= tokens.Count)
            {
                throw new FormatException("Unterminated @{ in manifest.");
            }
            if (tokens[position].Text == "}" && tokens[position].Kind == "symbol")
            {
                position++;
                return result;
            }
            var key = tokens[position++];
            if (key.Kind is not ("word" or "string"))
            {
                throw new FormatException($"Expected a key, found '{key.Text}'.");
            }
            Expect(tokens, ref position, "=");
            result[key.Text] = ParseValue(tokens, ref position);
        }
    }

    private static object ParseValue(List<Token> tokens, ref int position, bool inArray = false)
    {
        SkipNewlines(tokens, ref position);
        var token = tokens[position++];
        if (token.Kind == "symbol" && token.Text == "@{")
        {
            return ParseHashtable(tokens, ref position);
        }
        if (token.Kind == "symbol" && token.Text == "@(")
        {
            var items = new List<object>();
            while (true)
            {
                SkipSeparators(tokens, ref position);
                if (tokens[position].Kind == "symbol" && tokens[position].Text == ")")
                {
                    position++;
                    return items;
                }
                items.Add(ParseValue(tokens, ref position, inArray: true));
            }
        }
        if (token.Kind is "string" or "word")
        {
            // A top-level comma list without @(): 'a', 'b'
            if (!inArray && position < tokens.Count && tokens[position].Kind == "symbol" && tokens[position].Text == ",")
            {
                var items = new List<object> { token.Text };
                while (position < tokens.Count && tokens[position].Kind == "symbol" && tokens[position].Text == ",")
                {
                    position++;
                    SkipNewlines(tokens, ref position);
                    items.Add(ParseValue(tokens, ref position, inArray: true));
                }
                return items;
            }
            return token.Text;
        }
        throw new FormatException($"Unexpected '{token.Text}' in manifest.");
    }

    private static void Expect(List<Token> tokens, ref int position, string symbol)
    {
        SkipNewlines(tokens, ref position);
        if (position >= tokens.Count || tokens[position].Kind != "symbol" || tokens[position].Text != symbol)
        {
            throw new FormatException($"Expected '{symbol}' in manifest, found '{(position < tokens.Count ? tokens[position].Text : "end of file")}'.");
        }
        position++;
    }

    private static void SkipNewlines(List<Token> tokens, ref int position)
    {
        while (position < tokens.Count && tokens[position].Kind == "newline")
        {
            position++;
        }
    }

    private static void SkipSeparators(List<Token> tokens, ref int position)
    {
        while (position < tokens.Count
            && (tokens[position].Kind == "newline" || (tokens[position].Kind == "symbol" && tokens[position].Text is ";" or ",")))
        {
            position++;
        }
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                tokens.Add(new Token("newline", "\n"));
                i++;
            }
            else if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
            }
            else if (c == '<' && i + 1 < text.Length && text[i + 1] == '#')
            {
                var end = text.IndexOf("#>", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '\'' || c == '"')
            {
                var quote = c;
                var value = new StringBuilder();
                i++;
                while (i < text.Length)
                {
                    if (text[i] == quote)
                    {
                        if (i + 1 < text.Length && text[i + 1] == quote)
                        {
                            value.Append(quote);
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    if (quote == '"' && text[i] == '`' && i + 1 < text.Length)
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }
                    value.Append(text[i++]);
                }
                if (i >= text.Length)
                {
                    throw new FormatException("Unterminated string in manifest.");
                }
                i++;
                tokens.Add(new Token("string", value.ToString()));
            }
            else if (c == '@' && i + 1 < text.Length && text[i + 1] is '{' or '(')
            {
                tokens.Add(new Token("symbol", text.Substring(i, 2)));
                i += 2;
            }
            else if (c is '{' or '}' or '(' or ')' or '=' or ';' or ',')
            {
                tokens.Add(new Token("symbol", c.ToString()));
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('{' or '}' or '(' or ')' or '=' or ';' or ',' or '#'))
                {
                    i++;
                }
                tokens.Add(new Token("word", text[start..i]));
            }
        }
        return tokens;
    }
}
