using System.Globalization;
using System.Security;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Connections;

/// <summary>Checks <see cref="KafkaConnectionOptions"/>; see <see cref="KafkaConnectionOptions.Validate"/>.</summary>
internal static partial class KafkaConnectionValidator
{
    /// <summary>librdkafka's accepted range for each timing property, in milliseconds (from <see cref="KafkaSettingDefinitions"/>).</summary>
    internal static IReadOnlyDictionary<string, (long Min, long Max)> Ranges => KafkaSettingDefinitions.Ranges;

    public static IReadOnlyList<KafkaConnectionProblem> Validate(KafkaConnectionOptions o, Func<string, bool> fileExists)
    {
        ArgumentNullException.ThrowIfNull(o);
        var problems = new List<KafkaConnectionProblem>();
        BootstrapServerRules.Validate(o, problems);
        ValidateTimings(o, problems);
        ValidateSasl(o, fileExists, problems);
        ValidateTls(o, fileExists, problems);
        ValidateKerberos(o, fileExists, problems);
        ValidateProperties(o, problems);
        return problems;
    }

    /// <summary>Returns why a single bootstrap entry is invalid, or null.</summary>
    internal static string? CheckBootstrapEntry(string entry) => BootstrapServerRules.CheckEntry(entry);

    private static void ValidateTimings(KafkaConnectionOptions o, List<KafkaConnectionProblem> problems)
    {
        foreach (var definition in KafkaSettingDefinitions.All)
        {
            if (definition.Range is { } range && definition.ValueIn(o) is TimeSpan value)
            {
                CheckRange(problems, definition.Name, range, value);
            }
        }

        if (o.RetryBackoff is { } rb && o.RetryBackoffMax is { } rbm && rbm < rb)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.RetryBackoffMaxBelowBackoff, nameof(o.RetryBackoffMax),
                $"The maximum retry backoff ({Ms(rbm)} ms) is smaller than the retry backoff ({Ms(rb)} ms). Make retry.backoff.max.ms at least retry.backoff.ms."));
        }

        if (o.ReconnectBackoff is { } cb && o.ReconnectBackoffMax is { } cbm && cbm < cb)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.ReconnectBackoffMaxBelowBackoff, nameof(o.ReconnectBackoffMax),
                $"The maximum reconnect backoff ({Ms(cbm)} ms) is smaller than the reconnect backoff ({Ms(cb)} ms). Make reconnect.backoff.max.ms at least reconnect.backoff.ms."));
        }
    }

    private static void CheckRange(List<KafkaConnectionProblem> problems, string option, KafkaSettingValidation.Range range, TimeSpan value)
    {
        var (property, min, max) = (range.CheckedAs, range.Min, range.Max);
        var ms = value.TotalMilliseconds;
        if (ms < min || ms > max || ms != Math.Floor(ms))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.TimingOutOfRange, option,
                $"{option} is {ms.ToString(CultureInfo.InvariantCulture)} ms, but librdkafka's {property} accepts whole milliseconds from {min} to {max}. Choose a value in that range."));
        }
    }

    private static void ValidateSasl(KafkaConnectionOptions o, Func<string, bool> fileExists, List<KafkaConnectionProblem> problems)
    {
        var mechanism = o.SaslMechanism;
        if (mechanism != KafkaSaslMechanism.None && !o.UsesSasl)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SaslMechanismWithoutSaslProtocol, nameof(o.SaslMechanism),
                $"SASL mechanism {Name(mechanism)} needs security protocol SASL_SSL or SASL_PLAINTEXT, but the protocol is {Name(o.SecurityProtocol)}. Use -SecurityProtocol SaslSsl (or SaslPlaintext on a trusted network)."));
        }

        if (o.UsesSasl && mechanism == KafkaSaslMechanism.None)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SaslMechanismMissing, nameof(o.SaslMechanism),
                $"Security protocol {Name(o.SecurityProtocol)} needs a SASL mechanism. Use -SaslMechanism Plain, ScramSha256, ScramSha512, OAuthBearer or Gssapi."));
        }

        var usesPassword = mechanism is KafkaSaslMechanism.Plain or KafkaSaslMechanism.ScramSha256 or KafkaSaslMechanism.ScramSha512;
        if (usesPassword)
        {
            // -Property sasl.username / sasl.password (held as a secret) count as given.
            if (string.IsNullOrWhiteSpace(o.SaslUsername) && !o.HasProperty("sasl.username"))
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SaslUsernameMissing, nameof(o.SaslUsername),
                    $"SASL {Name(mechanism)} needs a user name. Pass -Credential, set KAFKA_SASL_USERNAME, or add the user name to the profile."));
            }

            if ((o.SaslPassword is null || o.SaslPassword.Length == 0) && !o.HasProperty("sasl.password"))
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SaslPasswordMissing, nameof(o.SaslPassword),
                    $"SASL {Name(mechanism)} needs a password. Pass -Credential, set KAFKA_SASL_PASSWORD, or add the password to the profile."));
            }
        }
        else if (o.SaslUsername is not null || o.SaslPassword is not null)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SaslCredentialNotUsed, nameof(o.SaslUsername),
                mechanism == KafkaSaslMechanism.None
                    ? "A SASL user name or password was given, but no SASL mechanism. Add -SaslMechanism Plain (or ScramSha256/ScramSha512) and -SecurityProtocol SaslSsl, or remove the credential."
                    : $"A SASL user name or password was given, but mechanism {Name(mechanism)} does not use one. Use -SaslMechanism Plain/ScramSha256/ScramSha512, or remove the credential."));
        }

        if (mechanism == KafkaSaslMechanism.OAuthBearer && o.OAuth is null
            && !o.HasProperty("sasl.oauthbearer.method") && !o.HasProperty("sasl.oauthbearer.config"))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthSettingsMissing, nameof(o.OAuth),
                "SASL OAUTHBEARER needs an OAuth token endpoint and client credentials. Pass -OAuthTokenEndpoint and -OAuthClientCredential (client id as user name, client secret as password)."));
        }

        if (o.OAuth is { } oauth)
        {
            if (mechanism != KafkaSaslMechanism.OAuthBearer)
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthWithoutOAuthBearer, nameof(o.OAuth),
                    $"OAuth client credentials were given, but the SASL mechanism is {Name(mechanism)}. Use -SaslMechanism OAuthBearer with -SecurityProtocol SaslSsl, or remove the OAuth settings."));
            }

            problems.AddRange(oauth.Validate());
            var caFile = (KafkaSettingValidation.File)KafkaSettingDefinitions.Get(nameof(KafkaConnectionSettings.OAuthCaLocation)).Validation!;
            CheckFile(problems, fileExists, "OAuth.CaLocation", caFile.What, "token endpoint TLS", oauth.CaLocation, caFile.Fix);
            if (o.Properties.TryGetValue("enable.sasl.oauthbearer.unsecure.jwt", out var unsecure) && IsTrue(unsecure))
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.OAuthConflictsWithUnsecureJwt, "Properties[enable.sasl.oauthbearer.unsecure.jwt]",
                    "enable.sasl.oauthbearer.unsecure.jwt cannot be combined with an OAuth token endpoint (librdkafka allows only one token source). Remove the property."));
            }

            if (mechanism == KafkaSaslMechanism.OAuthBearer && o.SecurityProtocol == KafkaSecurityProtocol.SaslPlaintext)
            {
                problems.Add(KafkaConnectionProblem.Warning("OAuthOverPlaintext", nameof(o.SecurityProtocol),
                    "OAUTHBEARER over SASL_PLAINTEXT sends the bearer token unencrypted. Use -SecurityProtocol SaslSsl."));
            }
        }

        if (mechanism == KafkaSaslMechanism.Plain && o.SecurityProtocol == KafkaSecurityProtocol.SaslPlaintext)
        {
            problems.Add(KafkaConnectionProblem.Warning("PlainOverPlaintext", nameof(o.SecurityProtocol),
                "SASL PLAIN over SASL_PLAINTEXT sends the password unencrypted. Use -SecurityProtocol SaslSsl unless the network is trusted."));
        }
    }

    private static void ValidateTls(KafkaConnectionOptions o, Func<string, bool> fileExists, List<KafkaConnectionProblem> problems)
    {
        var anyTls = KafkaSettingDefinitions.All.Any(d => d.Emission == LibrdkafkaEmission.Tls && d.ValueIn(o) is not null);
        if (!o.UsesTls && anyTls)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.TlsSettingsWithoutTls, nameof(o.SecurityProtocol),
                $"TLS certificate settings were given, but the security protocol is {Name(o.SecurityProtocol)}, which does not use TLS. Use -SecurityProtocol Ssl or SaslSsl, or remove the certificate settings."));
        }

        Exclusive(problems, ErrorCatalog.SslCaConflict, nameof(o.SslCaLocation), o.SslCaLocation is not null, o.SslCaPem is not null,
            "Give the CA either as a file (ssl.ca.location, -CaCertificatePath) or as PEM text (ssl.ca.pem, -CaCertificatePem), not both.");
        Exclusive(problems, ErrorCatalog.SslCertificateConflict, nameof(o.SslCertificateLocation), o.SslCertificateLocation is not null, o.SslCertificatePem is not null,
            "Give the client certificate either as a file (ssl.certificate.location, -ClientCertificatePath) or as PEM text (ssl.certificate.pem, -ClientCertificatePem), not both.");
        Exclusive(problems, ErrorCatalog.SslKeyConflict, nameof(o.SslKeyLocation), o.SslKeyLocation is not null, o.SslKeyPem is not null,
            "Give the client key either as a file (ssl.key.location, -ClientKeyPath) or as PEM text (ssl.key.pem, -ClientKeyPem), not both.");

        CheckFiles(o, LibrdkafkaEmission.Tls, fileExists, problems);
        foreach (var definition in KafkaSettingDefinitions.All)
        {
            if (definition.Validation is KafkaSettingValidation.Pem pem && definition.ValueIn(o) is { } given
                && !(given is SecureString secret ? SecretText.Use(secret, text => LooksLikePem(text, pem.Label)) : LooksLikePem((string)given, pem.Label)))
            {
                problems.Add(KafkaConnectionProblem.Error(pem.Error, definition.Name, pem.Message));
            }
        }

        var hasCert = o.SslCertificateLocation is not null || o.SslCertificatePem is not null;
        var hasKey = o.SslKeyLocation is not null || o.SslKeyPem is not null;
        if (hasCert && !hasKey)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SslKeyMissing, nameof(o.SslKeyLocation),
                "A client certificate was given without its private key. Add -ClientKeyPath (or -ClientKeyPem)."));
        }

        if (hasKey && !hasCert)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SslCertificateMissing, nameof(o.SslCertificateLocation),
                "A client private key was given without its certificate. Add -ClientCertificatePath (or -ClientCertificatePem)."));
        }

        if (o.SslKeyPassword is not null && !hasKey)
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SslKeyPasswordWithoutKey, nameof(o.SslKeyPassword),
                "A key password was given without a client key. Add -ClientKeyPath (or -ClientKeyPem), or remove the key password."));
        }

        if (o.UsesTls && o.SkipCertificateCheck)
        {
            problems.Add(KafkaConnectionProblem.Warning("CertificateCheckSkipped", nameof(o.SkipCertificateCheck),
                "Certificate verification is off (-SkipCertificateCheck): the broker's identity is not checked and the connection can be intercepted. Use only for testing."));
        }
        else if (o.UsesTls && !o.EnableHostnameVerification)
        {
            problems.Add(KafkaConnectionProblem.Warning("HostnameVerificationDisabled", nameof(o.EnableHostnameVerification),
                "Broker host name verification is off: any certificate signed by a trusted CA is accepted for any broker. Turn it back on unless the broker certificates lack the right names."));
        }
    }

    private static void ValidateKerberos(KafkaConnectionOptions o, Func<string, bool> fileExists, List<KafkaConnectionProblem> problems)
    {
        if (o.SaslMechanism != KafkaSaslMechanism.Gssapi && KafkaSettingDefinitions.All.Any(d => d.Emission == LibrdkafkaEmission.Gssapi && d.ValueIn(o) is not null))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.KerberosWithoutGssapi, nameof(o.KerberosPrincipal),
                $"Kerberos settings were given, but the SASL mechanism is {Name(o.SaslMechanism)}. Use -SaslMechanism Gssapi, or remove the Kerberos settings."));
        }

        if (o.KerberosServiceName is { } service && (service.Length == 0 || service.Any(char.IsWhiteSpace)))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.KerberosServiceNameInvalid, nameof(o.KerberosServiceName),
                "The Kerberos service name must be a single word such as 'kafka'."));
        }

        CheckFiles(o, LibrdkafkaEmission.Gssapi, fileExists, problems);
    }

    private static void ValidateProperties(KafkaConnectionOptions o, List<KafkaConnectionProblem> problems)
    {
        // A secret property's value is never read here (only whether it is there).
        foreach (var (key, value) in o.Properties.Concat(o.SecretProperties.Select(p => KeyValuePair.Create(p.Key, "***"))))
        {
            if (string.IsNullOrWhiteSpace(key) || !PropertyKeyPattern().IsMatch(key))
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.PropertyNameInvalid, "Properties",
                    $"'{key}' is not a librdkafka property name. Names are lower-case words separated by dots, e.g. 'socket.keepalive.enable'; see librdkafka's CONFIGURATION.md."));
            }
            else if (value is null)
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.PropertyValueMissing, $"Properties[{key}]",
                    $"Property '{key}' has no value. Give it a value, or leave it out to use the default."));
            }
            else if (key is "sasl.mechanism" or "sasl.mechanisms" && LibrdkafkaConfig.IsAwsMskIam(value))
            {
                problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.SaslMechanismNotSupported, $"Properties[{key}]",
                    LibrdkafkaConfig.AwsMskIamUnsupported + " " + LibrdkafkaConfig.AwsMskIamAlternatives));
            }
        }
    }

    private static void Exclusive(List<KafkaConnectionProblem> problems, ErrorDefinition code, string option, bool a, bool b, string message)
    {
        if (a && b)
        {
            problems.Add(KafkaConnectionProblem.Error(code, option, message));
        }
    }

    /// <summary>The file settings written under <paramref name="emission"/>, in table order.</summary>
    private static void CheckFiles(KafkaConnectionOptions o, LibrdkafkaEmission emission, Func<string, bool> fileExists, List<KafkaConnectionProblem> problems)
    {
        foreach (var definition in KafkaSettingDefinitions.All)
        {
            if (definition.Emission == emission && definition.Validation is KafkaSettingValidation.File file)
            {
                CheckFile(problems, fileExists, definition.Name, file.What, definition.LibrdkafkaKey!, (string?)definition.ValueIn(o), file.Fix);
            }
        }
    }

    private static void CheckFile(List<KafkaConnectionProblem> problems, Func<string, bool> fileExists, string option, string what, string property, string? path, string fix)
    {
        if (path is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.FileNotFound, option, $"{what} ({property}) is an empty path. {fix}"));
        }
        else if (!fileExists(path))
        {
            problems.Add(KafkaConnectionProblem.Error(ErrorCatalog.FileNotFound, option, $"{what} '{path}' ({property}) does not exist. {fix}"));
        }
    }

    internal static bool LooksLikePem(string text, string label) =>
        text.Contains("-----BEGIN ", StringComparison.Ordinal) && text.Contains(label + "-----", StringComparison.Ordinal);

    private static bool IsTrue(string value) => value.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "on";

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);

    internal static string Name(KafkaSecurityProtocol protocol) => LibrdkafkaConfig.ProtocolName(protocol).ToUpperInvariant();

    internal static string Name(KafkaSaslMechanism mechanism) =>
        mechanism == KafkaSaslMechanism.None ? "(none)" : LibrdkafkaConfig.MechanismName(mechanism);

    [GeneratedRegex("^[a-z0-9]+([._-][a-z0-9]+)*$")]
    private static partial Regex PropertyKeyPattern();
}
