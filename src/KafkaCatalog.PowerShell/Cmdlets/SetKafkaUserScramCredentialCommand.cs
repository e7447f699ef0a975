using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka.Scram;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Creates or replaces a user's SCRAM credential (AlterUserScramCredentials upsertion), as
/// <c>kafka-configs --alter --add-config 'SCRAM-SHA-512=[iterations=8192,password=...]' --entity-type users</c> does.
/// The user name and password come from -Credential; the password is never written anywhere (output, verbose,
/// errors). A fresh random salt is made for every call. Bad input (no user name, empty password, iterations outside
/// 4096..16384) is a terminating error before anything is sent.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KafkaUserScramCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaUserScramCredential))]
public sealed class SetKafkaUserScramCredentialCommand : KafkaCmdlet
{
    /// <summary>The SCRAM user's name and password (Get-Credential, or [pscredential]::new(user, secureString)).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>SCRAM-SHA-256 or SCRAM-SHA-512 (the default).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateSet(ScramMechanisms.Sha256, ScramMechanisms.Sha512)]
    public string Mechanism { get; set; } = ScramMechanisms.Sha512;

    /// <summary>PBKDF2 iterations, 4096 (Kafka's minimum) to 16384 (its maximum); 8192 by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Iterations { get; set; } = ScramMechanisms.DefaultIterations;

    /// <summary>Emit the credential as the cluster now holds it (user, mechanism, iterations).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var credential = Credential!;
        var user = credential.UserName;
        var password = credential.Password;
        string mechanism;
        KafkaConnection connection;
        try
        {
            mechanism = ScramCredentialService.Validate(user, password, Mechanism, Iterations);
            connection = ResolveConnection();
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var iterations = Iterations;
        if (!Approval().Approve($"{mechanism} credential of user '{user}' ({iterations} iterations) on {connection.BootstrapServers}", "Set SCRAM credential"))
        {
            return;
        }

        var passThru = PassThru.IsPresent;
        RunWithClient(async (factory, sink, token) =>
        {
            try
            {
                var result = await new ScramCredentialService(factory, sink).SetAsync(user, password, mechanism, iterations, token).ConfigureAwait(false);
                if (passThru)
                {
                    Emit(result);
                }
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }
        });
    }
}
