using System.IO.Compression;
using System.Runtime.InteropServices;

namespace KafkaCatalog.TestKit.Kafka.Records;

/// <summary>Compression codec in bits 0-2 of the record batch attributes.</summary>
public enum CompressionType : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}

/// <summary>
/// Record-batch compression. gzip is managed (System.IO.Compression); lz4 (frame format) and zstd go through the
/// system's native libraries (liblz4.so.1, libzstd.so.1) and snappy through libsnappy.so.1 when present. A codec whose
/// native library is missing throws <see cref="RecordFormatException"/> with UNSUPPORTED_COMPRESSION_TYPE (76).
/// </summary>
public static class RecordCompression
{
    public static bool IsSupported(CompressionType type) => type switch
    {
        CompressionType.None or CompressionType.Gzip => true,
        CompressionType.Lz4 => Native.Lz4Available,
        CompressionType.Zstd => Native.ZstdAvailable,
        CompressionType.Snappy => Native.SnappyAvailable,
        _ => false,
    };

    public static byte[] Compress(CompressionType type, ReadOnlySpan<byte> data)
    {
        EnsureSupported(type);
        switch (type)
        {
            case CompressionType.None:
                return data.ToArray();
            case CompressionType.Gzip:
                {
                    using var ms = new MemoryStream();
                    using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        gz.Write(data);
                    }
                    return ms.ToArray();
                }
            case CompressionType.Lz4:
                return Native.Lz4Compress(data);
            case CompressionType.Zstd:
                return Native.ZstdCompress(data);
            case CompressionType.Snappy:
                return Native.SnappyCompress(data);
            default:
                throw Unsupported(type);
        }
    }

    public static byte[] Decompress(CompressionType type, ReadOnlySpan<byte> data)
    {
        EnsureSupported(type);
        try
        {
            switch (type)
            {
                case CompressionType.None:
                    return data.ToArray();
                case CompressionType.Gzip:
                    {
                        using var input = new MemoryStream(data.ToArray());
                        using var gz = new GZipStream(input, CompressionMode.Decompress);
                        using var output = new MemoryStream();
                        gz.CopyTo(output);
                        return output.ToArray();
                    }
                case CompressionType.Lz4:
                    return Native.Lz4Decompress(data);
                case CompressionType.Zstd:
                    return Native.ZstdDecompress(data);
                case CompressionType.Snappy:
                    return SnappyDecompressMaybeXerial(data);
                default:
                    throw Unsupported(type);
            }
        }
        catch (RecordFormatException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, $"Corrupt {type} data: {ex.Message}", ex);
        }
    }

    private static void EnsureSupported(CompressionType type)
    {
        if (!IsSupported(type))
        {
            throw Unsupported(type);
        }
    }

    private static RecordFormatException Unsupported(CompressionType type) =>
        new(KafkaRecordErrors.UnsupportedCompressionType,
            (int)type > 4
                ? $"Unknown compression codec {(int)type}"
                : $"Compression codec {type} is not available on this broker (native library missing)");

    // kafka-python writes xerial-framed snappy: magic \x82SNAPPY\0, version, compat, then [int32 len][block]*.
    private static readonly byte[] XerialMagic = [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    private static byte[] SnappyDecompressMaybeXerial(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 16 && data[..8].SequenceEqual(XerialMagic))
        {
            using var output = new MemoryStream();
            int pos = 16;
            while (pos < data.Length)
            {
                if (pos + 4 > data.Length)
                {
                    throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Truncated xerial snappy block");
                }

                int len = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
                pos += 4;
                if (len < 0 || pos + len > data.Length)
                {
                    throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "Truncated xerial snappy block");
                }

                output.Write(Native.SnappyDecompress(data.Slice(pos, len)));
                pos += len;
            }
            return output.ToArray();
        }
        return Native.SnappyDecompress(data);
    }

    private static class Native
    {
        private const string Lz4Lib = "liblz4.so.1";
        private const string ZstdLib = "libzstd.so.1";
        private const string SnappyLib = "libsnappy.so.1";

        public static readonly bool Lz4Available = Probe(Lz4Lib);
        public static readonly bool ZstdAvailable = Probe(ZstdLib);
        public static readonly bool SnappyAvailable = Probe(SnappyLib);

        private static bool Probe(string name)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                NativeLibrary.Free(handle);
                return true;
            }
            return false;
        }

        /// <summary>Pins managed arrays for the duration of a native call (no unsafe code needed).</summary>
        private sealed class Pin : IDisposable
        {
            private GCHandle _handle;

            public Pin(byte[] array)
            {
                _handle = GCHandle.Alloc(array, GCHandleType.Pinned);
                Address = _handle.AddrOfPinnedObject();
            }

            public IntPtr Address { get; }

            public void Dispose() => _handle.Free();
        }

        // ---- zstd ----
        [DllImport(ZstdLib)] private static extern nuint ZSTD_compressBound(nuint srcSize);
        [DllImport(ZstdLib)] private static extern nuint ZSTD_compress(IntPtr dst, nuint dstCapacity, IntPtr src, nuint srcSize, int level);
        [DllImport(ZstdLib)] private static extern uint ZSTD_isError(nuint code);
        [DllImport(ZstdLib)] private static extern IntPtr ZSTD_getErrorName(nuint code);
        [DllImport(ZstdLib)] private static extern IntPtr ZSTD_createDStream();
        [DllImport(ZstdLib)] private static extern nuint ZSTD_freeDStream(IntPtr zds);
        [DllImport(ZstdLib)] private static extern nuint ZSTD_initDStream(IntPtr zds);
        [DllImport(ZstdLib)] private static extern nuint ZSTD_decompressStream(IntPtr zds, ref ZstdBuffer output, ref ZstdBuffer input);

        [StructLayout(LayoutKind.Sequential)]
        private struct ZstdBuffer
        {
            public IntPtr Ptr;
            public nuint Size;
            public nuint Pos;
        }

        private static string ZstdError(nuint code) => Marshal.PtrToStringAnsi(ZSTD_getErrorName(code)) ?? "zstd error";

        public static byte[] ZstdCompress(ReadOnlySpan<byte> data)
        {
            var src = data.ToArray();
            var dst = new byte[(int)ZSTD_compressBound((nuint)src.Length)];
            using var s = new Pin(src);
            using var d = new Pin(dst);
            nuint n = ZSTD_compress(d.Address, (nuint)dst.Length, s.Address, (nuint)src.Length, 3);
            if (ZSTD_isError(n) != 0)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "zstd: " + ZstdError(n));
            }

            return dst.AsSpan(0, (int)n).ToArray();
        }

        public static byte[] ZstdDecompress(ReadOnlySpan<byte> data)
        {
            var src = data.ToArray();
            IntPtr zds = ZSTD_createDStream();
            try
            {
                ZSTD_initDStream(zds);
                using var output = new MemoryStream();
                var chunk = new byte[64 * 1024];
                using var s = new Pin(src);
                using var c = new Pin(chunk);
                var input = new ZstdBuffer { Ptr = s.Address, Size = (nuint)src.Length, Pos = 0 };
                nuint last;
                while (true)
                {
                    var outBuf = new ZstdBuffer { Ptr = c.Address, Size = (nuint)chunk.Length, Pos = 0 };
                    last = ZSTD_decompressStream(zds, ref outBuf, ref input);
                    if (ZSTD_isError(last) != 0)
                    {
                        throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "zstd: " + ZstdError(last));
                    }

                    output.Write(chunk, 0, (int)outBuf.Pos);
                    if (input.Pos == input.Size && outBuf.Pos < outBuf.Size)
                    {
                        break;
                    }
                }
                if (last != 0)
                {
                    throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "zstd: truncated frame");
                }

                return output.ToArray();
            }
            finally
            {
                ZSTD_freeDStream(zds);
            }
        }

        // ---- lz4 frame ----
        [DllImport(Lz4Lib)] private static extern nuint LZ4F_compressFrameBound(nuint srcSize, IntPtr prefs);
        [DllImport(Lz4Lib)] private static extern nuint LZ4F_compressFrame(IntPtr dst, nuint dstCapacity, IntPtr src, nuint srcSize, IntPtr prefs);
        [DllImport(Lz4Lib)] private static extern uint LZ4F_isError(nuint code);
        [DllImport(Lz4Lib)] private static extern IntPtr LZ4F_getErrorName(nuint code);
        [DllImport(Lz4Lib)] private static extern nuint LZ4F_createDecompressionContext(out IntPtr ctx, uint version);
        [DllImport(Lz4Lib)] private static extern nuint LZ4F_freeDecompressionContext(IntPtr ctx);
        [DllImport(Lz4Lib)] private static extern nuint LZ4F_decompress(IntPtr ctx, IntPtr dst, ref nuint dstSize, IntPtr src, ref nuint srcSize, IntPtr options);

        private static string Lz4Error(nuint code) => Marshal.PtrToStringAnsi(LZ4F_getErrorName(code)) ?? "lz4 error";

        public static byte[] Lz4Compress(ReadOnlySpan<byte> data)
        {
            var src = data.ToArray();
            var dst = new byte[(int)LZ4F_compressFrameBound((nuint)src.Length, IntPtr.Zero)];
            using var s = new Pin(src);
            using var d = new Pin(dst);
            nuint n = LZ4F_compressFrame(d.Address, (nuint)dst.Length, s.Address, (nuint)src.Length, IntPtr.Zero);
            if (LZ4F_isError(n) != 0)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "lz4: " + Lz4Error(n));
            }

            return dst.AsSpan(0, (int)n).ToArray();
        }

        public static byte[] Lz4Decompress(ReadOnlySpan<byte> data)
        {
            var src = data.ToArray();
            nuint rc = LZ4F_createDecompressionContext(out IntPtr ctx, 100);
            if (LZ4F_isError(rc) != 0)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "lz4: " + Lz4Error(rc));
            }

            try
            {
                using var output = new MemoryStream();
                var chunk = new byte[64 * 1024];
                using var s = new Pin(src);
                using var c = new Pin(chunk);
                int pos = 0;
                nuint hint;
                while (true)
                {
                    nuint dstSize = (nuint)chunk.Length;
                    nuint srcSize = (nuint)(src.Length - pos);
                    hint = LZ4F_decompress(ctx, c.Address, ref dstSize, s.Address + pos, ref srcSize, IntPtr.Zero);
                    if (LZ4F_isError(hint) != 0)
                    {
                        throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "lz4: " + Lz4Error(hint));
                    }

                    pos += (int)srcSize;
                    output.Write(chunk, 0, (int)dstSize);
                    if (hint == 0)
                    {
                        break; // frame complete
                    }

                    if (pos >= src.Length && dstSize == 0)
                    {
                        break;
                    }
                }
                if (hint != 0)
                {
                    throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "lz4: truncated frame");
                }

                return output.ToArray();
            }
            finally
            {
                LZ4F_freeDecompressionContext(ctx);
            }
        }

        // ---- snappy (raw blocks, C API of libsnappy) ----
        [DllImport(SnappyLib)] private static extern nuint snappy_max_compressed_length(nuint sourceLength);
        [DllImport(SnappyLib)] private static extern int snappy_compress(IntPtr input, nuint inputLength, IntPtr compressed, ref nuint compressedLength);
        [DllImport(SnappyLib)] private static extern int snappy_uncompressed_length(IntPtr compressed, nuint compressedLength, out nuint result);
        [DllImport(SnappyLib)] private static extern int snappy_uncompress(IntPtr compressed, nuint compressedLength, IntPtr uncompressed, ref nuint uncompressedLength);

        public static byte[] SnappyCompress(ReadOnlySpan<byte> data)
        {
            var src = data.ToArray();
            var dst = new byte[(int)snappy_max_compressed_length((nuint)src.Length)];
            nuint len = (nuint)dst.Length;
            using var s = new Pin(src);
            using var d = new Pin(dst);
            if (snappy_compress(s.Address, (nuint)src.Length, d.Address, ref len) != 0)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "snappy: compression failed");
            }

            return dst.AsSpan(0, (int)len).ToArray();
        }

        public static byte[] SnappyDecompress(ReadOnlySpan<byte> data)
        {
            var src = data.ToArray();
            using var s = new Pin(src);
            if (snappy_uncompressed_length(s.Address, (nuint)src.Length, out nuint len) != 0)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "snappy: invalid block");
            }

            var dst = new byte[(int)len];
            using var d = new Pin(dst);
            if (snappy_uncompress(s.Address, (nuint)src.Length, d.Address, ref len) != 0)
            {
                throw new RecordFormatException(KafkaRecordErrors.CorruptMessage, "snappy: invalid block");
            }

            return dst;
        }
    }
}
