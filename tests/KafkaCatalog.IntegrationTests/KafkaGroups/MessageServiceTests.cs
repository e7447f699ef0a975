using System.Collections;
using System.Text;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.IntegrationTests.RealCluster;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Publish and receive through the product's producer/consumer against TestKit, or against a real cluster when
/// KAFKACATALOG_TEST_BOOTSTRAP is set (checks read the cluster back with the test's own admin and probe clients).
/// </summary>
public sealed class MessageServiceTests(RealCapableGroupsFixture fx) : IClassFixture<RealCapableGroupsFixture>
{
    private static string Text(byte[]? b) => b is null ? "<null>" : Encoding.UTF8.GetString(b);

    private async Task<List<KafkaDeliveryResult>> PublishAsync(params PublishInput[] inputs)
    {
        using var publisher = new MessagePublisher(fx.Factory());
        var pending = new List<Task<KafkaDeliveryResult>>();
        foreach (var input in inputs)
        {
            pending.Add(await publisher.SendAsync(MessagePublishResolver.Resolve(input)));
        }

        return [.. await Task.WhenAll(pending)];
    }

    private Task<List<KafkaMessage>> ReceiveAsync(ReceiveRequest request) => new MessageReader(fx.Factory()).ReceiveAsync(request).ToListAsync();

    private static HashSet<string> Typed(params string[] names) => new(names, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public async Task Published_messages_come_back_with_key_headers_timestamp_and_partition()
    {
        var topic = fx.Topic(3);
        var ts = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var results = await PublishAsync(new PublishInput
        {
            Topic = topic,
            Key = "k1",
            Value = "héllo",
            Headers = new Hashtable { ["source"] = "billing" },
            Timestamp = ts,
            Partition = 2,
            CommandLineParameters = Typed("Topic", "Key", "Value", "Headers", "Timestamp", "Partition"),
        });

        var delivered = Assert.Single(results);
        Assert.Equal((topic, 2, 0L), (delivered.Topic, delivered.Partition, delivered.Offset));

        var received = Assert.Single(await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Beginning }));
        Assert.Equal("k1", received.Key);
        Assert.Equal("héllo", received.Value);
        Assert.Equal("billing", Assert.Single(received.Headers).Value);
        Assert.Equal(ts, received.Timestamp);
        Assert.Equal(2, received.Partition);
    }

    /// <summary>
    /// Publish-KafkaMessage sends each record on a worker whose token is cancelled when the record's
    /// work ends, before the broker's acknowledgement comes: with a delivery token of its own, that
    /// token must not cancel the delivery (every single-message publish failed with TaskCanceledException).
    /// </summary>
    [Fact]
    public async Task Cancelling_the_send_token_after_the_hand_over_does_not_cancel_a_delivery_with_its_own_token()
    {
        var topic = fx.Topic(1);
        using var publisher = new MessagePublisher(fx.Factory());
        using var handOver = new CancellationTokenSource();
        var delivery = await publisher.SendAsync(
            MessagePublishResolver.Resolve(new PublishInput { Topic = topic, Value = "kept", CommandLineParameters = Typed("Topic", "Value") }),
            handOver.Token,
            deliveryToken: CancellationToken.None);
        handOver.Cancel();

        var delivered = await delivery.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((topic, 0, 0L), (delivered.Topic, delivered.Partition, delivered.Offset));
        Assert.Equal("kept", Assert.Single(await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Beginning })).Value);
    }

    /// <summary>A token already cancelled before the hand-over still stops the send: nothing is handed to the producer.</summary>
    [Fact]
    public async Task A_cancelled_token_stops_the_send_before_anything_is_handed_over()
    {
        var topic = fx.Topic(1);
        using var publisher = new MessagePublisher(fx.Factory());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.SendAsync(
            MessagePublishResolver.Resolve(new PublishInput { Topic = topic, Value = "never", CommandLineParameters = Typed("Topic", "Value") }),
            cancelled.Token));
        Assert.Empty(await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Beginning }));
    }

    [Fact]
    public async Task Mage_envelopes_and_scalars_are_published_as_mage_would()
    {
        var topic = fx.Topic(1);
        var dest = fx.Topic(1);
        await PublishAsync(
            new PublishInput { Topic = topic, InputObject = new Dictionary<string, object?> { ["data"] = new Dictionary<string, object?> { ["id"] = 1 }, ["metadata"] = new Dictionary<string, object?> { ["dest_topic"] = dest, ["key"] = "m1", ["time"] = 1700000000000L } } },
            new PublishInput { Topic = topic, InputObject = 42 });

        var atDest = Assert.Single(await ReceiveAsync(new ReceiveRequest { Topic = dest, Start = MessageStartPosition.Beginning }));
        Assert.Equal("{\"id\":1}", atDest.Value);
        Assert.Equal("m1", atDest.Key);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000L), atDest.Timestamp);
        var atDefault = Assert.Single(await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Beginning }));
        Assert.Equal("42", atDefault.Value);
        Assert.Null(atDefault.Key);
    }

    [Fact]
    public async Task Receive_then_publish_copies_byte_for_byte_to_another_topic()
    {
        var source = fx.Topic(2);
        var target = fx.Topic(1);
        await PublishAsync(
            new PublishInput { Topic = source, Key = "a", Value = new byte[] { 0xff, 0x00, 0x80 }, Partition = 1, CommandLineParameters = Typed("Topic", "Key", "Value", "Partition") },
            new PublishInput { Topic = source, Value = "second", Partition = 1, CommandLineParameters = Typed("Topic", "Value", "Partition") });

        var read = await ReceiveAsync(new ReceiveRequest { Topic = source, Start = MessageStartPosition.Beginning });
        Assert.Equal(2, read.Count);

        // Receive-KafkaMessage -Topic source | Publish-KafkaMessage -Topic target
        await PublishAsync(read.Select(m => new PublishInput
        {
            InputObject = m,
            Topic = target,
            Key = m.Key,
            Value = m.Value,
            Partition = m.Partition,
            Timestamp = m.Timestamp,
            CommandLineParameters = Typed("Topic"),
            PipelineParameters = Typed("Key", "Value", "Partition", "Timestamp", "Headers"),
        }).ToArray());

        var copied = await ReceiveAsync(new ReceiveRequest { Topic = target, Start = MessageStartPosition.Beginning });
        Assert.Equal(read.Select(m => m.ValueBytes), copied.Select(m => m.ValueBytes));
        Assert.Equal(new byte[] { 0xff, 0x00, 0x80 }, copied[0].ValueBytes);
        Assert.Equal(read.Select(m => m.Timestamp), copied.Select(m => m.Timestamp));
        Assert.All(copied, m => Assert.Equal(0, m.Partition));
    }

    [Fact]
    public async Task Receive_from_offset_timestamp_and_max_messages()
    {
        var topic = fx.Topic(1);
        var t0 = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        await PublishAsync(Enumerable.Range(0, 6).Select(i => new PublishInput
        {
            Topic = topic,
            Value = $"m{i}",
            Timestamp = t0.AddMinutes(i),
            CommandLineParameters = Typed("Topic", "Value", "Timestamp"),
        }).ToArray());

        var fromOffset = await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Offset, Offset = 4 });
        var fromTime = await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Timestamp, Timestamp = t0.AddMinutes(2).AddSeconds(1) });
        var limited = await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Beginning, MaxMessages = 2 });

        Assert.Equal(["m4", "m5"], fromOffset.Select(m => m.Value));
        Assert.Equal(["m3", "m4", "m5"], fromTime.Select(m => m.Value));
        Assert.Equal(["m0", "m1"], limited.Select(m => m.Value));
    }

    [Fact]
    public async Task Receive_from_end_waits_for_new_messages_only()
    {
        var topic = fx.Topic(1);
        await PublishAsync(new PublishInput { Topic = topic, Value = "old", CommandLineParameters = Typed("Topic", "Value") });
        var reader = new MessageReader(fx.Factory());
        var receiving = reader.ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.End, MaxMessages = 1, Timeout = TimeSpan.FromSeconds(60) }).ToListAsync();

        // Publish until the reader (assigned at the end) sees one; it never sees "old".
        while (!receiving.IsCompleted)
        {
            await PublishAsync(new PublishInput { Topic = topic, Value = "new", CommandLineParameters = Typed("Topic", "Value") });
            await Task.WhenAny(receiving, Task.Delay(500));
        }

        Assert.Equal("new", Assert.Single(await receiving).Value);
    }

    [Fact]
    public async Task Receiving_never_creates_or_commits_a_consumer_group()
    {
        var topic = fx.Topic(1);
        await PublishAsync(new PublishInput { Topic = topic, Value = "x", CommandLineParameters = Typed("Topic", "Value") });
        var groupsBefore = await new ConsumerGroupService(fx.Factory()).ListGroupListingsAsync([], null, CancellationToken.None);

        Assert.Single(await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Beginning }));

        var groupsAfter = await new ConsumerGroupService(fx.Factory()).ListGroupListingsAsync([], null, CancellationToken.None);
        if (!fx.Target.IsReal)
        {
            // A shared real cluster gains other clients' groups meanwhile; the reader's own would carry the prefix below.
            Assert.Equal(groupsBefore.Select(g => g.GroupId).Order(), groupsAfter.Select(g => g.GroupId).Order());
        }

        Assert.DoesNotContain(groupsAfter, g => g.GroupId.StartsWith("kafkacatalog-reader-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publishing_to_a_missing_topic_or_partition_fails_fast_and_sends_nothing()
    {
        var topic = fx.Topic(2);
        var missing = GroupsFixture.Unique("no-such-topic");
        using var publisher = new MessagePublisher(fx.Factory());

        var noTopic = await Assert.ThrowsAsync<KafkaCatalogException>(() => publisher.SendAsync(new OutgoingKafkaMessage { Topic = missing, Value = [1] }));
        var noPartition = await Assert.ThrowsAsync<KafkaCatalogException>(() => publisher.SendAsync(new OutgoingKafkaMessage { Topic = topic, Partition = 2, Value = [1] }));

        Assert.Equal("TopicNotFound", noTopic.ErrorId);
        Assert.Equal("PartitionNotFound", noPartition.ErrorId);
        Assert.DoesNotContain(missing, fx.Target.TopicNames());
        Assert.Equal([(0L, 0L), (0L, 0L)], [fx.Target.Watermarks(topic, 0), fx.Target.Watermarks(topic, 1)]);
    }

    [Theory]
    [InlineData("no-such-topic", null, "TopicNotFound")]
    [InlineData("bad name", null, "InvalidTopicName")]
    [InlineData("EXISTING", 9, "PartitionNotFound")]
    public async Task Receive_bad_inputs_fail_with_specific_errors(string topic, int? partition, string errorId)
    {
        var existing = fx.Topic(1);
        var name = topic == "EXISTING" ? existing : topic;
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => ReceiveAsync(new ReceiveRequest
        {
            Topic = name,
            Partitions = partition is { } p ? [p] : null,
            Start = MessageStartPosition.Beginning,
        }));
        Assert.Equal(errorId, ex.ErrorId);
    }

    [Theory]
    [InlineData(-1, 10, 0L, "InvalidMaxMessages")]
    [InlineData(0, 0, 0L, "InvalidTimeout")]
    [InlineData(0, 10, -3L, "NegativeOffset")]
    public void Receive_request_is_validated_before_any_call(int max, int timeoutSec, long offset, string errorId)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => MessageReader.Validate(new ReceiveRequest
        {
            Topic = "t",
            MaxMessages = max,
            Timeout = TimeSpan.FromSeconds(timeoutSec),
            Start = MessageStartPosition.Offset,
            Offset = offset,
        }));
        Assert.Equal(errorId, ex.ErrorId);
    }
    /// <summary>Publishes keys through a publisher with <paramref name="partitioner"/> and reads where they were stored.</summary>
    private async Task<Dictionary<string, int>> PlaceKeysAsync(string topic, string? partitioner, params string[] keys)
    {
        using (var publisher = new MessagePublisher(fx.Factory(), partitioner: partitioner))
        {
            var pending = new List<Task<KafkaDeliveryResult>>();
            foreach (var key in keys)
            {
                pending.Add(await publisher.SendAsync(MessagePublishResolver.Resolve(new PublishInput
                {
                    Topic = topic,
                    Key = key,
                    Value = "v",
                    CommandLineParameters = Typed("Topic", "Key", "Value"),
                })));
            }

            await Task.WhenAll(pending);
        }

        var read = await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Beginning });
        Assert.Equal(keys.Length, read.Count);
        return read.ToDictionary(m => m.Key!, m => m.Partition, StringComparer.Ordinal);
    }

    [Fact]
    public async Task Keyed_messages_land_on_the_murmur2_partitions_of_the_java_client()
    {
        // Expected partitions on 6 partitions: Java's / kafka-python's murmur2 (the conformance suite checks 100+ keys
        // against kafka-python itself); librdkafka's CRC32 default put abc, order-1, order-3 on 0, 1 and 5.
        var placed = await PlaceKeysAsync(fx.Topic(6), null, "abc", "order-1", "order-3");
        Assert.Equal((3, 4, 3), (placed["abc"], placed["order-1"], placed["order-3"]));
    }

    [Fact]
    public async Task Partitioner_chooses_another_librdkafka_partitioner()
    {
        var placed = await PlaceKeysAsync(fx.Topic(6), "consistent_random", "abc", "order-1", "order-3");
        Assert.Equal((0, 1, 5), (placed["abc"], placed["order-1"], placed["order-3"]));
    }

    [Fact]
    public async Task An_unknown_partitioner_sends_nothing()
    {
        var topic = fx.Topic(1);
        var ex = Assert.Throws<KafkaCatalogException>(() => new MessagePublisher(fx.Factory(), partitioner: "crc32"));
        Assert.Equal("PartitionerInvalid", ex.ErrorId);
        Assert.Empty(await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Beginning }));
    }
    /// <summary>A topic of 3 partitions with 10 messages each, and a group that committed 4 in partition 0 and 10 in partition 2.</summary>
    private async Task<(string Topic, string Group)> GroupBacklogAsync()
    {
        var topic = fx.Topic(3);
        for (var p = 0; p < 3; p++)
        {
            await fx.SetLogAsync(topic, p, 0, 10);
        }

        var group = GroupsFixture.Unique("mage-group");
        await fx.CommitAsync(group, topic, 0, 4);
        await fx.CommitAsync(group, topic, 2, 10);
        return (topic, group);
    }

    [Theory]
    [InlineData(KafkaOffsetReset.Earliest, 16)]
    [InlineData(KafkaOffsetReset.Latest, 6)]
    public async Task Reading_from_a_group_starts_where_it_would_resume_and_never_commits(KafkaOffsetReset reset, int expected)
    {
        var (topic, group) = await GroupBacklogAsync();
        var read = await ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Committed, GroupId = group, NoOffsetReset = reset });

        Assert.Equal(expected, read.Count);
        Assert.All(read.Where(m => m.Partition == 0), m => Assert.True(m.Offset >= 4));
        Assert.DoesNotContain(read, m => m.Partition == 2);
        Assert.Equal(reset == KafkaOffsetReset.Earliest ? 10 : 0, read.Count(m => m.Partition == 1));
        Assert.Equal(new long?[] { 4, null, 10 }, await fx.Target.CommittedAsync(group, topic, 3));
    }

    [Fact]
    public async Task Reading_from_a_group_with_reset_none_and_a_partition_without_offset_is_GroupOffsetMissing()
    {
        var (topic, group) = await GroupBacklogAsync();
        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => ReceiveAsync(new ReceiveRequest { Topic = topic, Start = MessageStartPosition.Committed, GroupId = group, NoOffsetReset = KafkaOffsetReset.None }));
        Assert.Equal("GroupOffsetMissing", ex.ErrorId);
        Assert.Equal(new long?[] { 4, null, 10 }, await fx.Target.CommittedAsync(group, topic, 3));
    }
}
