using System.Globalization;
using System.Text.Json;
using KafkaCatalog.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KafkaCatalog.Core.Connections.Profiles;

internal enum ProfileNodeKind
{
    Map,
    List,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A format-neutral tree of a YAML or JSON profile, with positions where the parser gives them.</summary>
internal sealed class ProfileNode
{
    public ProfileNodeKind Kind { get; init; }
    public string? Text { get; init; }
    public List<KeyValuePair<string, ProfileNode>> Entries { get; } = new();
    public List<ProfileNode> Items { get; } = new();
    public long? Line { get; init; }
    public long? Column { get; init; }

    public bool IsScalar => Kind is ProfileNodeKind.String or ProfileNodeKind.Number or ProfileNodeKind.Boolean;

    public static ProfileNode FromJson(string text, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
            return FromJsonElement(document.RootElement, path, null);
        }
        catch (JsonException ex)
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileSyntaxError, path, null,
                $"The file is not valid JSON ({FirstSentence(ex.Message)}).",
                "Fix the JSON syntax there (quotes around keys and strings, commas between entries, no trailing comma).",
                (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1, ex);
        }
    }

    private static ProfileNode FromJsonElement(JsonElement element, string path, string? keyPath)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new ProfileNode { Kind = ProfileNodeKind.Map };
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = keyPath is null ? property.Name : keyPath + "." + property.Name;
                    if (map.Entries.Any(e => e.Key == property.Name))
                    {
                        throw new ProfileFormatException(ErrorCatalog.ProfileDuplicateKey, path, childPath,
                            "The key appears more than once.", "Keep only one of them.");
                    }

                    map.Entries.Add(new(property.Name, FromJsonElement(property.Value, path, childPath)));
                }

                return map;
            case JsonValueKind.Array:
                var list = new ProfileNode { Kind = ProfileNodeKind.List };
                foreach (var item in element.EnumerateArray())
                {
                    list.Items.Add(FromJsonElement(item, path, keyPath));
                }

                return list;
            case JsonValueKind.String:
                return new ProfileNode { Kind = ProfileNodeKind.String, Text = element.GetString() };
            case JsonValueKind.Number:
                return new ProfileNode { Kind = ProfileNodeKind.Number, Text = element.GetRawText() };
            case JsonValueKind.True:
            case JsonValueKind.False:
                return new ProfileNode { Kind = ProfileNodeKind.Boolean, Text = element.ValueKind == JsonValueKind.True ? "true" : "false" };
            default:
                return new ProfileNode { Kind = ProfileNodeKind.Null };
        }
    }

    public static ProfileNode? FromYaml(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex) when (ex.Message.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileDuplicateKey, path, ex.Message["Duplicate key ".Length..].Trim(),
                "The key appears more than once.", "Keep only one of them.", ex.Start.Line, ex.Start.Column, ex);
        }
        catch (YamlException ex)
        {
            var reason = ex.InnerException is { } inner && inner.Message.Contains("same key", StringComparison.OrdinalIgnoreCase)
                ? "a key appears twice in the same mapping"
                : FirstSentence(ex.Message);
            throw new ProfileFormatException(ErrorCatalog.ProfileSyntaxError, path, null,
                $"The file is not valid YAML ({reason}).",
                "Fix the YAML there (indent nested keys with spaces, not tabs; put a space after ':'; quote values that contain ': ' or start with '{', '[', '*' or '&').",
                ex.Start.Line, ex.Start.Column, ex);
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileSyntaxError, path, null,
                $"The file holds {stream.Documents.Count} YAML documents.", "Keep one connection per file (remove the extra '---').");
        }

        return FromYamlNode(stream.Documents[0].RootNode, path, null);
    }

    private static ProfileNode FromYamlNode(YamlNode node, string path, string? keyPath)
    {
        var line = node.Start.Line;
        var column = node.Start.Column;
        switch (node)
        {
            case YamlMappingNode mapping:
                var map = new ProfileNode { Kind = ProfileNodeKind.Map, Line = line, Column = column };
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw new ProfileFormatException(ErrorCatalog.ProfileSyntaxError, path, keyPath, "A key is not a plain name.",
                            "Use simple names as keys.", keyNode.Start.Line, keyNode.Start.Column);
                    }

                    var childPath = keyPath is null ? key : keyPath + "." + key;
                    if (map.Entries.Any(e => e.Key == key))
                    {
                        throw new ProfileFormatException(ErrorCatalog.ProfileDuplicateKey, path, childPath,
                            "The key appears more than once.", "Keep only one of them.", keyNode.Start.Line, keyNode.Start.Column);
                    }

                    map.Entries.Add(new(key, FromYamlNode(valueNode, path, childPath)));
                }

                return map;
            case YamlSequenceNode sequence:
                var list = new ProfileNode { Kind = ProfileNodeKind.List, Line = line, Column = column };
                foreach (var item in sequence.Children)
                {
                    list.Items.Add(FromYamlNode(item, path, keyPath));
                }

                return list;
            case YamlScalarNode scalar:
                return new ProfileNode { Kind = ScalarKind(scalar), Text = scalar.Value, Line = line, Column = column };
            default:
                throw new ProfileFormatException(ErrorCatalog.ProfileSyntaxError, path, keyPath, "YAML aliases and tags are not supported in profiles.",
                    "Write the value out in full.", line, column);
        }
    }

    private static ProfileNodeKind ScalarKind(YamlScalarNode scalar)
    {
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return ProfileNodeKind.String;
        }

        var value = scalar.Value ?? string.Empty;
        if (value.Length == 0 || value is "~" or "null" or "Null" or "NULL")
        {
            return ProfileNodeKind.Null;
        }

        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return ProfileNodeKind.Boolean;
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? ProfileNodeKind.Number : ProfileNodeKind.String;
    }

    private static string FirstSentence(string message)
    {
        var text = message.Replace(Environment.NewLine, " ", StringComparison.Ordinal).Trim();
        var cut = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            text = text[..cut];
        }

        return text.TrimEnd('.', ' ');
    }
}
