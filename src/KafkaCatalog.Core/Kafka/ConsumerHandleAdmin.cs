using Confluent.Kafka;

namespace KafkaCatalog.Core.Kafka;

/// <summary>See <see cref="KafkaClientFactory.GroupAdminClient"/>: a consumer that is only polled, and an admin client on its handle.</summary>
internal sealed class ConsumerHandleAdmin : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _poller;

    public ConsumerHandleAdmin(KafkaClientFactory owner)
    {
        _consumer = owner.CreateConsumer("kafkacatalog-admin-" + Guid.NewGuid().ToString("N"));
        Admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
        _poller = new Thread(Poll) { IsBackground = true, Name = "KafkaCatalog group admin poll" };
        _poller.Start();
    }

    public IAdminClient Admin { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _poller.Join(TimeSpan.FromSeconds(5));
        Admin.Dispose();
        try
        {
            // Never subscribed: nothing to commit or leave.
            _consumer.Close();
        }
        catch (KafkaException)
        {
        }

        _consumer.Dispose();
        _stop.Dispose();
    }

    private void Poll()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Nothing is assigned: this only serves the handle's callbacks.
                _consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException)
            {
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
