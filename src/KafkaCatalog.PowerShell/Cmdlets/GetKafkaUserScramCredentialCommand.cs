using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Scram;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Lists SCRAM users: one object per user and mechanism, with its iteration count (never a salt or key: the cluster
/// does not return them). -User takes names and wildcards; a plain name the cluster does not know is a
/// ScramUserNotFound error for that name, and the others are still listed.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaUserScramCredential")]
[OutputType(typeof(KafkaUserScramCredential))]
public sealed class GetKafkaUserScramCredentialCommand : KafkaCmdlet
{
    /// <summary>User names or wildcard patterns; every SCRAM user when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "UserName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? User { get; set; }

    protected override void ProcessRecord()
    {
        var users = User;
        RunWithClient(async (factory, sink, token) =>
        {
            KafkaUserScramCredentialListing listing;
            try
            {
                listing = await new ScramCredentialService(factory, sink).GetAsync(users, token).ConfigureAwait(false);
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
                return;
            }

            foreach (var credential in listing.Credentials)
            {
                Emit(credential);
            }

            foreach (var error in listing.Errors)
            {
                EmitItemError(error);
            }
        });
    }
}
