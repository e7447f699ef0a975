using System.Reflection;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Connections.Profiles;

namespace KafkaCatalog.Core.Tests.Connections;

/// <summary>
/// <see cref="KafkaSettingDefinitions"/> is the one definition of every connection setting: every
/// <see cref="KafkaConnectionSettings"/> property has a row, and the librdkafka config, the secret redaction, the
/// profile readers' keys and docs/connections.md come from it. Regenerate the doc with
/// KAFKACATALOG_WRITE_SETTINGS_DOCS=1 dotnet test tests/KafkaCatalog.Core.Tests --filter SettingDefinitionsTests.
/// </summary>
public class SettingDefinitionsTests
{
    private static readonly PropertyInfo[] SettingsProperties =
        typeof(KafkaConnectionSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract").ToArray();

    [Fact]
    public void Every_settings_property_has_exactly_one_row_and_every_row_a_property()
    {
        var rows = KafkaSettingDefinitions.All.Select(d => d.Name).ToList();
        Assert.Equal(rows.Count, rows.Distinct(StringComparer.Ordinal).Count());
        var missing = SettingsProperties.Select(p => p.Name).Except(rows, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "KafkaConnectionSettings properties without a KafkaSettingDefinitions row: " + string.Join(", ", missing));
        var extra = rows.Except(SettingsProperties.Select(p => p.Name), StringComparer.Ordinal).ToList();
        Assert.True(extra.Count == 0, "Rows without a KafkaConnectionSettings property: " + string.Join(", ", extra));
    }

    [Fact]
    public void Rows_in_the_options_name_an_options_property_of_the_same_type()
    {
        foreach (var definition in KafkaSettingDefinitions.All.Where(d => d.InOptions))
        {
            var option = typeof(KafkaConnectionOptions).GetProperty(definition.Name);
            Assert.True(option is not null, $"KafkaConnectionOptions has no property {definition.Name}.");
            var settingType = typeof(KafkaConnectionSettings).GetProperty(definition.Name)!.PropertyType;
            Assert.Equal(Nullable.GetUnderlyingType(settingType) ?? settingType, Nullable.GetUnderlyingType(option!.PropertyType) ?? option.PropertyType);
        }
    }

    [Fact]
    public void Secrets_are_SecureStrings_kept_out_of_json_and_only_secrets_are()
    {
        foreach (var property in SettingsProperties)
        {
            var definition = KafkaSettingDefinitions.Get(property.Name);
            Assert.Equal(definition.IsSecret, property.PropertyType == typeof(SecureString));
            Assert.Equal(definition.IsSecret, definition.Kind == KafkaSettingKind.Secret);
            if (definition.IsSecret)
            {
                Assert.NotNull(property.GetCustomAttribute<JsonIgnoreAttribute>());
            }
        }
    }

    [Fact]
    public void Timing_rows_have_a_range_and_the_validator_uses_it()
    {
        foreach (var definition in KafkaSettingDefinitions.All.Where(d => d.Kind == KafkaSettingKind.Milliseconds))
        {
            var range = Assert.IsType<KafkaSettingValidation.Range>(definition.Validation);
            var tooLarge = new KafkaConnectionSettings { BootstrapServers = "b1:9092" };
            KafkaSettingDefinitions.Set(tooLarge, definition, TimeSpan.FromMilliseconds(range.Max + 1));
            var problem = Assert.Single(tooLarge.ToOptions().Validate(_ => true), p => p.Code == "TimingOutOfRange");
            Assert.Equal(definition.Name, problem.Option);
            Assert.Contains(range.CheckedAs, problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_row_with_a_librdkafka_key_reaches_the_client_config()
    {
        foreach (var definition in KafkaSettingDefinitions.All.Where(d => d.Emission is LibrdkafkaEmission.Always or LibrdkafkaEmission.Sasl or LibrdkafkaEmission.Gssapi or LibrdkafkaEmission.Tls))
        {
            var (value, text) = Sample(definition);
            var settings = new KafkaConnectionSettings
            {
                BootstrapServers = "b1:9092",
                SecurityProtocol = KafkaSecurityProtocol.SaslSsl,
                SaslMechanism = KafkaSaslMechanism.Gssapi,
            };
            KafkaSettingDefinitions.Set(settings, definition, value);
            var config = LibrdkafkaConfig.Build(settings.ToOptions());
            Assert.True(config.TryGetValue(definition.LibrdkafkaKey!, out var written), $"{definition.Name} did not reach {definition.LibrdkafkaKey}.");
            Assert.Equal(text, written);
        }
    }

    [Fact]
    public void Conditional_rows_stay_out_when_their_condition_does_not_hold()
    {
        var settings = new KafkaConnectionSettings { BootstrapServers = "b1:9092", SecurityProtocol = KafkaSecurityProtocol.Plaintext };
        foreach (var definition in KafkaSettingDefinitions.All.Where(d => d.Emission is LibrdkafkaEmission.Sasl or LibrdkafkaEmission.Gssapi or LibrdkafkaEmission.Tls))
        {
            KafkaSettingDefinitions.Set(settings, definition, Sample(definition).Value);
        }

        var config = LibrdkafkaConfig.Build(settings.ToOptions());
        foreach (var definition in KafkaSettingDefinitions.All.Where(d => d.Emission is LibrdkafkaEmission.Sasl or LibrdkafkaEmission.Gssapi or LibrdkafkaEmission.Tls))
        {
            Assert.False(config.ContainsKey(definition.LibrdkafkaKey!), definition.Name);
        }
    }

    [Fact]
    public void Every_secret_row_is_redacted_in_text_json_and_problems()
    {
        foreach (var definition in KafkaSettingDefinitions.All.Where(d => d.IsSecret))
        {
            var secret = "Sec-" + definition.Name + "-Value!";
            var settings = new KafkaConnectionSettings
            {
                BootstrapServers = "b1:9092",
                SecurityProtocol = KafkaSecurityProtocol.Plaintext,
                SaslUsername = "user",
                OAuthClientId = "client",
            };
            KafkaSettingDefinitions.Set(settings, definition, Secrets.Secure(secret));
            var options = settings.ToOptions();
            var texts = new List<string>
            {
                settings.ToString(), options.ToString(), new KafkaConnection("c", options).ToString(),
                JsonSerializer.Serialize(settings), JsonSerializer.Serialize(options), JsonSerializer.Serialize(new KafkaConnection("c", options)),
            };
            texts.AddRange(options.Validate(_ => false).Select(p => p.Message));
            Assert.All(texts, t => Assert.DoesNotContain(secret, t, StringComparison.Ordinal));

            foreach (var key in new[] { definition.LibrdkafkaKey, definition.PropertiesFileKey }.OfType<string>())
            {
                Assert.True(SecretText.IsSensitiveKey(key), $"{key} of {definition.Name} is not treated as a secret key.");
                var viaProperty = new KafkaConnectionOptions { BootstrapServers = "b1:9092", Properties = new Dictionary<string, string> { [key] = secret } };
                Assert.DoesNotContain(secret, JsonSerializer.Serialize(viaProperty), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Every_kafka_python_key_maps_to_its_setting()
    {
        var definitions = KafkaSettingDefinitions.All.Where(d => d.KafkaPythonKey is { } k && !k.Contains('.', StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(definitions);
        foreach (var definition in definitions)
        {
            var json = new Dictionary<string, object> { ["bootstrap_servers"] = "b1:9092", ["security_protocol"] = "SASL_SSL", ["sasl_mechanism"] = "GSSAPI" };
            json[definition.KafkaPythonKey!] = ProfileSample(definition);
            var profile = KafkaProfileReader.Parse(JsonSerializer.Serialize(json), "/profiles/kp.json");
            Assert.Equal(KafkaProfileFormat.KafkaPythonJson, profile.Format);
            AssertMapped(definition, profile.Settings, definition.KafkaPythonKey!);
        }
    }

    [Fact]
    public void Every_properties_file_key_maps_to_its_setting()
    {
        foreach (var definition in KafkaSettingDefinitions.All.Where(d => d.PropertiesFileKey is not null && d.Kind is KafkaSettingKind.Text or KafkaSettingKind.Path or KafkaSettingKind.Pem or KafkaSettingKind.Secret))
        {
            var value = definition.Kind == KafkaSettingKind.Path ? "/abs/file.pem" : definition.Name == nameof(KafkaConnectionSettings.BootstrapServers) ? "b1:9092" : "v-" + definition.Name;
            var profile = KafkaProfileReader.Parse($"{definition.PropertiesFileKey}={value}\n", "/profiles/client.properties");
            var read = definition.ValueIn(profile.Settings);
            Assert.Equal(value, read is SecureString s ? new System.Net.NetworkCredential(string.Empty, s).Password : read);
        }
    }

    [Fact]
    public void Profile_key_lists_come_from_the_table()
    {
        foreach (var key in KafkaSettingDefinitions.TopLevelKeys(d => d.KafkaPythonKey))
        {
            Assert.Contains(key, KafkaPythonProfileReader.MappedKeys);
        }

        foreach (var key in KafkaSettingDefinitions.TopLevelKeys(d => d.MageKey))
        {
            Assert.Contains(key, MageProfileReader.RootKeys);
        }

        foreach (var key in KafkaSettingDefinitions.TopLevelKeys(d => d.PolarisKey))
        {
            Assert.Contains(key, PolarisProfileReader.Keys);
        }

        Assert.Equal(["cafile", "certfile", "keyfile", "password", "check_hostname"], MageProfileReader.SslKeys);
        Assert.Equal(["token_url", "client_id", "client_secret", "scope", "extensions"], KafkaPythonProfileReader.OAuthProviderKeys);
        Assert.Equal(KafkaSettingDefinitions.All.Select(d => d.EnvironmentVariable).OfType<string>(), KafkaEnvironment.VariableNames);
    }

    [Fact]
    public void The_settings_doc_is_the_table()
    {
        var path = Path.Combine(RepoRoot(), "docs", "connections.md");
        var expected = Render();
        if (Environment.GetEnvironmentVariable("KAFKACATALOG_WRITE_SETTINGS_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing; see the class remarks to generate it.");
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    internal static string Render()
    {
        var b = new StringBuilder();
        b.Append("# Kafka connection settings\n\n");
        b.Append("Every setting a Kafka connection has, where each comes from and what librdkafka gets. Generated from\n");
        b.Append("`KafkaSettingDefinitions` (src/KafkaCatalog.Core/Connections/KafkaSettingDefinitions.cs); a test keeps them equal.\n");
        b.Append("Explicit parameters win over a profile (-ProfilePath), and a profile wins over the environment.\n");
        b.Append("Secrets are only held as PSCredential or SecureString and never appear in text, JSON, errors or warnings.\n\n");
        b.Append("| Setting | Parameter | librdkafka | kafka-python | Mage | Polaris | Environment | Secret | Validation | Description |\n");
        b.Append("|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var d in KafkaSettingDefinitions.All)
        {
            b.Append("| ").Append(d.Name)
                .Append(" | ").Append(Cell(d.Parameter))
                .Append(" | ").Append(Cell(d.LibrdkafkaKey))
                .Append(" | ").Append(Cell(d.KafkaPythonKey))
                .Append(" | ").Append(Cell(d.MageKey))
                .Append(" | ").Append(Cell(d.PolarisKey))
                .Append(" | ").Append(Cell(d.EnvironmentVariable))
                .Append(" | ").Append(d.IsSecret ? "yes" : "no")
                .Append(" | ").Append(d.Validation?.ToString() ?? "–")
                .Append(" | ").Append(d.Doc.Replace("|", "\\|", StringComparison.Ordinal))
                .Append(" |\n");
        }

        return b.ToString();
    }

    private static string Cell(string? text) => text is null ? "–" : "`" + text + "`";

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KafkaCatalog.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("KafkaCatalog.sln not found above the test output.");
    }

    private static (object Value, string Text) Sample(KafkaSettingDefinition definition) => definition.Kind switch
    {
        KafkaSettingKind.Milliseconds => (TimeSpan.FromMilliseconds(definition.Range!.Min + 1000), (definition.Range!.Min + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        KafkaSettingKind.Secret => (Secrets.Secure("sample-" + definition.Name), "sample-" + definition.Name),
        KafkaSettingKind.Path => ("/abs/" + definition.Name, "/abs/" + definition.Name),
        _ when definition.Name == nameof(KafkaConnectionSettings.BootstrapServers) => ("b2:9092", "b2:9092"),
        _ => ("sample-" + definition.Name, "sample-" + definition.Name),
    };

    private static object ProfileSample(KafkaSettingDefinition definition) => definition.Kind switch
    {
        KafkaSettingKind.Milliseconds => definition.Range!.Min + 1000,
        KafkaSettingKind.Flag => false,
        KafkaSettingKind.Path => "/abs/" + definition.Name,
        KafkaSettingKind.Choice when definition.Name == nameof(KafkaConnectionSettings.SecurityProtocol) => "SASL_SSL",
        KafkaSettingKind.Choice when definition.Name == nameof(KafkaConnectionSettings.SaslMechanism) => "GSSAPI",
        _ when definition.Name == nameof(KafkaConnectionSettings.BootstrapServers) => "b2:9092",
        _ => "sample-" + definition.Name,
    };

    private static void AssertMapped(KafkaSettingDefinition definition, KafkaConnectionSettings settings, string key)
    {
        var read = definition.ValueIn(settings);
        var expected = ProfileSample(definition);
        object? actual = read switch
        {
            SecureString s => new System.Net.NetworkCredential(string.Empty, s).Password,
            TimeSpan t => (long)t.TotalMilliseconds,
            KafkaSecurityProtocol p => LibrdkafkaConfig.ProtocolName(p).ToUpperInvariant(),
            KafkaSaslMechanism m => LibrdkafkaConfig.MechanismName(m),
            _ => read,
        };
        Assert.True(Equals(Convert.ToString(expected, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(actual, System.Globalization.CultureInfo.InvariantCulture)),
            $"kafka-python key {key} gave {definition.Name} = {actual}, expected {expected}.");
    }
}
