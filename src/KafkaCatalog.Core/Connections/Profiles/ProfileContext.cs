using System.Collections;
using System.Globalization;
using System.Security;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.Profiles;

/// <summary>Typed, error-reporting access to a profile tree; shared by the three readers.</summary>
internal sealed partial class ProfileContext
{
    public ProfileContext(string path, IDictionary? environment, bool expandMageTemplates)
    {
        Path = path;
        Directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? System.IO.Directory.GetCurrentDirectory();
        Environment = environment;
        ExpandMageTemplates = expandMageTemplates;
    }

    public string Path { get; }
    public string Directory { get; }
    public IDictionary? Environment { get; }
    public bool ExpandMageTemplates { get; }
    public List<KafkaConnectionProblem> Warnings { get; } = new();

    public ProfileFormatException Error(ErrorDefinition errorId, string? key, ProfileNode? node, string problem, string fix) =>
        new(errorId, Path, key, problem, fix, node?.Line, node?.Column);

    public void Warn(string code, string key, string message) =>
        Warnings.Add(KafkaConnectionProblem.Warning(code, key, $"Profile '{Path}', key '{key}': {message}"));

    public static ProfileNode? Get(ProfileNode map, string key) =>
        map.Entries.FirstOrDefault(e => e.Key == key).Value;

    public static string Join(string? prefix, string key) => prefix is null ? key : prefix + "." + key;

    /// <summary>Rejects keys not in <paramref name="known"/>, naming the closest valid key.</summary>
    public void CheckKeys(ProfileNode map, string? prefix, IReadOnlyCollection<string> known)
    {
        foreach (var (key, value) in map.Entries)
        {
            if (!known.Contains(key))
            {
                var suggestion = KeySuggester.Closest(key, known);
                var fix = suggestion is not null
                    ? $"Did you mean '{suggestion}'? Valid keys here: {string.Join(", ", known)}."
                    : $"Remove it. Valid keys here: {string.Join(", ", known)}.";
                throw Error(ErrorCatalog.ProfileUnknownKey, Join(prefix, key), value, "Unknown key.", fix);
            }
        }
    }

    public ProfileNode RequireRootMap(ProfileNode? root, string formatName)
    {
        if (root is null || root.Kind == ProfileNodeKind.Null)
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileEmpty, Path, null, "The file is empty.", $"Write a {formatName} with at least the bootstrap servers.");
        }

        if (root.Kind != ProfileNodeKind.Map)
        {
            throw Error(ErrorCatalog.ProfileNotAMapping, null, root, $"The file holds a {Describe(root)}, not a set of keys.", $"Write a {formatName} as key/value pairs.");
        }

        return root;
    }

    public ProfileNode? Map(ProfileNode map, string? prefix, string key)
    {
        var node = Get(map, key);
        if (node is null || node.Kind == ProfileNodeKind.Null)
        {
            return null;
        }

        if (node.Kind != ProfileNodeKind.Map)
        {
            throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), node, $"Expected a nested block of keys, found a {Describe(node)}.",
                "Indent the settings under this key (YAML) or use an object { ... } (JSON).");
        }

        return node;
    }

    public string? String(ProfileNode map, string? prefix, string key, bool secret = false)
    {
        var node = Get(map, key);
        if (node is null || node.Kind == ProfileNodeKind.Null)
        {
            return null;
        }

        if (!node.IsScalar)
        {
            throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), node, $"Expected a single value, found a {Describe(node)}.", "Write one value (a string).");
        }

        var text = node.Text ?? string.Empty;
        if (ExpandMageTemplates)
        {
            text = Expand(text, Join(prefix, key), node, secret);
        }

        return text;
    }

    public string? RequiredString(ProfileNode map, string? prefix, string key, string fix)
    {
        var value = String(map, prefix, key);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Error(ErrorCatalog.ProfileMissingKey, Join(prefix, key), Get(map, key) ?? map, "This key is required and has no value.", fix);
        }

        return value;
    }

    public SecureString? Secret(ProfileNode map, string? prefix, string key)
    {
        var text = String(map, prefix, key, secret: true);
        return text is null ? null : SecretText.Protect(text);
    }

    public string? FilePath(ProfileNode map, string? prefix, string key)
    {
        var text = String(map, prefix, key);
        if (text is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), Get(map, key), "The file path is empty.", "Give the path of the file, or remove the key.");
        }

        return System.IO.Path.IsPathRooted(text) ? text : System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, text));
    }

    public long? Integer(ProfileNode map, string? prefix, string key, long min, long max)
    {
        var node = Get(map, key);
        if (node is null || node.Kind == ProfileNodeKind.Null)
        {
            return null;
        }

        var text = node.IsScalar ? String(map, prefix, key) : null;
        if (text is null || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), node, $"Expected a whole number, found {Show(node)}.", $"Write a whole number from {min} to {max}.");
        }

        if (value < min || value > max)
        {
            throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), node, $"{value} is out of range.", $"Write a whole number from {min} to {max}.");
        }

        return value;
    }

    /// <summary>Reads <paramref name="key"/> as the setting <paramref name="definition"/> is typed (<see cref="KafkaSettingDefinitions"/>).</summary>
    public object? Read(ProfileNode map, string? prefix, string key, KafkaSettingDefinition definition) => definition.Kind switch
    {
        KafkaSettingKind.Text or KafkaSettingKind.Pem => String(map, prefix, key),
        KafkaSettingKind.Path => FilePath(map, prefix, key),
        KafkaSettingKind.Secret => Secret(map, prefix, key),
        KafkaSettingKind.Milliseconds => Milliseconds(map, prefix, key, definition.Range!.CheckedAs),
        KafkaSettingKind.Flag => Bool(map, prefix, key),
        KafkaSettingKind.Uri => AbsoluteUri(map, prefix, key),
        KafkaSettingKind.Map => StringMap(map, prefix, key),
        KafkaSettingKind.Choice when definition.Name == nameof(KafkaConnectionSettings.SecurityProtocol) => Protocol(map, prefix, key),
        KafkaSettingKind.Choice when definition.Name == nameof(KafkaConnectionSettings.SaslMechanism) => Mechanism(map, prefix, key),
        _ => throw new InvalidOperationException($"A profile reader has no generic reading for setting {definition.Name}; read it in the reader."),
    };

    /// <summary>Every setting with a key in <paramref name="prefix"/> of this profile format, read in table order (null: not given).</summary>
    public IEnumerable<(KafkaSettingDefinition Definition, object? Value)> ReadAll(ProfileNode map, string? prefix,
        Func<KafkaSettingDefinition, string?> profileKey, Func<KafkaSettingDefinition, bool>? where = null) =>
        KafkaSettingDefinitions.KeysIn(profileKey, prefix)
            .Where(p => where is null || where(p.Definition))
            .Select(p => (p.Definition, Read(map, prefix, p.Key, p.Definition)))
            .ToList();

    public TimeSpan? Milliseconds(ProfileNode map, string? prefix, string key, string librdkafkaProperty)
    {
        var (min, max) = KafkaConnectionValidator.Ranges[librdkafkaProperty];
        return Integer(map, prefix, key, min, max) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
    }

    public bool? Bool(ProfileNode map, string? prefix, string key)
    {
        var node = Get(map, key);
        if (node is null || node.Kind == ProfileNodeKind.Null)
        {
            return null;
        }

        var text = node.IsScalar ? String(map, prefix, key)?.Trim().ToLowerInvariant() : null;
        return text switch
        {
            "true" => true,
            "false" => false,
            _ => throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), node, $"Expected true or false, found {Show(node)}.", "Write true or false."),
        };
    }

    public KafkaSecurityProtocol? Protocol(ProfileNode map, string? prefix, string key)
    {
        var text = String(map, prefix, key);
        if (text is null)
        {
            return null;
        }

        if (!LibrdkafkaConfig.TryParseProtocol(text, out var protocol))
        {
            throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), Get(map, key), $"'{text}' is not a security protocol.",
                "Use one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL.");
        }

        return protocol;
    }

    public KafkaSaslMechanism? Mechanism(ProfileNode map, string? prefix, string key)
    {
        var text = String(map, prefix, key);
        if (text is null)
        {
            return null;
        }

        if (LibrdkafkaConfig.IsAwsMskIam(text))
        {
            throw Error(ErrorCatalog.ProfileUnsupportedAuth, Join(prefix, key), Get(map, key), LibrdkafkaConfig.AwsMskIamUnsupported, LibrdkafkaConfig.AwsMskIamAlternatives);
        }

        if (!LibrdkafkaConfig.TryParseMechanism(text, out var mechanism))
        {
            throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), Get(map, key), $"'{text}' is not a SASL mechanism.",
                "Use one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI.");
        }

        return mechanism;
    }

    public Uri? AbsoluteUri(ProfileNode map, string? prefix, string key)
    {
        var text = String(map, prefix, key);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Error(ErrorCatalog.ProfileInvalidValue, Join(prefix, key), Get(map, key), $"'{text}' is not an absolute http(s) URL.",
                "Write the full token endpoint URL, e.g. https://idp.example.com/realms/kafka/protocol/openid-connect/token.");
        }

        return uri;
    }

    public IReadOnlyDictionary<string, string>? StringMap(ProfileNode map, string? prefix, string key)
    {
        var node = Map(map, prefix, key);
        if (node is null)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, _) in node.Entries)
        {
            result[k] = String(node, Join(prefix, key), k, secret: SecretText.IsSensitiveKey(k))
                ?? throw Error(ErrorCatalog.ProfileInvalidValue, Join(Join(prefix, key), k), Get(node, k), "The value is empty.", "Give a value or remove the entry.");
        }

        return result;
    }

    /// <summary>Shows a value in a message, unless it is a secret.</summary>
    public static string Show(ProfileNode node) => node.IsScalar ? $"'{node.Text}'" : $"a {Describe(node)}";

    public static string Describe(ProfileNode node) => node.Kind switch
    {
        ProfileNodeKind.Map => "nested block of keys",
        ProfileNodeKind.List => "list",
        ProfileNodeKind.Null => "empty value",
        ProfileNodeKind.Boolean => "true/false value",
        ProfileNodeKind.Number => "number",
        _ => "string",
    };

    private string Expand(string text, string key, ProfileNode node, bool secret)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        var expanded = EnvVarTemplate().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            var value = Environment?.Contains(name) == true ? Environment[name]?.ToString() : null;
            return value ?? throw Error(ErrorCatalog.ProfileEnvironmentVariableMissing, key, node,
                $"The value refers to environment variable '{name}', which is not set.",
                $"Set {name} before connecting, or write the value into the profile{(secret ? " (or pass it as a parameter)" : string.Empty)}.");
        });
        if (expanded.Contains("{{", StringComparison.Ordinal))
        {
            throw Error(ErrorCatalog.ProfileTemplateUnsupported, key, node,
                "The value uses a Mage template other than env_var (such as mage_secret_var), which only Mage can resolve.",
                "Use {{ env_var('NAME') }} with an environment variable, or write the value (or pass it as a parameter).");
        }

        return expanded;
    }

    [GeneratedRegex(@"\{\{\s*env_var\(\s*['""]([A-Za-z_][A-Za-z0-9_]*)['""]\s*\)\s*\}\}")]
    private static partial Regex EnvVarTemplate();
}

/// <summary>Suggests the closest valid key for a misspelt one (Levenshtein distance).</summary>
public static class KeySuggester
{
    public static string? Closest(string key, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var limit = Math.Max(2, key.Length / 3);
        if (bestDistance <= limit)
        {
            return best;
        }

        // A shortened or lengthened name (user → username, bootstrap → bootstrap_servers).
        return key.Length >= 3
            ? candidates.FirstOrDefault(c => c.StartsWith(key, StringComparison.OrdinalIgnoreCase) || key.StartsWith(c, StringComparison.OrdinalIgnoreCase))
            : null;
    }

    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
