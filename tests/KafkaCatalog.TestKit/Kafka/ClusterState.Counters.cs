using System.Collections.Concurrent;

namespace KafkaCatalog.TestKit.Kafka;

public sealed partial class ClusterState
{
    private readonly ConcurrentDictionary<string, int> _allTopicsMetadataByClient = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ClientId, string GroupId, short Version), int> _groupDescriptions = new();
    private int _allTopicsMetadataRequests;

    /// <summary>
    /// Metadata requests that asked for every topic. A client's own background refreshes ask for
    /// known topics or for brokers only, so this counts what a listing really sent.
    /// </summary>
    public int AllTopicsMetadataRequests => Volatile.Read(ref _allTopicsMetadataRequests);

    /// <summary>All-topic metadata requests that clients with this client.id sent (counted when answered).</summary>
    public int AllTopicsMetadataRequestsBy(string clientId) => _allTopicsMetadataByClient.GetValueOrDefault(clientId);

    /// <summary>
    /// How many times clients with this client.id asked DescribeGroups about <paramref name="groupId"/>, by request
    /// version (librdkafka's group listing and its admin DescribeConsumerGroups use different versions). One
    /// request may name many groups; each named group counts once.
    /// </summary>
    public IReadOnlyDictionary<short, int> GroupDescriptionsBy(string clientId, string groupId) =>
        _groupDescriptions.Where(kv => kv.Key.ClientId == clientId && kv.Key.GroupId == groupId).ToDictionary(kv => kv.Key.Version, kv => kv.Value);

    /// <summary>Every DescribeGroups naming <paramref name="groupId"/>: "client.id vVersion: count" (for failure messages).</summary>
    public string DescribeGroupsLog(string groupId) =>
        string.Join(", ", _groupDescriptions.Where(kv => kv.Key.GroupId == groupId).OrderBy(kv => kv.Key.ClientId, StringComparer.Ordinal).ThenBy(kv => kv.Key.Version).Select(kv => $"{kv.Key.ClientId} v{kv.Key.Version}: {kv.Value}"));

    internal void CountAllTopicsMetadataRequest(string? clientId)
    {
        Interlocked.Increment(ref _allTopicsMetadataRequests);
        _allTopicsMetadataByClient.AddOrUpdate(clientId ?? string.Empty, 1, (_, n) => n + 1);
    }

    internal void CountGroupDescription(string? clientId, string groupId, short version) =>
        _groupDescriptions.AddOrUpdate((clientId ?? string.Empty, groupId, version), 1, (_, n) => n + 1);
}
