using System.Management.Automation;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>Base of the Polaris cmdlets: the -PolarisConnection parameter and its resolution.</summary>
public abstract class PolarisCmdlet : AsyncCmdlet
{
    /// <summary>The Polaris project to use; the session default (Connect-Polaris) when omitted.</summary>
    [Parameter]
    [Alias("Polaris")]
    public PolarisConnection? PolarisConnection { get; set; }

    /// <summary>Resolves the connection (terminating error when there is none) and opens a client on it.</summary>
    protected PolarisClient OpenClient()
    {
        var connection = PolarisConnectionResolver.Resolve(PolarisConnection, Session.Polaris.Default, Environment.GetEnvironmentVariable);
        return new PolarisClient(connection, new PolarisClientOptions(), CreateSink());
    }

    /// <summary>
    /// Runs the work for one pipeline item: a failure that concerns only this item becomes a
    /// non-terminating error and the pipeline goes on; a session-level failure (no connection,
    /// bad key, Polaris unreachable) stops the command.
    /// </summary>
    protected void RunForItem(Func<CancellationToken, Task> body)
    {
        RunAsync(async ct =>
        {
            try
            {
                await body(ct).ConfigureAwait(false);
            }
            catch (Core.KafkaCatalogException ex) when (!PolarisErrors.IsSessionLevel(ex))
            {
                EmitError(ex);
            }
        });
    }

    /// <summary>Resolves the connection on the pipeline thread, turning a failure into a terminating error.</summary>
    protected PolarisClient OpenClientOrThrow()
    {
        try
        {
            return OpenClient();
        }
        catch (Core.KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            throw; // not reached
        }
    }
}
