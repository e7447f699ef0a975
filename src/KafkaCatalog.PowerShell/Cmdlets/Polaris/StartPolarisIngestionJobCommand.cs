using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.PowerShell.Cmdlets.Polaris;

/// <summary>
/// Starts a streaming ingestion job from a Polaris Kafka connection into a table. Takes the
/// connection name from New-PolarisKafkaConnection's output by property name.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "PolarisIngestionJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PolarisIngestionJob))]
public sealed class StartPolarisIngestionJobCommand : PolarisCmdlet
{
    /// <summary>The Polaris Kafka connection to read from.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PolarisKafkaConnectionNameCompleter))]
    public string ConnectionName { get; set; } = string.Empty;

    /// <summary>The target table.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string TableName { get; set; } = string.Empty;

    /// <summary>Create the table from the job when it does not exist (createTableIfNotExists).</summary>
    [Parameter]
    public SwitchParameter CreateTable { get; set; }

    /// <summary>NdJson (message values) or Kafka (values plus timestamp, key, headers, topic).</summary>
    [Parameter]
    public PolarisIngestionFormat Format { get; set; } = PolarisIngestionFormat.NdJson;

    /// <summary>Input fields: an ordered dictionary of name to data type (string, long, double, float, json).</summary>
    [Parameter]
    public IDictionary? InputSchema { get; set; }

    /// <summary>Column mappings: an ordered dictionary of column name to SQL expression; must map __time.</summary>
    [Parameter]
    public IDictionary? Mapping { get; set; }

    /// <summary>NdJson without -Mapping: the input field holding the event time (default 'timestamp').</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TimestampColumn { get; set; }

    /// <summary>Where to start reading: Latest (default) or Earliest.</summary>
    [Parameter]
    public PolarisReadFromPoint ReadFromPoint { get; set; } = PolarisReadFromPoint.Latest;

    /// <summary>ISO-8601 period: events older than (job start - period) are dropped. Polaris' default is P30D.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LateMessageRejectionPeriod { get; set; }

    /// <summary>ISO-8601 period: events further in the future than this are dropped.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EarlyMessageRejectionPeriod { get; set; }

    protected override void ProcessRecord()
    {
        using var client = OpenClientOrThrow();
        var approval = Approval();
        RunForItem(async ct =>
        {
            var plan = PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters
            {
                TableName = TableName,
                ConnectionName = ConnectionName,
                CreateTableIfNotExists = CreateTable,
                Format = Format,
                InputSchema = ToPairs(InputSchema).Select(p => new PolarisInputField(p.Key, p.Value)).ToList(),
                Mappings = ToPairs(Mapping).Select(p => new PolarisColumnMapping(p.Key, p.Value)).ToList(),
                TimestampColumn = TimestampColumn,
                ReadFromPoint = ReadFromPoint,
                LateMessageRejectionPeriod = LateMessageRejectionPeriod,
                EarlyMessageRejectionPeriod = EarlyMessageRejectionPeriod,
            });
            foreach (var warning in plan.Warnings)
            {
                EmitWarning(warning);
            }

            if (!approval.Approve(plan.Spec.Describe(client.Connection.ProjectId), "Start"))
            {
                return;
            }

            Emit(await client.StartIngestionJobAsync(plan.Spec, ct).ConfigureAwait(false));
        });
    }

    private static IEnumerable<KeyValuePair<string, string>> ToPairs(IDictionary? dictionary)
    {
        if (dictionary is null)
        {
            yield break;
        }

        foreach (DictionaryEntry entry in dictionary)
        {
            yield return new KeyValuePair<string, string>(
                LanguagePrimitives.ConvertTo<string>(entry.Key),
                LanguagePrimitives.ConvertTo<string>(entry.Value) ?? string.Empty);
        }
    }
}
