using System.Security;

namespace KafkaCatalog.Core.Polaris;

// Requests the module sends to Polaris and the records its cmdlets emit. Output property names are
// the pipeline contract: New-PolarisKafkaConnection emits a PolarisKafkaConnection whose Name binds
// to Start-PolarisIngestionJob -ConnectionName (alias Name); PolarisIngestionJob.JobId binds to
// Get-/Stop-PolarisIngestionJob -JobId.

/// <summary>How Polaris authenticates to the Kafka cluster (the connection's <c>secrets.type</c>).</summary>
public enum PolarisKafkaSecretType
{
    /// <summary>No secrets: an unauthenticated or TLS-only cluster.</summary>
    None,
    SaslPlain,
    SaslScram,
    /// <summary>Amazon MSK with IAM access control: Polaris assumes the given role.</summary>
    AwsIam,
}

/// <summary>The SCRAM mechanism of a <c>sasl_scram</c> secret.</summary>
public enum PolarisScramMechanism
{
    ScramSha256,
    ScramSha512,
}

/// <summary>
/// The write-only <c>secrets</c> of a Kafka connection. The password is a SecureString and is
/// only turned into text while the request body is written.
/// </summary>
public sealed record PolarisKafkaSecrets
{
    public required PolarisKafkaSecretType Type { get; init; }
    public string? Username { get; init; }
    public SecureString? Password { get; init; }
    public PolarisScramMechanism? Mechanism { get; init; }
    public string? AwsAssumedRoleArn { get; init; }

    public static string ToWireType(PolarisKafkaSecretType type) => type switch
    {
        PolarisKafkaSecretType.SaslPlain => "sasl_plain",
        PolarisKafkaSecretType.SaslScram => "sasl_scram",
        PolarisKafkaSecretType.AwsIam => "aws_iam",
        _ => "none",
    };

    public static string ToWireMechanism(PolarisScramMechanism mechanism) =>
        mechanism == PolarisScramMechanism.ScramSha512 ? "SCRAM-SHA-512" : "SCRAM-SHA-256";

    /// <summary>Never includes the password.</summary>
    public override string ToString() => Type switch
    {
        PolarisKafkaSecretType.SaslPlain => $"sasl_plain ({Username})",
        PolarisKafkaSecretType.SaslScram => $"sasl_scram {ToWireMechanism(Mechanism ?? PolarisScramMechanism.ScramSha256)} ({Username})",
        PolarisKafkaSecretType.AwsIam => $"aws_iam ({AwsAssumedRoleArn})",
        _ => "none",
    };
}

/// <summary>A validated Kafka connection spec, ready to send (POST create or PUT replace).</summary>
public sealed record PolarisKafkaConnectionSpec
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required string BootstrapServers { get; init; }
    public required string TopicName { get; init; }
    public bool TopicNameIsPattern { get; init; }
    public string? ClientRack { get; init; }
    /// <summary>PEM certificates Polaris should trust (ssl.truststore), or null.</summary>
    public string? TruststoreCertificates { get; init; }
    public PolarisKafkaSecrets? Secrets { get; init; }

    /// <summary>Never includes a secret.</summary>
    public override string ToString() =>
        $"{Name}: {(TopicNameIsPattern ? "pattern " : string.Empty)}{TopicName} @ {BootstrapServers}{(Secrets is null ? string.Empty : " [" + Secrets + "]")}";

    /// <summary>What -WhatIf and -Confirm show: everything that would be sent, except secret values.</summary>
    public string Describe(string projectId) =>
        $"Polaris Kafka connection '{Name}' in project {projectId}: " +
        $"{(TopicNameIsPattern ? "topics matching '" + TopicName + "'" : "topic '" + TopicName + "'")} at {BootstrapServers}, " +
        $"secrets {(Secrets is null ? "none" : Secrets.ToString())}" +
        $"{(TruststoreCertificates is null ? string.Empty : ", custom CA truststore")}" +
        $"{(ClientRack is null ? string.Empty : ", clientRack " + ClientRack)}" +
        $"{(Description is null ? string.Empty : ", description '" + Description + "'")}";
}

/// <summary>A Kafka connection as Polaris describes it (secrets are never returned).</summary>
public sealed record PolarisKafkaConnection
{
    public required string Name { get; init; }
    public string Type { get; init; } = "kafka";
    public string? Description { get; init; }
    public string? BootstrapServers { get; init; }
    public string? TopicName { get; init; }
    public bool TopicNameIsPattern { get; init; }
    public string? ClientRack { get; init; }
    /// <summary>sasl_plain, sasl_scram, aws_iam, or null when the connection has no secrets.</summary>
    public string? SecretType { get; init; }
    /// <summary>The SASL user or the IAM role ARN when Polaris reports it; never a password.</summary>
    public string? SecretPrincipal { get; init; }
    public bool HasTruststore { get; init; }
    public string? SubmittedBy { get; init; }
    public DateTimeOffset? SubmittedOn { get; init; }
    public string? ModifiedBy { get; init; }
    public DateTimeOffset? ModifiedOn { get; init; }
    /// <summary>The Polaris project it lives in.</summary>
    public string? ProjectId { get; init; }
    /// <summary>The session name of the Polaris connection it was read through.</summary>
    public string? PolarisConnectionName { get; init; }
}

/// <summary>The outcome of Polaris' test-connection call.</summary>
public sealed record PolarisConnectionTestResult
{
    public required string ConnectionName { get; init; }
    public required bool Succeeded { get; init; }
    /// <summary>Why the test failed, as Polaris explains it; null on success.</summary>
    public string? Reason { get; init; }
    /// <summary>A stable id for the failure (PolarisConnectionTestFailed, PolarisConnectionNotFound).</summary>
    public string? ErrorId { get; init; }
}

/// <summary>Message format of a streaming job.</summary>
public enum PolarisIngestionFormat
{
    /// <summary>Newline-delimited JSON values; only the Kafka record value is ingested.</summary>
    NdJson,
    /// <summary>The Kafka record value (nd-json) plus metadata: timestamp, key, headers, topic.</summary>
    Kafka,
}

/// <summary>Where a new streaming job starts reading.</summary>
public enum PolarisReadFromPoint
{
    Latest,
    Earliest,
}

/// <summary>One input field of a job's source schema.</summary>
public sealed record PolarisInputField(string Name, string DataType);

/// <summary>One column mapping: target column and SQL expression over input fields.</summary>
public sealed record PolarisColumnMapping(string ColumnName, string Expression);

/// <summary>A validated streaming ingestion job spec, ready to send.</summary>
public sealed record PolarisIngestionJobSpec
{
    public required string TableName { get; init; }
    public required string ConnectionName { get; init; }
    public bool CreateTableIfNotExists { get; init; }
    public PolarisIngestionFormat Format { get; init; } = PolarisIngestionFormat.NdJson;
    public IReadOnlyList<PolarisInputField> InputSchema { get; init; } = Array.Empty<PolarisInputField>();
    public required IReadOnlyList<PolarisColumnMapping> Mappings { get; init; }
    public PolarisReadFromPoint ReadFromPoint { get; init; } = PolarisReadFromPoint.Latest;
    /// <summary>ISO-8601 period; null leaves Polaris' default (P30D).</summary>
    public string? LateMessageRejectionPeriod { get; init; }
    public string? EarlyMessageRejectionPeriod { get; init; }
    public bool UseSchemaDiscovery { get; init; }

    public override string ToString() =>
        $"streaming {ConnectionName} -> {TableName} ({PolarisIngestionJobSpecBuilder.ToWireFormat(Format)}, {ReadFromPoint.ToString().ToLowerInvariant()})";

    /// <summary>What -WhatIf and -Confirm show for the job.</summary>
    public string Describe(string projectId) =>
        $"Streaming job from Polaris connection '{ConnectionName}' into table '{TableName}' in project {projectId} " +
        $"({PolarisIngestionJobSpecBuilder.ToWireFormat(Format)}, from {PolarisIngestionJobSpecBuilder.ToWireReadFromPoint(ReadFromPoint)}, " +
        $"lateMessageRejectionPeriod {LateMessageRejectionPeriod ?? "P30D (default)"}" +
        $"{(UseSchemaDiscovery ? ", schema discovery" : ", " + InputSchema.Count + " input field(s)")}, {Mappings.Count} mapping(s)" +
        $"{(CreateTableIfNotExists ? ", creating the table if missing" : string.Empty)})";
}

/// <summary>An ingestion job as Get-PolarisIngestionJob emits it.</summary>
public sealed record PolarisIngestionJob
{
    public required string JobId { get; init; }
    public string Type { get; init; } = "streaming";
    public string? TableName { get; init; }
    public string? ConnectionName { get; init; }
    /// <summary>pending, running, failed, canceled, ...</summary>
    public string? ExecutionStatus { get; init; }
    public string? DesiredExecutionStatus { get; init; }
    /// <summary>ok, warn or error.</summary>
    public string? HealthStatus { get; init; }
    public string? HealthMessage { get; init; }
    public long RowsProcessed { get; init; }
    public long RowsProcessedWithWarnings { get; init; }
    public long RowsSkippedByFilter { get; init; }
    public long RowsSkippedByError { get; init; }
    public string? Format { get; init; }
    public string? ReadFromPoint { get; init; }
    public string? LateMessageRejectionPeriod { get; init; }
    public bool CreateTableIfNotExists { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? CreatedOn { get; init; }
    public DateTimeOffset? LastUpdatedOn { get; init; }
    public DateTimeOffset? StartedOn { get; init; }
    public DateTimeOffset? CompletedOn { get; init; }
    public string? ProjectId { get; init; }
    public string? PolarisConnectionName { get; init; }
}
