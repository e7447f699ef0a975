using System.Buffers.Binary;
using System.Text;

namespace KafkaCatalog.TestKit.Kafka.Records;

/// <summary>Timestamp type (bit 3 of the batch attributes).</summary>
public enum TimestampType
{
    CreateTime = 0,
    LogAppendTime = 1,
}

/// <summary>One record header (key is UTF-8, value may be null).</summary>
public sealed record RecordHeader(string Key, byte[]? Value);

/// <summary>One record of a magic-2 batch, with its absolute offset and timestamp.</summary>
public sealed class KafkaRecord
{
    public long Offset { get; set; }
    public long Timestamp { get; set; }
    public byte[]? Key { get; set; }
    public byte[]? Value { get; set; }
    public IReadOnlyList<RecordHeader> Headers { get; set; } = Array.Empty<RecordHeader>();
    public byte Attributes { get; set; }

    public string? KeyString => Key is null ? null : Encoding.UTF8.GetString(Key);
    public string? ValueString => Value is null ? null : Encoding.UTF8.GetString(Value);
}

/// <summary>
/// A Kafka record batch (magic v2, DefaultRecordBatch). Layout:
/// baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32 (CRC-32C of attributes..end),
/// attributes int16, lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64,
/// producerEpoch int16, baseSequence int32, recordCount int32, records (compressed as one stream if codec != none).
/// </summary>
public sealed class RecordBatch
{
    public const int HeaderSize = 61;
    public const int LogOverhead = 12; // baseOffset + batchLength
    private const int MagicOffset = 16;
    private const int CrcOffset = 17;
    private const int AttributesOffset = 21;

    public long BaseOffset { get; set; }
    public int PartitionLeaderEpoch { get; set; } = -1;
    public byte Magic { get; set; } = 2;
    public uint Crc { get; set; }
    public short Attributes { get; set; }
    public int LastOffsetDelta { get; set; }
    public long BaseTimestamp { get; set; }
    public long MaxTimestamp { get; set; }
    public long ProducerId { get; set; } = -1;
    public short ProducerEpoch { get; set; } = -1;
    public int BaseSequence { get; set; } = -1;
    public List<KafkaRecord> Records { get; } = new();

    public CompressionType Compression
    {
        get => (CompressionType)(Attributes & 0x07);
        set => Attributes = (short)((Attributes & ~0x07) | ((int)value & 0x07));
    }

    public TimestampType TimestampType
    {
        get => (Attributes & 0x08) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;
        set => Attributes = (short)(value == TimestampType.LogAppendTime ? Attributes | 0x08 : Attributes & ~0x08);
    }

    public bool IsTransactional
    {
        get => (Attributes & 0x10) != 0;
        set => Attributes = (short)(value ? Attributes | 0x10 : Attributes & ~0x10);
    }

    public bool IsControl
    {
        get => (Attributes & 0x20) != 0;
        set => Attributes = (short)(value ? Attributes | 0x20 : Attributes & ~0x20);
    }

    /// <summary>Offset of the last record (BaseOffset + LastOffsetDelta).</summary>
    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>Offset the next batch starts at.</summary>
    public long NextOffset => BaseOffset + LastOffsetDelta + 1;

    /// <summary>Writes this batch; offsets and timestamps of records become deltas against BaseOffset/BaseTimestamp.</summary>
    public byte[] Encode()
    {
        if (Records.Count == 0)
        {
            throw new InvalidOperationException("A record batch needs at least one record.");
        }

        BaseTimestamp = Records[0].Timestamp;
        MaxTimestamp = Records.Max(r => r.Timestamp);
        LastOffsetDelta = checked((int)(Records[^1].Offset - BaseOffset));

        using var body = new MemoryStream();
        foreach (var r in Records)
        {
            WriteRecord(body, r, BaseOffset, BaseTimestamp);
        }

        byte[] payload = Compression == CompressionType.None ? body.ToArray() : RecordCompression.Compress(Compression, body.ToArray());

        var buf = new byte[HeaderSize + payload.Length];
        var span = buf.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], buf.Length - LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], PartitionLeaderEpoch);
        span[MagicOffset] = 2;
        BinaryPrimitives.WriteInt16BigEndian(span[21..], Attributes);
        BinaryPrimitives.WriteInt32BigEndian(span[23..], LastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(span[27..], BaseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[35..], MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[43..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(span[51..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(span[53..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(span[57..], Records.Count);
        payload.CopyTo(span[HeaderSize..]);
        Crc = Crc32C.Compute(span[AttributesOffset..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[CrcOffset..], Crc);
        Magic = 2;
        return buf;
    }

    private static void WriteRecord(MemoryStream output, KafkaRecord r, long baseOffset, long baseTimestamp)
    {
        using var rec = new MemoryStream();
        rec.WriteByte(r.Attributes);
        Varint.WriteVarlong(rec, r.Timestamp - baseTimestamp);
        Varint.WriteVarint(rec, checked((int)(r.Offset - baseOffset)));
        WriteBytes(rec, r.Key);
        WriteBytes(rec, r.Value);
        Varint.WriteVarint(rec, r.Headers.Count);
        foreach (var h in r.Headers)
        {
            WriteBytes(rec, Encoding.UTF8.GetBytes(h.Key));
            WriteBytes(rec, h.Value);
        }
        Varint.WriteVarint(output, checked((int)rec.Length));
        rec.Position = 0;
        rec.CopyTo(output);
    }

    private static void WriteBytes(Stream s, byte[]? value)
    {
        if (value is null)
        {
            Varint.WriteVarint(s, -1);
            return;
        }
        Varint.WriteVarint(s, value.Length);
        s.Write(value);
    }

    /// <summary>Convenience: a batch of records with consecutive offsets starting at <paramref name="baseOffset"/>.</summary>
    public static RecordBatch Create(long baseOffset, IEnumerable<KafkaRecord> records, CompressionType compression = CompressionType.None)
    {
        var batch = new RecordBatch { BaseOffset = baseOffset, Compression = compression };
        long next = baseOffset;
        foreach (var r in records)
        {
            r.Offset = next++;
            batch.Records.Add(r);
        }
        return batch;
    }

    /// <summary>
    /// Reads the header of the batch at the start of <paramref name="data"/> without decoding records, validating
    /// magic (43 for magic 0/1), size and CRC (2 on mismatch). Returns the batch's total size in bytes.
    /// </summary>
    public static RecordBatchHeader ReadHeader(ReadOnlySpan<byte> data, bool verifyCrc = true)
    {
        if (data.Length < LogOverhead + 5)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Record batch is truncated");
        }

        int batchLength = BinaryPrimitives.ReadInt32BigEndian(data[8..]);
        byte magic = data[MagicOffset];
        if (magic < 2)
        {
            throw new RecordFormatException(KafkaRecordErrors.UnsupportedForMessageFormat,
                $"Message format v{magic} (magic {magic}) is not supported; only record batches (magic 2) are accepted");
        }
        if (magic > 2)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, $"Unknown record batch magic {magic}");
        }

        if (batchLength < HeaderSize - LogOverhead || batchLength > data.Length - LogOverhead)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, $"Record batch length {batchLength} is invalid for {data.Length} available bytes");
        }
        int total = batchLength + LogOverhead;
        var h = new RecordBatchHeader
        {
            BaseOffset = BinaryPrimitives.ReadInt64BigEndian(data),
            SizeInBytes = total,
            PartitionLeaderEpoch = BinaryPrimitives.ReadInt32BigEndian(data[12..]),
            Magic = magic,
            Crc = BinaryPrimitives.ReadUInt32BigEndian(data[CrcOffset..]),
            Attributes = BinaryPrimitives.ReadInt16BigEndian(data[AttributesOffset..]),
            LastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(data[23..]),
            BaseTimestamp = BinaryPrimitives.ReadInt64BigEndian(data[27..]),
            MaxTimestamp = BinaryPrimitives.ReadInt64BigEndian(data[35..]),
            ProducerId = BinaryPrimitives.ReadInt64BigEndian(data[43..]),
            ProducerEpoch = BinaryPrimitives.ReadInt16BigEndian(data[51..]),
            BaseSequence = BinaryPrimitives.ReadInt32BigEndian(data[53..]),
            RecordCount = BinaryPrimitives.ReadInt32BigEndian(data[57..]),
        };
        if (verifyCrc)
        {
            uint actual = Crc32C.Compute(data[AttributesOffset..total]);
            if (actual != h.Crc)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage,
                    $"Record batch CRC mismatch: stored 0x{h.Crc:x8}, computed 0x{actual:x8}");
            }
        }
        if (h.RecordCount < 0 || h.LastOffsetDelta < 0)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Record batch has a negative record count or offset delta");
        }
        return h;
    }

    /// <summary>Decodes one complete batch (header and records) at the start of <paramref name="data"/>.</summary>
    public static RecordBatch Decode(ReadOnlySpan<byte> data, bool verifyCrc = true)
    {
        var h = ReadHeader(data, verifyCrc);
        var batch = new RecordBatch
        {
            BaseOffset = h.BaseOffset,
            PartitionLeaderEpoch = h.PartitionLeaderEpoch,
            Magic = h.Magic,
            Crc = h.Crc,
            Attributes = h.Attributes,
            LastOffsetDelta = h.LastOffsetDelta,
            BaseTimestamp = h.BaseTimestamp,
            MaxTimestamp = h.MaxTimestamp,
            ProducerId = h.ProducerId,
            ProducerEpoch = h.ProducerEpoch,
            BaseSequence = h.BaseSequence,
        };
        ReadOnlySpan<byte> payload = data[HeaderSize..h.SizeInBytes];
        byte[]? decompressed = null;
        if (batch.Compression != CompressionType.None)
        {
            decompressed = RecordCompression.Decompress(batch.Compression, payload);
            payload = decompressed;
        }
        int pos = 0;
        for (int i = 0; i < h.RecordCount; i++)
        {
            batch.Records.Add(ReadRecord(payload, ref pos, batch));
        }
        if (pos != payload.Length)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage,
                $"Record batch has {payload.Length - pos} trailing bytes after {h.RecordCount} records");
        }
        return batch;
    }

    private static KafkaRecord ReadRecord(ReadOnlySpan<byte> p, ref int pos, RecordBatch batch)
    {
        int length = Varint.ReadVarint(p, ref pos);
        if (length < 0 || pos + length > p.Length)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Record length exceeds the batch");
        }

        int end = pos + length;
        var r = new KafkaRecord { Attributes = p[pos++] };
        long tsDelta = Varint.ReadVarlong(p, ref pos);
        int offDelta = Varint.ReadVarint(p, ref pos);
        r.Offset = batch.BaseOffset + offDelta;
        r.Timestamp = batch.TimestampType == TimestampType.LogAppendTime ? batch.MaxTimestamp : batch.BaseTimestamp + tsDelta;
        r.Key = ReadBytes(p, ref pos, end);
        r.Value = ReadBytes(p, ref pos, end);
        int headerCount = Varint.ReadVarint(p, ref pos);
        if (headerCount < 0)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Negative header count");
        }

        var headers = new List<RecordHeader>(headerCount);
        for (int i = 0; i < headerCount; i++)
        {
            var key = ReadBytes(p, ref pos, end) ?? throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Null header key");
            headers.Add(new RecordHeader(Encoding.UTF8.GetString(key), ReadBytes(p, ref pos, end)));
        }
        r.Headers = headers;
        if (pos != end)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Record length does not match its fields");
        }

        return r;
    }

    private static byte[]? ReadBytes(ReadOnlySpan<byte> p, ref int pos, int end)
    {
        int len = Varint.ReadVarint(p, ref pos);
        if (len < 0)
        {
            return null;
        }

        if (pos + len > end)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Record field exceeds the record");
        }

        var v = p.Slice(pos, len).ToArray();
        pos += len;
        return v;
    }

    /// <summary>
    /// Splits a <c>records</c> field (one or more batches) into batch headers. With <paramref name="allowTrailingPartial"/>
    /// (Fetch responses) a truncated last batch is ignored; otherwise (Produce) it is CORRUPT_MESSAGE.
    /// </summary>
    public static IReadOnlyList<RecordBatchHeader> ReadHeaders(ReadOnlySpan<byte> records, bool allowTrailingPartial = false, bool verifyCrc = true)
    {
        var list = new List<RecordBatchHeader>();
        int pos = 0;
        while (pos < records.Length)
        {
            var rest = records[pos..];
            if (allowTrailingPartial)
            {
                if (rest.Length < LogOverhead)
                {
                    break;
                }

                int len = BinaryPrimitives.ReadInt32BigEndian(rest[8..]);
                if (len + LogOverhead > rest.Length)
                {
                    break;
                }
            }
            var h = ReadHeader(rest, verifyCrc);
            h.Position = pos;
            list.Add(h);
            pos += h.SizeInBytes;
        }
        return list;
    }

    /// <summary>Decodes every complete batch in a <c>records</c> field.</summary>
    public static IReadOnlyList<RecordBatch> DecodeAll(ReadOnlySpan<byte> records, bool allowTrailingPartial = false)
    {
        var result = new List<RecordBatch>();
        foreach (var h in ReadHeaders(records, allowTrailingPartial))
        {
            result.Add(Decode(records.Slice(h.Position, h.SizeInBytes)));
        }
        return result;
    }

    /// <summary>Overwrites baseOffset (not covered by the CRC) of the batch at the start of <paramref name="batch"/>.</summary>
    public static void SetBaseOffset(Span<byte> batch, long baseOffset) => BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);

    /// <summary>Overwrites partitionLeaderEpoch (not covered by the CRC).</summary>
    public static void SetPartitionLeaderEpoch(Span<byte> batch, int epoch) => BinaryPrimitives.WriteInt32BigEndian(batch[12..], epoch);
}

/// <summary>The fixed 61-byte header of a magic-2 batch, plus its position in the enclosing records buffer.</summary>
public sealed class RecordBatchHeader
{
    public int Position { get; set; }
    public int SizeInBytes { get; init; }
    public long BaseOffset { get; init; }
    public int PartitionLeaderEpoch { get; init; }
    public byte Magic { get; init; }
    public uint Crc { get; init; }
    public short Attributes { get; init; }
    public int LastOffsetDelta { get; init; }
    public long BaseTimestamp { get; init; }
    public long MaxTimestamp { get; init; }
    public long ProducerId { get; init; }
    public short ProducerEpoch { get; init; }
    public int BaseSequence { get; init; }
    public int RecordCount { get; init; }

    public CompressionType Compression => (CompressionType)(Attributes & 0x07);
    public TimestampType TimestampType => (Attributes & 0x08) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;
    public bool IsTransactional => (Attributes & 0x10) != 0;
    public bool IsControl => (Attributes & 0x20) != 0;
}
