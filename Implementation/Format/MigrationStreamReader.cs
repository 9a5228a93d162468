using System.Buffers.Binary;
using SyncModel.Implementation.IO;

namespace SyncModel.Implementation.Format;

/// <summary>
/// A buffered sequential reader over the main channel of a migration file, plus the positional reads the
/// mapped-ram loader does on the side. Every malformed or truncated input ends in a
/// <see cref="MigrationFormatException"/> naming the offset; no length read from the file is trusted before
/// it has been checked against the file's real length. Not thread-safe.
/// </summary>
public sealed partial class MigrationStreamReader
{
    public const int DefaultBufferSize = 64 * 1024;
    private const int MinBufferSize = 256;

    private readonly IMigrationFile _file;
    private readonly byte[] _buffer;
    private long _bufferStart;
    private int _bufferCount;
    private long _position;
    private int _targetPageBits = 12;

    /// <summary>Reads <paramref name="file"/> from offset 0; its length is taken once, here.</summary>
    public MigrationStreamReader(IMigrationFile file, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, MinBufferSize);
        _file = file;
        _buffer = new byte[bufferSize];
        Length = file.Length;
    }

    /// <summary>The file's length when the reader was created.</summary>
    public long Length { get; }

    /// <summary>Absolute offset of the next byte the sequential reads return.</summary>
    public long Position => _position;

    /// <summary>
    /// TARGET_PAGE_BITS: RAM record flags are the bits below it. 12 unless the configuration carries
    /// "configuration/target-page-bits" (then <see cref="ReadConfiguration"/> sets it).
    /// </summary>
    public int TargetPageBits
    {
        get => _targetPageBits;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinTargetPageBits);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxTargetPageBits);
            _targetPageBits = value;
        }
    }

    public byte ReadU8(string field = "u8") => Take(1, field)[0];

    /// <summary>The next byte, without consuming it.</summary>
    public byte PeekU8(string field = "u8") => Peek(1, field)[0];

    public ushort ReadBe16(string field = "be16") => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    public uint ReadBe32(string field = "be32") => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    public ulong ReadBe64(string field = "be64") => BinaryPrimitives.ReadUInt64BigEndian(Take(8, field));

    /// <summary>Fills <paramref name="destination"/> from the stream; large reads bypass the buffer.</summary>
    public void ReadBytes(Span<byte> destination, string field = "bytes")
    {
        if (destination.Length <= _buffer.Length)
        {
            Take(destination.Length, field).CopyTo(destination);
            return;
        }
        RequireAvailable(destination.Length, field);
        ReadExactlyAt(destination, _position, field);
        _position += destination.Length;
    }

    /// <summary>A counted string: <c>u8 len</c> then that many printable ASCII bytes.</summary>
    public string ReadIdstr(string field = "idstr")
    {
        var length = ReadU8(field + " length");
        var at = _position;
        var bytes = Take(length, field);
        return DecodeAscii(bytes, at, field);
    }

    /// <summary>Moves the sequential position; the target must lie in [0, <see cref="Length"/>].</summary>
    public void Seek(long offset)
    {
        if (offset < 0 || offset > Length)
            throw new MigrationFormatException(_position, $"seek to 0x{offset:x} is outside the file (length 0x{Length:x})");
        _position = offset;
    }

    /// <summary>Skips <paramref name="count"/> bytes, which must all be inside the file.</summary>
    public void Skip(long count, string field = "bytes")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        RequireAvailable(count, field);
        _position += count;
    }

    /// <summary>Positional read (pread) of exactly <c>destination.Length</c> bytes at <paramref name="offset"/>; does not move <see cref="Position"/>.</summary>
    public void ReadExactlyAt(Span<byte> destination, long offset, string field = "bytes")
    {
        if (offset < 0 || offset > Length || destination.Length > Length - offset)
            throw Truncated(offset, destination.Length, field);
        var n = _file.Read(destination, offset);
        if (n != destination.Length)
            throw new MigrationFormatException(offset + n,
                $"file truncated: {field} ({destination.Length} bytes at 0x{offset:x}) got only {n} bytes");
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        var span = Peek(count, field);
        _position += count;
        return span;
    }

    private ReadOnlySpan<byte> Peek(int count, string field)
    {
        RequireAvailable(count, field);
        if (_position < _bufferStart || _position + count > _bufferStart + _bufferCount) Fill(count, field);
        return _buffer.AsSpan((int)(_position - _bufferStart), count);
    }

    private void Fill(int count, string field)
    {
        var want = (int)Math.Min(_buffer.Length, Length - _position);
        // A file returns everything up to its end at once; a stream returns what has arrived, so read on
        // until the field is complete or the input ends (qemu_peek_buffer's refill loop).
        var n = 0;
        for (var got = -1; n < count && got != 0; n += got) got = _file.Read(_buffer.AsSpan(n, want - n), _position + n);
        _bufferStart = _position;
        _bufferCount = n;
        if (n < count)
            throw new MigrationFormatException(_position + n,
                $"file truncated: {field} ({count} bytes at 0x{_position:x}) got only {n} bytes");
    }

    private void RequireAvailable(long count, string field)
    {
        if (count > Length - _position) throw Truncated(_position, count, field);
    }

    private MigrationFormatException Truncated(long offset, long count, string field)
        => new(offset, $"file truncated: {field} needs {count} bytes at 0x{offset:x} but the file ends at 0x{Length:x}");

    private static string DecodeAscii(ReadOnlySpan<byte> bytes, long at, string field)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is < 0x20 or > 0x7e)
                throw new MigrationFormatException(at + i, $"{field} holds byte 0x{bytes[i]:x2}, which is not printable ASCII");
        }
        return System.Text.Encoding.ASCII.GetString(bytes);
    }
}
