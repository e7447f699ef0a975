using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Messages;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Publishes messages. Three ways in:
/// <list type="bullet">
/// <item>parameters: -Topic, -Key, -Value (text as UTF-8, bytes as they are), -Headers, -Timestamp, -Partition;</item>
/// <item>piped Receive-KafkaMessage output (bound by property name): copied byte for byte; a typed -Topic
/// (or any typed parameter) wins over the piped value, and the piped partition is dropped when -Topic is typed;</item>
/// <item>any other piped object, in Mage's exporter format <c>@{ data = ...; metadata = @{ dest_topic; key; time } }</c>
/// or plain (sent whole as JSON), with -Topic as the default topic.</item>
/// </list>
/// Messages are sent without waiting for each acknowledgement; delivery results are emitted in order.
/// </summary>
[Cmdlet(VerbsData.Publish, "KafkaMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KafkaDeliveryResult))]
public sealed class PublishKafkaMessageCommand : KafkaCmdlet
{
    private static readonly string[] MessageParameters = ["Topic", "Key", "Value", "Headers", "Timestamp", "Partition"];

    private readonly DeliveryQueue _inFlight = new();
    private readonly Dictionary<KafkaClientFactory, MessagePublisher> _publishers = [];
    private HashSet<string> _typed = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The topic (for Mage-format input: the default topic, overridden by metadata.dest_topic).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string? Topic { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? Key { get; set; }

    /// <summary>Text (sent as UTF-8), a byte array (sent as is), $null (a tombstone), or any object (sent as JSON).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public object? Value { get; set; }

    /// <summary>Headers: a hashtable of name = value.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public object? Headers { get; set; }

    /// <summary>The message's create time; now when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The partition; chosen from the key when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    public int? Partition { get; set; }

    /// <summary>
    /// How a key picks its partition when -Partition is not given: a librdkafka partitioner. murmur2_random (the default)
    /// places keys as the Java client, kafka-python and Mage do; consistent_random is librdkafka's own CRC32 default.
    /// </summary>
    [Parameter]
    [ValidateSet("murmur2_random", "murmur2", "consistent_random", "consistent", "fnv1a_random", "fnv1a", "random")]
    public string? Partitioner { get; set; }

    /// <summary>Objects to publish: Receive-KafkaMessage output, Mage-format messages, or anything (sent as JSON).</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public object? InputObject { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();

        // Only what the user typed is bound before the first record.
        _typed = new HashSet<string>(MyInvocation.BoundParameters.Keys.Where(MessageParameters.Contains), StringComparer.OrdinalIgnoreCase);
    }

    protected override void ProcessRecord()
    {
        var fromPipeline = new HashSet<string>(
            MyInvocation.BoundParameters.Keys.Where(k => MessageParameters.Contains(k) && !_typed.Contains(k)),
            StringComparer.OrdinalIgnoreCase);
        // The connection first: its profile may name the default topic and the partitioner (-Property partitioner).
        Core.Connections.KafkaConnectionOptions options;
        try
        {
            options = ResolveConnection().GetOptions();
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        OutgoingKafkaMessage message;
        string partitioner;
        try
        {
            partitioner = KafkaPartitioners.Resolve(Partitioner, options.Properties);
            message = MessagePublishResolver.Resolve(new PublishInput
            {
                InputObject = PlainObject.From(InputObject),
                Topic = Topic,
                DefaultTopic = options.DefaultTopic,
                Key = Key,
                Value = PlainObject.From(Value),
                Headers = PlainObject.From(Headers),
                Timestamp = Timestamp,
                Partition = Partition,
                CommandLineParameters = _typed,
                PipelineParameters = fromPipeline,
            });
        }
        catch (KafkaCatalogException ex)
        {
            WriteError(ToErrorRecord(ex));
            return;
        }

        var target = DeliveryQueue.Describe(message, partitioner);
        if (!Approval().Approve(target, "Publish"))
        {
            return;
        }

        RunWithClient(async (factory, sink, token) =>
        {
            if (!_publishers.TryGetValue(factory, out var publisher))
            {
                // The producer outlives this record; its log must not write to a finished pipeline step.
                publisher = new MessagePublisher(factory, NullOperationSink.Instance, partitioner: Partitioner);
                _publishers[factory] = publisher;
            }

            try
            {
                // The acknowledgement is awaited in a later record or at the end: its wait lives as long as the
                // command (Ctrl+C ends it), not as long as this record's worker.
                var delivery = await publisher.SendAsync(message, token, StopToken).ConfigureAwait(false);
                _inFlight.Add(delivery);
            }
            catch (KafkaCatalogException ex)
            {
                EmitItemError(ex);
            }

            // Emit what is already acknowledged, in order.
            foreach (var done in _inFlight.TakeCompleted())
            {
                await EmitDeliveryAsync(done).ConfigureAwait(false);
            }
        });
    }

    protected override void EndProcessing()
    {
        if (_inFlight.Count > 0)
        {
            RunAsync(async token =>
            {
                foreach (var delivery in _inFlight.TakeAll(token))
                {
                    await EmitDeliveryAsync(delivery).ConfigureAwait(false);
                }
            });
        }

        DisposePublishers();
        base.EndProcessing();
    }

    protected override void OnDispose()
    {
        DisposePublishers();
        base.OnDispose();
    }

    private async Task EmitDeliveryAsync(Task<KafkaDeliveryResult> delivery)
    {
        try
        {
            Emit(await delivery.ConfigureAwait(false));
        }
        catch (KafkaCatalogException ex)
        {
            EmitItemError(ex);
        }
    }

    private void DisposePublishers()
    {
        foreach (var publisher in _publishers.Values)
        {
            publisher.Dispose();
        }

        _publishers.Clear();
    }
}
