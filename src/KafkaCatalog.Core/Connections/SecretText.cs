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

    /// <summary>Property names whose values are secrets (kept out of JSON, errors and warnings).</summary>
    public static bool IsSensitiveKey(string key)
    {
        var k = key.ToLowerInvariant();
        return k.Contains("password", StringComparison.Ordinal) || k.Contains("secret", StringComparison.Ordinal)
            || k.Contains("token", StringComparison.Ordinal) || k.Contains("credential", StringComparison.Ordinal)
            || k is "sasl.oauthbearer.config" or "ssl.key.pem" or "ssl_key_pem" or "ssl.keystore.password";
    }
}
