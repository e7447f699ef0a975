using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace KafkaCatalog.TestKit.Kafka.Protocol;

/// <summary>Thrown when a frame cannot be decoded with the schema.</summary>
public sealed class KafkaProtocolException(string message) : Exception(message);

/// <summary>Big-endian reader over one frame, with Kafka's varint and compact encodings.</summary>
public sealed class KafkaReader(ReadOnlyMemory<byte> buffer)
{
    private readonly ReadOnlyMemory<byte> _buffer = buffer;

    public int Position { get; set; }
    public int Remaining => _buffer.Length - Position;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || Position + n > _buffer.Length)
        {
            throw new KafkaProtocolException($"Truncated frame: need {n} bytes at {Position}, have {Remaining}.");
        }

        var s = _buffer.Span.Slice(Position, n);
        Position += n;
        return s;
    }

    public ReadOnlyMemory<byte> TakeMemory(int n)
    {
        if (n < 0 || Position + n > _buffer.Length)
        {
            throw new KafkaProtocolException($"Truncated frame: need {n} bytes at {Position}, have {Remaining}.");
        }

        var m = _buffer.Slice(Position, n);
        Position += n;
        return m;
    }

    public sbyte ReadInt8() => (sbyte)Take(1)[0];
    public bool ReadBool() => Take(1)[0] != 0;
    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));
    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));
    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    public uint ReadUVarint()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new KafkaProtocolException("Malformed unsigned varint.");
    }

    public ulong ReadUVarlong()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new KafkaProtocolException("Malformed unsigned varlong.");
    }

    public int ReadVarint()
    {
        var u = ReadUVarint();
        return (int)(u >> 1) ^ -(int)(u & 1);
    }

    public long ReadVarlong()
    {
        var u = ReadUVarlong();
        return (long)(u >> 1) ^ -(long)(u & 1);
    }

    /// <summary>Length of a string/bytes/array; -1 means null.</summary>
    public int ReadLength(bool compact, bool int16Length = false)
    {
        if (compact)
        {
            return (int)ReadUVarint() - 1;
        }

        return int16Length ? ReadInt16() : ReadInt32();
    }

    public string? ReadString(bool compact)
    {
        var n = ReadLength(compact, int16Length: true);
        return n < 0 ? null : Encoding.UTF8.GetString(Take(n));
    }

    public byte[]? ReadBytes(bool compact)
    {
        var n = ReadLength(compact);
        return n < 0 ? null : Take(n).ToArray();
    }
}

/// <summary>Big-endian growable writer with Kafka's varint and compact encodings.</summary>
public sealed class KafkaWriter
{
    private byte[] _buf = new byte[256];

    public int Length { get; private set; }

    private Span<byte> Grow(int n)
    {
        if (Length + n > _buf.Length)
        {
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, Length + n));
        }

        var s = _buf.AsSpan(Length, n);
        Length += n;
        return s;
    }

    public ReadOnlySpan<byte> WrittenSpan => _buf.AsSpan(0, Length);
    public byte[] ToArray() => WrittenSpan.ToArray();

    public void WriteInt8(sbyte v) => Grow(1)[0] = (byte)v;
    public void WriteBool(bool v) => Grow(1)[0] = v ? (byte)1 : (byte)0;
    public void WriteInt16(short v) => BinaryPrimitives.WriteInt16BigEndian(Grow(2), v);
    public void WriteUInt16(ushort v) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), v);
    public void WriteInt32(int v) => BinaryPrimitives.WriteInt32BigEndian(Grow(4), v);
    public void WriteUInt32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), v);
    public void WriteInt64(long v) => BinaryPrimitives.WriteInt64BigEndian(Grow(8), v);
    public void WriteFloat64(double v) => BinaryPrimitives.WriteDoubleBigEndian(Grow(8), v);
    public void WriteUuid(Guid v) => v.TryWriteBytes(Grow(16), bigEndian: true, out _);
    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    /// <summary>Overwrites 4 bytes at a position already written (frame sizes).</summary>
    public void PatchInt32(int position, int v) => BinaryPrimitives.WriteInt32BigEndian(_buf.AsSpan(position, 4), v);

    public void WriteUVarint(uint v)
    {
        while ((v & ~0x7Fu) != 0)
        {
            WriteInt8((sbyte)((v & 0x7F) | 0x80));
            v >>= 7;
        }
        WriteInt8((sbyte)v);
    }

    public void WriteUVarlong(ulong v)
    {
        while ((v & ~0x7FUL) != 0)
        {
            WriteInt8((sbyte)((v & 0x7F) | 0x80));
            v >>= 7;
        }
        WriteInt8((sbyte)v);
    }

    public void WriteVarint(int v) => WriteUVarint((uint)((v << 1) ^ (v >> 31)));
    public void WriteVarlong(long v) => WriteUVarlong((ulong)((v << 1) ^ (v >> 63)));

    public void WriteLength(int n, bool compact, bool int16Length = false)
    {
        if (compact)
        {
            WriteUVarint((uint)(n + 1));
        }
        else if (int16Length)
        {
            WriteInt16((short)n);
        }
        else
        {
            WriteInt32(n);
        }
    }

    public void WriteString(string? s, bool compact)
    {
        if (s is null)
        {
            WriteLength(-1, compact, int16Length: true);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(s);
        WriteLength(bytes.Length, compact, int16Length: true);
        WriteRaw(bytes);
    }

    public void WriteBytes(ReadOnlySpan<byte> b, bool isNull, bool compact)
    {
        if (isNull)
        {
            WriteLength(-1, compact);
            return;
        }
        WriteLength(b.Length, compact);
        WriteRaw(b);
    }
}

/// <summary>Schema-driven encoder/decoder for any struct at any version.</summary>
public static class MessageCodec
{
    public static Message Read(MessageSpec spec, KafkaReader reader, short version) =>
        ReadStruct(spec.Body, reader, version, spec.IsFlexible(version));

    public static void Write(MessageSpec spec, Message message, KafkaWriter writer, short version) =>
        WriteStruct(message, writer, version, spec.IsFlexible(version));

    public static byte[] Encode(MessageSpec spec, Message message, short version)
    {
        var w = new KafkaWriter();
        Write(spec, message, w, version);
        return w.ToArray();
    }

    public static Message Decode(MessageSpec spec, ReadOnlyMemory<byte> bytes, short version) =>
        Read(spec, new KafkaReader(bytes), version);

    public static Message ReadStruct(StructSpec spec, KafkaReader r, short version, bool flexible)
    {
        var m = new Message(spec);
        foreach (var f in spec.Fields)
        {
            if (!f.Versions.Contains(version))
            {
                continue;
            }

            if (flexible && f.TaggedVersions.Contains(version))
            {
                continue;
            }

            m.SetRaw(f.Name, ReadField(f, r, version, flexible));
        }
        if (flexible)
        {
            var count = r.ReadUVarint();
            for (var i = 0; i < count; i++)
            {
                var tag = (int)r.ReadUVarint();
                var size = (int)r.ReadUVarint();
                var tagged = spec.Fields.FirstOrDefault(x => x.Tag == tag && x.TaggedVersions.Contains(version) && x.Versions.Contains(version));
                if (tagged is null)
                {
                    r.TakeMemory(size);
                    continue;
                }
                var sub = new KafkaReader(r.TakeMemory(size));
                m.SetRaw(tagged.Name, ReadField(tagged, sub, version, flexible));
            }
        }
        return m;
    }

    private static object? ReadField(FieldSpec f, KafkaReader r, short version, bool flexible)
    {
        var nullable = f.NullableVersions.Contains(version);
        if (f.IsArray)
        {
            var n = r.ReadLength(flexible);
            if (n < 0)
            {
                if (!nullable)
                {
                    throw new KafkaProtocolException($"Null array for non-nullable field {f.Name}.");
                }

                return null;
            }
            if (n > r.Remaining)
            {
                throw new KafkaProtocolException($"Array {f.Name} claims {n} elements with {r.Remaining} bytes left.");
            }

            var list = f.NewList();
            for (var i = 0; i < n; i++)
            {
                list.Add(ReadScalar(f, r, version, flexible));
            }

            return list;
        }
        if (f.Type == KafkaType.Struct && nullable)
        {
            return r.ReadInt8() < 0 ? null : ReadStruct(f.Struct!, r, version, flexible);
        }

        return ReadScalar(f, r, version, flexible);
    }

    private static object? ReadScalar(FieldSpec f, KafkaReader r, short version, bool flexible) => f.Type switch
    {
        KafkaType.Bool => r.ReadBool(),
        KafkaType.Int8 => r.ReadInt8(),
        KafkaType.Int16 => r.ReadInt16(),
        KafkaType.UInt16 => r.ReadUInt16(),
        KafkaType.Int32 => r.ReadInt32(),
        KafkaType.UInt32 => r.ReadUInt32(),
        KafkaType.Int64 => r.ReadInt64(),
        KafkaType.Float64 => r.ReadFloat64(),
        KafkaType.Uuid => r.ReadUuid(),
        KafkaType.String => r.ReadString(flexible),
        KafkaType.Bytes or KafkaType.Records => r.ReadBytes(flexible),
        KafkaType.Struct => ReadStruct(f.Struct!, r, version, flexible),
        _ => throw new KafkaProtocolException($"Unsupported type {f.TypeName}."),
    };

    public static void WriteStruct(Message m, KafkaWriter w, short version, bool flexible)
    {
        List<(int Tag, byte[] Data)>? tagged = null;
        foreach (var f in m.Spec.Fields)
        {
            if (!f.Versions.Contains(version))
            {
                continue;
            }

            var has = m.Values.TryGetValue(f.Name, out var value);
            if (flexible && f.TaggedVersions.Contains(version))
            {
                if (!has || IsDefault(f, value, version))
                {
                    continue;
                }

                var sub = new KafkaWriter();
                WriteField(f, value, sub, version, flexible);
                (tagged ??= new()).Add((f.Tag!.Value, sub.ToArray()));
                continue;
            }
            if (!has)
            {
                value = f.DefaultValue(version);
            }

            WriteField(f, value, w, version, flexible);
        }
        if (flexible)
        {
            if (tagged is null)
            {
                w.WriteUVarint(0);
                return;
            }
            tagged.Sort((a, b) => a.Tag.CompareTo(b.Tag));
            w.WriteUVarint((uint)tagged.Count);
            foreach (var (tag, data) in tagged)
            {
                w.WriteUVarint((uint)tag);
                w.WriteUVarint((uint)data.Length);
                w.WriteRaw(data);
            }
        }
    }

    private static bool IsDefault(FieldSpec f, object? value, short version)
    {
        var d = f.DefaultValue(version);
        if (value is null)
        {
            return d is null;
        }

        if (value is IList l)
        {
            return d is IList dl && l.Count == 0 && dl.Count == 0;
        }

        if (value is Message)
        {
            return false;
        }

        if (value is byte[] b)
        {
            return d is byte[] db && b.Length == 0 && db.Length == 0;
        }

        return value.Equals(d);
    }

    private static void WriteField(FieldSpec f, object? value, KafkaWriter w, short version, bool flexible)
    {
        var nullable = f.NullableVersions.Contains(version);
        if (f.IsArray)
        {
            if (value is null)
            {
                if (nullable)
                {
                    w.WriteLength(-1, flexible);
                }
                else
                {
                    w.WriteLength(0, flexible);
                }

                return;
            }
            var list = (IList)value;
            w.WriteLength(list.Count, flexible);
            foreach (var item in list)
            {
                WriteScalar(f, item, w, version, flexible);
            }

            return;
        }
        if (f.Type == KafkaType.Struct && nullable)
        {
            if (value is null)
            {
                w.WriteInt8(-1);
                return;
            }
            w.WriteInt8(1);
        }
        WriteScalar(f, value, w, version, flexible);
    }

    private static void WriteScalar(FieldSpec f, object? v, KafkaWriter w, short version, bool flexible)
    {
        var ic = System.Globalization.CultureInfo.InvariantCulture;
        var nullable = f.NullableVersions.Contains(version);
        switch (f.Type)
        {
            case KafkaType.Bool:
                w.WriteBool(v is not null && Convert.ToBoolean(v, ic));
                break;
            case KafkaType.Int8:
                w.WriteInt8(Convert.ToSByte(v ?? 0, ic));
                break;
            case KafkaType.Int16:
                w.WriteInt16(Convert.ToInt16(v ?? 0, ic));
                break;
            case KafkaType.UInt16:
                w.WriteUInt16(Convert.ToUInt16(v ?? 0, ic));
                break;
            case KafkaType.Int32:
                w.WriteInt32(Convert.ToInt32(v ?? 0, ic));
                break;
            case KafkaType.UInt32:
                w.WriteUInt32(Convert.ToUInt32(v ?? 0, ic));
                break;
            case KafkaType.Int64:
                w.WriteInt64(Convert.ToInt64(v ?? 0, ic));
                break;
            case KafkaType.Float64:
                w.WriteFloat64(Convert.ToDouble(v ?? 0, ic));
                break;
            case KafkaType.Uuid:
                w.WriteUuid(v is Guid g ? g : Guid.Empty);
                break;
            case KafkaType.String:
                w.WriteString(v is null && !nullable ? string.Empty : (string?)v, flexible);
                break;
            case KafkaType.Bytes:
            case KafkaType.Records:
                var bytes = (byte[]?)v;
                w.WriteBytes(bytes, bytes is null && nullable, flexible);
                break;
            case KafkaType.Struct:
                WriteStruct((Message?)v ?? new Message(f.Struct!), w, version, flexible);
                break;
        }
    }
}
