namespace KafkaCatalog.TestKit.Kafka;

public sealed partial class ClusterState
{
    private long _nextProducerId = 1000;
    private readonly Dictionary<long, short> _producerEpochs = new();

    /// <summary>A new producer id (epoch 0), or the same id with the next epoch when a known one is given.</summary>
    public (long ProducerId, short Epoch) NextProducerId(long existingId = -1, short existingEpoch = -1)
    {
        lock (Sync)
        {
            if (existingId >= 0 && _producerEpochs.TryGetValue(existingId, out var e) && e == existingEpoch && e < short.MaxValue - 1)
            {
                _producerEpochs[existingId] = (short)(e + 1);
                return (existingId, (short)(e + 1));
            }
            var id = _nextProducerId++;
            _producerEpochs[id] = 0;
            return (id, 0);
        }
    }

    /// <summary>Topic names, for checks that must not hold the lock long.</summary>
    internal IReadOnlyList<string> TopicsUnlockedSnapshot()
    {
        lock (Sync)
        {
            return _topics.Keys.ToList();
        }
    }
}
