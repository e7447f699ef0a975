using KafkaCatalog.TestKit.Kafka.Log;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>Builds uncompressed magic-2 record batches for wire-level tests.</summary>
internal static class TestBatches
{
    // Record i gets timestamp baseTimestamp + i, no key and no headers.
    public static byte[] Build(long baseTimestamp, params string[] values) =>
        SimpleBatchWriter.Write(values.Select((value, i) => new SeedRecord(null, value, baseTimestamp + i)).ToList());

    public static Message ProduceRequest(string topic, int partition, short acks, byte[] records)
    {
        var req = KafkaWireClient.NewRequest(ApiKeys.Produce);
        req.Set("Acks", acks);
        req.Set("TimeoutMs", 5000);
        var td = req.AddElement("TopicData");
        td.Set("Name", topic);
        var pd = td.AddElement("PartitionData");
        pd.Set("Index", partition);
        pd.Set("Records", records);
        return req;
    }
}
