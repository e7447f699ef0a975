using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.TestKit.Kafka.Server;

/// <summary>The TCP listener of one broker and its connection loops.</summary>
internal sealed class BrokerServer
{
    private readonly KafkaTestCluster _cluster;
    private readonly ConcurrentDictionary<TcpClient, Socket> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _cts;
    private Task? _acceptLoop;

    public BrokerServer(KafkaTestCluster cluster, BrokerState broker)
    {
        _cluster = cluster;
        Broker = broker;
    }

    public BrokerState Broker { get; }

    public bool IsListening => _listener is not null;

    public void Start(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(128);
        Broker.Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _cts = new CancellationTokenSource();
        _acceptLoop = AcceptLoopAsync(listener, _cts.Token);
    }

    public async Task StopAsync()
    {
        var listener = _listener;
        if (listener is null)
        {
            return;
        }

        _listener = null;
        _cts!.Cancel();
        listener.Stop();
        DropConnections();
        try
        {
            await _acceptLoop!.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _cts.Dispose();
    }

    public int DropConnections()
    {
        var n = 0;
        foreach (var c in _connections.Keys)
        {
            // The socket is captured at accept time: TcpClient.Client turns null once the
            // connection loop has disposed the client concurrently.
            if (!_connections.TryRemove(c, out var socket))
            {
                continue;
            }

            n++;
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            c.Dispose();
        }
        return n;
    }

    public int ConnectionCount => _connections.Count;

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            client.NoDelay = true;
            var socket = client.Client;
            _connections[client] = socket;
            _ = Task.Run(() => ServeConnectionAsync(client, socket, ct), CancellationToken.None);
        }
    }

    private async Task ServeConnectionAsync(TcpClient client, Socket socket, CancellationToken ct)
    {
        try
        {
            var conn = new ConnectionState { BrokerId = Broker.Id, RemoteEndPoint = socket.RemoteEndPoint };
            Stream stream = client.GetStream();
            var auth = _cluster.Options.Authenticator;
            if (auth is not null)
            {
                stream = await auth.OnConnectedAsync(conn, stream, ct).ConfigureAwait(false);
            }

            await using (stream.ConfigureAwait(false))
            {
                var sender = new ResponseSender(stream, () => _cluster.Faults.NetworkLatency, ct);
                await using (sender.ConfigureAwait(false))
                {
                    await ServeFramesAsync(conn, stream, sender, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            _cluster.Log($"broker {Broker.Id}: connection error: {ex}");
        }
        finally
        {
            _connections.TryRemove(client, out _);
            client.Dispose();
        }
    }

    private async Task ServeFramesAsync(ConnectionState conn, Stream stream, ResponseSender sender, CancellationToken ct)
    {
        var sizeBuf = new byte[4];
        while (!ct.IsCancellationRequested)
        {
            if (!await ReadExactAsync(stream, sizeBuf, ct).ConfigureAwait(false))
            {
                return;
            }

            var size = BinaryPrimitives.ReadInt32BigEndian(sizeBuf);
            if (size < 0 || size > _cluster.Options.MaxFrameBytes)
            {
                return;
            }

            var frame = new byte[size];
            if (!await ReadExactAsync(stream, frame, ct).ConfigureAwait(false))
            {
                return;
            }

            var arrived = Stopwatch.GetTimestamp();
            if (!await ProcessFrameAsync(conn, sender, frame, arrived, ct).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private static async Task<bool> ReadExactAsync(Stream s, byte[] buf, CancellationToken ct)
    {
        var read = 0;
        while (read < buf.Length)
        {
            var n = await s.ReadAsync(buf.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }
        return true;
    }

    /// <summary>Handles one frame; false closes the connection.</summary>
    private async Task<bool> ProcessFrameAsync(ConnectionState conn, ResponseSender sender, byte[] frame, long arrived, CancellationToken ct)
    {
        if (conn.RawFrameHandler is { } raw)
        {
            conn.RawFrameHandler = null;
            var result = await raw(frame, ct).ConfigureAwait(false);
            if (result.Response is not null)
            {
                var w = new KafkaWriter();
                w.WriteInt32(result.Response.Length);
                w.WriteRaw(result.Response);
                await sender.SendAsync(w.ToArray(), arrived).ConfigureAwait(false);
            }
            return !result.Close;
        }

        var r = new KafkaReader(frame);
        var apiKey = r.ReadInt16();
        var apiVersion = r.ReadInt16();
        var correlationId = r.ReadInt32();
        var handler = HandlerRegistry.Find(apiKey);
        var reqSpec = KafkaSchema.Request(apiKey);
        var range = handler is null ? null : _cluster.AdvertisedRange(handler);

        if (apiKey == ApiKeys.ApiVersions && (range is null || apiVersion > range.Value.Max || apiVersion < range.Value.Min))
        {
            // KIP-511: answer an unknown ApiVersions version in the v0 layout with error 35 and
            // the ApiVersions range, never close (librdkafka then retries with v0).
            var resp = KafkaSchema.Response(ApiKeys.ApiVersions)!.NewMessage();
            resp.Set("ErrorCode", ErrorCode.UnsupportedVersion);
            var k = resp.AddElement("ApiKeys");
            k.Set("ApiKey", ApiKeys.ApiVersions);
            k.Set("MinVersion", range?.Min ?? 0);
            k.Set("MaxVersion", range?.Max ?? 0);
            await sender.SendAsync(ResponseFrame(ApiKeys.ApiVersions, 0, correlationId, false, resp), arrived).ConfigureAwait(false);
            return true;
        }

        if (handler is null || range is null || reqSpec is null || apiVersion < range.Value.Min || apiVersion > range.Value.Max)
        {
            _cluster.Log($"broker {Broker.Id}: unsupported request key {apiKey} v{apiVersion}; closing connection");
            return false;
        }

        var flexible = reqSpec.IsFlexible(apiVersion);
        var clientId = r.ReadString(compact: false);
        if (flexible)
        {
            SkipTaggedFields(r);
        }

        var auth = _cluster.Options.Authenticator;
        if (auth is not null && !auth.IsAllowed(conn, apiKey))
        {
            _cluster.Log($"broker {Broker.Id}: request key {apiKey} not allowed before authentication; closing connection");
            return false;
        }

        Message request;
        try
        {
            request = MessageCodec.Read(reqSpec, r, apiVersion);
        }
        catch (KafkaProtocolException ex)
        {
            _cluster.Log($"broker {Broker.Id}: cannot decode key {apiKey} v{apiVersion}: {ex.Message}; closing connection");
            return false;
        }

        var ctx = new RequestContext
        {
            Cluster = _cluster,
            Broker = Broker,
            Connection = conn,
            ApiKey = apiKey,
            ApiVersion = apiVersion,
            CorrelationId = correlationId,
            ClientId = clientId,
        };

        var delay = _cluster.Faults.LatencyFor(Broker.Id, apiKey);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }

        Message? response;
        if (_cluster.Faults.TakeInjectedError(Broker.Id, apiKey) is { } injected)
        {
            // Produce with acks=0 never gets a response, not even an injected error.
            response = apiKey == ApiKeys.Produce && request.GetInt16("Acks") == 0 ? null : ErrorResponses.Build(ctx, request, injected);
        }
        else
        {
            try
            {
                response = await handler.HandleAsync(ctx, request, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                _cluster.Log($"broker {Broker.Id}: handler for key {apiKey} v{apiVersion} failed: {ex}");
                response = ErrorResponses.Build(ctx, request, ErrorCode.UnknownServerError);
            }
        }
        _cluster.RecordRequest(Broker.Id, apiKey, apiVersion, clientId);
        if (response is null)
        {
            return true;
        }

        var flexibleHeader = flexible && apiKey != ApiKeys.ApiVersions;
        await sender.SendAsync(ResponseFrame(apiKey, apiVersion, correlationId, flexibleHeader, response), arrived).ConfigureAwait(false);
        return true;
    }

    private static void SkipTaggedFields(KafkaReader r)
    {
        var n = r.ReadUVarint();
        for (var i = 0; i < n; i++)
        {
            r.ReadUVarint();
            r.TakeMemory((int)r.ReadUVarint());
        }
    }

    private static byte[] ResponseFrame(short apiKey, short version, int correlationId, bool flexibleHeader, Message body)
    {
        var w = new KafkaWriter();
        w.WriteInt32(0);
        w.WriteInt32(correlationId);
        if (flexibleHeader)
        {
            w.WriteUVarint(0);
        }

        MessageCodec.Write(KafkaSchema.Response(apiKey)!, body, w, version);
        w.PatchInt32(0, w.Length - 4);
        return w.ToArray();
    }
}
