using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Polaris;

/// <summary>What Start-PolarisIngestionJob was given; <see cref="PolarisIngestionJobSpecBuilder"/> validates it.</summary>
public sealed record PolarisIngestionJobParameters
{
    public string? TableName { get; init; }
    public string? ConnectionName { get; init; }
    public bool CreateTableIfNotExists { get; init; }
    public PolarisIngestionFormat Format { get; init; } = PolarisIngestionFormat.NdJson;
    /// <summary>Input fields (name, Polaris data type). Empty: the timestamp field plus schema discovery.</summary>
    public IReadOnlyList<PolarisInputField> InputSchema { get; init; } = Array.Empty<PolarisInputField>();
    /// <summary>Column mappings; must include __time when given.</summary>
    public IReadOnlyList<PolarisColumnMapping> Mappings { get; init; } = Array.Empty<PolarisColumnMapping>();
    /// <summary>nd-json only: the input field that holds the event time (default "timestamp").</summary>
    public string? TimestampColumn { get; init; }
    public PolarisReadFromPoint ReadFromPoint { get; init; } = PolarisReadFromPoint.Latest;
    public string? LateMessageRejectionPeriod { get; init; }
    public string? EarlyMessageRejectionPeriod { get; init; }
}

/// <summary>A validated job spec plus the warnings the user should see before it starts.</summary>
public sealed record PolarisIngestionJobPlan(PolarisIngestionJobSpec Spec, IReadOnlyList<string> Warnings);

/// <summary>Builds and validates a streaming ingestion job spec. Pure: no I/O.</summary>
public static class PolarisIngestionJobSpecBuilder
{
    public const string TimeColumn = "__time";
    public const string DefaultTimestampColumn = "timestamp";
    public const string KafkaTimestampField = "kafka.timestamp";

    /// <summary>Druid KafkaInputFormat's defaults for the key, header and topic columns.</summary>
    public const string KafkaKeyColumn = "kafka.key";
    public const string KafkaHeaderColumnPrefix = "kafka.header.";
    public const string KafkaTopicColumn = "kafka.topic";

    /// <summary>Polaris' default lateMessageRejectionPeriod.</summary>
    public static readonly TimeSpan DefaultLateMessageRejection = TimeSpan.FromDays(30);

    private static readonly HashSet<string> DataTypes = new(StringComparer.Ordinal)
    {
        "string", "long", "double", "float", "json",
    };

    public static string ToWireFormat(PolarisIngestionFormat format) =>
        format == PolarisIngestionFormat.Kafka ? "kafka" : "nd-json";

    public static string ToWireReadFromPoint(PolarisReadFromPoint point) =>
        point == PolarisReadFromPoint.Earliest ? "earliest" : "latest";

    public static PolarisIngestionJobPlan Build(PolarisIngestionJobParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        PolarisNameRules.ValidateTableName(p.TableName);
        PolarisNameRules.ValidateConnectionName(p.ConnectionName);

        foreach (var field in p.InputSchema)
        {
            if (string.IsNullOrWhiteSpace(field.Name))
            {
                throw Invalid(ErrorCatalog.PolarisInvalidInputSchema, "An input schema field has no name.", field);
            }

            if (!DataTypes.Contains(field.DataType))
            {
                throw Invalid(
                    ErrorCatalog.PolarisInvalidInputSchema,
                    $"Input field '{field.Name}' has data type '{field.DataType}'. Use one of: {string.Join(", ", DataTypes)}.",
                    field);
            }
        }

        var duplicate = p.InputSchema.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Invalid(ErrorCatalog.PolarisInvalidInputSchema, $"Input field '{duplicate.Key}' appears more than once.", duplicate.Key);
        }

        var (timeField, timeExpression) = p.Format == PolarisIngestionFormat.Kafka
            ? (new PolarisInputField(KafkaTimestampField, "long"), $"MILLIS_TO_TIMESTAMP(\"{KafkaTimestampField}\")")
            : (new PolarisInputField(p.TimestampColumn ?? DefaultTimestampColumn, "string"), $"TIME_PARSE(\"{Escape(p.TimestampColumn ?? DefaultTimestampColumn)}\")");

        var schema = p.InputSchema.ToList();
        List<PolarisColumnMapping> mappings;
        bool discovery;
        if (p.Mappings.Count > 0)
        {
            foreach (var mapping in p.Mappings)
            {
                if (string.IsNullOrWhiteSpace(mapping.ColumnName) || string.IsNullOrWhiteSpace(mapping.Expression))
                {
                    throw Invalid(ErrorCatalog.PolarisInvalidMapping, "Every mapping needs a column name and an expression.", mapping);
                }
            }

            if (!p.Mappings.Any(m => m.ColumnName == TimeColumn))
            {
                throw Invalid(
                    ErrorCatalog.PolarisTimeMappingMissing,
                    $"The mappings have no '{TimeColumn}' column. Every Polaris row needs a timestamp: add a mapping such as @{{ColumnName='__time'; Expression='TIME_PARSE(\"timestamp\")'}}.",
                    p.TableName);
            }

            var dup = p.Mappings.GroupBy(m => m.ColumnName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null)
            {
                throw Invalid(ErrorCatalog.PolarisInvalidMapping, $"Column '{dup.Key}' is mapped more than once.", dup.Key);
            }

            mappings = p.Mappings.ToList();
            discovery = false;
        }
        else
        {
            if (!schema.Any(f => f.Name == timeField.Name))
            {
                schema.Insert(0, timeField);
            }

            mappings = new List<PolarisColumnMapping> { new(TimeColumn, timeExpression) };
            mappings.AddRange(schema.Where(f => f.Name != timeField.Name).Select(f => new PolarisColumnMapping(f.Name, $"\"{Escape(f.Name)}\"")));

            // With only the timestamp declared, let Polaris discover the other columns.
            discovery = p.InputSchema.Count == 0;
        }

        var warnings = new List<string>();
        var late = DefaultLateMessageRejection;
        if (p.LateMessageRejectionPeriod is not null)
        {
            late = IsoPeriod.Parse(p.LateMessageRejectionPeriod, "-LateMessageRejectionPeriod");
        }

        if (p.EarlyMessageRejectionPeriod is not null)
        {
            IsoPeriod.Parse(p.EarlyMessageRejectionPeriod, "-EarlyMessageRejectionPeriod");
        }

        if (late <= DefaultLateMessageRejection && (p.ReadFromPoint == PolarisReadFromPoint.Earliest || late < DefaultLateMessageRejection))
        {
            var period = p.LateMessageRejectionPeriod ?? "P30D (the Polaris default)";
            warnings.Add(
                $"Table '{p.TableName}': events older than {FormatDays(late)} before the job starts will be dropped (lateMessageRejectionPeriod {period}). " +
                "Pass a longer -LateMessageRejectionPeriod (e.g. P365D) to ingest older events from the topic.");
        }

        var spec = new PolarisIngestionJobSpec
        {
            TableName = p.TableName!,
            ConnectionName = p.ConnectionName!,
            CreateTableIfNotExists = p.CreateTableIfNotExists,
            Format = p.Format,
            InputSchema = schema,
            Mappings = mappings,
            ReadFromPoint = p.ReadFromPoint,
            LateMessageRejectionPeriod = p.LateMessageRejectionPeriod,
            EarlyMessageRejectionPeriod = p.EarlyMessageRejectionPeriod,
            UseSchemaDiscovery = discovery,
        };
        return new PolarisIngestionJobPlan(spec, warnings);
    }

    private static string FormatDays(TimeSpan period) =>
        period.TotalDays >= 1 && period.TotalDays == Math.Floor(period.TotalDays)
            ? $"{period.TotalDays:0} day{(period.TotalDays == 1 ? string.Empty : "s")}"
            : $"{period.TotalHours:0.##} hours";

    private static string Escape(string identifier) => identifier.Replace("\"", "\"\"", StringComparison.Ordinal);

    private static KafkaCatalogException Invalid(ErrorDefinition error, string message, object? target) =>
        new(error, message, target);
}
