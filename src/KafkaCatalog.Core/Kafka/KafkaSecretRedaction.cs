using KafkaCatalog.Core.Connections;

namespace KafkaCatalog.Core.Kafka;

/// <summary>Keeps a connection's secrets out of librdkafka's texts (errors, log lines) before they reach a user.</summary>
internal static class KafkaSecretRedaction
{
    private static readonly string[] SensitiveKeyFragments = ["password", "secret", "token", "private", "key.pem", "credentials"];

    /// <summary>Replaces the values of secret-looking keys in a text (librdkafka errors may quote them).</summary>
    internal static string Redact(KafkaConnection connection, string text)
    {
        foreach (var (key, value) in LibrdkafkaConfig.Build(connection.GetOptions()))
        {
            if (value.Length > 0 && IsSensitiveKey(key))
            {
                text = text.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    internal static bool IsSensitiveKey(string key) =>
        SensitiveKeyFragments.Any(f => key.Contains(f, StringComparison.OrdinalIgnoreCase));
}
