using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Lists the Kafka connections of this session.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaConnection")]
[OutputType(typeof(KafkaConnection))]
public sealed class GetKafkaConnectionCommand : AsyncCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ConnectionName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(KafkaConnectionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only the session default.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override void ProcessRecord()
    {
        var patterns = (Name ?? Array.Empty<string>()).Select(NamePattern.Parse).ToArray();
        var matched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var connection in Session.Kafka.All.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
        {
            connection.IsDefault = Session.Kafka.IsDefault(connection.Name);
            if (Default.IsPresent && !connection.IsDefault)
            {
                continue;
            }

            // Connection names are the user's own labels: match them case-insensitively.
            if (patterns.Length > 0 && !patterns.Any(p => p.HasWildcards ? p.IsMatch(connection.Name) : string.Equals(p.Literal, connection.Name, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            matched.Add(connection.Name);
            WriteObject(connection);
        }

        foreach (var pattern in patterns.Where(p => !p.HasWildcards && !matched.Contains(p.Literal)))
        {
            WriteError(ToErrorRecord(new KafkaCatalogException(ErrorCatalog.KafkaConnectionNotFound,
                $"No Kafka connection named '{pattern.Literal}' in this session. Use Get-KafkaConnection to list them, or Connect-KafkaCluster -Name '{pattern.Literal}'.", pattern.Literal)));
        }
    }
}
