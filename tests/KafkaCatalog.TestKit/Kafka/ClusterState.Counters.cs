namespace KafkaCatalog.TestKit.Kafka;

public sealed partial class ClusterState
{
    private int _allTopicsMetadataRequests;

    /// <summary>
    /// Metadata requests that asked for every topic. A client's own background refreshes ask for
    /// known topics or for brokers only, so this counts what a listing really sent.
    /// </summary>
    public int AllTopicsMetadataRequests => Volatile.Read(ref _allTopicsMetadataRequests);

    internal void CountAllTopicsMetadataRequest() => Interlocked.Increment(ref _allTopicsMetadataRequests);
}
