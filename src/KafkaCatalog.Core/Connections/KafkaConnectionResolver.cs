using System.Collections;
using KafkaCatalog.Core.Connections.Profiles;

namespace KafkaCatalog.Core.Connections;

/// <summary>The outcome of <see cref="KafkaConnectionResolver.Resolve"/>.</summary>
public sealed record KafkaConnectionResolution(
    KafkaConnectionOptions Options,
    IReadOnlyList<KafkaConnectionProblem> Warnings,
    KafkaProfile? Profile);

/// <summary>
/// What Connect-KafkaCluster calls: combines explicit parameters, an optional profile file and the
/// environment (precedence in that order), fills defaults, validates, and returns options plus warnings.
/// </summary>
public static class KafkaConnectionResolver
{
    /// <param name="parameters">Settings from the cmdlet's parameters (null members = not given).</param>
    /// <param name="profilePath">-ProfilePath, or null.</param>
    /// <param name="environment">Environment variables (Environment.GetEnvironmentVariables()), or null to ignore the environment.</param>
    /// <param name="fileExists">File probe for certificate/key/keytab paths (defaults to File.Exists).</param>
    /// <exception cref="ProfileFormatException">The profile cannot be read or is malformed.</exception>
    /// <exception cref="KafkaConnectionException">The combined settings cannot work (an environment variable is invalid, a file is missing, ...).</exception>
    public static KafkaConnectionResolution Resolve(
        KafkaConnectionSettings? parameters,
        string? profilePath,
        IDictionary? environment,
        Func<string, bool>? fileExists = null)
    {
        var fromEnvironment = environment is null ? null : KafkaEnvironment.Read(environment);
        var profile = profilePath is null ? null : KafkaProfileReader.Read(profilePath, environment ?? new Hashtable());
        var merged = KafkaConnectionSettings.Merge(parameters, profile?.Settings, fromEnvironment);
        var warnings = new List<KafkaConnectionProblem>();
        if (profile is not null)
        {
            warnings.AddRange(profile.Warnings);
        }

        // A runbook's KAFKA_SASL_USERNAME/PASSWORD must not break a connection whose parameters or
        // profile chose a mechanism without user name and password (OAUTHBEARER, GSSAPI).
        var credentialFromEnvironmentOnly = fromEnvironment?.SaslUsername is not null
            && parameters?.SaslUsername is null && parameters?.SaslPassword is null
            && profile?.Settings.SaslUsername is null && profile?.Settings.SaslPassword is null;
        if (credentialFromEnvironmentOnly && merged.ToOptions().SaslMechanism is KafkaSaslMechanism.OAuthBearer or KafkaSaslMechanism.Gssapi
            && fromEnvironment!.SaslMechanism is null)
        {
            merged = merged with { SaslUsername = null, SaslPassword = null };
            warnings.Add(KafkaConnectionProblem.Warning("EnvironmentCredentialIgnored", KafkaEnvironment.SaslUsername,
                $"{KafkaEnvironment.SaslUsername}/{KafkaEnvironment.SaslPassword} are ignored: this connection uses {LibrdkafkaConfig.MechanismName(merged.ToOptions().SaslMechanism)}, which has no user name and password."));
        }

        var options = merged.ToOptions();

        warnings.AddRange(options.ThrowIfInvalid(fileExists));
        return new KafkaConnectionResolution(options, warnings, profile);
    }
}
