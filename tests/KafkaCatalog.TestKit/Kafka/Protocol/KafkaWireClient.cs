using System.Buffers.Binary;
using System.Net.Sockets;

namespace KafkaCatalog.TestKit.Kafka.Protocol;

/// <summary>
/// A minimal schema-driven Kafka client for protocol-level tests: sends any request at any
/// version and decodes the response with the same JSON definitions. Not thread-safe.
/// </summary>
public sealed class KafkaWireClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private int _correlation;

    private KafkaWireClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public string ClientId { get; set; } = "testkit-wire";

    public static async Task<KafkaWireClient> ConnectAsync(string host, int port, CancellationToken ct = default)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
        return new KafkaWireClient(tcp, tcp.GetStream());
    }

    /// <summary>The stream, for tests that wrap it or write raw frames.</summary>
    public Stream Stream => _stream;

    /// <summary>A new request body for an API.</summary>
    public static Message NewRequest(short apiKey) => KafkaSchema.Request(apiKey)!.NewMessage();

    /// <summary>Writes one request frame and returns its correlation id (does not wait).</summary>
    public async Task<int> SendAsync(short apiKey, short version, Message body, CancellationToken ct = default)
    {
        var spec = KafkaSchema.Request(apiKey)!;
        var correlationId = ++_correlation;
        var w = new KafkaWriter();
        w.WriteInt32(0);
        w.WriteInt16(apiKey);
        w.WriteInt16(version);
        w.WriteInt32(correlationId);
        w.WriteString(ClientId, compact: false);
        if (spec.IsFlexible(version))
        {
            w.WriteUVarint(0);
        }

        MessageCodec.Write(spec, body, w, version);
        w.PatchInt32(0, w.Length - 4);
        await _stream.WriteAsync(w.ToArray(), ct).ConfigureAwait(false);
        await _stream.FlushAsync(ct).ConfigureAwait(false);
        return correlationId;
    }

    /// <summary>Reads one response frame; null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync(CancellationToken ct = default)
    {
        var size = new byte[4];
        if (!await ReadExactAsync(size, ct).ConfigureAwait(false))
        {
            return null;
        }

        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        return await ReadExactAsync(frame, ct).ConfigureAwait(false) ? frame : null;
    }

    /// <summary>Reads and decodes one response (header v0/v1 chosen like Kafka does).</summary>
    public async Task<(int CorrelationId, Message Body)> ReceiveAsync(short apiKey, short version, CancellationToken ct = default)
    {
        var frame = await ReadFrameAsync(ct).ConfigureAwait(false) ?? throw new IOException("Connection closed by the broker.");
        return DecodeResponse(frame, apiKey, version);
    }

    public static (int CorrelationId, Message Body) DecodeResponse(byte[] frame, short apiKey, short version)
    {
        var spec = KafkaSchema.Response(apiKey)!;
        var r = new KafkaReader(frame);
        var correlationId = r.ReadInt32();
        if (spec.IsFlexible(version) && apiKey != ApiKeys.ApiVersions)
        {
            var n = r.ReadUVarint();
            for (var i = 0; i < n; i++)
            {
                r.ReadUVarint();
                r.TakeMemory((int)r.ReadUVarint());
            }
        }
        return (correlationId, MessageCodec.Read(spec, r, version));
    }

    /// <summary>Sends a request and waits for its response.</summary>
    public async Task<Message> RequestAsync(short apiKey, short version, Message body, CancellationToken ct = default)
    {
        var id = await SendAsync(apiKey, version, body, ct).ConfigureAwait(false);
        var (cid, resp) = await ReceiveAsync(apiKey, version, ct).ConfigureAwait(false);
        if (cid != id)
        {
            throw new IOException($"Correlation id mismatch: sent {id}, got {cid}.");
        }

        return resp;
    }

    private async Task<bool> ReadExactAsync(byte[] buf, CancellationToken ct)
    {
        var read = 0;
        while (read < buf.Length)
        {
            var n = await _stream.ReadAsync(buf.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
