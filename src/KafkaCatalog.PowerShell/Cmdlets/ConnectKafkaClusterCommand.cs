using System.Collections;
using System.Management.Automation;
using System.Security;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Opens a named connection to a Kafka cluster (parameters, then -ProfilePath, then KAFKA_*
/// environment variables), checks that the cluster answers, makes it the session default and
/// returns it.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "KafkaCluster")]
[OutputType(typeof(KafkaConnection))]
public sealed class ConnectKafkaClusterCommand : AsyncCmdlet
{
    /// <summary>host:port of one or more brokers; the profile or KAFKA_BOOTSTRAP_SERVERS when omitted.</summary>
    [Parameter(Position = 0)]
    [Alias("BootstrapServers")]
    [ValidateNotNullOrEmpty]
    public string[]? BootstrapServer { get; set; }

    /// <summary>The connection's name in this session; the bootstrap servers when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    /// <summary>Timeout of each request to the cluster, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int? TimeoutSec { get; set; }

    [Parameter]
    public KafkaSecurityProtocol? SecurityProtocol { get; set; }

    [Parameter]
    public KafkaSaslMechanism? SaslMechanism { get; set; }

    /// <summary>SASL user name and password (PLAIN, SCRAM-SHA-256/512).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>OAUTHBEARER client credentials: the token endpoint.</summary>
    [Parameter]
    public Uri? OAuthTokenEndpoint { get; set; }

    /// <summary>OAUTHBEARER client id (user name) and client secret (password).</summary>
    [Parameter]
    [Credential]
    public PSCredential? OAuthClientCredential { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OAuthScope { get; set; }

    /// <summary>CA certificates (PEM file) that sign the OAuth token endpoint's certificate.</summary>
    [Parameter]
    [Alias("OAuthCaCertificatePath")]
    [ValidateNotNullOrEmpty]
    public string? OAuthCaLocation { get; set; }

    /// <summary>SASL/OAUTHBEARER extensions sent with the token (e.g. logicalCluster, identityPoolId).</summary>
    [Parameter]
    public Hashtable? OAuthExtension { get; set; }

    /// <summary>CA certificates (PEM file) that sign the brokers' certificates.</summary>
    [Parameter]
    [Alias("CaFile")]
    [ValidateNotNullOrEmpty]
    public string? SslCaLocation { get; set; }

    /// <summary>CA certificates as PEM text.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslCaPem { get; set; }

    /// <summary>Client certificate (PEM file) for mutual TLS.</summary>
    [Parameter]
    [Alias("CertificateFile")]
    [ValidateNotNullOrEmpty]
    public string? SslCertificateLocation { get; set; }

    /// <summary>Client private key (PEM file) for mutual TLS.</summary>
    [Parameter]
    [Alias("KeyFile")]
    [ValidateNotNullOrEmpty]
    public string? SslKeyLocation { get; set; }

    /// <summary>Client certificate as PEM text for mutual TLS.</summary>
    [Parameter]
    [Alias("ClientCertificatePem")]
    [ValidateNotNullOrEmpty]
    public string? SslCertificatePem { get; set; }

    /// <summary>Client private key as PEM text for mutual TLS (a secret).</summary>
    [Parameter]
    [Alias("ClientKeyPem")]
    public SecureString? SslKeyPem { get; set; }

    [Parameter]
    public SecureString? SslKeyPassword { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslCrlLocation { get; set; }

    /// <summary>Turn off certificate and host name verification (warns: for test clusters only).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Turn off broker host name verification only; certificates are still verified (warns).</summary>
    [Parameter]
    public SwitchParameter NoHostnameVerification { get; set; }

    /// <summary>GSSAPI: the Kerberos service name of the brokers (librdkafka's default is 'kafka').</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KerberosServiceName { get; set; }

    /// <summary>GSSAPI: the client's Kerberos principal.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KerberosPrincipal { get; set; }

    /// <summary>GSSAPI: the keytab file of the client's principal.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KerberosKeytab { get; set; }

    /// <summary>A Mage Kafka YAML, a Polaris connection JSON, or a kafka-python style JSON of keyword arguments.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfilePath { get; set; }

    /// <summary>Any further librdkafka property, applied last.</summary>
    [Parameter]
    [KafkaConfigTransformation]
    public Hashtable? Property { get; set; }

    /// <summary>Do not contact the cluster now (the first command will).</summary>
    [Parameter]
    public SwitchParameter SkipVerify { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        EnsureKafkaClientLoaded();
    }

    protected override void ProcessRecord()
    {
        KafkaConnection connection;
        try
        {
            var settings = new KafkaConnectionSettings
            {
                BootstrapServers = BootstrapServer is { Length: > 0 } ? KafkaConnectionSelector.JoinServers(BootstrapServer) : null,
                ClientId = ClientId,
                RequestTimeout = TimeoutSec is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                SecurityProtocol = SecurityProtocol,
                SaslMechanism = SaslMechanism,
                SaslUsername = Credential?.UserName,
                SaslPassword = Credential?.Password,
                OAuthTokenEndpoint = OAuthTokenEndpoint,
                OAuthClientId = OAuthClientCredential?.UserName,
                OAuthClientSecret = OAuthClientCredential?.Password,
                OAuthScope = OAuthScope,
                OAuthCaLocation = ResolvePath(OAuthCaLocation),
                OAuthExtensions = OAuthExtension is null ? null : OAuthExtension.ToConfigDictionary("-OAuthExtension"),
                SslCaLocation = ResolvePath(SslCaLocation),
                SslCaPem = SslCaPem,
                SslCertificateLocation = ResolvePath(SslCertificateLocation),
                SslCertificatePem = SslCertificatePem,
                SslKeyLocation = ResolvePath(SslKeyLocation),
                SslKeyPem = SslKeyPem,
                SslKeyPassword = SslKeyPassword,
                SslCrlLocation = ResolvePath(SslCrlLocation),
                SkipCertificateCheck = SkipCertificateCheck.IsPresent ? true : null,
                EnableHostnameVerification = NoHostnameVerification.IsPresent ? false : null,
                KerberosServiceName = KerberosServiceName,
                KerberosPrincipal = KerberosPrincipal,
                KerberosKeytab = ResolvePath(KerberosKeytab),
                Properties = Property is null ? null : Property.ToConfigDictionary("-Property"),
            };
            var resolution = KafkaConnectionResolver.Resolve(
                settings,
                ProfilePath is null ? null : GetUnresolvedProviderPathFromPSPath(ProfilePath),
                Environment.GetEnvironmentVariables());
            foreach (var warning in resolution.Warnings)
            {
                WriteWarning(warning.Message);
            }

            var options = resolution.Options with { BootstrapServers = KafkaConnectionSelector.JoinServers([resolution.Options.BootstrapServers]) };
            connection = new KafkaConnection(Name ?? options.BootstrapServers, options);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var sink = CreateSink();
        var log = CreateLogSink();
        var session = Session;
        RunAsync(async token =>
        {
            if (!SkipVerify.IsPresent)
            {
                // The verifying client becomes the connection's shared admin client.
                var factory = session.KafkaClients.GetOrCreate(connection);
                try
                {
                    using var lease = factory.AttachSink(log);
                    var cluster = await new ClusterService(factory, sink).DescribeAsync(token).ConfigureAwait(false);
                    sink.Verbose($"Connected to cluster {cluster.ClusterId} ({cluster.Brokers.Count} brokers, controller {cluster.ControllerId}) as '{connection.Name}'.");
                }
                catch
                {
                    session.KafkaClients.Release(connection);
                    throw;
                }
            }

            var previous = session.Kafka.Get(connection.Name);
            session.Kafka.Add(connection.Name, connection, makeDefault: true);
            if (previous is not null && !ReferenceEquals(previous, connection))
            {
                session.KafkaClients.Release(previous);
            }

            foreach (var other in session.Kafka.All)
            {
                other.IsDefault = session.Kafka.IsDefault(other.Name);
            }

            Emit(connection);
        });
    }

    /// <summary>File paths are relative to the PowerShell location, not the process directory.</summary>
    private string? ResolvePath(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);
}
