using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Closes Kafka connections of this session (the default one when no name is given).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "KafkaCluster", DefaultParameterSetName = ByName)]
[OutputType(typeof(KafkaConnection))]
public sealed class DisconnectKafkaClusterCommand : AsyncCmdlet
{
    private const string ByName = "ByName";
    private const string ByConnection = "ByConnection";

    [Parameter(ParameterSetName = ByName, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ConnectionName")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(KafkaConnectionNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ByConnection, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public KafkaConnection? Connection { get; set; }

    /// <summary>Emit the closed connections.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var targets = new List<KafkaConnection>();
        if (Connection is not null)
        {
            targets.Add(Connection);
        }
        else if (Name is null)
        {
            if (Session.Kafka.Default is { } sessionDefault)
            {
                targets.Add(sessionDefault);
            }
            else
            {
                WriteError(ToErrorRecord(new KafkaCatalogException(ErrorCatalog.NoKafkaConnection,
                    "There is no Kafka connection to close in this session.")));
            }
        }
        else
        {
            foreach (var name in Name)
            {
                var pattern = NamePattern.Parse(name);
                var matches = Session.Kafka.All
                    .Where(c => pattern.HasWildcards ? pattern.IsMatch(c.Name) : string.Equals(c.Name, pattern.Literal, StringComparison.OrdinalIgnoreCase))
                    .ToArray();
                if (matches.Length == 0 && !pattern.HasWildcards)
                {
                    WriteError(ToErrorRecord(new KafkaCatalogException(ErrorCatalog.KafkaConnectionNotFound,
                        $"No Kafka connection named '{pattern.Literal}' in this session. Use Get-KafkaConnection to list them.", pattern.Literal)));
                }

                targets.AddRange(matches);
            }
        }

        foreach (var connection in targets.Distinct())
        {
            var registered = Session.Kafka.Get(connection.Name);
            if (ReferenceEquals(registered, connection))
            {
                Session.Kafka.Remove(connection.Name);
            }

            Session.KafkaClients.Release(connection);
            connection.IsDefault = false;
            WriteVerbose($"Closed Kafka connection '{connection.Name}' ({connection.BootstrapServers}).");
            if (PassThru.IsPresent)
            {
                WriteObject(connection);
            }
        }

        foreach (var remaining in Session.Kafka.All)
        {
            remaining.IsDefault = Session.Kafka.IsDefault(remaining.Name);
        }
    }
}
