using KafkaCatalog.PowerShell.Tests.Infrastructure;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.PowerShell.Tests;

/// <summary>
/// Secrets given as librdkafka properties (-Property, and profiles) are held and redacted like a
/// PSCredential: no value appears in any stream (output, error, warning, verbose, debug,
/// information, progress), in ConvertTo-Json -Depth 10 of the connection or of $conn.GetOptions(),
/// in ToString, or in any error record; and the SASL password given that way still authenticates.
/// The values reach the engine as variables, so the script text never holds them.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SecretPropertyTests(EngineFixture fx) : IAsyncLifetime
{
    private const string SaslPassword = "Zq-sasl-password-7f3a";
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["saslPassword"] = SaslPassword,
        ["sslKeyPassword"] = "Zq-ssl-key-password-91c2",
        ["keystorePassword"] = "Zq-keystore-password-4d8e",
        ["oauthSecret"] = "Zq-oauth-client-secret-b6d0",
        ["customPassword"] = "Zq-custom-password-2a7c",
        ["customSecret"] = "Zq-custom-secret-e5f1",
        ["wrongPassword"] = "Zq-wrong-password-0c94",
    };

    private KafkaTestCluster _sasl = null!;

    public async Task InitializeAsync()
    {
        var options = new KafkaTestClusterOptions { Brokers = 1, OffsetsTopicPartitions = 1 };
        options.UseSecurity(new KafkaSecurityOptions { Protocol = TkProtocol.SaslPlaintext }.AddUser("alice", SaslPassword));
        _sasl = await KafkaTestCluster.StartAsync(options);
        _sasl.State.CreateTopic("secret-topic", 2, 1);
    }

    public async Task DisposeAsync() => await _sasl.DisposeAsync();

    /// <summary>Everything the script writes to any stream; each step also dumps what a user could look at.</summary>
    private const string Dump = """
        $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'; $ProgressPreference = 'Continue'
        function Show($conn) {
            $conn
            $conn | Format-List * -Force | Out-String
            $conn | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            $conn.GetOptions() | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            $conn.GetOptions() | Format-List * -Force | Out-String
            $conn.ToString(); "$conn"; $conn.GetOptions().ToString()
            Get-KafkaConnection -Name $conn.Name | Format-Table -AutoSize | Out-String
        }
        function Dump-Errors {
            foreach ($e in $Error) {
                $e | Format-List * -Force | Out-String
                $e.Exception.ToString()
                $e.Exception | Format-List * -Force | Out-String
                $e.CategoryInfo.ToString(); "$($e.TargetObject)"; $e.ErrorDetails
                $e.Exception | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            }
        }
        """;

    [Fact]
    public void Property_secrets_never_appear_in_any_stream_json_tostring_or_error()
    {
        using var engine = Open();
        var run = engine.Run(Dump + """

            $props = @{
                'sasl.username' = 'alice'; 'sasl.password' = $saslPassword
                'ssl.key.password' = $sslKeyPassword; 'ssl.keystore.password' = $keystorePassword
                'sasl.oauthbearer.client.secret' = $oauthSecret
                'debug' = 'security,conf,admin'
            }
            $conn = Connect-KafkaCluster -BootstrapServer $sasl -Name secret-props -SecurityProtocol SaslPlaintext -SaslMechanism Plain -Property $props -Verbose
            Show $conn
            Get-KafkaCluster -Connection $conn -Verbose | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            Get-KafkaTopic -Connection $conn -Verbose | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            Publish-KafkaMessage -Connection $conn -Topic secret-topic -Value hello -Verbose | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            Receive-KafkaMessage -Connection $conn -Topic secret-topic -FromBeginning -MaxMessages 1 -TimeoutSec 30 -Verbose | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
            Get-KafkaTopic -Name secret-topic -Connection $conn | Get-KafkaTopicConfig -Verbose | Select-Object -First 3 | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue

            # Keys the module does not know, ending in password and secret: held as secrets too; librdkafka refuses them (error records scanned).
            $custom = Connect-KafkaCluster -BootstrapServer $sasl -Name secret-custom -Property @{ 'my.custom.password' = $customPassword; 'my.app.secret' = $customSecret } -SkipVerify -Verbose
            Show $custom
            Get-KafkaTopic -Connection $custom -Verbose -ErrorAction Continue
            try { Connect-KafkaCluster -BootstrapServer $sasl -Name secret-custom-verified -Property @{ 'my.custom.password' = $customPassword; 'my.app.secret' = $customSecret } -Verbose } catch { $_ | Format-List * -Force | Out-String }

            # A wrong password given as a property: the authentication error names no password.
            try { Connect-KafkaCluster -BootstrapServer $sasl -Name secret-wrong -SecurityProtocol SaslPlaintext -SaslMechanism Plain -Property @{ 'sasl.username' = 'alice'; 'sasl.password' = $wrongPassword } -TimeoutSec 10 -Verbose } catch { $_ | Format-List * -Force | Out-String }
            Dump-Errors
            """);

        // The right password authenticated: the commands read the SASL cluster.
        Assert.Contains(run.Output, o => (o?.ToString() ?? string.Empty).Contains(_sasl.ClusterId, StringComparison.Ordinal));
        Assert.Contains(run.Output, o => (o?.ToString() ?? string.Empty).Contains("secret-topic", StringComparison.Ordinal));
        Assert.Contains(run.AllErrors, e => e.FullyQualifiedErrorId.StartsWith("InvalidKafkaClientSetting,", StringComparison.Ordinal));
        Assert.Contains(run.Output, o => (o?.ToString() ?? string.Empty).Contains("KafkaAuthenticationFailed", StringComparison.Ordinal));
        Assert.NotEmpty(run.Verbose);
        AssertNoSecret(run);
    }

    [Fact]
    public void Profile_secrets_never_appear_in_any_stream_json_tostring_or_error()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"kc-secret-profiles-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var properties = Path.Combine(dir, "client.properties");
            File.WriteAllLines(properties, [
                $"bootstrap.servers={_sasl.BootstrapServers}",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.username=alice",
                $"sasl.password={SaslPassword}",
                $"ssl.keystore.password={Secrets["keystorePassword"]}",
                $"sasl.oauthbearer.client.secret={Secrets["oauthSecret"]}",
            ]);
            var custom = Path.Combine(dir, "custom.properties");
            File.WriteAllLines(custom, [
                $"bootstrap.servers={_sasl.BootstrapServers}",
                $"my.custom.password={Secrets["customPassword"]}",
                $"my.app.secret={Secrets["customSecret"]}",
            ]);
            var mage = Path.Combine(dir, "mage.yaml");
            File.WriteAllLines(mage, [
                "connector_type: kafka",
                $"bootstrap_server: \"{_sasl.BootstrapServers}\"",
                "topic: secret-topic",
                "security_protocol: SASL_PLAINTEXT",
                "sasl_config:",
                "  mechanism: PLAIN",
                "  username: alice",
                $"  password: {SaslPassword}",
            ]);
            var kafkaPython = Path.Combine(dir, "kp.json");
            File.WriteAllText(kafkaPython, $$"""
                {"bootstrap_servers": "{{_sasl.BootstrapServers}}", "security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN",
                 "sasl_plain_username": "alice", "sasl_plain_password": "{{SaslPassword}}"}
                """);
            // A key password on a connection without TLS: refused by validation (the error is scanned).
            File.WriteAllLines(Path.Combine(dir, "tls-key.properties"), [
                $"bootstrap.servers={_sasl.BootstrapServers}",
                $"ssl.key.password={Secrets["sslKeyPassword"]}",
            ]);
            var wrong = Path.Combine(dir, "wrong.properties");
            File.WriteAllLines(wrong, [
                $"bootstrap.servers={_sasl.BootstrapServers}",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.username=alice",
                $"sasl.password={Secrets["wrongPassword"]}",
            ]);

            using var engine = Open();
            engine.SetVariable("profiles", dir);
            var run = engine.Run(Dump + """

                foreach ($file in 'client.properties', 'mage.yaml', 'kp.json') {
                    $conn = Connect-KafkaCluster -ProfilePath (Join-Path $profiles $file) -Name "secret-$file" -Verbose
                    Show $conn
                    Get-KafkaCluster -Connection $conn -Verbose | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
                    Get-KafkaTopic -Connection $conn -Name secret-topic -Verbose | ConvertTo-Json -Depth 10 -WarningAction SilentlyContinue
                }
                $custom = Connect-KafkaCluster -ProfilePath (Join-Path $profiles custom.properties) -Name secret-custom -SkipVerify -Verbose
                Show $custom
                Get-KafkaTopic -Connection $custom -Verbose -ErrorAction Continue
                try { Connect-KafkaCluster -ProfilePath (Join-Path $profiles tls-key.properties) -Name secret-tls-key -Verbose } catch { $_ | Format-List * -Force | Out-String }
                try { Connect-KafkaCluster -ProfilePath (Join-Path $profiles wrong.properties) -Name secret-wrong -TimeoutSec 10 -Verbose } catch { $_ | Format-List * -Force | Out-String }
                Dump-Errors
                """);

            // Each of the three profiles authenticated (Get-KafkaCluster read the SASL cluster's id).
            Assert.True(run.Output.Count(o => (o?.ToString() ?? string.Empty).Contains(_sasl.ClusterId, StringComparison.Ordinal)) >= 3, "errors: " + string.Join(" | ", run.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
            Assert.Contains(run.AllErrors, e => e.FullyQualifiedErrorId.StartsWith("InvalidKafkaClientSetting,", StringComparison.Ordinal));
            Assert.Contains(run.Output, o => (o?.ToString() ?? string.Empty).Contains("KafkaAuthenticationFailed", StringComparison.Ordinal));
            AssertNoSecret(run);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private Engine Open()
    {
        var engine = fx.Open();
        engine.SetVariable("sasl", _sasl.BootstrapServers);
        foreach (var (name, value) in Secrets)
        {
            engine.SetVariable(name, value);
        }

        return engine;
    }

    private static void AssertNoSecret(Run run)
    {
        var text = run.AllText() + "\n" + string.Join("\n", run.Progress.Select(p => p.ToString()));
        foreach (var (name, value) in Secrets)
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"the value of {name} appeared: ...{Around(text, value)}...");
        }
    }

    private static string Around(string text, string value)
    {
        var at = text.IndexOf(value, StringComparison.Ordinal);
        return text.Substring(Math.Max(0, at - 200), Math.Min(text.Length - Math.Max(0, at - 200), 400));
    }
}
