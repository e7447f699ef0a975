using System.Buffers.Binary;
using System.Text;
using KafkaCatalog.TestKit.Kafka.Log;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>Builds uncompressed magic-2 record batches for wire-level tests.</summary>
internal static class TestBatches
{
    public static byte[] Build(long baseTimestamp, params string[] values)
    {
        var records = new KafkaWriter();
        for (var i = 0; i < values.Length; i++)
        {
            var rec = new KafkaWriter();
            rec.WriteInt8(0);
            rec.WriteVarlong(i);
            rec.WriteVarint(i);
            rec.WriteVarint(-1);
            var v = Encoding.UTF8.GetBytes(values[i]);
            rec.WriteVarint(v.Length);
            rec.WriteRaw(v);
            rec.WriteVarint(0);
            records.WriteVarint(rec.Length);
            records.WriteRaw(rec.WrittenSpan);
        }
        var w = new KafkaWriter();
        w.WriteInt64(0);
        w.WriteInt32(0);
        w.WriteInt32(-1);
        w.WriteInt8(2);
        w.WriteUInt32(0);
        w.WriteInt16(0);
        w.WriteInt32(values.Length - 1);
        w.WriteInt64(baseTimestamp);
        w.WriteInt64(baseTimestamp + values.Length - 1);
        w.WriteInt64(-1);
        w.WriteInt16(-1);
        w.WriteInt32(-1);
        w.WriteInt32(values.Length);
        w.WriteRaw(records.WrittenSpan);
        var bytes = w.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), bytes.Length - 12);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17), Crc32C.Compute(bytes.AsSpan(21)));
        return bytes;
    }

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
