using System.Management.Automation;
using KafkaCatalog.Core.Catalog;

namespace KafkaCatalog.PowerShell.Cmdlets.Catalog;

/// <summary>Creates (or reuses) the Kafka connection asset in the catalog and waits until it is usable.</summary>
[Cmdlet(VerbsCommon.New, "CatalogKafkaConnection", SupportsShouldProcess = true)]
[OutputType(typeof(CatalogKafkaConnection))]
public sealed class NewCatalogKafkaConnectionCommand : CatalogCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Workspace roles by name ($admin) or GUID.</summary>
    [Parameter]
    public string[]? AdminRole { get; set; }

    [Parameter]
    public string[]? AdminGroup { get; set; }

    [Parameter]
    public string[]? AdminUser { get; set; }

    [Parameter]
    public string? Description { get; set; }

    /// <summary>How long to wait for the new connection's access policies.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int AccessTimeoutSec { get; set; } = 60;

    /// <summary>Create a new connection even when one of this name exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var catalog = ResolveCatalog();
        var request = new CatalogKafkaConnectionRequest
        {
            Name = Name,
            AdminRoles = AdminRole ?? Array.Empty<string>(),
            AdminGroups = AdminGroup ?? Array.Empty<string>(),
            AdminUsers = AdminUser ?? Array.Empty<string>(),
            Description = Description,
            Force = Force.IsPresent,
            AccessTimeout = TimeSpan.FromSeconds(AccessTimeoutSec),
        };
        var approval = Approval();
        RunAsync(async token =>
        {
            var connection = await CatalogKafkaConnections.EnsureAsync(
                catalog,
                request,
                CreateSink(),
                qn => approval.Approve($"Kafka connection '{Name}' ({qn}) in {catalog.BaseUri}", "Create"),
                token).ConfigureAwait(false);
            if (connection is not null)
            {
                Emit(connection);
            }
        });
    }
}
