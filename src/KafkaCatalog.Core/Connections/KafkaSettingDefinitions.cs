using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Security;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections;

/// <summary>
/// The one definition of every Kafka connection setting. <see cref="KafkaConnectionSettings.Merge"/>,
/// <see cref="KafkaConnectionSettings.ToOptions"/>, <see cref="LibrdkafkaConfig"/>, the validator, the secret
/// redaction, the profile readers' key mapping, the environment variable list and docs/connections.md derive
/// from it; a contract test fails when a <see cref="KafkaConnectionSettings"/> property has no row.
/// Adding a setting: its property on <see cref="KafkaConnectionSettings"/> (and <see cref="KafkaConnectionOptions"/>)
/// and one row here.
/// </summary>
public static class KafkaSettingDefinitions
{
    private const string Tls = "Needs -SecurityProtocol Ssl or SaslSsl.";

    public static IReadOnlyList<KafkaSettingDefinition> All { get; } =
    [
        new()
        {
            Name = nameof(KafkaConnectionSettings.BootstrapServers), Kind = KafkaSettingKind.Text,
            LibrdkafkaKey = "bootstrap.servers", Emission = LibrdkafkaEmission.Always, PropertiesFileKey = "bootstrap.servers",
            KafkaPythonKey = "bootstrap_servers", MageKey = "bootstrap_server", PolarisKey = "bootstrapServers",
            EnvironmentVariable = KafkaEnvironment.BootstrapServers, Parameter = "-BootstrapServer",
            Validation = new KafkaSettingValidation.Described("required; comma-separated host:port"),
            Doc = "host:port of one or more brokers (a profile may give a list).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.ClientId), Kind = KafkaSettingKind.Text,
            LibrdkafkaKey = "client.id", Emission = LibrdkafkaEmission.Always, PropertiesFileKey = "client.id",
            KafkaPythonKey = "client_id", EnvironmentVariable = KafkaEnvironment.ClientId, Parameter = "-ClientId",
            Validation = new KafkaSettingValidation.Described("not empty, no control characters"),
            Doc = "The client.id the cluster sees in its logs and quotas (default kafkacatalog).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SecurityProtocol), Kind = KafkaSettingKind.Choice,
            LibrdkafkaKey = "security.protocol", Emission = LibrdkafkaEmission.Rule, PropertiesFileKey = "security.protocol",
            KafkaPythonKey = "security_protocol", MageKey = "security_protocol",
            EnvironmentVariable = KafkaEnvironment.SecurityProtocol, Parameter = "-SecurityProtocol",
            Doc = "PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL; Polaris: inferred (secrets: SASL_SSL, a truststore alone: SSL).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SaslMechanism), Kind = KafkaSettingKind.Choice,
            LibrdkafkaKey = "sasl.mechanism", Emission = LibrdkafkaEmission.Rule, PropertiesFileKey = "sasl.mechanism",
            KafkaPythonKey = "sasl_mechanism", MageKey = "sasl_config.mechanism", PolarisKey = "secrets.mechanism",
            EnvironmentVariable = KafkaEnvironment.SaslMechanism, Parameter = "-SaslMechanism",
            Validation = new KafkaSettingValidation.Described("needs a SASL_* protocol"),
            Doc = "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER or GSSAPI (PLAIN when a SASL protocol has a user name; Mage's default PLAIN; Polaris secrets.type).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SaslUsername), Kind = KafkaSettingKind.Text,
            LibrdkafkaKey = "sasl.username", Emission = LibrdkafkaEmission.Sasl, PropertiesFileKey = "sasl.username",
            KafkaPythonKey = "sasl_plain_username", MageKey = "sasl_config.username", PolarisKey = "secrets.username",
            EnvironmentVariable = KafkaEnvironment.SaslUsername, Parameter = "-Credential (user name)", MergeGroup = "sasl.credential",
            Validation = new KafkaSettingValidation.Described("required for PLAIN and SCRAM"),
            Doc = "SASL PLAIN / SCRAM user name.",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SaslPassword), Kind = KafkaSettingKind.Secret, IsSecret = true,
            LibrdkafkaKey = "sasl.password", Emission = LibrdkafkaEmission.Sasl, PropertiesFileKey = "sasl.password",
            KafkaPythonKey = "sasl_plain_password", MageKey = "sasl_config.password", PolarisKey = "secrets.password",
            EnvironmentVariable = KafkaEnvironment.SaslPassword, Parameter = "-Credential (password)", MergeGroup = "sasl.credential",
            Validation = new KafkaSettingValidation.Described("required for PLAIN and SCRAM"),
            Doc = "SASL PLAIN / SCRAM password (Polaris never returns it).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.RequestTimeout), Kind = KafkaSettingKind.Milliseconds,
            LibrdkafkaKey = "socket.timeout.ms", Emission = LibrdkafkaEmission.Rule,
            KafkaPythonKey = "request_timeout_ms", Parameter = "-TimeoutSec",
            Validation = new KafkaSettingValidation.Range("socket.timeout.ms", 10, 300_000),
            Doc = "One request's timeout (default 30 s): each call's deadline, socket.timeout.ms unless SocketTimeout is set, and request.timeout.ms for producers (kafka-python 3: default_api_timeout_ms, then request_timeout_ms is SocketTimeout).",
        },
        Ms(nameof(KafkaConnectionSettings.SocketTimeout), "socket.timeout.ms", 10, 300_000, LibrdkafkaEmission.Rule,
            "socket.timeout.ms (default: RequestTimeout).", propertiesFileKey: "socket.timeout.ms"),
        Ms(nameof(KafkaConnectionSettings.ConnectionSetupTimeout), "socket.connection.setup.timeout.ms", 1_000, int.MaxValue, LibrdkafkaEmission.Always,
            "How long a broker connection may take to set up.", kafkaPythonKey: "socket_connection_setup_timeout_ms"),
        Ms(nameof(KafkaConnectionSettings.ConnectionsMaxIdle), "connections.max.idle.ms", 0, int.MaxValue, LibrdkafkaEmission.Always,
            "Idle broker connections close after this.", kafkaPythonKey: "connections_max_idle_ms"),
        Ms(nameof(KafkaConnectionSettings.MetadataMaxAge), "metadata.max.age.ms", 1, 86_400_000, LibrdkafkaEmission.Always,
            "How long cached metadata stays valid."),
        Ms(nameof(KafkaConnectionSettings.MetadataRefreshInterval), "topic.metadata.refresh.interval.ms", -1, 3_600_000, LibrdkafkaEmission.Always,
            "The forced metadata refresh period (kafka-python's metadata_max_age_ms is this one).", kafkaPythonKey: "metadata_max_age_ms"),
        Ms(nameof(KafkaConnectionSettings.RetryBackoff), "retry.backoff.ms", 1, 300_000, LibrdkafkaEmission.Always,
            "Backoff before a request is retried.", kafkaPythonKey: "retry_backoff_ms"),
        Ms(nameof(KafkaConnectionSettings.RetryBackoffMax), "retry.backoff.max.ms", 1, 300_000, LibrdkafkaEmission.Always,
            "The largest retry backoff (at least RetryBackoff)."),
        Ms(nameof(KafkaConnectionSettings.ReconnectBackoff), "reconnect.backoff.ms", 0, 3_600_000, LibrdkafkaEmission.Always,
            "Backoff before a broker is reconnected.", kafkaPythonKey: "reconnect_backoff_ms"),
        Ms(nameof(KafkaConnectionSettings.ReconnectBackoffMax), "reconnect.backoff.max.ms", 0, 3_600_000, LibrdkafkaEmission.Always,
            "The largest reconnect backoff (at least ReconnectBackoff).", kafkaPythonKey: "reconnect_backoff_max_ms"),
        Ms(nameof(KafkaConnectionSettings.ApiVersionRequestTimeout), "api.version.request.timeout.ms", 1, 300_000, LibrdkafkaEmission.Always,
            "How long the broker may take to answer ApiVersions.", kafkaPythonKey: "api_version_auto_timeout_ms"),
        new()
        {
            Name = nameof(KafkaConnectionSettings.OAuthTokenEndpoint), Kind = KafkaSettingKind.Uri, InOptions = false,
            KafkaPythonKey = "sasl_oauth_token_provider.token_url", MageKey = "sasl_config.oauth_token_url", Parameter = "-OAuthTokenEndpoint",
            Validation = new KafkaSettingValidation.Described("absolute http(s) URI"),
            Doc = "OAUTHBEARER: the identity provider's token endpoint (OAuth.TokenEndpoint; tokens come through the refresh handler, never sasl.oauthbearer.method=oidc).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.OAuthClientId), Kind = KafkaSettingKind.Text, InOptions = false,
            KafkaPythonKey = "sasl_oauth_token_provider.client_id", MageKey = "sasl_config.oauth_client_id",
            Parameter = "-OAuthClientCredential (user name)", MergeGroup = "oauth.client",
            Doc = "OAUTHBEARER client id (OAuth.ClientId).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.OAuthClientSecret), Kind = KafkaSettingKind.Secret, IsSecret = true, InOptions = false,
            KafkaPythonKey = "sasl_oauth_token_provider.client_secret", MageKey = "sasl_config.oauth_client_secret",
            Parameter = "-OAuthClientCredential (password)", MergeGroup = "oauth.client",
            Doc = "OAUTHBEARER client secret (OAuth.ClientSecret).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.OAuthScope), Kind = KafkaSettingKind.Text, InOptions = false,
            KafkaPythonKey = "sasl_oauth_token_provider.scope", MageKey = "sasl_config.oauth_scope", Parameter = "-OAuthScope",
            Doc = "OAUTHBEARER scope (OAuth.Scope).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.OAuthExtensions), Kind = KafkaSettingKind.Map, InOptions = false,
            KafkaPythonKey = "sasl_oauth_token_provider.extensions", Parameter = "-OAuthExtension",
            Doc = "SASL/OAUTHBEARER extensions sent with the token (OAuth.Extensions).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.OAuthClientAuthentication), Kind = KafkaSettingKind.Choice, InOptions = false,
            Doc = "How the client credentials reach the token endpoint (default client_secret_post, as Mage and kafka-python send them).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.OAuthCaLocation), Kind = KafkaSettingKind.Path, InOptions = false, Parameter = "-OAuthCaLocation",
            Validation = new KafkaSettingValidation.File("OAuth CA file",
                "Check the path of the PEM file with the identity provider's CA certificates (-OAuthCaCertificatePath)."),
            Doc = "CA certificates (PEM file) of the token endpoint (OAuth.CaLocation).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SslCaLocation), Kind = KafkaSettingKind.Path,
            LibrdkafkaKey = "ssl.ca.location", Emission = LibrdkafkaEmission.Tls, PropertiesFileKey = "ssl.ca.location",
            KafkaPythonKey = "ssl_cafile", MageKey = "ssl_config.cafile", Parameter = "-SslCaLocation", MergeGroup = "ssl.ca",
            Validation = new KafkaSettingValidation.File("CA file", "Check the path, or pass the certificates as PEM text with -CaCertificatePem."),
            Doc = "CA certificates (PEM file) that sign the brokers' certificates (a properties file's probe or directory goes to librdkafka as written). " + Tls,
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SslCaPem), Kind = KafkaSettingKind.Pem,
            LibrdkafkaKey = "ssl.ca.pem", Emission = LibrdkafkaEmission.Tls, PropertiesFileKey = "ssl.ca.pem",
            PolarisKey = "ssl.truststore.certificates", Parameter = "-SslCaPem", MergeGroup = "ssl.ca",
            Validation = new KafkaSettingValidation.Pem("CERTIFICATE", ErrorCatalog.SslCaPemInvalid,
                "The CA PEM text has no '-----BEGIN CERTIFICATE-----' block. Pass the content of a PEM file (not a path or DER bytes); for a file use -CaCertificatePath."),
            Doc = "CA certificates as PEM text. " + Tls,
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SslCertificateLocation), Kind = KafkaSettingKind.Path,
            LibrdkafkaKey = "ssl.certificate.location", Emission = LibrdkafkaEmission.Tls, PropertiesFileKey = "ssl.certificate.location",
            KafkaPythonKey = "ssl_certfile", MageKey = "ssl_config.certfile", Parameter = "-SslCertificateLocation", MergeGroup = "ssl.certificate",
            Validation = new KafkaSettingValidation.File("Client certificate file", "Check the path, or pass the certificate as PEM text with -ClientCertificatePem."),
            Doc = "Client certificate (PEM file) for mutual TLS. " + Tls,
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SslCertificatePem), Kind = KafkaSettingKind.Pem,
            LibrdkafkaKey = "ssl.certificate.pem", Emission = LibrdkafkaEmission.Tls, PropertiesFileKey = "ssl.certificate.pem",
            Parameter = "-SslCertificatePem", MergeGroup = "ssl.certificate",
            Validation = new KafkaSettingValidation.Pem("CERTIFICATE", ErrorCatalog.SslCertificatePemInvalid,
                "The client certificate PEM text has no '-----BEGIN CERTIFICATE-----' block. Pass the content of a PEM file; for a file use -ClientCertificatePath."),
            Doc = "Client certificate as PEM text. " + Tls,
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SslKeyLocation), Kind = KafkaSettingKind.Path,
            LibrdkafkaKey = "ssl.key.location", Emission = LibrdkafkaEmission.Tls, PropertiesFileKey = "ssl.key.location",
            KafkaPythonKey = "ssl_keyfile", MageKey = "ssl_config.keyfile", Parameter = "-SslKeyLocation", MergeGroup = "ssl.key",
            Validation = new KafkaSettingValidation.File("Client key file", "Check the path, or pass the key as PEM text with -ClientKeyPem."),
            Doc = "Client private key (PEM file) for mutual TLS. " + Tls,
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SslKeyPem), Kind = KafkaSettingKind.Secret, IsSecret = true,
            LibrdkafkaKey = "ssl.key.pem", Emission = LibrdkafkaEmission.Tls, PropertiesFileKey = "ssl.key.pem",
            Parameter = "-SslKeyPem", MergeGroup = "ssl.key",
            Validation = new KafkaSettingValidation.Pem("PRIVATE KEY", ErrorCatalog.SslKeyPemInvalid,
                "The client key PEM text has no '-----BEGIN ... PRIVATE KEY-----' block. Pass the content of a PEM key file; for a file use -ClientKeyPath."),
            Doc = "Client private key as PEM text (a SecureString). " + Tls,
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SslKeyPassword), Kind = KafkaSettingKind.Secret, IsSecret = true,
            LibrdkafkaKey = "ssl.key.password", Emission = LibrdkafkaEmission.Tls, PropertiesFileKey = "ssl.key.password",
            KafkaPythonKey = "ssl_password", MageKey = "ssl_config.password", Parameter = "-SslKeyPassword",
            Validation = new KafkaSettingValidation.Described("needs a client key; never taken from a lower layer than the key"),
            Doc = "The client key's password (a SecureString). " + Tls,
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SslCrlLocation), Kind = KafkaSettingKind.Path,
            LibrdkafkaKey = "ssl.crl.location", Emission = LibrdkafkaEmission.Tls, PropertiesFileKey = "ssl.crl.location",
            KafkaPythonKey = "ssl_crlfile", Parameter = "-SslCrlLocation",
            Validation = new KafkaSettingValidation.File("CRL file", "Check the path, or leave out -CrlPath."),
            Doc = "Certificate revocation list (PEM file). " + Tls,
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.EnableHostnameVerification), Kind = KafkaSettingKind.Flag,
            LibrdkafkaKey = "ssl.endpoint.identification.algorithm", Emission = LibrdkafkaEmission.Rule,
            PropertiesFileKey = "ssl.endpoint.identification.algorithm",
            KafkaPythonKey = "ssl_check_hostname", MageKey = "ssl_config.check_hostname", Parameter = "-NoHostnameVerification (false)",
            Doc = "Broker host name verification: https (default) or none (warns; Mage's own default is false, with a warning).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.SkipCertificateCheck), Kind = KafkaSettingKind.Flag,
            LibrdkafkaKey = "enable.ssl.certificate.verification", Emission = LibrdkafkaEmission.Rule,
            PropertiesFileKey = "enable.ssl.certificate.verification", Parameter = "-SkipCertificateCheck",
            Doc = "Turns off certificate and host name verification (enable.ssl.certificate.verification=false, algorithm none; warns).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.KerberosServiceName), Kind = KafkaSettingKind.Text,
            LibrdkafkaKey = "sasl.kerberos.service.name", Emission = LibrdkafkaEmission.Gssapi, PropertiesFileKey = "sasl.kerberos.service.name",
            KafkaPythonKey = "sasl_kerberos_service_name", Parameter = "-KerberosServiceName",
            Validation = new KafkaSettingValidation.Described("one word; needs GSSAPI"),
            Doc = "GSSAPI: the brokers' Kerberos service name (librdkafka's default kafka).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.KerberosPrincipal), Kind = KafkaSettingKind.Text,
            LibrdkafkaKey = "sasl.kerberos.principal", Emission = LibrdkafkaEmission.Gssapi, PropertiesFileKey = "sasl.kerberos.principal",
            Parameter = "-KerberosPrincipal", Validation = new KafkaSettingValidation.Described("needs GSSAPI"),
            Doc = "GSSAPI: the client's Kerberos principal.",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.KerberosKeytab), Kind = KafkaSettingKind.Path,
            LibrdkafkaKey = "sasl.kerberos.keytab", Emission = LibrdkafkaEmission.Gssapi, PropertiesFileKey = "sasl.kerberos.keytab",
            Parameter = "-KerberosKeytab",
            Validation = new KafkaSettingValidation.File("Kerberos keytab", "Check the path; without a keytab, librdkafka uses the ticket cache of the current user (kinit)."),
            Doc = "GSSAPI: the keytab of the client's principal (without it, the ticket cache).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.Properties), Kind = KafkaSettingKind.Map, Merge = KafkaSettingMerge.ByKey,
            PolarisKey = "clientRack", Parameter = "-Property",
            Validation = new KafkaSettingValidation.Described("librdkafka names; secret keys held as SecureString"),
            Doc = "Any further librdkafka property, applied last (Polaris clientRack: client.rack; kafka-python and properties-file keys without a setting of their own).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.ProducerProperties), Kind = KafkaSettingKind.Map, Merge = KafkaSettingMerge.ByKey,
            Doc = "Producer-only librdkafka properties from a profile (Mage batch_size: batch.size, timeout_ms: linger.ms), before -Property.",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.ConsumerProperties), Kind = KafkaSettingKind.Map, Merge = KafkaSettingMerge.ByKey,
            Doc = "Consumer-only librdkafka properties from a profile (Mage auto_offset_reset: auto.offset.reset, max_partition_fetch_bytes).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.DefaultTopic), Kind = KafkaSettingKind.Text, MageKey = "topic",
            Doc = "The topic Publish-KafkaMessage and Receive-KafkaMessage use without -Topic (Mage topic, or its only topics entry).",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.ConsumerGroup), Kind = KafkaSettingKind.Text, MageKey = "consumer_group",
            Doc = "The consumer group the profile's tool consumes with.",
        },
        new()
        {
            Name = nameof(KafkaConnectionSettings.AutoOffsetReset), Kind = KafkaSettingKind.Choice, MageKey = "auto_offset_reset",
            Doc = "Where the profile's consumer starts without a committed offset (earliest/smallest, latest/largest, anything else none).",
        },
    ];

    private static readonly Dictionary<string, KafkaSettingDefinition> ByName = All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>The definition of the <see cref="KafkaConnectionSettings"/> property <paramref name="name"/>.</summary>
    public static KafkaSettingDefinition Get(string name) =>
        ByName.TryGetValue(name, out var definition) ? definition : throw new ArgumentException($"No connection setting '{name}'.", nameof(name));

    /// <summary>librdkafka's accepted range for each timing property, in milliseconds (from the table).</summary>
    internal static IReadOnlyDictionary<string, (long Min, long Max)> Ranges { get; } = All
        .Select(d => d.Range).OfType<KafkaSettingValidation.Range>()
        .GroupBy(r => r.CheckedAs, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => (g.First().Min, g.First().Max), StringComparer.Ordinal);

    /// <summary>librdkafka keys and profile keys whose values are secrets (for <see cref="SecretText.IsSensitiveKey"/>).</summary>
    internal static IReadOnlySet<string> SecretKeys { get; } = All
        .Where(d => d.IsSecret)
        .SelectMany(d => new[] { d.LibrdkafkaKey, d.PropertiesFileKey, Leaf(d.KafkaPythonKey), Leaf(d.MageKey), Leaf(d.PolarisKey) })
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The KAFKA_* environment variables, in table order.</summary>
    internal static IReadOnlyList<string> EnvironmentVariables { get; } = All.Select(d => d.EnvironmentVariable).OfType<string>().ToList();

    /// <summary>The definitions whose kafka-python / Mage / Polaris key lies in <paramref name="section"/> (null: the top level).</summary>
    internal static IEnumerable<(KafkaSettingDefinition Definition, string Key)> KeysIn(Func<KafkaSettingDefinition, string?> profileKey, string? section) =>
        All.Select(d => (d, KafkaSettingDefinition.KeyIn(profileKey(d), section))).Where(p => p.Item2 is not null).Select(p => (p.d, p.Item2!));

    /// <summary>The distinct top-level keys (before the first '.') of a profile format, in table order.</summary>
    internal static IEnumerable<string> TopLevelKeys(Func<KafkaSettingDefinition, string?> profileKey) =>
        All.Select(profileKey).OfType<string>().Select(k => k.Split('.')[0]).Distinct(StringComparer.Ordinal);

    /// <summary>The key of setting <paramref name="name"/> in <paramref name="section"/> of a profile format (as <see cref="KafkaSettingDefinition.KeyIn"/>).</summary>
    internal static string KeyOf(string name, Func<KafkaSettingDefinition, string?> profileKey, string? section = null) =>
        KafkaSettingDefinition.KeyIn(profileKey(Get(name)), section)
            ?? throw new InvalidOperationException($"Setting {name} has no key in section '{section}' of this profile format.");

    /// <summary>The definition a librdkafka properties file key sets, or null (the key then goes to librdkafka as written).</summary>
    internal static KafkaSettingDefinition? ForPropertiesFileKey(string key) => PropertiesFileKeys.GetValueOrDefault(key);

    private static readonly Dictionary<string, KafkaSettingDefinition> PropertiesFileKeys =
        All.Where(d => d.PropertiesFileKey is not null).ToDictionary(d => d.PropertiesFileKey!, StringComparer.Ordinal);

    private static string? Leaf(string? key) => key is null ? null : key[(key.LastIndexOf('.') + 1)..];

    private static KafkaSettingDefinition Ms(string name, string key, long min, long max, LibrdkafkaEmission emission, string doc,
        string? kafkaPythonKey = null, string? propertiesFileKey = null) => new()
        {
            Name = name,
            Kind = KafkaSettingKind.Milliseconds,
            LibrdkafkaKey = key,
            Emission = emission,
            KafkaPythonKey = kafkaPythonKey,
            PropertiesFileKey = propertiesFileKey,
            Validation = new KafkaSettingValidation.Range(key, min, max),
            Doc = doc,
        };

    // ---- access by name (the table's rows name properties; these read and write them) ----

    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo?> PropertyCache = new();

    private static PropertyInfo? Property(Type type, string name) =>
        PropertyCache.GetOrAdd((type, name), k => k.Item1.GetProperty(k.Item2, BindingFlags.Public | BindingFlags.Instance));

    /// <summary>The value of this setting in <paramref name="settings"/> (null = not given).</summary>
    public static object? ValueIn(this KafkaSettingDefinition definition, KafkaConnectionSettings settings) =>
        Property(typeof(KafkaConnectionSettings), definition.Name)!.GetValue(settings);

    /// <summary>The value of this setting's options property in <paramref name="options"/>, or null when it has none.</summary>
    public static object? ValueIn(this KafkaSettingDefinition definition, KafkaConnectionOptions options) =>
        definition.InOptions ? Property(typeof(KafkaConnectionOptions), definition.Name)!.GetValue(options) : null;

    /// <summary>A copy of <paramref name="settings"/> with the given settings replaced.</summary>
    internal static KafkaConnectionSettings With(KafkaConnectionSettings settings, IEnumerable<(KafkaSettingDefinition Definition, object? Value)> values)
    {
        var copy = settings with { };
        foreach (var (definition, value) in values)
        {
            Set(copy, definition, value);
        }

        return copy;
    }

    /// <summary>Sets a property of an instance this code has just created (before anyone else sees it).</summary>
    internal static void Set(KafkaConnectionSettings fresh, KafkaSettingDefinition definition, object? value) =>
        Property(typeof(KafkaConnectionSettings), definition.Name)!.SetValue(fresh, value);

    /// <inheritdoc cref="Set(KafkaConnectionSettings, KafkaSettingDefinition, object?)"/>
    internal static void Set(KafkaConnectionOptions fresh, string property, object? value) =>
        Property(typeof(KafkaConnectionOptions), property)!.SetValue(fresh, value);

    /// <summary>A setting's value as librdkafka text (durations as whole milliseconds, secrets revealed).</summary>
    internal static string? LibrdkafkaText(object? value) => value switch
    {
        null => null,
        string text => text,
        TimeSpan span => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        SecureString secret => SecretText.Reveal(secret),
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
