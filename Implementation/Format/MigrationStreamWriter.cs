using System.Buffers.Binary;
using System.Text;

namespace SyncModel.Implementation.Format;

/// <summary>
/// The source's main channel (QEMUFile): buffered sequential big-endian writes at a file position, with
/// the record shapes of the savevm stream around the RAM section (docs/protocol.md §1.2–§1.4).
/// </summary>
public sealed class MigrationStreamWriter
{
    private const int BufferSize = 32 * 1024;
    private readonly IO.IMigrationFile _file;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _used;
    private long _bufferStart;

    public MigrationStreamWriter(IO.IMigrationFile file, long startOffset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        _file = file;
        _bufferStart = startOffset;
    }

    /// <summary>The absolute offset the next byte goes to.</summary>
    public long Position => _bufferStart + _used;

    public void PutU8(byte v)
    {
        if (_used == BufferSize) Flush();
        _buffer[_used++] = v;
    }

    public void PutBe16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        PutBytes(b);
    }

    public void PutBe32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        PutBytes(b);
    }

    public void PutBe64(ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, v);
        PutBytes(b);
    }

    public void PutBytes(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_used == BufferSize) Flush();
            var n = Math.Min(data.Length, BufferSize - _used);
            data[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            data = data[n..];
        }
    }

    /// <summary>u8 length + ASCII bytes (an idstr or a capability name).</summary>
    public void PutIdstr(string s)
    {
        var bytes = Encoding.ASCII.GetBytes(s);
        if (bytes.Length is 0 or > 255) throw new ArgumentException($"idstr '{s}' must be 1..255 bytes");
        PutU8((byte)bytes.Length);
        PutBytes(bytes);
    }

    /// <summary>Writes the buffered bytes at their offset.</summary>
    public void Flush()
    {
        if (_used == 0) return;
        _file.Write(_buffer.AsSpan(0, _used), _bufferStart);
        _bufferStart += _used;
        _used = 0;
    }

    /// <summary>Flushes, then continues at <paramref name="offset"/> (<c>qemu_set_offset</c>).</summary>
    public void Seek(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        Flush();
        _bufferStart = offset;
    }

    /// <summary>"QEVM" and version 3.</summary>
    public void WriteFileHeader()
    {
        PutBe32(QemuFormat.FileMagic);
        PutBe32(QemuFormat.FileVersion);
    }

    /// <summary>
    /// The configuration section: machine type; the target page bits when they differ from the default 12
    /// (as QEMU does); then the validated capabilities (mapped-ram) as a subsection.
    /// </summary>
    public void WriteConfiguration(string machineType, IReadOnlyList<string> capabilities, int pageSize = 4096)
    {
        PutU8(QemuFormat.Configuration);
        var name = Encoding.ASCII.GetBytes(machineType);
        PutBe32((uint)name.Length);
        PutBytes(name);
        if (pageSize != 4096)
        {
            PutU8(QemuFormat.Subsection);
            PutIdstr(MigrationStreamReader.TargetPageBitsSubsection);
            PutBe32(1);
            PutBe32((uint)System.Numerics.BitOperations.Log2((uint)pageSize));
        }
        if (capabilities.Count == 0) return;
        PutU8(QemuFormat.Subsection);
        PutIdstr(MigrationStreamReader.CapabilitiesSubsection);
        PutBe32(1);
        PutBe32((uint)capabilities.Count);
        foreach (var c in capabilities) PutIdstr(c);
    }

    /// <summary>A section header: START/FULL carry idstr, instance and version; PART/END only the id.</summary>
    public void WriteSectionHeader(byte type, uint sectionId, string idstr = QemuFormat.RamIdstr, uint instanceId = 0, uint versionId = QemuFormat.RamSectionVersion)
    {
        PutU8(type);
        PutBe32(sectionId);
        if (type is QemuFormat.SectionStart or QemuFormat.SectionFull)
        {
            PutIdstr(idstr);
            PutBe32(instanceId);
            PutBe32(versionId);
        }
    }

    public void WriteSectionFooter(uint sectionId)
    {
        PutU8(QemuFormat.SectionFooter);
        PutBe32(sectionId);
    }

    /// <summary>A bare RAM record word (EOS, MULTIFD_FLUSH).</summary>
    public void WriteRamFlag(ulong flags) => PutBe64(flags);

    /// <summary>The MEM_SIZE record: total bytes of all migratable blocks | 0x04.</summary>
    public void WriteMemSize(long totalBytes) => PutBe64((ulong)totalBytes | QemuFormat.FlagMemSize);

    /// <summary>
    /// One block of the MEM_SIZE list: idstr, used length and the MappedRamHeader whose bitmap sits right
    /// after it and whose pages start at the next 1 MiB boundary (<c>mapped_ram_setup_ramblock</c>); then the
    /// channel moves past the block's page area, where the next record goes.
    /// </summary>
    public MappedRamPlacement WriteMappedRamBlock(string idstr, long usedLength, int pageSize)
    {
        PutIdstr(idstr);
        PutBe64((ulong)usedLength);
        var headerAt = Position;
        var bitmapOffset = headerAt + QemuFormat.MappedRamHeaderSize;
        var bitmapBytes = QemuFormat.BitmapBytes(usedLength / pageSize);
        var pagesOffset = QemuFormat.PagesOffsetFor(bitmapOffset, bitmapBytes);
        PutBe32(QemuFormat.MappedRamHeaderVersion);
        PutBe64((ulong)pageSize);
        PutBe64((ulong)bitmapOffset);
        PutBe64((ulong)pagesOffset);
        Seek(pagesOffset + usedLength);
        return new MappedRamPlacement(bitmapOffset, pagesOffset);
    }

    /// <summary>
    /// One block of the MEM_SIZE list without mapped-ram (socket multifd, <c>ram_save_setup</c>): idstr and
    /// used length; the pages travel on the multifd channels.
    /// </summary>
    public void WriteRamBlock(string idstr, long usedLength)
    {
        PutIdstr(idstr);
        PutBe64((ulong)usedLength);
    }

    public void WriteEof() => PutU8(QemuFormat.VmEof);
}
