namespace KafkaCatalog.Core.Connections.Profiles;

public enum KafkaProfileFormat
{
    /// <summary>Mage.ai Kafka source/destination YAML.</summary>
    MageYaml,
    /// <summary>Imply Polaris Kafka connection JSON (request or response body).</summary>
    PolarisJson,
    /// <summary>JSON object of kafka-python KafkaAdminClient keyword arguments.</summary>
    KafkaPythonJson,
    /// <summary>librdkafka properties, one key=value a line, as kcat -F and Confluent's client configs hold them.</summary>
    LibrdkafkaProperties,
}

/// <summary>What a profile file holds: connection settings plus the topic / group it names, for later use.</summary>
public sealed record KafkaProfile
{
    public required string Path { get; init; }
    public required KafkaProfileFormat Format { get; init; }
    public required KafkaConnectionSettings Settings { get; init; }
    /// <summary>Polaris connection name, when the profile has one.</summary>
    public string? Name { get; init; }
    public string? Topic { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = Array.Empty<string>();
    /// <summary>Polaris topicNameIsPattern: <see cref="Topic"/> is a regular expression.</summary>
    public bool TopicIsPattern { get; init; }
    /// <summary>
    /// The consumer group the profile names (Mage consumer_group; also <see cref="KafkaConnectionSettings.ConsumerGroup"/>,
    /// where producer batching, consumer properties and the default topic are too).
    /// </summary>
    public string? ConsumerGroup { get; init; }
    /// <summary>Keys read but without a librdkafka equivalent, and other advice. Never holds a secret.</summary>
    public IReadOnlyList<KafkaConnectionProblem> Warnings { get; init; } = Array.Empty<KafkaConnectionProblem>();

    /// <summary>The profile's settings alone, with defaults (not validated).</summary>
    public KafkaConnectionOptions ToOptions() => Settings.ToOptions();

    public override string ToString() => $"{Format} profile '{Path}': {Settings}";
}
