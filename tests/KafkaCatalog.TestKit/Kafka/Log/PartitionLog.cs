using System.Buffers.Binary;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Records;

namespace KafkaCatalog.TestKit.Kafka.Log;

/// <summary>CRC-32C (Castagnoli), as record batches v2 use it.</summary>
public static class Crc32C
{
    private static readonly uint[] Table = Build();

    private static uint[] Build()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            }

            t[i] = c;
        }
        return t;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }
}

/// <summary>
/// The fixed 61-byte header of a magic-2 record batch, read without decompressing anything.
/// (Full record decoding lives in Kafka/Records; this reader only needs offsets and timestamps.)
/// </summary>
public readonly record struct BatchHeader(
    long BaseOffset, int BatchLength, byte Magic, uint Crc, short Attributes, int LastOffsetDelta,
    long BaseTimestamp, long MaxTimestamp, long ProducerId, int RecordCount)
{
    public const int Size = 61;
    public int TotalSize => BatchLength + 12;
    public int Compression => Attributes & 7;
    public bool IsLogAppendTime => (Attributes & 8) != 0;
    public bool IsControl => (Attributes & 0x20) != 0;

    public static BatchHeader Read(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadInt64BigEndian(b),
        BinaryPrimitives.ReadInt32BigEndian(b[8..]),
        b[16],
        BinaryPrimitives.ReadUInt32BigEndian(b[17..]),
        BinaryPrimitives.ReadInt16BigEndian(b[21..]),
        BinaryPrimitives.ReadInt32BigEndian(b[23..]),
        BinaryPrimitives.ReadInt64BigEndian(b[27..]),
        BinaryPrimitives.ReadInt64BigEndian(b[35..]),
        BinaryPrimitives.ReadInt64BigEndian(b[43..]),
        BinaryPrimitives.ReadInt32BigEndian(b[57..]));
}

/// <summary>Append / read / offset lookup on a <see cref="PartitionState"/>. Callers hold ClusterState.Sync.</summary>
public static class PartitionLog
{
    /// <summary>Splits produced records into batches and validates them; returns an error code or None.</summary>
    public static short Split(byte[]? records, out List<byte[]> batches, out string? error)
    {
        batches = new List<byte[]>();
        error = null;
        if (records is null || records.Length == 0)
        {
            error = "Produce request contains no records.";
            return 87; // INVALID_RECORD
        }
        var pos = 0;
        while (pos < records.Length)
        {
            if (records.Length - pos < 17)
            {
                return Corrupt(out error, "Truncated record batch header.");
            }

            var magic = records[pos + 16];
            if (magic != 2)
            {
                error = $"Message format v{magic} is not supported; only record batches (magic 2).";
                return 43; // UNSUPPORTED_FOR_MESSAGE_FORMAT
            }
            if (records.Length - pos < BatchHeader.Size)
            {
                return Corrupt(out error, "Truncated record batch header.");
            }

            var h = BatchHeader.Read(records.AsSpan(pos));
            if (h.BatchLength < BatchHeader.Size - 12 || pos + h.TotalSize > records.Length)
            {
                return Corrupt(out error, "Record batch length is out of range.");
            }

            var batch = records.AsSpan(pos, h.TotalSize);
            if (Crc32C.Compute(batch[21..]) != h.Crc)
            {
                return Corrupt(out error, "Record batch is corrupt (CRC-32C mismatch).");
            }

            if (!RecordCompression.IsSupported((CompressionType)h.Compression))
            {
                batches.Clear();
                error = $"Compression codec {h.Compression} is not supported by this broker.";
                return ErrorCode.UnsupportedCompressionType;
            }
            batches.Add(batch.ToArray());
            pos += h.TotalSize;
        }
        return ErrorCode.None;
    }

    private static short Corrupt(out string error, string message)
    {
        error = message;
        return ErrorCode.CorruptMessage;
    }

    /// <summary>Appends validated batches, assigning offsets; returns the first base offset.</summary>
    public static long Append(PartitionState p, List<byte[]> batches, bool logAppendTime, long now)
    {
        var first = p.HighWatermark;
        foreach (var data in batches)
        {
            var h = BatchHeader.Read(data);
            BinaryPrimitives.WriteInt64BigEndian(data, p.HighWatermark);
            BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), p.LeaderEpoch);
            var maxTs = h.MaxTimestamp;
            if (logAppendTime)
            {
                BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(21), (short)(h.Attributes | 8));
                BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(35), now);
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(17), Crc32C.Compute(data.AsSpan(21)));
                maxTs = now;
            }
            var stored = new StoredBatch
            {
                BaseOffset = p.HighWatermark,
                LastOffset = p.HighWatermark + h.LastOffsetDelta,
                MaxTimestamp = maxTs,
                Data = data,
            };
            p.Batches.Add(stored);
            p.HighWatermark = stored.LastOffset + 1;
            p.SizeBytes += data.Length;
        }
        return first;
    }

    /// <summary>Whole stored batches from the one containing <paramref name="offset"/>, up to maxBytes (at least one).</summary>
    public static byte[] Read(PartitionState p, long offset, int maxBytes)
    {
        var ms = new MemoryStream();
        foreach (var b in p.Batches)
        {
            if (b.LastOffset < offset)
            {
                continue;
            }

            if (ms.Length > 0 && ms.Length + b.Data.Length > maxBytes)
            {
                break;
            }

            ms.Write(b.Data);
            if (ms.Length >= maxBytes)
            {
                break;
            }
        }
        return ms.ToArray();
    }

    /// <summary>Moves the log start offset forward, dropping batches wholly below it.</summary>
    public static void DeleteBefore(PartitionState p, long offset)
    {
        if (offset <= p.LogStartOffset)
        {
            return;
        }

        p.LogStartOffset = offset;
        for (var i = p.Batches.Count - 1; i >= 0; i--)
        {
            if (p.Batches[i].LastOffset >= offset)
            {
                continue;
            }

            p.SizeBytes -= p.Batches[i].Data.Length;
            p.Batches.RemoveAt(i);
        }
    }

    /// <summary>Per-record (offset, timestamp) of a batch; for compressed batches only the batch edges are known.</summary>
    public static IEnumerable<(long Offset, long Timestamp)> RecordTimestamps(StoredBatch b)
    {
        var h = BatchHeader.Read(b.Data);
        if (h.Compression != 0 || h.IsLogAppendTime)
        {
            // Compressed: the records are not decoded here; report the batch's max timestamp at its last offset.
            yield return (b.LastOffset, h.MaxTimestamp);
            yield break;
        }
        var r = new KafkaReader(b.Data.AsMemory(BatchHeader.Size));
        for (var i = 0; i < h.RecordCount && r.Remaining > 0; i++)
        {
            var len = r.ReadVarint();
            var start = r.Position;
            r.ReadInt8();
            var tsDelta = r.ReadVarlong();
            var offDelta = r.ReadVarint();
            yield return (h.BaseOffset + offDelta, h.BaseTimestamp + tsDelta);
            r.Position = start + len;
        }
    }

    /// <summary>ListOffsets by timestamp: the first record with timestamp >= ts, or null.</summary>
    public static (long Offset, long Timestamp)? FindByTimestamp(PartitionState p, long ts)
    {
        foreach (var b in p.Batches)
        {
            if (b.MaxTimestamp < ts)
            {
                continue;
            }

            foreach (var rec in RecordTimestamps(b))
            {
                if (rec.Timestamp >= ts && rec.Offset >= p.LogStartOffset)
                {
                    return rec;
                }
            }
        }
        return null;
    }

    /// <summary>ListOffsets -3: the record with the largest timestamp (first one on ties), or null when empty.</summary>
    public static (long Offset, long Timestamp)? FindMaxTimestamp(PartitionState p)
    {
        (long, long)? best = null;
        foreach (var b in p.Batches)
        {
            foreach (var rec in RecordTimestamps(b))
            {
                if (rec.Offset >= p.LogStartOffset && (best is null || rec.Timestamp > best.Value.Item2))
                {
                    best = rec;
                }
            }
        }

        return best;
    }
}
