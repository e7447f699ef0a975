using System.Collections;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.Profiles;

/// <summary>
/// Reads a connection profile: a Mage Kafka YAML, a Polaris Kafka connection JSON, a kafka-python
/// style JSON of KafkaAdminClient keyword arguments, or a librdkafka properties file (kcat -F). The format comes
/// from the extension (.yaml/.yml = Mage, .json = JSON, .properties = librdkafka properties) and otherwise from the
/// content: an object is JSON, key=value lines (kcat.conf, librdkafka.config, client.properties) are properties,
/// anything else is Mage YAML. Relative file paths in a
/// profile are taken relative to the profile's folder. Malformed files throw
/// <see cref="ProfileFormatException"/>.
/// </summary>
public static class KafkaProfileReader
{
    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <param name="environment">Used to expand Mage's {{ env_var('NAME') }} templates (defaults to the process environment).</param>
    public static KafkaProfile Read(string path, IDictionary? environment = null)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileNotFound, path ?? string.Empty, null, "No profile path was given.", "Pass the path of a profile file to -ProfilePath.");
        }

        if (Directory.Exists(path))
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileNotFound, path, null, "This is a folder, not a file.", "Pass the path of the profile file itself.");
        }

        if (!File.Exists(path))
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileNotFound, path, null, "The file does not exist.",
                "Check the path (relative paths are resolved against the current location).");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileUnreadable, path, null, $"The file cannot be read ({ex.Message}).", "Check the file's permissions.", innerException: ex);
        }

        return Parse(text, path, environment);
    }

    /// <summary>Parses profile text; <paramref name="path"/> names it in messages, picks the format by extension and anchors relative paths.</summary>
    public static KafkaProfile Parse(string text, string path, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        environment ??= Environment.GetEnvironmentVariables();
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileEmpty, path, null, "The file is empty.", "Write the connection settings into it: a Mage Kafka YAML, a Polaris Kafka connection JSON, kafka-python keyword arguments as JSON, or librdkafka key=value properties.");
        }

        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        var looksLikeJson = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').StartsWith('{') || text.TrimStart().StartsWith('[');
        if (extension is not (".yaml" or ".yml" or ".json") && !looksLikeJson
            && (extension == ".properties" || LibrdkafkaPropertiesReader.LooksLikeProperties(text)))
        {
            return LibrdkafkaPropertiesReader.Read(text, path);
        }

        if (extension is ".yaml" or ".yml" || (extension != ".json" && !looksLikeJson))
        {
            var context = new ProfileContext(path, environment, expandMageTemplates: true);
            return MageProfileReader.Read(ProfileNode.FromYaml(text, path), context);
        }

        var root = ProfileNode.FromJson(text, path);
        var format = DetectJsonFormat(root, path);
        var jsonContext = new ProfileContext(path, environment, expandMageTemplates: format == KafkaProfileFormat.MageYaml);
        return format switch
        {
            KafkaProfileFormat.MageYaml => MageProfileReader.Read(root, jsonContext),
            KafkaProfileFormat.PolarisJson => PolarisProfileReader.Read(root, jsonContext),
            _ => KafkaPythonProfileReader.Read(root, jsonContext),
        };
    }

    private static KafkaProfileFormat DetectJsonFormat(ProfileNode root, string path)
    {
        if (root.Kind != ProfileNodeKind.Map)
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileNotAMapping, path, null, $"The file holds a JSON {ProfileContext.Describe(root)}, not an object.",
                "Write one JSON object with the connection settings.");
        }

        var keys = root.Entries.Select(e => e.Key).ToList();
        if (keys.Count == 0)
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileEmpty, path, null, "The JSON object has no keys.", "Add at least the bootstrap servers.");
        }

        if (keys.Contains("connector_type") || keys.Contains("bootstrap_server"))
        {
            return KafkaProfileFormat.MageYaml;
        }

        if (keys.Any(PolarisProfileReader.Keys.Contains) && !keys.Any(KafkaPythonProfileReader.AllKeys.Contains))
        {
            return KafkaProfileFormat.PolarisJson;
        }

        if (keys.Any(KafkaPythonProfileReader.AllKeys.Contains))
        {
            return KafkaProfileFormat.KafkaPythonJson;
        }

        var firstKey = keys[0];
        var suggestion = KeySuggester.Closest(firstKey, KafkaPythonProfileReader.AllKeys.Concat(PolarisProfileReader.Keys));
        throw new ProfileFormatException(ErrorCatalog.ProfileFormatUnknown, path, firstKey,
            "The JSON is neither a Polaris Kafka connection (bootstrapServers, secrets, ...) nor kafka-python keyword arguments (bootstrap_servers, security_protocol, ...).",
            suggestion is null ? "Use one of those two layouts, or a Mage YAML file." : $"Did you mean '{suggestion}'?");
    }

    internal static string JoinServers(ProfileContext context, ProfileNode map, string key)
    {
        var node = ProfileContext.Get(map, key)!;
        if (node.Kind == ProfileNodeKind.List)
        {
            var servers = new List<string>();
            foreach (var item in node.Items)
            {
                if (item.Kind != ProfileNodeKind.String || string.IsNullOrWhiteSpace(item.Text))
                {
                    throw context.Error(ErrorCatalog.ProfileInvalidValue, key, item, "Every entry of the list must be a 'host:port' string.", "Write e.g. [\"broker1:9092\", \"broker2:9092\"].");
                }

                var error = KafkaConnectionValidator.CheckBootstrapEntry(item.Text.Trim());
                if (error is not null)
                {
                    throw context.Error(ErrorCatalog.ProfileInvalidValue, key, item, $"Bootstrap server '{item.Text.Trim()}' is not valid: {error}", "Write 'host:port' entries.");
                }

                servers.Add(item.Text.Trim());
            }

            if (servers.Count == 0)
            {
                throw context.Error(ErrorCatalog.ProfileInvalidValue, key, node, "The list of bootstrap servers is empty.", "Add at least one 'host:port'.");
            }

            return string.Join(",", servers);
        }

        var text = context.String(map, null, key);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw context.Error(ErrorCatalog.ProfileInvalidValue, key, node, "The bootstrap servers are empty.", "Write 'host:port' (comma-separated for several brokers).");
        }

        var cleaned = string.Join(",", text.Split(',').Select(s => s.Trim()));
        foreach (var entry in cleaned.Split(','))
        {
            var error = KafkaConnectionValidator.CheckBootstrapEntry(entry);
            if (error is not null)
            {
                throw context.Error(ErrorCatalog.ProfileInvalidValue, key, node, $"Bootstrap server '{entry}' is not valid: {error}", "Write 'host:port' entries separated by commas.");
            }
        }

        return cleaned;
    }
}
