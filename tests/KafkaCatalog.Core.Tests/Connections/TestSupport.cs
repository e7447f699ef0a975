using System.Collections;
using System.Security;
using KafkaCatalog.Core.Connections;

namespace KafkaCatalog.Core.Tests.Connections;

internal static class Secrets
{
    public const string Password = "S3cr3t-Passw0rd!";
    public const string ClientSecret = "Cl13nt-S3cr3t-Value!";
    public const string KeyPassword = "K3y-Passw0rd-Value!";
    public const string KeyPem = "-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD\n-----END PRIVATE KEY-----\n";
    public const string AccessToken = "Acc3ss-T0ken-Value-XYZ";

    public static readonly string[] All = { Password, ClientSecret, KeyPassword, "TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD", AccessToken };

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    public static void AssertNoSecret(string? text, string what)
    {
        if (text is null)
        {
            return;
        }

        foreach (var secret in All)
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} contains a secret: {text}");
        }
    }
}

internal static class Pem
{
    public const string Certificate = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FGYWtlQ2VydGlmaWNhdGVGb3JUZXN0czAKBggqhkjOPQQDAjA=\n-----END CERTIFICATE-----\n";
}

/// <summary>A clock tests move by hand.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kc-conn-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder does not affect results.
        }
    }
}

internal static class Env
{
    public static Hashtable Of(params (string Name, string Value)[] variables)
    {
        var table = new Hashtable();
        foreach (var (name, value) in variables)
        {
            table[name] = value;
        }

        return table;
    }
}

internal static class Fixtures
{
    public static string PathOf(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Connections", "Fixtures", name);

    public static KafkaConnectionOptions Valid(Func<KafkaConnectionOptions, KafkaConnectionOptions>? change = null)
    {
        var options = new KafkaConnectionOptions { BootstrapServers = "broker1:9092" };
        return change is null ? options : change(options);
    }
}
