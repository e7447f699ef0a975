using System.Collections;
using System.Management.Automation;

// Every cmdlet here is read as metadata only (never run): bodies are empty on purpose.
// "Control" cmdlets follow every contract rule; each "Broken" cmdlet breaks the rule named in
// its comment, and the contract tests assert that the rule reports it.
namespace KafkaCatalog.Sample;

public sealed class SampleConnection
{
    public string Name { get; set; } = "";
    public string BootstrapServers { get; set; } = "";
}

public sealed class KafkaWidget
{
    public string Name { get; set; } = "";
    public int PartitionCount { get; set; }
    public short ReplicationFactor { get; set; }
    public string[] Tags { get; set; } = [];
    public long? SizeInBytes { get; set; }
    public int Level { get; set; }
    public string ConnectionName { get; set; } = "";
}

public sealed class KafkaGauge
{
    public Hashtable Level { get; set; } = new();
    public string Label { get; set; } = "";
    /// <summary>Broken: a secret as a plain string on an output object.</summary>
    public string ApiKey { get; set; } = "";
}

public sealed class KafkaSprocket
{
    public string Name { get; set; } = "";
}

// ---------------------------------------------------------------- controls

[Cmdlet(VerbsCommunications.Connect, "KafkaWidgetCluster")]
[OutputType(typeof(SampleConnection))]
public sealed class ConnectKafkaWidgetClusterCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string BootstrapServer { get; set; } = "";

    [Parameter]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public System.Security.SecureString? ClientSecret { get; set; }
}

[Cmdlet(VerbsCommon.Get, "KafkaWidget", DefaultParameterSetName = "Name")]
[OutputType(typeof(KafkaWidget))]
[Alias("gkw")]
public sealed class GetKafkaWidgetCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Name")]
    [Alias("WidgetName")]
    [SupportsWildcards]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Tag")]
    [ValidateSet("hot", "cold")]
    public string Tag { get; set; } = "";

    [Parameter]
    public SampleConnection? Connection { get; set; }
}

[Cmdlet(VerbsCommon.Remove, "KafkaWidget", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KafkaWidget))]
public sealed class RemoveKafkaWidgetCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Hidden (DontShow): neither documented nor enough to make a pipeline.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? ConnectionName { get; set; }

    [Parameter]
    public SampleConnection? Connection { get; set; }
}

[Cmdlet(VerbsCommon.New, "KafkaWidget", SupportsShouldProcess = true)]
[OutputType(typeof(KafkaWidget))]
public sealed class NewKafkaWidgetCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PartitionCount")]
    public int Partitions { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public short ReplicationFactor { get; set; }

    [Parameter]
    public Hashtable? Config { get; set; }

    [Parameter]
    public SampleConnection? Connection { get; set; }
}

// ---------------------------------------------------------------- base classes

/// <summary>
/// Not a cmdlet (abstract, no [Cmdlet]); PowerShell binds its public parameters on every cmdlet
/// deriving from it, so the rules must read them there: the faults planted on -Name of
/// Reset-KafkaGadget (docs/Reset-KafkaGadget.md disagrees with it) live here.
/// </summary>
public abstract class KafkaGadgetCmdletBase : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Not a cmdlet: Broken, a secret as a plain string parameter, inherited by Set-KafkaGadget.</summary>
public abstract class KafkaSecretCmdletBase : PSCmdlet
{
    [Parameter]
    public string? Password { get; set; }
}

// ---------------------------------------------------------------- broken

/// <summary>Broken: "Grab" is not an approved verb.</summary>
[Cmdlet("Grab", "KafkaWidget")]
[OutputType(typeof(KafkaWidget))]
public sealed class GrabKafkaWidgetCommand : PSCmdlet
{
    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Broken: the noun lacks the Kafka/Catalog/Polaris prefix.</summary>
[Cmdlet(VerbsCommon.Get, "Widget")]
[OutputType(typeof(KafkaWidget))]
public sealed class GetWidgetCommand : PSCmdlet
{
    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Broken: plural noun.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaWidgets")]
[OutputType(typeof(KafkaWidget))]
public sealed class GetKafkaWidgetsCommand : PSCmdlet
{
    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Broken: no [OutputType]; nothing binds from the pipeline (Get-KafkaWidget | Get-KafkaGadget).</summary>
[Cmdlet(VerbsCommon.Get, "KafkaGadget")]
public sealed class GetKafkaGadgetCommand : PSCmdlet
{
    [Parameter]
    public int Id { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? ConnectionName { get; set; }

    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>
/// Broken: [OutputType] names a type that does not exist; its alias is not exported; its -Name
/// filter is a single string without wildcards.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaGizmo")]
[OutputType("KafkaCatalog.Sample.DoesNotExist")]
[Alias("gkg")]
public sealed class GetKafkaGizmoCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string Name { get; set; } = "";

    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Broken: Remove without SupportsShouldProcess and without -Force (-Name and -Connection come from the base class).</summary>
[Cmdlet(VerbsCommon.Remove, "KafkaGadget")]
[OutputType(typeof(KafkaWidget))]
public sealed class RemoveKafkaGadgetCommand : KafkaGadgetCmdletBase
{
}

/// <summary>Broken: Reset with ShouldProcess but ConfirmImpact Medium.</summary>
[Cmdlet(VerbsCommon.Reset, "KafkaGadget", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaWidget))]
public sealed class ResetKafkaGadgetCommand : KafkaGadgetCmdletBase
{
    [Parameter]
    public SwitchParameter Force { get; set; }
}

/// <summary>
/// Broken: no -Connection parameter. Its -Level (int) cannot bind KafkaGauge.Level (Hashtable),
/// so Get-KafkaGauge | Set-KafkaGadget does not bind. Its plain-string -Password comes from the base class.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KafkaGadget", SupportsShouldProcess = true)]
[OutputType(typeof(KafkaWidget))]
public sealed class SetKafkaGadgetCommand : KafkaSecretCmdletBase
{
    [Parameter(Mandatory = true)]
    public int Id { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Level { get; set; }

    /// <summary>A switch named like a secret is not one.</summary>
    [Parameter]
    public SwitchParameter NoSecret { get; set; }
}

/// <summary>Broken for Import-Csv: -Partitions is a Hashtable and there is no -ReplicationFactor.</summary>
[Cmdlet(VerbsCommon.New, "KafkaGadget", SupportsShouldProcess = true)]
[OutputType(typeof(KafkaWidget))]
public sealed class NewKafkaGadgetCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? Partitions { get; set; }

    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Broken: not in the sample manifest's CmdletsToExport, no docs page.</summary>
[Cmdlet(VerbsLifecycle.Start, "KafkaGadget", SupportsShouldProcess = true)]
[OutputType(typeof(KafkaWidget))]
public sealed class StartKafkaGadgetCommand : PSCmdlet
{
    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Broken: its output type KafkaGauge has no format view.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaGauge")]
[OutputType(typeof(KafkaGauge))]
public sealed class GetKafkaGaugeCommand : PSCmdlet
{
    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Broken: the table view of KafkaSprocket is wider than 120 columns.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaSprocket")]
[OutputType(typeof(KafkaSprocket))]
public sealed class GetKafkaSprocketCommand : PSCmdlet
{
    [Parameter]
    public SampleConnection? Connection { get; set; }
}

/// <summary>Not a cmdlet PowerShell would export (abstract): the reader must skip it.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaAbstract")]
[OutputType(typeof(KafkaWidget))]
public abstract class GetKafkaAbstractCommand : PSCmdlet
{
}
