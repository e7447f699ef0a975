using System.Diagnostics;
using System.Threading.Channels;

namespace KafkaCatalog.TestKit.Kafka.Server;

/// <summary>
/// Writes one connection's responses in request order, each no earlier than the network latency
/// after its request arrived. The broker reads and handles the next request as soon as a response
/// is handed over, so pipelined requests overlap their round trips the way they do on a real
/// network: Kafka handles one request per connection at a time (its SocketServer mutes a channel
/// until the response is sent, not until the client has it) and answers in order.
/// </summary>
internal sealed class ResponseSender : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly Func<TimeSpan> _latency;
    private readonly CancellationToken _ct;
    private Channel<(byte[] Bytes, long Due)>? _queue;
    private Task? _writer;

    public ResponseSender(Stream stream, Func<TimeSpan> latency, CancellationToken ct)
    {
        _stream = stream;
        _latency = latency;
        _ct = ct;
    }

    /// <summary>Sends a response whose request was read at <paramref name="arrived"/> (Stopwatch ticks).</summary>
    public async ValueTask SendAsync(byte[] frame, long arrived)
    {
        var latency = _latency();
        if (_queue is null && latency <= TimeSpan.Zero)
        {
            await _stream.WriteAsync(frame, _ct).ConfigureAwait(false);
            await _stream.FlushAsync(_ct).ConfigureAwait(false);
            return;
        }

        // Once a response has been queued, every later one is queued too, so order holds even
        // when the latency is switched off while responses are still on their way.
        if (_queue is null)
        {
            _queue = Channel.CreateUnbounded<(byte[], long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        }

        if (_writer!.IsCompleted)
        {
            // The writer ended (the client went away or the connection was dropped): surface it
            // to the read loop, which closes the connection.
            await _writer.ConfigureAwait(false);
            throw new IOException("the connection's response writer has stopped");
        }

        var due = arrived + (long)(Math.Max(0, latency.TotalSeconds) * Stopwatch.Frequency);
        _queue.Writer.TryWrite((frame, due));
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue!.Reader;
        while (await reader.WaitToReadAsync(_ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                // Timers count whole milliseconds and may fire a fraction early: wait until the stopwatch agrees.
                TimeSpan wait;
                while ((wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), item.Due)) > TimeSpan.Zero)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _ct).ConfigureAwait(false);
                }

                await _stream.WriteAsync(item.Bytes, _ct).ConfigureAwait(false);
                await _stream.FlushAsync(_ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Lets the responses already handed over go out, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_queue is null)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            await _writer!.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
        }
    }
}
