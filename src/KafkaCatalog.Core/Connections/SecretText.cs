using System.Security;

namespace KafkaCatalog.Core.Connections;

/// <summary>The only place that turns a <see cref="SecureString"/> into text, for as short a time as possible.</summary>
internal static class SecretText
{
    public static string Reveal(SecureString secret) => new System.Net.NetworkCredential(string.Empty, secret).Password;

    public static T Use<T>(SecureString secret, Func<string, T> use) => use(Reveal(secret));

    public static SecureString Protect(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>
    /// Property names whose values are secrets (kept out of JSON, errors and warnings): any name with password,
    /// secret, token or credential, the keys of every secret setting (<see cref="KafkaSettingDefinitions"/>), and
    /// librdkafka's secrets that are no setting of their own.
    /// </summary>
    public static bool IsSensitiveKey(string key)
    {
        var k = key.ToLowerInvariant();
        return k.Contains("password", StringComparison.Ordinal) || k.Contains("secret", StringComparison.Ordinal)
            || k.Contains("token", StringComparison.Ordinal) || k.Contains("credential", StringComparison.Ordinal)
            || KafkaSettingDefinitions.SecretKeys.Contains(k)
            || k is "sasl.oauthbearer.config" or "ssl_key_pem" or "ssl.keystore.password";
    }
}
