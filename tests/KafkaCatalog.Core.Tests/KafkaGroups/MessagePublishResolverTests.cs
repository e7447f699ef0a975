using System.Collections;
using System.Text;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.Core.Tests.KafkaGroups;

public class MessagePublishResolverTests
{
    private static HashSet<string> Names(params string[] names) => new(names, StringComparer.OrdinalIgnoreCase);

    private static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Mage_envelope_sends_data_as_json_with_metadata()
    {
        var message = new Hashtable
        {
            ["data"] = new Dictionary<string, object?> { ["id"] = 7, ["name"] = "x" },
            ["metadata"] = new Hashtable { ["dest_topic"] = "orders", ["key"] = "k1", ["time"] = 1700000000000L },
        };

        var outgoing = MessagePublishResolver.Resolve(new PublishInput { InputObject = message, Topic = "default" });

        Assert.Equal("orders", outgoing.Topic);
        Assert.Equal("k1", Text(outgoing.Key));
        Assert.Equal("{\"id\":7,\"name\":\"x\"}", Text(outgoing.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000L), outgoing.Timestamp);
        Assert.Null(outgoing.Partition);
    }

    [Fact]
    public void Mage_envelope_without_metadata_uses_the_default_topic_no_key_and_now()
    {
        var outgoing = MessagePublishResolver.Resolve(new PublishInput { InputObject = new Hashtable { ["data"] = new[] { 1, 2 } }, Topic = "default" });
        Assert.Equal("default", outgoing.Topic);
        Assert.Null(outgoing.Key);
        Assert.Null(outgoing.Timestamp);
        Assert.Equal("[1,2]", Text(outgoing.Value));
    }

    [Fact]
    public void Mage_metadata_time_accepts_numbers_strings_and_dates()
    {
        foreach (var time in new object[] { 1000, 1000L, 1000.0, "1000", DateTimeOffset.FromUnixTimeMilliseconds(1000) })
        {
            var outgoing = MessagePublishResolver.Resolve(new PublishInput
            {
                InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["time"] = time } },
                Topic = "t",
            });
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000), outgoing.Timestamp);
        }
    }

    [Fact]
    public void Mage_numeric_key_is_sent_as_text_and_empty_key_as_null()
    {
        var numeric = MessagePublishResolver.Resolve(new PublishInput { InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["key"] = 42 } }, Topic = "t" });
        var empty = MessagePublishResolver.Resolve(new PublishInput { InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["key"] = "" } }, Topic = "t" });
        Assert.Equal("42", Text(numeric.Key));
        Assert.Null(empty.Key);
    }

    [Fact]
    public void Dictionary_without_data_is_sent_whole()
    {
        var outgoing = MessagePublishResolver.Resolve(new PublishInput { InputObject = new Dictionary<string, object?> { ["metadata"] = new Hashtable { ["dest_topic"] = "x" } }, Topic = "t" });
        Assert.Equal("t", outgoing.Topic);
        Assert.Equal("{\"metadata\":{\"dest_topic\":\"x\"}}", Text(outgoing.Value));
    }

    [Theory]
    [InlineData(5, "5")]
    [InlineData(true, "true")]
    [InlineData(1.5, "1.5")]
    public void Scalars_are_sent_as_json_like_mage(object scalar, string expected)
    {
        var outgoing = MessagePublishResolver.Resolve(new PublishInput { InputObject = scalar, Topic = "t" });
        Assert.Equal(expected, Text(outgoing.Value));
    }

    [Fact]
    public void Piped_text_and_bytes_are_sent_as_they_are_like_Value()
    {
        // Get-Content lines.txt | Publish-KafkaMessage publishes the lines, not JSON strings.
        var text = MessagePublishResolver.Resolve(new PublishInput { InputObject = "hello \"world\"", Topic = "t" });
        var bytes = MessagePublishResolver.Resolve(new PublishInput { InputObject = new byte[] { 0, 255 }, Topic = "t" });
        Assert.Equal("hello \"world\"", Text(text.Value));
        Assert.Equal(new byte[] { 0, 255 }, bytes.Value);
    }

    [Fact]
    public void Explicit_value_is_sent_raw()
    {
        var text = MessagePublishResolver.Resolve(new PublishInput { Topic = "t", Value = "plain text", Key = "k", CommandLineParameters = Names("Topic", "Value", "Key") });
        var bytes = MessagePublishResolver.Resolve(new PublishInput { Topic = "t", Value = new byte[] { 0, 255 }, CommandLineParameters = Names("Topic", "Value") });
        var tombstone = MessagePublishResolver.Resolve(new PublishInput { Topic = "t", Value = null, CommandLineParameters = Names("Topic", "Value") });
        Assert.Equal("plain text", Text(text.Value));
        Assert.Equal("k", Text(text.Key));
        Assert.Equal(new byte[] { 0, 255 }, bytes.Value);
        Assert.Null(tombstone.Value);
    }

    [Fact]
    public void Headers_from_a_hashtable_keep_their_values()
    {
        var outgoing = MessagePublishResolver.Resolve(new PublishInput
        {
            Topic = "t",
            Value = "v",
            Headers = new Hashtable { ["source"] = "billing", ["n"] = 3, ["nil"] = null },
            CommandLineParameters = Names("Topic", "Value", "Headers"),
        });
        var headers = outgoing.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal("billing", headers["source"]);
        Assert.Equal("3", headers["n"]);
        Assert.Null(headers["nil"]);
    }

    private static KafkaMessage Received() => new()
    {
        Topic = "source",
        Partition = 2,
        Offset = 9,
        KeyBytes = [0xff, 0x01],
        ValueBytes = [0x80, 0x81],
        Headers = [new KafkaMessageHeader("h", [1])],
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(5000),
    };

    [Fact]
    public void Received_message_is_copied_byte_for_byte_to_the_typed_topic_without_its_partition()
    {
        var outgoing = MessagePublishResolver.Resolve(new PublishInput
        {
            InputObject = Received(),
            Topic = "target",
            Partition = 2,
            Value = "decoded text that must not be used",
            CommandLineParameters = Names("Topic"),
            PipelineParameters = Names("Key", "Value", "Headers", "Timestamp", "Partition"),
        });
        Assert.Equal("target", outgoing.Topic);
        Assert.Null(outgoing.Partition);
        Assert.Equal(new byte[] { 0xff, 0x01 }, outgoing.Key);
        Assert.Equal(new byte[] { 0x80, 0x81 }, outgoing.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(5000), outgoing.Timestamp);
        Assert.Equal("h", Assert.Single(outgoing.Headers).Key);
    }

    [Fact]
    public void Received_message_without_typed_topic_goes_back_to_its_own_partition()
    {
        var outgoing = MessagePublishResolver.Resolve(new PublishInput { InputObject = Received(), Topic = "source", PipelineParameters = Names("Topic", "Partition") });
        Assert.Equal("source", outgoing.Topic);
        Assert.Equal(2, outgoing.Partition);
    }

    [Fact]
    public void Typed_parameters_win_over_a_received_message()
    {
        var outgoing = MessagePublishResolver.Resolve(new PublishInput
        {
            InputObject = Received(),
            Topic = "target",
            Partition = 0,
            Key = "newkey",
            CommandLineParameters = Names("Topic", "Partition", "Key"),
        });
        Assert.Equal(0, outgoing.Partition);
        Assert.Equal("newkey", Text(outgoing.Key));
    }

    [Fact]
    public void Objects_with_bound_properties_are_sent_from_them()
    {
        var row = new Dictionary<string, object?> { ["Topic"] = "t", ["Key"] = "k", ["Value"] = "v" };
        var outgoing = MessagePublishResolver.Resolve(new PublishInput { InputObject = row, Topic = "t", Key = "k", Value = "v", PipelineParameters = Names("Topic", "Key", "Value") });
        Assert.Equal("v", Text(outgoing.Value));
        Assert.Equal("k", Text(outgoing.Key));
    }

    public static TheoryData<string, PublishInput> BadInputs() => new()
    {
        { "PublishTopicMissing", new PublishInput { Value = "v", CommandLineParameters = Names("Value") } },
        { "PublishTopicMissing", new PublishInput { InputObject = new Hashtable { ["data"] = 1 } } },
        { "PublishTopicMissing", new PublishInput { InputObject = 5 } },
        { "PublishNothingToSend", new PublishInput { Topic = "t", CommandLineParameters = Names("Topic") } },
        { "InvalidTopicName", new PublishInput { Topic = "bad topic", Value = "v", CommandLineParameters = Names("Topic", "Value") } },
        { "InvalidTopicName", new PublishInput { Topic = "..", Value = "v", CommandLineParameters = Names("Topic", "Value") } },
        { "InvalidTopicName", new PublishInput { Topic = new string('a', 250), Value = "v", CommandLineParameters = Names("Topic", "Value") } },
        { "NegativePartition", new PublishInput { Topic = "t", Value = "v", Partition = -1, CommandLineParameters = Names("Topic", "Value", "Partition") } },
        { "TimestampBeforeEpoch", new PublishInput { Topic = "t", Value = "v", Timestamp = new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero), CommandLineParameters = Names("Topic", "Value", "Timestamp") } },
        { "HeadersInvalid", new PublishInput { Topic = "t", Value = "v", Headers = "not a table", CommandLineParameters = Names("Topic", "Value", "Headers") } },
        { "HeaderNameEmpty", new PublishInput { Topic = "t", Value = "v", Headers = new Hashtable { [""] = "x" }, CommandLineParameters = Names("Topic", "Value", "Headers") } },
        { "MageMetadataInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = "orders" } } },
        { "MageDestTopicInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["dest_topic"] = 5 } } } },
        { "MageDestTopicInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["dest_topic"] = "" } } } },
        { "InvalidTopicName", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["dest_topic"] = "a/b" } } } },
        { "MageKeyInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["key"] = new Hashtable() } } } },
        { "MageKeyInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["key"] = true } } } },
        { "MageTimeInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["time"] = "yesterday" } } } },
        { "MageTimeInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["time"] = -5 } } } },
        { "MageTimeInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["time"] = 1.5 } } } },
        { "MageTimeInvalid", new PublishInput { Topic = "t", InputObject = new Hashtable { ["data"] = 1, ["metadata"] = new Hashtable { ["time"] = double.NaN } } } },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_inputs_fail_with_a_specific_error(string errorId, PublishInput input)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => MessagePublishResolver.Resolve(input));
        Assert.Equal(errorId, ex.ErrorId);
    }
}
