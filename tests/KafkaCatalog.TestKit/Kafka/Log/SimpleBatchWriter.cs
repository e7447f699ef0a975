using System.Buffers.Binary;
using System.Text;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.TestKit.Kafka.Log;

/// <summary>One record to seed: key, value, timestamp and headers (UTF-8 strings).</summary>
public sealed record SeedRecord(string? Key, string? Value, long TimestampMs, IReadOnlyList<KeyValuePair<string, string?>>? Headers = null);

/// <summary>Writes uncompressed magic-2 record batches (used to seed partitions without a client).</summary>
public static class SimpleBatchWriter
{
    public static byte[] Write(IReadOnlyList<SeedRecord> records)
    {
        if (records.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one record.", nameof(records));
        }

        var baseTs = records[0].TimestampMs;
        var body = new KafkaWriter();
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var rec = new KafkaWriter();
            rec.WriteInt8(0);
            rec.WriteVarlong(r.TimestampMs - baseTs);
            rec.WriteVarint(i);
            WriteVarBytes(rec, r.Key);
            WriteVarBytes(rec, r.Value);
            var headers = r.Headers ?? Array.Empty<KeyValuePair<string, string?>>();
            rec.WriteVarint(headers.Count);
            foreach (var h in headers)
            {
                WriteVarBytes(rec, h.Key);
                WriteVarBytes(rec, h.Value);
            }
            body.WriteVarint(rec.Length);
            body.WriteRaw(rec.WrittenSpan);
        }
        var w = new KafkaWriter();
        w.WriteInt64(0);
        w.WriteInt32(0);
        w.WriteInt32(-1);
        w.WriteInt8(2);
        w.WriteUInt32(0);
        w.WriteInt16(0);
        w.WriteInt32(records.Count - 1);
        w.WriteInt64(baseTs);
        w.WriteInt64(records.Max(r => r.TimestampMs));
        w.WriteInt64(-1);
        w.WriteInt16(-1);
        w.WriteInt32(-1);
        w.WriteInt32(records.Count);
        w.WriteRaw(body.WrittenSpan);
        var bytes = w.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), bytes.Length - 12);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17), Crc32C.Compute(bytes.AsSpan(21)));
        return bytes;
    }

    private static void WriteVarBytes(KafkaWriter w, string? s)
    {
        if (s is null)
        {
            w.WriteVarint(-1);
            return;
        }
        var b = Encoding.UTF8.GetBytes(s);
        w.WriteVarint(b.Length);
        w.WriteRaw(b);
    }
}
