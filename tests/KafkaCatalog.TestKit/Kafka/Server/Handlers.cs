using System.Net;
using System.Reflection;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.TestKit.Kafka.Server;

/// <summary>
/// One Kafka API served by the test broker. Implementations are discovered by reflection
/// (<see cref="HandlerRegistry"/>): any non-abstract class in this assembly implementing this
/// interface with a public parameterless constructor is registered. ApiVersions advertises
/// exactly [MinVersion, MaxVersion] for each registered key (MinVersion should be 0: old
/// librdkafka turns features off when v0 is missing).
/// </summary>
public interface IKafkaApiHandler
{
    short ApiKey { get; }
    short MinVersion { get; }
    short MaxVersion { get; }

    /// <summary>
    /// Handles one decoded request. Return the response body (build it with
    /// <see cref="RequestContext.NewResponse"/>), or null to send no response at all
    /// (Produce with acks=0).
    /// </summary>
    ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct);
}

/// <summary>
/// Hook run for every connection: wraps the stream (TLS), and gates requests before
/// authentication. Set it on <see cref="KafkaTestClusterOptions.Authenticator"/>.
/// When <see cref="IsAllowed"/> returns false the broker closes the connection, as Kafka does
/// for a request sent in an illegal SASL state.
/// </summary>
public interface IConnectionAuthenticator
{
    /// <summary>Called once per accepted connection; returns the stream to use (e.g. an SslStream).</summary>
    ValueTask<Stream> OnConnectedAsync(ConnectionState connection, Stream stream, CancellationToken ct);

    /// <summary>Whether a request of this API may be processed in the connection's current state.</summary>
    bool IsAllowed(ConnectionState connection, short apiKey);
}

/// <summary>Result of a raw (header-less) frame handler: bytes to send back framed, or close.</summary>
public readonly record struct RawFrameResult(byte[]? Response, bool Close);

/// <summary>Per-connection state, shared by all requests of one TCP connection.</summary>
public sealed class ConnectionState
{
    public required int BrokerId { get; init; }
    public required EndPoint? RemoteEndPoint { get; init; }

    /// <summary>The authenticated principal; "User:ANONYMOUS" on plaintext listeners.</summary>
    public string Principal { get; set; } = "User:ANONYMOUS";

    /// <summary>True once the connection may send any request (always true without SASL).</summary>
    public bool IsAuthenticated { get; set; } = true;

    /// <summary>The security protocol of the listener: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL.</summary>
    public string SecurityProtocol { get; set; } = "PLAINTEXT";

    /// <summary>
    /// When set, the NEXT frame is handed to this function raw (no Kafka header): SASL v0
    /// framing after SaslHandshake v0. It is cleared before the call; set it again from inside
    /// to consume further raw frames.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<RawFrameResult>>? RawFrameHandler { get; set; }

    /// <summary>Free-form per-connection items for handlers (SASL exchange state ...).</summary>
    public Dictionary<string, object?> Items { get; } = new(StringComparer.Ordinal);
}

/// <summary>Everything a handler needs about the request being served.</summary>
public sealed class RequestContext
{
    public required KafkaTestCluster Cluster { get; init; }
    public required BrokerState Broker { get; init; }
    public required ConnectionState Connection { get; init; }
    public required short ApiKey { get; init; }
    public required short ApiVersion { get; init; }
    public required int CorrelationId { get; init; }
    public required string? ClientId { get; init; }

    public ClusterState State => Cluster.State;
    public int BrokerId => Broker.Id;
    public string Principal => Connection.Principal;

    public MessageSpec RequestSpec => KafkaSchema.Request(ApiKey)!;
    public MessageSpec ResponseSpec => KafkaSchema.Response(ApiKey)!;

    /// <summary>A new, empty response body for this API (unset fields encode as their defaults).</summary>
    public Message NewResponse() => ResponseSpec.NewMessage();
}

/// <summary>All registered API handlers, found by reflection.</summary>
public static class HandlerRegistry
{
    private static readonly Lazy<IReadOnlyDictionary<short, IKafkaApiHandler>> Lazy = new(Discover);

    public static IReadOnlyDictionary<short, IKafkaApiHandler> Handlers => Lazy.Value;

    public static IKafkaApiHandler? Find(short apiKey) => Handlers.GetValueOrDefault(apiKey);

    private static IReadOnlyDictionary<short, IKafkaApiHandler> Discover()
    {
        var d = new SortedDictionary<short, IKafkaApiHandler>();
        foreach (var t in typeof(HandlerRegistry).Assembly.GetTypes())
        {
            if (t.IsAbstract || t.IsInterface || !typeof(IKafkaApiHandler).IsAssignableFrom(t))
            {
                continue;
            }

            if (t.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes) is null)
            {
                continue;
            }

            var h = (IKafkaApiHandler)Activator.CreateInstance(t, nonPublic: true)!;
            if (d.TryGetValue(h.ApiKey, out var existing))
            {
                throw new InvalidOperationException($"Two handlers for API key {h.ApiKey}: {existing.GetType().Name} and {t.Name}.");
            }

            d[h.ApiKey] = h;
        }
        return d;
    }
}
