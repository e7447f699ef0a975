using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KafkaCatalog.Core.Errors;

namespace KafkaCatalog.Core.Kafka.Messages;

/// <summary>
/// Publish-KafkaMessage's inputs for one message, as bound. <see cref="CommandLineParameters"/> names
/// the parameters the user typed (they win over values bound from a piped object's properties).
/// </summary>
public sealed record PublishInput
{
    /// <summary>The piped object, already unwrapped: dictionaries, lists, scalars, a <see cref="KafkaMessage"/>, or any object.</summary>
    public object? InputObject { get; init; }
    public string? Topic { get; init; }
    /// <summary>The connection's default topic (a Mage profile's topic), used when neither -Topic nor metadata.dest_topic names one.</summary>
    public string? DefaultTopic { get; init; }
    public string? Key { get; init; }
    /// <summary>A string (sent as UTF-8), a byte array (sent as is), null (a tombstone), or any object (sent as JSON).</summary>
    public object? Value { get; init; }
    /// <summary>A dictionary (name to value) or a list of <see cref="KafkaMessageHeader"/>.</summary>
    public object? Headers { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public int? Partition { get; init; }
    public IReadOnlySet<string> CommandLineParameters { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    /// <summary>Parameters bound for this message from the piped object's properties.</summary>
    public IReadOnlySet<string> PipelineParameters { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Decides topic, key, value, headers, timestamp and partition of one message:
/// <list type="number">
/// <item>a piped <see cref="KafkaMessage"/> (Receive-KafkaMessage) is copied byte for byte; parameters typed on the
/// command line win; its partition is kept only when -Topic was not typed (it belongs to the source topic);</item>
/// <item>an object whose Value/Key/Headers properties were bound by name (e.g. Import-Csv rows) is sent from those;</item>
/// <item>any other piped object follows Mage's Kafka exporter: a dictionary with <c>data</c> sends <c>data</c> as JSON,
/// with <c>metadata.dest_topic</c> (default: -Topic, then the profile's topic), <c>metadata.key</c> and <c>metadata.time</c> (epoch ms; default: now);
/// a piped string is sent as UTF-8 text and a byte array as is (as with -Value, so <c>Get-Content lines.txt |
/// Publish-KafkaMessage</c> publishes the lines, not JSON strings); anything else, numbers included, is sent whole as JSON;</item>
/// <item>without pipeline input, -Value is sent: a string as UTF-8, bytes as is, anything else as JSON.</item>
/// </list>
/// </summary>
public static class MessagePublishResolver
{
    private static readonly Regex LegalTopic = new("^[a-zA-Z0-9._-]{1,249}$", RegexOptions.CultureInvariant);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
    };

    public static OutgoingKafkaMessage Resolve(PublishInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var typed = input.CommandLineParameters;
        OutgoingKafkaMessage message;
        if (input.InputObject is KafkaMessage source)
        {
            message = new OutgoingKafkaMessage
            {
                Topic = typed.Contains("Topic") ? input.Topic ?? source.Topic : source.Topic,
                Partition = typed.Contains("Partition") ? input.Partition : typed.Contains("Topic") ? null : source.Partition,
                Key = typed.Contains("Key") ? EncodeKey(input.Key) : source.KeyBytes,
                Value = typed.Contains("Value") ? EncodeValue(input.Value) : source.ValueBytes,
                Headers = typed.Contains("Headers") ? NormalizeHeaders(input.Headers) : source.Headers,
                Timestamp = typed.Contains("Timestamp") ? input.Timestamp : source.Timestamp,
            };
        }
        else if (input.InputObject is not null && input.PipelineParameters.Overlaps(["Value", "Key", "Headers"]))
        {
            message = new OutgoingKafkaMessage
            {
                Topic = input.Topic ?? input.DefaultTopic ?? throw TopicMissing(),
                Partition = input.Partition,
                Key = EncodeKey(input.Key),
                Value = EncodeValue(input.Value),
                Headers = NormalizeHeaders(input.Headers),
                Timestamp = input.Timestamp,
            };
        }
        else if (input.InputObject is not null)
        {
            message = FromMage(input);
        }
        else
        {
            if (!typed.Contains("Value") && !input.PipelineParameters.Contains("Value"))
            {
                throw new KafkaCatalogException(
                    ErrorCatalog.PublishNothingToSend,
                    "Nothing to publish: give -Value (use -Value $null for a tombstone) or pipe objects to Publish-KafkaMessage.",
                    input.Topic);
            }

            message = new OutgoingKafkaMessage
            {
                Topic = input.Topic ?? input.DefaultTopic ?? throw TopicMissing(),
                Partition = input.Partition,
                Key = EncodeKey(input.Key),
                Value = EncodeValue(input.Value),
                Headers = NormalizeHeaders(input.Headers),
                Timestamp = input.Timestamp,
            };
        }

        Validate(message);
        return message;
    }

    /// <summary>Python json.dumps equivalent for the value: what Mage's exporter sends.</summary>
    public static byte[] ToJson(object? value) =>
        value is null ? "null"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json);

    private static OutgoingKafkaMessage FromMage(PublishInput input)
    {
        var item = input.InputObject!;
        if (item is IDictionary dict && TryGet(dict, "data", out var data))
        {
            string? topic = input.Topic ?? input.DefaultTopic;
            string? key = input.Key;
            DateTimeOffset? timestamp = input.Timestamp;
            if (TryGet(dict, "metadata", out var metadataObject) && metadataObject is not null)
            {
                if (metadataObject is not IDictionary metadata)
                {
                    throw new KafkaCatalogException(
                        ErrorCatalog.MageMetadataInvalid,
                        $"The message's 'metadata' is a {metadataObject.GetType().Name}, not a dictionary. Mage's format is @{{ data = ...; metadata = @{{ dest_topic = 'topic'; key = 'key'; time = <epoch ms> }} }}.",
                        item);
                }

                if (TryGet(metadata, "dest_topic", out var destTopic) && destTopic is not null)
                {
                    topic = destTopic as string is { Length: > 0 } t ? t : throw new KafkaCatalogException(
                        ErrorCatalog.MageDestTopicInvalid,
                        $"metadata.dest_topic must be a topic name (a non-empty string); got '{destTopic}'.",
                        item);
                }

                if (TryGet(metadata, "key", out var keyObject) && keyObject is not null)
                {
                    key = KeyText(keyObject, item);
                }

                if (TryGet(metadata, "time", out var time) && time is not null)
                {
                    timestamp = EpochMilliseconds(time, item);
                }
            }

            return new OutgoingKafkaMessage
            {
                Topic = topic ?? throw TopicMissing(),
                Partition = input.Partition,
                Key = EncodeKey(key),
                Value = ToJson(data),
                Headers = NormalizeHeaders(input.Headers),
                Timestamp = timestamp,
            };
        }

        return new OutgoingKafkaMessage
        {
            Topic = input.Topic ?? input.DefaultTopic ?? throw TopicMissing(),
            Partition = input.Partition,
            Key = EncodeKey(input.Key),
            Value = item is string or byte[]? EncodeValue(item) : ToJson(item),
            Headers = NormalizeHeaders(input.Headers),
            Timestamp = input.Timestamp,
        };
    }

    private static bool TryGet(IDictionary dict, string key, out object? value)
    {
        foreach (DictionaryEntry entry in dict)
        {
            if (entry.Key is string k && string.Equals(k, key, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    private static string? KeyText(object key, object item) => key switch
    {
        string s => s,
        bool or IDictionary or IEnumerable => throw new KafkaCatalogException(
            ErrorCatalog.MageKeyInvalid,
            $"metadata.key must be a string or a number; got a {key.GetType().Name}.",
            item),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString(),
    };

    private static DateTimeOffset EpochMilliseconds(object time, object item)
    {
        long? ms = time switch
        {
            long l => l,
            int i => i,
            short s => s,
            uint u => u,
            ulong ul when ul <= long.MaxValue => (long)ul,
            double d when !double.IsNaN(d) && !double.IsInfinity(d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
            decimal m when m == decimal.Floor(m) && Math.Abs(m) < 9e15m => (long)m,
            string str when long.TryParse(str, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            DateTimeOffset dto => dto.ToUnixTimeMilliseconds(),
            DateTime dt => new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt).ToUnixTimeMilliseconds(),
            _ => null,
        };
        if (ms is not { } value || value < 0 || value > 253402300799999)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.MageTimeInvalid,
                $"metadata.time must be a whole number of milliseconds since 1970-01-01 UTC (Mage's format); got '{time}'.",
                item);
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(value);
    }

    private static byte[]? EncodeKey(string? key) => string.IsNullOrEmpty(key) ? null : MessageText.Encode(key);

    private static byte[]? EncodeValue(object? value) => value switch
    {
        null => null,
        string s => MessageText.Encode(s),
        byte[] b => b,
        _ => ToJson(value),
    };

    /// <summary>Headers from a dictionary (values: strings as UTF-8, bytes as is, others as text) or a header list.</summary>
    public static IReadOnlyList<KafkaMessageHeader> NormalizeHeaders(object? headers)
    {
        switch (headers)
        {
            case null:
                return Array.Empty<KafkaMessageHeader>();
            case IEnumerable<KafkaMessageHeader> list:
                return list.Select(h => new KafkaMessageHeader(CheckHeaderKey(h.Key), h.ValueBytes)).ToArray();
            case IDictionary dict:
                var result = new List<KafkaMessageHeader>();
                foreach (DictionaryEntry entry in dict)
                {
                    var key = CheckHeaderKey(entry.Key as string ?? Convert.ToString(entry.Key, CultureInfo.InvariantCulture));
                    result.Add(new KafkaMessageHeader(key, entry.Value switch
                    {
                        null => null,
                        byte[] b => b,
                        string s => MessageText.Encode(s),
                        IFormattable f => MessageText.Encode(f.ToString(null, CultureInfo.InvariantCulture)),
                        var other => MessageText.Encode(other.ToString() ?? string.Empty),
                    }));
                }

                return result;
            default:
                throw new KafkaCatalogException(
                    ErrorCatalog.HeadersInvalid,
                    $"-Headers must be a hashtable of name = value (e.g. @{{ source = 'billing' }}); got a {headers.GetType().Name}.",
                    headers);
        }
    }

    private static string CheckHeaderKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.HeaderNameEmpty,
                "A header name is empty. Every header needs a name, e.g. @{ source = 'billing' }.",
                key);
        }

        return key;
    }

    /// <summary>The checks on a resolved message that need no cluster.</summary>
    public static void Validate(OutgoingKafkaMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ValidateTopicName(message.Topic);
        if (message.Partition is < 0)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.NegativePartition,
                $"-Partition {message.Partition.Value.ToString(CultureInfo.InvariantCulture)} is negative. Partitions are numbered from 0; leave -Partition out to let the key choose.",
                message.Topic);
        }

        if (message.Timestamp is { } ts && ts < DateTimeOffset.UnixEpoch)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.TimestampBeforeEpoch,
                $"-Timestamp {ts:o} is before 1970-01-01 UTC; Kafka timestamps cannot be negative.",
                message.Topic);
        }
    }

    public static void ValidateTopicName(string? topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            throw TopicMissing();
        }

        if (topic is "." or ".." || !LegalTopic.IsMatch(topic))
        {
            throw new KafkaCatalogException(
                ErrorCatalog.InvalidTopicName,
                $"'{topic}' is not a legal topic name: use 1-249 characters from a-z, A-Z, 0-9, '.', '_' and '-' (not '.' or '..').",
                topic);
        }
    }

    private static KafkaCatalogException TopicMissing() => new(
        ErrorCatalog.PublishTopicMissing,
        "No topic to publish to: give -Topic, metadata.dest_topic in a Mage-format message, or connect with a profile that names a topic (Mage 'topic').",
        null);
}
