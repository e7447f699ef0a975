using System.Net;
using System.Text.Json;

namespace KafkaCatalog.Core.Polaris;

/// <summary>
/// Polaris wire format: request bodies written by hand (so a password is text only while the body
/// is written) and tolerant readers that ignore unknown fields and treat audit fields as optional.
/// </summary>
internal static class PolarisJson
{
    public static byte[] WriteConnection(PolarisKafkaConnectionSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "kafka");
            w.WriteString("name", spec.Name);
            if (spec.Description is not null)
            {
                w.WriteString("description", spec.Description);
            }

            w.WriteString("bootstrapServers", spec.BootstrapServers);
            w.WriteString("topicName", spec.TopicName);
            w.WriteBoolean("topicNameIsPattern", spec.TopicNameIsPattern);
            if (spec.ClientRack is not null)
            {
                w.WriteString("clientRack", spec.ClientRack);
            }

            if (spec.TruststoreCertificates is not null)
            {
                w.WriteStartObject("ssl");
                w.WriteStartObject("truststore");
                w.WriteString("type", "pem");
                w.WriteString("certificates", spec.TruststoreCertificates);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            if (spec.Secrets is { } s)
            {
                w.WriteStartObject("secrets");
                w.WriteString("type", PolarisKafkaSecrets.ToWireType(s.Type));
                switch (s.Type)
                {
                    case PolarisKafkaSecretType.AwsIam:
                        w.WriteString("awsAssumedRoleArn", s.AwsAssumedRoleArn);
                        break;
                    case PolarisKafkaSecretType.SaslPlain:
                    case PolarisKafkaSecretType.SaslScram:
                        if (s.Type == PolarisKafkaSecretType.SaslScram)
                        {
                            w.WriteString("mechanism", PolarisKafkaSecrets.ToWireMechanism(s.Mechanism ?? PolarisScramMechanism.ScramSha256));
                        }

                        w.WriteString("username", s.Username);
                        w.WriteString("password", s.Password is null ? string.Empty : new NetworkCredential(string.Empty, s.Password).Password);
                        break;
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] WriteJob(PolarisIngestionJobSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "streaming");
            w.WriteStartObject("target");
            w.WriteString("type", "table");
            w.WriteString("tableName", spec.TableName);
            w.WriteEndObject();
            w.WriteBoolean("createTableIfNotExists", spec.CreateTableIfNotExists);
            w.WriteStartObject("source");
            w.WriteString("type", "connection");
            w.WriteString("connectionName", spec.ConnectionName);
            w.WriteStartObject("formatSettings");
            if (spec.Format == PolarisIngestionFormat.Kafka)
            {
                // Druid's KafkaInputFormat (extensions-core/kafka-indexing-service .../kafkainput/KafkaInputFormat.java)
                // reads the key only with a keyFormat and the headers only with a headerFormat; the header
                // prefix is headerColumnPrefix. Polaris names a format by "format", as in valueFormat.
                w.WriteString("format", "kafka");
                w.WriteStartObject("valueFormat");
                w.WriteString("format", "nd-json");
                w.WriteEndObject();
                w.WriteStartObject("keyFormat");
                w.WriteString("format", "csv");
                w.WriteStartArray("columns");
                w.WriteStringValue("key");
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject("headerFormat");
                w.WriteString("type", "string");
                w.WriteString("encoding", "UTF-8");
                w.WriteEndObject();
                w.WriteString("headerColumnPrefix", PolarisIngestionJobSpecBuilder.KafkaHeaderColumnPrefix);
                w.WriteString("keyColumnName", PolarisIngestionJobSpecBuilder.KafkaKeyColumn);
                w.WriteString("timestampColumnName", PolarisIngestionJobSpecBuilder.KafkaTimestampField);
                w.WriteString("topicColumnName", PolarisIngestionJobSpecBuilder.KafkaTopicColumn);
            }
            else
            {
                w.WriteString("format", "nd-json");
            }

            w.WriteEndObject();
            w.WriteStartArray("inputSchema");
            foreach (var field in spec.InputSchema)
            {
                w.WriteStartObject();
                w.WriteString("name", field.Name);
                w.WriteString("dataType", field.DataType);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("mappings");
            foreach (var mapping in spec.Mappings)
            {
                w.WriteStartObject();
                w.WriteString("columnName", mapping.ColumnName);
                w.WriteString("expression", mapping.Expression);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (spec.UseSchemaDiscovery)
            {
                w.WriteBoolean("useSchemaDiscovery", true);
            }

            w.WriteString("readFromPoint", PolarisIngestionJobSpecBuilder.ToWireReadFromPoint(spec.ReadFromPoint));
            if (spec.LateMessageRejectionPeriod is not null)
            {
                w.WriteString("lateMessageRejectionPeriod", spec.LateMessageRejectionPeriod);
            }

            if (spec.EarlyMessageRejectionPeriod is not null)
            {
                w.WriteString("earlyMessageRejectionPeriod", spec.EarlyMessageRejectionPeriod);
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] WriteCancel()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("desiredExecutionStatus", "canceled");
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static PolarisKafkaConnection ReadConnection(JsonElement e, PolarisConnection session)
    {
        var secrets = Obj(e, "secrets");
        var truststore = Obj(Obj(e, "ssl"), "truststore");
        return new PolarisKafkaConnection
        {
            Name = Str(e, "name") ?? string.Empty,
            Type = Str(e, "type") ?? "kafka",
            Description = Str(e, "description"),
            BootstrapServers = Str(e, "bootstrapServers"),
            TopicName = Str(e, "topicName"),
            TopicNameIsPattern = Bool(e, "topicNameIsPattern"),
            ClientRack = Str(e, "clientRack"),
            SecretType = Str(secrets, "type"),
            SecretPrincipal = Str(secrets, "username") ?? Str(secrets, "awsAssumedRoleArn"),
            HasTruststore = truststore is not null,
            SubmittedBy = Str(Obj(e, "submittedByUser"), "username"),
            SubmittedOn = Time(e, "submittedOnTimestamp"),
            ModifiedBy = Str(Obj(e, "modifiedByUser"), "username"),
            ModifiedOn = Time(e, "modifiedOnTimestamp"),
            ProjectId = session.ProjectId,
            PolarisConnectionName = session.Name,
        };
    }

    public static PolarisIngestionJob ReadJob(JsonElement e, PolarisConnection session)
    {
        var source = Obj(e, "source");
        var health = Obj(e, "health");
        var totals = Obj(e, "totals");
        return new PolarisIngestionJob
        {
            JobId = Str(e, "id") ?? string.Empty,
            Type = Str(e, "type") ?? "streaming",
            TableName = Str(Obj(e, "target"), "tableName"),
            ConnectionName = Str(source, "connectionName"),
            ExecutionStatus = Str(e, "executionStatus"),
            DesiredExecutionStatus = Str(e, "desiredExecutionStatus"),
            HealthStatus = Str(health, "status"),
            HealthMessage = Str(health, "message"),
            RowsProcessed = Long(totals, "numRowsProcessed"),
            RowsProcessedWithWarnings = Long(totals, "numRowsProcessedWithWarnings"),
            RowsSkippedByFilter = Long(totals, "numRowsSkippedByFilter"),
            RowsSkippedByError = Long(totals, "numRowsSkippedByError"),
            Format = Str(Obj(source, "formatSettings"), "format"),
            ReadFromPoint = Str(e, "readFromPoint"),
            LateMessageRejectionPeriod = Str(e, "lateMessageRejectionPeriod"),
            CreateTableIfNotExists = Bool(e, "createTableIfNotExists"),
            CreatedBy = Str(Obj(e, "createdBy"), "username"),
            CreatedOn = Time(e, "createdTimestamp"),
            LastUpdatedOn = Time(e, "lastUpdatedTimestamp"),
            StartedOn = Time(e, "startedTimestamp"),
            CompletedOn = Time(e, "completedTimestamp"),
            ProjectId = session.ProjectId,
            PolarisConnectionName = session.Name,
        };
    }

    /// <summary>The items of a list response: <c>{"values":[...]}</c> or a bare array.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.EnumerateArray().ToList();
        }

        return Obj(root, "values") is { ValueKind: JsonValueKind.Array } values ? values.EnumerateArray().ToList() : [];
    }

    /// <summary>The message of an error body: <c>message</c>, or <c>error.message</c>.</summary>
    public static string? ErrorMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return Str(doc.RootElement, "message") ?? Str(Obj(doc.RootElement, "error"), "message");
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }

    private static JsonElement? Obj(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? v : null;

    private static string? Str(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static long Long(JsonElement? e, string name) =>
        e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    private static DateTimeOffset? Time(JsonElement? e, string name) =>
        Str(e, name) is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
