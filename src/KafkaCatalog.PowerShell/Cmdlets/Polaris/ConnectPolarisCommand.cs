using System.Management.Automation;
using System.Security;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>
/// Opens a Polaris project with an API key, checks that the key and project work, makes it the
/// session default and returns it.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Polaris")]
[OutputType(typeof(PolarisConnection))]
public sealed class ConnectPolarisCommand : AsyncCmdlet
{
    /// <summary>The regional API address, with or without /v1/projects/PROJECT_ID; POLARIS_BASE_URL when omitted.</summary>
    [Parameter(Position = 0)]
    [Alias("Uri")]
    public Uri? BaseUri { get; set; }

    /// <summary>The Polaris API key (pok_...); POLARIS_API_KEY when omitted.</summary>
    [Parameter]
    public SecureString? ApiKey { get; set; }

    /// <summary>The project id when the URI does not carry it; POLARIS_PROJECT_ID when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProjectId { get; set; }

    /// <summary>The connection's name in this session; the API host when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Timeout of each HTTP request, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 100;

    /// <summary>Do not call Polaris now (the first command will).</summary>
    [Parameter]
    public SwitchParameter SkipVerify { get; set; }

    protected override void ProcessRecord()
    {
        RunAsync(async ct =>
        {
            var connection = PolarisConnectionResolver.Create(Name, BaseUri, ApiKey, ProjectId, Environment.GetEnvironmentVariable, TimeSpan.FromSeconds(TimeoutSec));
            if (!SkipVerify)
            {
                using var client = new PolarisClient(connection, new PolarisClientOptions(), CreateSink());
                await client.VerifyAsync(ct).ConfigureAwait(false);
            }

            Session.Polaris.Add(connection.Name, connection, makeDefault: true);
            connection.IsDefault = true;
            foreach (var other in Session.Polaris.All.Where(c => !ReferenceEquals(c, connection)))
            {
                other.IsDefault = false;
            }

            Emit(connection);
        });
    }
}
