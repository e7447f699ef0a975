using System.Collections.Concurrent;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// Where a factory's librdkafka log and error lines go: every attached <see cref="IOperationSink"/>
/// (as verbose lines, never the console) plus the client's own sink. Runs on librdkafka's threads.
/// </summary>
internal sealed class KafkaClientLog
{
    private readonly ConcurrentDictionary<IOperationSink, byte> _sinks = new();

    /// <summary>Routes the lines to <paramref name="sink"/> until the lease is disposed.</summary>
    public IDisposable Attach(IOperationSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sinks[sink] = 0;
        return new SinkLease(this, sink);
    }

    public void Clear() => _sinks.Clear();

    // Runs on librdkafka's threads: an exception must never travel back into native code.
    public void Broadcast(string line, IOperationSink? extra)
    {
        foreach (var sink in _sinks.Keys)
        {
            Tell(sink, line);
        }

        if (extra is not null)
        {
            Tell(extra, line);
        }
    }



    private static void Tell(IOperationSink sink, string line)
    {
        try
        {
            sink.Verbose(line);
        }
        catch (Exception)
        {
            // A sink whose command has ended; the line has nowhere to go.
        }
    }

    private sealed class SinkLease(KafkaClientLog owner, IOperationSink sink) : IDisposable
    {
        public void Dispose() => owner._sinks.TryRemove(sink, out _);
    }
}
