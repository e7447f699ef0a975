using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Handlers;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>In-process tests of the schema-driven codec and small TestKit rules (no TCP).</summary>
public sealed class CodecTests
{
    public static TheoryData<string> ApiMessages()
    {
        var d = new TheoryData<string>();
        foreach (var m in KafkaSchema.Messages.Where(m => m.ApiKey is not null).OrderBy(m => m.Name))
        {
            d.Add(m.Name);
        }

        return d;
    }

    [Fact]
    public void All_186_definitions_load()
    {
        Assert.Equal(186, KafkaSchema.Messages.Count);
        Assert.Equal(ApiKeys.Metadata, KafkaSchema.Get("MetadataRequest").ApiKey);
        Assert.Equal(new VersionRange(9, short.MaxValue), KafkaSchema.Get("MetadataRequest").FlexibleVersions);
    }

    [Theory]
    [MemberData(nameof(ApiMessages))]
    public void Default_message_round_trips_at_every_valid_version(string name)
    {
        var spec = KafkaSchema.Get(name);
        for (var v = spec.ValidVersions.Min; v <= spec.ValidVersions.Max; v++)
        {
            var bytes = MessageCodec.Encode(spec, spec.NewMessage(), v);
            var decoded = MessageCodec.Decode(spec, bytes, v);
            Assert.Equal(bytes, MessageCodec.Encode(spec, decoded, v));
        }
    }

    [Fact]
    public void Flexible_encoding_uses_compact_lengths_and_tagged_fields()
    {
        var spec = KafkaSchema.Get("ApiVersionsResponse");
        var m = spec.NewMessage();
        m.AddElement("ApiKeys").Set("ApiKey", 3).Set("MinVersion", 0).Set("MaxVersion", 12);
        m.Set("FinalizedFeaturesEpoch", 7L);
        m.AddElement("SupportedFeatures").Set("Name", "metadata.version").Set("MinVersion", 1).Set("MaxVersion", 20);
        var bytes = MessageCodec.Encode(spec, m, 3);
        // ErrorCode(2) + compact array count 2 (=1 element + 1) ...
        Assert.Equal(new byte[] { 0, 0, 2, 0, 3, 0, 0, 0, 12, 0 }, bytes[..10]);
        var back = MessageCodec.Decode(spec, bytes, 3);
        Assert.Equal(7L, back.GetInt64("FinalizedFeaturesEpoch"));
        Assert.Equal("metadata.version", back.GetArray("SupportedFeatures")![0].GetString("Name"));

        // v0: no tagged fields, int32 array length
        var v0 = MessageCodec.Encode(spec, m, 0);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 1, 0, 3, 0, 0, 0, 12 }, v0);
    }

    [Fact]
    public void Nullable_strings_distinguish_null_and_empty_in_both_encodings()
    {
        var spec = KafkaSchema.Get("CreateTopicsResponse");
        foreach (short v in new short[] { 1, 5 })
        {
            var m = spec.NewMessage();
            m.AddElement("Topics").Set("Name", "t").Set("ErrorMessage", null);
            m.AddElement("Topics").Set("Name", "u").Set("ErrorMessage", "");
            var back = MessageCodec.Decode(spec, MessageCodec.Encode(spec, m, v), v);
            Assert.Null(back.GetArray("Topics")![0].GetString("ErrorMessage"));
            Assert.Equal("", back.GetArray("Topics")![1].GetString("ErrorMessage"));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(63)]
    [InlineData(-64)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Varints_round_trip(int value)
    {
        var w = new KafkaWriter();
        w.WriteVarint(value);
        w.WriteVarlong(value * 3L);
        w.WriteUVarint((uint)value);
        var r = new KafkaReader(w.ToArray());
        Assert.Equal(value, r.ReadVarint());
        Assert.Equal(value * 3L, r.ReadVarlong());
        Assert.Equal((uint)value, r.ReadUVarint());
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void Uuid_is_written_big_endian()
    {
        var id = Guid.Parse("00010203-0405-0607-0809-0a0b0c0d0e0f");
        var w = new KafkaWriter();
        w.WriteUuid(id);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), w.ToArray());
    }

    [Fact]
    public void Truncated_frames_are_rejected()
    {
        var spec = KafkaSchema.Get("MetadataRequest");
        Assert.Throws<KafkaProtocolException>(() => MessageCodec.Decode(spec, new byte[] { 0, 0, 0, 5, 0 }, 1));
    }

    [Theory]
    [InlineData("orders", null)]
    [InlineData("a.b_c-D9", null)]
    [InlineData("", "Topic name is illegal, it can't be empty")]
    [InlineData("..", "Topic name cannot be \".\" or \"..\"")]
    [InlineData("with space", "Topic name \"with space\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'")]
    public void Topic_name_rules_match_kafka(string name, string? error) => Assert.Equal(error, TopicNames.Validate(name));

    [Fact]
    public void Collisions_between_dot_and_underscore()
    {
        Assert.True(TopicNames.Collide("a.b", "a_b"));
        Assert.False(TopicNames.Collide("a.b", "a.b"));
        Assert.False(TopicNames.Collide("a.b", "a-b"));
    }

    [Fact]
    public void Cluster_ids_look_like_kafka_ids()
    {
        var id = ClusterState.NewClusterId();
        Assert.Equal(22, id.Length);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", id);
    }

    [Fact]
    public void Error_table_has_kafka_names_and_messages()
    {
        Assert.Equal("TOPIC_ALREADY_EXISTS", ErrorCode.NameOf(36));
        Assert.Equal("NOT_CONTROLLER", ErrorCode.NameOf(ErrorCode.NotController));
        Assert.StartsWith("This is not the correct controller", ErrorCode.DefaultMessage(41));
    }
}
