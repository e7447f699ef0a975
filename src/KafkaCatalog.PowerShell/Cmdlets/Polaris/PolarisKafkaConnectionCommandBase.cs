using System.Management.Automation;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>The parameters New- and Set-PolarisKafkaConnection share: the whole connection spec.</summary>
public abstract class PolarisKafkaConnectionCommandBase : PolarisCmdlet
{
    /// <summary>A topic from Get-KafkaTopic: its name and bootstrap servers.</summary>
    [Parameter(ValueFromPipeline = true)]
    public KafkaTopic? Topic { get; set; }

    /// <summary>A Kafka connection (Connect-KafkaCluster) whose servers and SASL credentials to use.</summary>
    [Parameter]
    public KafkaConnection? KafkaConnection { get; set; }

    /// <summary>The topic to read; the piped topic's name when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TopicName { get; set; }

    /// <summary>A regular expression: the connection reads every matching topic (topicNameIsPattern).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TopicPattern { get; set; }

    /// <summary>host:port of the brokers; from -Topic or -KafkaConnection when omitted.</summary>
    [Parameter]
    [Alias("BootstrapServers")]
    [ValidateNotNullOrEmpty]
    public string[]? BootstrapServer { get; set; }

    [Parameter]
    public string? Description { get; set; }

    /// <summary>Rack id for fetch-from-follower (clientRack).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientRack { get; set; }

    /// <summary>A PEM file with the CA certificate(s) Polaris should trust (ssl.truststore).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CaFile { get; set; }

    /// <summary>SASL user and password (sasl_plain, or sasl_scram with -ScramMechanism).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Makes the SASL secret sasl_scram with this mechanism.</summary>
    [Parameter]
    public PolarisScramMechanism? ScramMechanism { get; set; }

    /// <summary>Amazon MSK IAM: the role Polaris assumes (aws_iam).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AwsAssumedRoleArn { get; set; }

    /// <summary>Send no secrets even if -KafkaConnection uses SASL.</summary>
    [Parameter]
    public SwitchParameter NoSecret { get; set; }

    protected PolarisKafkaConnectionParameters BuildParameters(string? name) => new()
    {
        Name = name,
        Description = Description,
        BootstrapServers = BootstrapServer is null ? null : string.Join(",", BootstrapServer),
        TopicName = TopicName,
        TopicPattern = TopicPattern,
        ClientRack = ClientRack,
        CaFile = CaFile is null ? null : GetUnresolvedProviderPathFromPSPath(CaFile),
        SecretType = NoSecret ? PolarisKafkaSecretType.None : null,
        Username = Credential?.UserName,
        Password = Credential?.Password,
        ScramMechanism = ScramMechanism,
        AwsAssumedRoleArn = AwsAssumedRoleArn,
        KafkaConnection = KafkaConnection ?? FindSessionKafkaConnection(Topic?.ConnectionName),
        Topic = Topic,
    };

    /// <summary>The session's Kafka connection a piped topic was read through: its SASL settings become the Polaris secrets.</summary>
    private KafkaConnection? FindSessionKafkaConnection(string? name) =>
        string.IsNullOrEmpty(name) ? null : Session.Kafka.Get(name);
}
