using System.Buffers.Binary;
using SyncModel.Implementation.Format;

namespace SyncModel.Cli.Hostile;

/// <summary>A big-endian field of the stream: its name, offset and width in bytes (1, 2, 4 or 8).</summary>
public sealed record Field(string Name, long Offset, int Width);

/// <summary>One block of the original: its record, where its length and offset fields are, and its bitmap.</summary>
public sealed record BlockLandmarks(string Name, long RecordOffset, long HeaderEnd, Field UsedLength, long BitmapOffset, long BitmapBytes, long PageCount, long PageSize);

/// <summary>
/// Where the interesting bytes of a pristine QEMU file are, found by inspecting it: the header and configuration
/// fields, the ram section header, MEM_SIZE, every block record's fields and bitmap, the stream after the blocks.
/// Mutations aim here most of the time, since flipping page data tests little.
/// </summary>
public sealed class VectorLandmarks
{
    public VectorLandmarks(byte[] bytes)
    {
        Length = bytes.Length;
        var layout = MappedRamInspector.Inspect(new PatchedFile(bytes, [], bytes.Length));
        var fields = new List<Field>
        {
            new("file magic", 0, 4), new("file version", 4, 4), new("configuration type", 8, 1), new("machine type length", 9, 4),
        };
        var machineLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        var subsection = 13 + machineLength;
        var subsectionName = bytes[subsection + 1];
        fields.Add(new("subsection type", subsection, 1));
        fields.Add(new("subsection idlen", subsection + 1, 1));
        fields.Add(new("subsection version", subsection + 2 + subsectionName, 4));
        fields.Add(new("capability count", subsection + 6 + subsectionName, 4));
        fields.Add(new("capability idlen", subsection + 10 + subsectionName, 1));
        var ram = layout.RamSectionOffset;
        fields.Add(new("ram section type", ram, 1));
        fields.Add(new("ram section id", ram + 1, 4));
        fields.Add(new("ram idstr length", ram + 5, 1));
        fields.Add(new("ram instance id", ram + 9, 4));
        fields.Add(new("ram version id", ram + 13, 4));
        MemSize = new Field("MEM_SIZE word", ram + 17, 8);
        fields.Add(MemSize);
        Blocks = layout.Blocks.Select(b => Block(b, fields)).ToList();
        foreach (var f in layout.StreamFlags) fields.Add(new Field($"{f.Section} ram word", f.Offset, 8));
        foreach (var c in layout.Commands)
        {
            fields.Add(new Field($"command {c.Command} number", c.Offset + 1, 2));
            fields.Add(new Field($"command {c.Command} length", c.Offset + 3, 2));
        }
        fields.Add(new Field("first device section type", layout.DeviceStateOffset, 1));
        Fields = fields;
        Structure =
        [
            (0, MemSize.Offset + 8),
            .. layout.Blocks.Select(b => (b.RecordOffset, b.BitmapOffset + b.ToBlock().BitmapBytes)),
            (layout.StreamResumeOffset, Math.Min(Length, layout.DeviceStateOffset + 4096)),
        ];
        Boundaries = [.. Structure.SelectMany(s => new[] { s.Start, s.End }), .. layout.Blocks.Select(b => b.PagesOffset), .. layout.Blocks.Select(b => b.ToBlock().PagesEnd)];
    }

    public long Length { get; }
    public Field MemSize { get; }
    public IReadOnlyList<Field> Fields { get; }
    public IReadOnlyList<BlockLandmarks> Blocks { get; }

    /// <summary>Byte ranges [Start, End) that hold stream structure rather than page data.</summary>
    public IReadOnlyList<(long Start, long End)> Structure { get; }

    /// <summary>Offsets where one part of the file ends and another starts: good places to cut.</summary>
    public IReadOnlyList<long> Boundaries { get; }

    private static BlockLandmarks Block(MappedRamBlockLayout b, List<Field> fields)
    {
        var at = b.RecordOffset;
        var name = b.Name.Length;
        var used = new Field($"used_length of '{b.Name}'", at + 1 + name, 8);
        fields.Add(new Field($"idlen of '{b.Name}'", at, 1));
        fields.Add(used);
        fields.Add(new Field($"header version of '{b.Name}'", at + 9 + name, 4));
        fields.Add(new Field($"page_size of '{b.Name}'", at + 13 + name, 8));
        fields.Add(new Field($"bitmap_offset of '{b.Name}'", at + 21 + name, 8));
        fields.Add(new Field($"pages_offset of '{b.Name}'", at + 29 + name, 8));
        return new BlockLandmarks(b.Name, at, at + 37 + name, used, b.BitmapOffset, b.ToBlock().BitmapBytes, b.PageCount, b.PageSize);
    }
}
