using System.Buffers.Binary;
using System.Text;
using SyncModel.Implementation.IO;

namespace SyncModel.Properties.Format;

/// <summary>Hand-builds small stream fragments, big-endian, for reader tests.</summary>
internal sealed class StreamBytes
{
    private readonly List<byte> _bytes = [];

    public int Count => _bytes.Count;

    public StreamBytes U8(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    public StreamBytes Be16(ushort value) => Raw(stackalloc byte[2], s => BinaryPrimitives.WriteUInt16BigEndian(s, value));

    public StreamBytes Be32(uint value) => Raw(stackalloc byte[4], s => BinaryPrimitives.WriteUInt32BigEndian(s, value));

    public StreamBytes Be64(ulong value) => Raw(stackalloc byte[8], s => BinaryPrimitives.WriteUInt64BigEndian(s, value));

    public StreamBytes Bytes(ReadOnlySpan<byte> bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary><c>u8 len</c> + ASCII bytes.</summary>
    public StreamBytes Idstr(string text) => U8((byte)text.Length).Bytes(Encoding.ASCII.GetBytes(text));

    public StreamBytes Header() => Be32(0x5145564d).Be32(3);

    public byte[] ToArray() => [.. _bytes];

    public MemoryMigrationFile ToFile()
    {
        var file = new MemoryMigrationFile();
        file.Write(ToArray(), 0);
        return file;
    }

    private delegate void SpanWriter(Span<byte> span);

    private StreamBytes Raw(Span<byte> scratch, SpanWriter write)
    {
        write(scratch);
        return Bytes(scratch);
    }
}
