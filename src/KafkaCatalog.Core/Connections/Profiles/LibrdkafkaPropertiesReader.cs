using System.Globalization;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections.Profiles;

/// <summary>
/// librdkafka properties, one <c>key=value</c> a line: the file kcat reads with <c>-F</c> and the client configs
/// Confluent hands out (Confluent Cloud's "librdkafka" and "Java" configs). Read as kcat's read_conf_file does
/// (kcat.c): leading and trailing white space of a line is dropped; empty lines and lines starting with '#' are
/// skipped; <c>\:</c> and <c>\=</c> become ':' and '='; the first '=' separates key and value, and a line without one
/// (or with an empty key) is an error naming the line; a key given twice keeps its last value. Java's Properties
/// format, which Confluent's Java configs use, adds what kcat does not reject outright: '!' comments and white space
/// around '='. Other backslashes stay as written (kcat has no other escapes and no line continuation), so a Windows
/// path keeps its separators. As kcat does, Java's <c>sasl.jaas.config</c> with PlainLoginModule (and here also
/// ScramLoginModule) becomes sasl.username / sasl.password. Connection and security keys become the connection's
/// typed settings (so -Credential or -SslCaLocation replace them as for any profile); every other key is passed to
/// librdkafka as written, which refuses a name it does not know when the client is created.
/// </summary>
internal static partial class LibrdkafkaPropertiesReader
{
    public static KafkaProfile Read(string text, string path)
    {
        var context = new ProfileContext(path, environment: null, expandMageTemplates: false);
        var entries = Parse(text, context);
        if (entries.Count == 0)
        {
            throw new ProfileFormatException(ErrorCatalog.ProfileEmpty, path, null, "The file has no key=value line (only comments or blank lines).",
                "Write librdkafka properties such as bootstrap.servers=broker1:9092, one per line.");
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new KafkaConnectionSettings();
        foreach (var (key, entry) in entries)
        {
            settings = Apply(context, settings, properties, key, entry);
        }

        return new KafkaProfile
        {
            Path = path,
            Format = KafkaProfileFormat.LibrdkafkaProperties,
            Settings = settings with { Properties = properties.Count > 0 ? properties : null },
            Warnings = context.Warnings,
        };
    }

    /// <summary>True when the first line that is not blank or a comment looks like <c>name=value</c>.</summary>
    public static bool LooksLikeProperties(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            return FirstLine().IsMatch(line);
        }

        return false;
    }

    private sealed record Entry(string Value, int Line);

    private static List<(string Key, Entry Entry)> Parse(string text, ProfileContext context)
    {
        var ordered = new List<(string Key, Entry Entry)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (i == 0)
            {
                line = line.TrimStart('\uFEFF');
            }

            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var separator = FirstUnescapedEquals(line);
            if (separator < 0)
            {
                throw new ProfileFormatException(ErrorCatalog.ProfileSyntaxError, context.Path, null, "Expected property=value (as kcat -F does); this line has no '='.",
                    "Write one librdkafka property per line, e.g. security.protocol=SASL_SSL, or start a comment with '#'.", number, 1);
            }

            var key = Unescape(line[..separator].TrimEnd());
            var value = Unescape(line[(separator + 1)..].TrimStart());
            if (key.Length == 0)
            {
                throw new ProfileFormatException(ErrorCatalog.ProfileSyntaxError, context.Path, null, "The line starts with '=': the property name is missing.",
                    "Write property=value, e.g. bootstrap.servers=broker1:9092.", number, 1);
            }

            if (!PropertyName().IsMatch(key))
            {
                throw new ProfileFormatException(ErrorCatalog.ProfileSyntaxError, context.Path, key,
                    $"'{key}' is not a librdkafka property name (lower-case words separated by dots, e.g. sasl.username).",
                    "Check the line for a typo, or comment it out with '#'.", number, 1);
            }

            if (index.TryGetValue(key, out var previous))
            {
                context.Warn("ProfileKeyRepeated", key, $"{key} is set again on line {number.ToString(CultureInfo.InvariantCulture)} (first on line {ordered[previous].Entry.Line.ToString(CultureInfo.InvariantCulture)}); the last value counts, as in kcat.");
                ordered[previous] = (key, new Entry(value, number));
            }
            else
            {
                index[key] = ordered.Count;
                ordered.Add((key, new Entry(value, number)));
            }
        }

        return ordered;
    }

    private static int FirstUnescapedEquals(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is ':' or '=')
            {
                i++;
            }
            else if (line[i] == '=')
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string text) => text.Replace("\\:", ":", StringComparison.Ordinal).Replace("\\=", "=", StringComparison.Ordinal);

    private static KafkaConnectionSettings Apply(ProfileContext context, KafkaConnectionSettings settings, Dictionary<string, string> properties, string key, Entry entry)
    {
        var value = entry.Value;
        ProfileFormatException Invalid(string problem, string fix) => new(ErrorCatalog.ProfileInvalidValue, context.Path, key, problem, fix, entry.Line, null);

        switch (key)
        {
            case "bootstrap.servers" or "metadata.broker.list":
                var servers = string.Join(",", value.Split(',').Select(s => s.Trim()));
                foreach (var server in servers.Split(','))
                {
                    if (KafkaConnectionValidator.CheckBootstrapEntry(server) is { } error)
                    {
                        throw Invalid($"Bootstrap server '{server}' is not valid: {error}", "Write host:port entries separated by commas.");
                    }
                }

                return settings with { BootstrapServers = servers };
            case "security.protocol":
                return LibrdkafkaConfig.TryParseProtocol(value, out var protocol)
                    ? settings with { SecurityProtocol = protocol }
                    : throw Invalid($"'{value}' is not a security protocol.", "Use plaintext, ssl, sasl_plaintext or sasl_ssl.");
            case "sasl.mechanism" or "sasl.mechanisms":
                if (LibrdkafkaConfig.IsAwsMskIam(value))
                {
                    throw new ProfileFormatException(ErrorCatalog.ProfileUnsupportedAuth, context.Path, key, LibrdkafkaConfig.AwsMskIamUnsupported, LibrdkafkaConfig.AwsMskIamAlternatives, entry.Line, null);
                }

                return LibrdkafkaConfig.TryParseMechanism(value, out var mechanism)
                    ? settings with { SaslMechanism = mechanism }
                    : throw Invalid($"'{value}' is not a SASL mechanism librdkafka has.", "Use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI.");
            case "sasl.jaas.config":
                return ApplyJaas(context, settings, key, entry);
            case "ssl.ca.location":
                if (value == "probe" || Directory.Exists(FilePath(context, value)))
                {
                    // librdkafka's special value (probe the system's CA paths), or a directory of CA certificates.
                    properties[key] = value == "probe" ? value : FilePath(context, value);
                    return settings;
                }

                return settings with { SslCaLocation = FilePath(context, value) };
            case "ssl.endpoint.identification.algorithm":
                // Java turns host name checks off with an empty value; librdkafka with 'none'.
                return value.Trim().ToLowerInvariant() switch
                {
                    "https" => settings with { EnableHostnameVerification = true },
                    "none" or "" => settings with { EnableHostnameVerification = false },
                    _ => throw Invalid($"'{value}' is not a host name check.", "Use https (check broker host names) or none."),
                };
            case "enable.ssl.certificate.verification":
                return value.Trim().ToLowerInvariant() switch
                {
                    "true" => settings,
                    "false" => settings with { SkipCertificateCheck = true },
                    _ => throw Invalid($"'{value}' is not true or false.", "Write true or false."),
                };
            case "socket.timeout.ms":
                var (min, max) = KafkaConnectionValidator.Ranges["socket.timeout.ms"];
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms < min || ms > max)
                {
                    throw Invalid($"'{value}' is not a whole number of milliseconds from {min} to {max}.", "librdkafka's socket.timeout.ms takes 10 .. 300000.");
                }

                return settings with { SocketTimeout = TimeSpan.FromMilliseconds(ms) };
        }

        // Every other key with a setting (KafkaSettingDefinition.PropertiesFileKey): text, a path, or a secret.
        if (KafkaSettingDefinitions.ForPropertiesFileKey(key) is { } definition)
        {
            return KafkaSettingDefinitions.With(settings, [(definition, definition.Kind switch
            {
                KafkaSettingKind.Text or KafkaSettingKind.Pem => value,
                KafkaSettingKind.Path => FilePath(context, value),
                KafkaSettingKind.Secret => SecretText.Protect(value),
                _ => throw new InvalidOperationException($"Properties key {key} of setting {definition.Name} needs a rule of its own in this reader."),
            })]);
        }

        if (key.StartsWith("schema.registry.", StringComparison.Ordinal) || key.StartsWith("basic.auth.", StringComparison.Ordinal))
        {
            context.Warn("ProfileKeyIgnored", key, "Schema Registry settings are not part of the Kafka connection; ignored.");
            return settings;
        }

        if (key.EndsWith(".callback.handler.class", StringComparison.Ordinal) || key.EndsWith(".serializer", StringComparison.Ordinal) || key.EndsWith(".deserializer", StringComparison.Ordinal))
        {
            context.Warn("ProfileKeyIgnored", key, "a Java client class; librdkafka has no equivalent. Ignored.");
            return settings;
        }

        properties[key] = value;
        return settings;
    }

    /// <summary>Java's sasl.jaas.config: the PLAIN and SCRAM login modules carry a user name and password.</summary>
    private static KafkaConnectionSettings ApplyJaas(ProfileContext context, KafkaConnectionSettings settings, string key, Entry entry)
    {
        var module = entry.Value.Trim().Split(' ', 2)[0];
        if (module is "org.apache.kafka.common.security.plain.PlainLoginModule" or "org.apache.kafka.common.security.scram.ScramLoginModule")
        {
            var options = JaasOption().Matches(entry.Value).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            if (options.TryGetValue("username", out var user) && options.TryGetValue("password", out var password))
            {
                return settings with { SaslUsername = user, SaslPassword = SecretText.Protect(password) };
            }
        }

        var (problem, fix) = module switch
        {
            _ when module.Contains("IAMLoginModule", StringComparison.Ordinal) => (LibrdkafkaConfig.AwsMskIamUnsupported, LibrdkafkaConfig.AwsMskIamAlternatives),
            _ when module.Contains("OAuthBearerLoginModule", StringComparison.Ordinal) => (
                "Java's OAuthBearerLoginModule has no librdkafka form.",
                "Use sasl.mechanism=OAUTHBEARER with sasl.oauthbearer.method=oidc, sasl.oauthbearer.client.id, sasl.oauthbearer.client.secret and sasl.oauthbearer.token.endpoint.url, or Connect-KafkaCluster -OAuthTokenEndpoint and -OAuthClientCredential."),
            _ when module.Contains("Krb5LoginModule", StringComparison.Ordinal) => (
                "Java's Krb5LoginModule has no librdkafka form.",
                "Use sasl.mechanism=GSSAPI with sasl.kerberos.principal and sasl.kerberos.keytab."),
            _ => (
                "sasl.jaas.config is a Java setting; only the PlainLoginModule and ScramLoginModule forms with username=\"...\" password=\"...\" can be read.",
                "Write sasl.username and sasl.password instead."),
        };
        throw new ProfileFormatException(ErrorCatalog.ProfileUnsupportedAuth, context.Path, key, problem, fix, entry.Line, null);
    }

    private static string FilePath(ProfileContext context, string value) =>
        Path.IsPathRooted(value) ? value : Path.GetFullPath(Path.Combine(context.Directory, value));

    [GeneratedRegex(@"(?<name>[A-Za-z_]+)\s*=\s*""(?<value>[^""]*)""")]
    private static partial Regex JaasOption();

    [GeneratedRegex("^[a-z0-9]+([._-][a-z0-9]+)*$")]
    private static partial Regex PropertyName();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\s*=")]
    private static partial Regex FirstLine();
}
