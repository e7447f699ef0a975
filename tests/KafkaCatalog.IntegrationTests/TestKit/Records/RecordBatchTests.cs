using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using KafkaCatalog.TestKit.Kafka.Records;

namespace KafkaCatalog.IntegrationTests.TestKit.Records;

public class RecordBatchTests
{
    private static KafkaRecord Rec(string? key, string? value, long ts, params (string, string?)[] headers) => new()
    {
        Key = key is null ? null : Encoding.UTF8.GetBytes(key),
        Value = value is null ? null : Encoding.UTF8.GetBytes(value),
        Timestamp = ts,
        Headers = headers.Select(h => new RecordHeader(h.Item1, h.Item2 is null ? null : Encoding.UTF8.GetBytes(h.Item2))).ToList(),
    };

    [Fact]
    public void Crc32C_MatchesCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(63)]
    [InlineData(-64)]
    [InlineData(300)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Varint_RoundTrips_ZigZag(int value)
    {
        using var ms = new MemoryStream();
        Varint.WriteVarint(ms, value);
        int pos = 0;
        Assert.Equal(value, Varint.ReadVarint(ms.ToArray(), ref pos));
        Assert.Equal(ms.Length, pos);
    }

    [Fact]
    public void Varint_KnownEncodings()
    {
        using var ms = new MemoryStream();
        Varint.WriteVarint(ms, -1); // zig-zag 1
        Varint.WriteVarint(ms, 150); // zig-zag 300 = 0xAC 0x02
        Varint.WriteVarlong(ms, long.MinValue);
        var bytes = ms.ToArray();
        Assert.Equal(new byte[] { 0x01, 0xAC, 0x02 }, bytes[..3]);
        int pos = 3;
        Assert.Equal(long.MinValue, Varint.ReadVarlong(bytes, ref pos));
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Batch_RoundTrips_WithCodec(CompressionType codec)
    {
        var batch = RecordBatch.Create(42, new[]
        {
            Rec("k1", "v1", 1_700_000_000_000, ("h1", "x"), ("h2", null)),
            Rec(null, "v2", 1_700_000_000_005),
            Rec("k3", null, 1_700_000_000_003),
        }, codec);
        batch.ProducerId = 7;
        batch.ProducerEpoch = 1;
        batch.BaseSequence = 0;
        byte[] bytes = batch.Encode();

        var header = RecordBatch.ReadHeader(bytes);
        Assert.Equal(bytes.Length, header.SizeInBytes);
        Assert.Equal(42, header.BaseOffset);
        Assert.Equal(2, header.LastOffsetDelta);
        Assert.Equal(3, header.RecordCount);
        Assert.Equal(codec, header.Compression);
        Assert.Equal(1_700_000_000_005, header.MaxTimestamp);

        var decoded = RecordBatch.Decode(bytes);
        Assert.Equal(3, decoded.Records.Count);
        Assert.Equal(new long[] { 42, 43, 44 }, decoded.Records.Select(r => r.Offset));
        Assert.Equal("k1", decoded.Records[0].KeyString);
        Assert.Equal("v1", decoded.Records[0].ValueString);
        Assert.Equal(2, decoded.Records[0].Headers.Count);
        Assert.Equal("h1", decoded.Records[0].Headers[0].Key);
        Assert.Null(decoded.Records[0].Headers[1].Value);
        Assert.Null(decoded.Records[1].Key);
        Assert.Null(decoded.Records[2].Value);
        Assert.Equal(1_700_000_000_003, decoded.Records[2].Timestamp);
        Assert.Equal(7, decoded.ProducerId);
        Assert.Equal(45, decoded.NextOffset);
    }

    [Fact]
    public void SetBaseOffset_DoesNotBreakCrc()
    {
        var bytes = RecordBatch.Create(0, new[] { Rec("a", "b", 1) }).Encode();
        RecordBatch.SetBaseOffset(bytes, 1000);
        RecordBatch.SetPartitionLeaderEpoch(bytes, 3);
        var decoded = RecordBatch.Decode(bytes);
        Assert.Equal(1000, decoded.Records[0].Offset);
        Assert.Equal(3, decoded.PartitionLeaderEpoch);
    }

    [Fact]
    public void CorruptedPayload_IsCorruptMessage()
    {
        var bytes = RecordBatch.Create(0, new[] { Rec("a", "value", 1) }).Encode();
        bytes[^2] ^= 0xFF;
        var ex = Assert.Throws<RecordFormatException>(() => RecordBatch.ReadHeader(bytes));
        Assert.Equal(KafkaRecordErrors.CorruptMessage, ex.ErrorCode);
        Assert.Contains("CRC mismatch", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void LegacyMagic_IsUnsupportedForMessageFormat(byte magic)
    {
        var bytes = RecordBatch.Create(0, new[] { Rec("a", "b", 1) }).Encode();
        bytes[16] = magic;
        var ex = Assert.Throws<RecordFormatException>(() => RecordBatch.ReadHeader(bytes));
        Assert.Equal(KafkaRecordErrors.UnsupportedForMessageFormat, ex.ErrorCode);
    }

    [Fact]
    public void UnknownCodec_IsUnsupportedCompressionType()
    {
        var bytes = RecordBatch.Create(0, new[] { Rec("a", "b", 1) }).Encode();
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(21), 5);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17), Crc32C.Compute(bytes.AsSpan(21)));
        Assert.NotNull(RecordBatch.ReadHeader(bytes)); // header and CRC are fine
        var ex = Assert.Throws<RecordFormatException>(() => RecordBatch.Decode(bytes));
        Assert.Equal(KafkaRecordErrors.UnsupportedCompressionType, ex.ErrorCode);
    }

    [Fact]
    public void Snappy_RoundTripsWhenLibraryPresent_ElseUnsupportedCompressionType()
    {
        var batch = RecordBatch.Create(0, new[] { Rec("a", "snappy snappy snappy", 1) }, CompressionType.Snappy);
        bool present = File.Exists("/lib/x86_64-linux-gnu/libsnappy.so.1") || File.Exists("/usr/lib/x86_64-linux-gnu/libsnappy.so.1");
        Assert.Equal(present, RecordCompression.IsSupported(CompressionType.Snappy));
        if (present)
        {
            Assert.Equal("snappy snappy snappy", RecordBatch.Decode(batch.Encode()).Records[0].ValueString);
        }
        else
        {
            var ex = Assert.Throws<RecordFormatException>(() => batch.Encode());
            Assert.Equal(KafkaRecordErrors.UnsupportedCompressionType, ex.ErrorCode);
        }
    }

    [Fact]
    public void ReadHeaders_SplitsBatches_AndToleratesTrailingPartialOnlyWhenAsked()
    {
        var a = RecordBatch.Create(0, new[] { Rec("a", "1", 1), Rec("b", "2", 2) }).Encode();
        var b = RecordBatch.Create(2, new[] { Rec("c", "3", 3) }, CompressionType.Gzip).Encode();
        var all = a.Concat(b).ToArray();
        var headers = RecordBatch.ReadHeaders(all);
        Assert.Equal(2, headers.Count);
        Assert.Equal(a.Length, headers[1].Position);
        Assert.Equal(new long[] { 0, 1, 2 }, RecordBatch.DecodeAll(all).SelectMany(x => x.Records).Select(r => r.Offset));

        var partial = all[..(all.Length - 5)];
        Assert.Single(RecordBatch.ReadHeaders(partial, allowTrailingPartial: true));
        var ex = Assert.Throws<RecordFormatException>(() => RecordBatch.ReadHeaders(partial));
        Assert.Equal(KafkaRecordErrors.CorruptMessage, ex.ErrorCode);
    }

    [Fact]
    public void NativeCodecs_ReadFramesWrittenByTheCommandLineTools()
    {
        // `printf 'hello hello hello kafka' | zstd -c` and `| lz4 -c`
        var zstd = Convert.FromHexString("28b52ffd04588d00005868656c6c6f206b61666b610100e14a114b0aa613");
        var lz4 = Convert.FromHexString("04224d186440a70f0000006868656c6c6f200600506b61666b61000000005803a695");
        Assert.Equal("hello hello hello kafka", Encoding.ASCII.GetString(RecordCompression.Decompress(CompressionType.Zstd, zstd)));
        Assert.Equal("hello hello hello kafka", Encoding.ASCII.GetString(RecordCompression.Decompress(CompressionType.Lz4, lz4)));

        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, true))
        {
            gz.Write("gzip!"u8);
        }

        Assert.Equal("gzip!", Encoding.ASCII.GetString(RecordCompression.Decompress(CompressionType.Gzip, ms.ToArray())));
    }

    [Fact]
    public void TruncatedNativeFrames_AreCorruptMessage()
    {
        var zstd = RecordCompression.Compress(CompressionType.Zstd, Encoding.ASCII.GetBytes(new string('x', 1000) + "tail"));
        var ex = Assert.Throws<RecordFormatException>(() => RecordCompression.Decompress(CompressionType.Zstd, zstd[..^4]));
        Assert.Equal(KafkaRecordErrors.CorruptMessage, ex.ErrorCode);
        var lz4 = RecordCompression.Compress(CompressionType.Lz4, Encoding.ASCII.GetBytes(new string('y', 1000) + "tail"));
        ex = Assert.Throws<RecordFormatException>(() => RecordCompression.Decompress(CompressionType.Lz4, lz4[..^6]));
        Assert.Equal(KafkaRecordErrors.CorruptMessage, ex.ErrorCode);
        ex = Assert.Throws<RecordFormatException>(() => RecordCompression.Decompress(CompressionType.Gzip, new byte[] { 1, 2, 3 }));
        Assert.Equal(KafkaRecordErrors.CorruptMessage, ex.ErrorCode);
    }
}
