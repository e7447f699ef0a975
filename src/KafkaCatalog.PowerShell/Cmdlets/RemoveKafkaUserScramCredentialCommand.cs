using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka.Scram;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Deletes one SCRAM credential of a user (AlterUserScramCredentials deletion): the user can no longer log in with
/// that mechanism. Takes -User and -Mechanism, or Get-KafkaUserScramCredential output from the pipeline. A
/// credential that does not exist is a ScramCredentialNotFound error. ConfirmImpact High; -Force skips the question.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KafkaUserScramCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(KafkaUserScramCredential))]
public sealed class RemoveKafkaUserScramCredentialCommand : KafkaCmdlet
{
    /// <summary>The user whose credential goes.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "UserName")]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>The mechanism whose credential goes: SCRAM-SHA-256 or SCRAM-SHA-512.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateSet(ScramMechanisms.Sha256, ScramMechanisms.Sha512)]
    public string? Mechanism { get; set; }

    /// <summary>Remove without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emit the credential removed (user, mechanism, iterations).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var user = User!;
        var mechanism = ScramMechanisms.Normalize(Mechanism)!;
        KafkaConnection connection;
        try
        {
            connection = ResolveConnection();
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var target = $"{mechanism} credential of user '{user}' on {connection.BootstrapServers}";
        if (!Approval(Force).Approve(target, "Remove SCRAM credential"))
        {
            return;
        }

        var passThru = PassThru.IsPresent;
        RunWithClient(async (factory, sink, token) =>
        {
            try
            {
                var removed = await new ScramCredentialService(factory, sink).RemoveAsync(user, mechanism, token).ConfigureAwait(false);
                if (passThru)
                {
                    Emit(removed);
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }
}
