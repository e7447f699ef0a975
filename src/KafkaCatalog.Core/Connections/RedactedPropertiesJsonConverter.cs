using System.Security;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaCatalog.Core.Connections;

/// <summary>Writes raw librdkafka properties as JSON with the values of sensitive keys replaced by "***".</summary>
public sealed class RedactedPropertiesJsonConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, options) ?? new Dictionary<string, string>();

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, text) in value)
        {
            writer.WriteString(key, SecretText.IsSensitiveKey(key) ? "***" : text);
        }

        writer.WriteEndObject();
    }
}

/// <summary>Writes secret librdkafka properties as JSON with every value "***" (the keys show which were given).</summary>
public sealed class RedactedSecretPropertiesJsonConverter : JsonConverter<IReadOnlyDictionary<string, SecureString>>
{
    public override IReadOnlyDictionary<string, SecureString> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, options) ?? new Dictionary<string, string>())
            .ToDictionary(p => p.Key, p => SecretText.Protect(p.Value), StringComparer.Ordinal);

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, SecureString> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var key in value.Keys)
        {
            writer.WriteString(key, "***");
        }

        writer.WriteEndObject();
    }
}
