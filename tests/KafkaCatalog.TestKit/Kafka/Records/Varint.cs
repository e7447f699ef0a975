namespace KafkaCatalog.TestKit.Kafka.Records;

/// <summary>Zig-zag varint/varlong helpers (Kafka record encoding).</summary>
public static class Varint
{
    public static void WriteVarint(Stream s, int value) => WriteUnsigned(s, (uint)((value << 1) ^ (value >> 31)));

    public static void WriteVarlong(Stream s, long value)
    {
        ulong v = (ulong)((value << 1) ^ (value >> 63));
        while ((v & ~0x7FUL) != 0)
        {
            s.WriteByte((byte)((v & 0x7F) | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }

    public static void WriteUnsigned(Stream s, uint v)
    {
        while ((v & ~0x7Fu) != 0)
        {
            s.WriteByte((byte)((v & 0x7F) | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }

    public static int ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        uint raw = 0;
        int shift = 0;
        while (true)
        {
            if (pos >= data.Length)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Truncated varint");
            }

            byte b = data[pos++];
            raw |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
            if (shift > 28)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Varint is too long");
            }
        }
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    public static long ReadVarlong(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong raw = 0;
        int shift = 0;
        while (true)
        {
            if (pos >= data.Length)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Truncated varlong");
            }

            byte b = data[pos++];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
            if (shift > 63)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Varlong is too long");
            }
        }
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }
}
