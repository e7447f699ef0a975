using System.Globalization;
using System.Security;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections;

/// <summary>How a setting's value is read from text and written to librdkafka.</summary>
public enum KafkaSettingKind
{
    /// <summary>Plain text.</summary>
    Text,
    /// <summary>A file path (relative paths are resolved against the profile's folder or the PowerShell location).</summary>
    Path,
    /// <summary>PEM text that is not a secret (certificates).</summary>
    Pem,
    /// <summary>A secret, held as a <see cref="SecureString"/>.</summary>
    Secret,
    /// <summary>A duration, written to librdkafka as whole milliseconds.</summary>
    Milliseconds,
    /// <summary>true or false.</summary>
    Flag,
    /// <summary>One of a fixed set of names (security protocol, SASL mechanism, offset reset, client authentication).</summary>
    Choice,
    /// <summary>An absolute URI.</summary>
    Uri,
    /// <summary>Name/value pairs.</summary>
    Map,
}

/// <summary>When <see cref="LibrdkafkaConfig"/> writes a setting's librdkafka key.</summary>
public enum LibrdkafkaEmission
{
    /// <summary>Not a librdkafka property (OAuth client credentials, profile-only values, property maps).</summary>
    Never,
    /// <summary>Whenever the setting has a value.</summary>
    Always,
    /// <summary>When a SASL mechanism is set.</summary>
    Sasl,
    /// <summary>When the SASL mechanism is GSSAPI.</summary>
    Gssapi,
    /// <summary>When the security protocol uses TLS (SSL, SASL_SSL).</summary>
    Tls,
    /// <summary>Written by a rule of its own in <see cref="LibrdkafkaConfig"/> (the value is translated or shared with another setting).</summary>
    Rule,
}

/// <summary>How <see cref="KafkaConnectionSettings.Merge"/> combines a setting of two layers.</summary>
public enum KafkaSettingMerge
{
    /// <summary>The higher layer's value if it has one, else the lower layer's.</summary>
    FirstGiven,
    /// <summary>Key by key, the higher layer winning.</summary>
    ByKey,
}

/// <summary>A validation rule of one setting (cross-setting rules stay in <see cref="KafkaConnectionValidator"/>).</summary>
public abstract record KafkaSettingValidation
{
    /// <summary>Whole milliseconds within librdkafka's range for <paramref name="CheckedAs"/> (CONFIGURATION.md 2.15.1).</summary>
    public sealed record Range(string CheckedAs, long Min, long Max) : KafkaSettingValidation
    {
        public override string ToString() => $"{Min.ToString(CultureInfo.InvariantCulture)} .. {Max.ToString(CultureInfo.InvariantCulture)} ms ({CheckedAs})";
    }

    /// <summary>The file exists (FileNotFound otherwise); <paramref name="What"/> names it and <paramref name="Fix"/> says what to do.</summary>
    public sealed record File(string What, string Fix) : KafkaSettingValidation
    {
        public override string ToString() => "file exists";
    }

    /// <summary>The text holds a PEM block whose label ends with <paramref name="Label"/>.</summary>
    public sealed record Pem(string Label, ErrorDefinition Error, string Message) : KafkaSettingValidation
    {
        public override string ToString() => $"PEM {Label} block";
    }

    /// <summary>A rule written in <see cref="KafkaConnectionValidator"/> or <see cref="BootstrapServerRules"/>, described here for the docs.</summary>
    public sealed record Described(string Rule) : KafkaSettingValidation
    {
        public override string ToString() => Rule;
    }
}

/// <summary>
/// One connection setting: the <see cref="KafkaConnectionSettings"/> property (and the
/// <see cref="KafkaConnectionOptions"/> property of the same name, unless <see cref="KafkaSettingDefinition.InOptions"/> is
/// false), its librdkafka key, the keys the profile readers read it from, its environment variable and
/// Connect-KafkaCluster parameter, its validation, whether it is a secret, and the line the docs show.
/// </summary>
public sealed record KafkaSettingDefinition
{
    /// <summary>The property of <see cref="KafkaConnectionSettings"/>.</summary>
    public required string Name { get; init; }

    public required KafkaSettingKind Kind { get; init; }

    /// <summary>True when <see cref="KafkaConnectionOptions"/> has a property of the same name; false when the setting is folded into another (the OAuth settings become <see cref="KafkaConnectionOptions.OAuth"/>).</summary>
    public bool InOptions { get; init; } = true;

    /// <summary>The librdkafka property it is written to, or null.</summary>
    public string? LibrdkafkaKey { get; init; }

    public LibrdkafkaEmission Emission { get; init; } = LibrdkafkaEmission.Never;

    /// <summary>The key a librdkafka properties file (kcat -F) sets it with; null when such a key goes to librdkafka as written.</summary>
    public string? PropertiesFileKey { get; init; }

    /// <summary>The kafka-python KafkaAdminClient keyword ("prefix.key" for a key inside a map such as sasl_oauth_token_provider).</summary>
    public string? KafkaPythonKey { get; init; }

    /// <summary>The Mage Kafka YAML key ("section.key" inside ssl_config / sasl_config).</summary>
    public string? MageKey { get; init; }

    /// <summary>The Polaris connection JSON key ("secrets.username").</summary>
    public string? PolarisKey { get; init; }

    /// <summary>The KAFKA_* environment variable.</summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>The Connect-KafkaCluster parameter that sets it (as the docs write it).</summary>
    public string? Parameter { get; init; }

    public KafkaSettingValidation? Validation { get; init; }

    /// <summary>Settings that come from one layer together (see <see cref="KafkaConnectionSettings.Merge"/>).</summary>
    public string? MergeGroup { get; init; }

    public KafkaSettingMerge Merge { get; init; } = KafkaSettingMerge.FirstGiven;

    /// <summary>Held as a <see cref="SecureString"/>, never in text, JSON, errors or warnings.</summary>
    public bool IsSecret { get; init; }

    /// <summary>The line the docs show (docs/connections.md).</summary>
    public required string Doc { get; init; }

    /// <summary>The milliseconds range, for <see cref="KafkaSettingKind.Milliseconds"/> settings.</summary>
    public KafkaSettingValidation.Range? Range => Validation as KafkaSettingValidation.Range;

    /// <summary>The key inside <paramref name="section"/> of a "section.key" profile key, or null when the key is elsewhere.</summary>
    public static string? KeyIn(string? profileKey, string? section)
    {
        if (profileKey is null)
        {
            return null;
        }

        var dot = profileKey.LastIndexOf('.');
        if (section is null)
        {
            return dot < 0 ? profileKey : null;
        }

        return dot > 0 && profileKey.AsSpan(0, dot).SequenceEqual(section) ? profileKey[(dot + 1)..] : null;
    }

    public override string ToString() => Name;
}
