using System.Text;
using System.Text.Json;

namespace KafkaCatalog.Core.Connections.OAuth;

/// <summary>Reads "exp" and "sub" from a JWT payload without checking the signature (the broker does that).</summary>
internal static class JwtPayload
{
    public static bool TryRead(string token, out DateTimeOffset? expires, out string? subject)
    {
        expires = null;
        subject = null;
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return false;
        }

        byte[] json;
        try
        {
            json = Base64UrlDecode(parts[1]);
        }
        catch (FormatException)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var root = document.RootElement;
            if (root.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetDouble(out var seconds)
                && seconds > 0 && seconds < 253_402_300_799)
            {
                expires = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
            }

            if (root.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(sub.GetString()))
            {
                subject = sub.GetString();
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s = (s.Length % 4) switch
        {
            0 => s,
            2 => s + "==",
            3 => s + "=",
            _ => throw new FormatException("Invalid base64url length."),
        };
        return Convert.FromBase64String(s);
    }

    internal static string Base64UrlEncode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
