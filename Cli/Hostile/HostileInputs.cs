using System.Buffers.Binary;

namespace SyncModel.Cli.Hostile;

/// <summary>
/// Mutated copies of real QEMU files: bytes flipped, the file cut short, length and offset fields rewritten,
/// bitmaps extended (bits set past what was saved, or a block made longer than its bitmap), a block record copied
/// over another. One to three mutations per input, aimed at the stream structure most of the time. Input
/// <c>(seed, index)</c> is the same on every run and machine. A plain seeded generator rather than FsCheck or CsCheck:
/// the bench runs it outside any test framework, every input is addressable by its index, and there is nothing to
/// shrink towards — a failure is reported with its mutations in words.
/// </summary>
public sealed class HostileInputs
{
    private readonly IReadOnlyList<(string Name, byte[] Bytes, VectorLandmarks Marks)> _vectors;

    public HostileInputs(IReadOnlyList<(string Name, byte[] Bytes)> vectors)
    {
        if (vectors.Count == 0) throw new ArgumentException("need at least one original file");
        _vectors = vectors.Select(v => (v.Name, v.Bytes, new VectorLandmarks(v.Bytes))).ToList();
    }

    public HostileInput Create(int seed, long index)
    {
        var rng = new Random(unchecked((int)SyncModel.Implementation.Guest.PageFill.Mix(((ulong)(uint)seed << 32) ^ (ulong)index)));
        var (name, bytes, marks) = _vectors[(int)(index % _vectors.Count)];
        var patches = new List<Patch>();
        var mutations = new List<string>();
        var length = bytes.LongLength;
        var count = rng.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 };
        for (var i = 0; i < count; i++)
        {
            var what = rng.Next(100) switch
            {
                < 30 => FlipBytes(rng, bytes, marks, patches),
                < 45 => Cut(rng, marks, ref length),
                < 80 => RewriteField(rng, bytes, marks, patches),
                < 95 => ExtendBitmap(rng, bytes, marks, patches),
                _ => CopyRecord(rng, bytes, marks, patches),
            };
            mutations.Add(what);
        }
        return new HostileInput(seed, index, name, length, patches, mutations);
    }

    private static string FlipBytes(Random rng, byte[] bytes, VectorLandmarks marks, List<Patch> patches)
    {
        var n = 1 + (rng.Next(4) == 0 ? rng.Next(8) : 0);
        var at = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var offset = rng.Next(10) < 7 ? InStructure(rng, marks) : rng.NextInt64(bytes.LongLength);
            var old = bytes[offset];
            var value = rng.Next(10) switch
            {
                < 4 => (byte)(old ^ (1 << rng.Next(8))),
                < 5 => (byte)0,
                < 6 => (byte)0xff,
                _ => (byte)rng.Next(256),
            };
            patches.Add(new Patch(offset, [value]));
            at.Add($"0x{offset:x}={value:x2}");
        }
        return $"bytes set: {string.Join(" ", at)}";
    }

    private static long InStructure(Random rng, VectorLandmarks marks)
    {
        var (start, end) = marks.Structure[rng.Next(marks.Structure.Count)];
        return start + rng.NextInt64(Math.Max(1, end - start));
    }

    private static string Cut(Random rng, VectorLandmarks marks, ref long length)
    {
        var cut = rng.Next(2) == 0
            ? Math.Clamp(marks.Boundaries[rng.Next(marks.Boundaries.Count)] + rng.Next(-32, 33), 0, marks.Length)
            : rng.NextInt64(marks.Length);
        length = Math.Min(length, cut);
        return $"cut at 0x{cut:x}";
    }

    private static string RewriteField(Random rng, byte[] bytes, VectorLandmarks marks, List<Patch> patches)
    {
        var field = marks.Fields[rng.Next(marks.Fields.Count)];
        var old = ReadField(bytes, field);
        var value = Interesting(rng, old, field.Width, marks.Length);
        if (field == marks.MemSize && rng.Next(2) == 0) value = (value & ~0xfffUL) | (old & 0xfff); // keep the MEM_SIZE flag
        patches.Add(new Patch(field.Offset, Encode(value, field.Width)));
        return $"{field.Name} at 0x{field.Offset:x}: 0x{old:x} -> 0x{value:x}";
    }

    /// <summary>Values that break length arithmetic: zero, one, all ones, the sign bit, off by one or a page, doubled, the file's length.</summary>
    private static ulong Interesting(Random rng, ulong old, int width, long fileLength)
    {
        var bits = width * 8;
        var max = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        ulong value = rng.Next(14) switch
        {
            0 => 0,
            1 => 1,
            2 => max,
            3 => max >> 1,
            4 => (max >> 1) + 1,
            5 => old + 1,
            6 => old - 1,
            7 => old * 2,
            8 => old / 2,
            9 => old + (1UL << rng.Next(bits)),
            10 => old ^ (1UL << rng.Next(bits)),
            11 => (ulong)fileLength + (ulong)rng.Next(-4096, 4097),
            12 => rng.Next(2) == 0 ? old + 4096 : old - 4096,
            _ => (ulong)rng.NextInt64() ^ ((ulong)rng.NextInt64() << 1),
        };
        return value & max;
    }

    private static string ExtendBitmap(Random rng, byte[] bytes, VectorLandmarks marks, List<Patch> patches)
    {
        var b = marks.Blocks[rng.Next(marks.Blocks.Count)];
        switch (rng.Next(3))
        {
            case 0:
                var fill = new byte[b.BitmapBytes];
                Array.Fill(fill, (byte)0xff);
                patches.Add(new Patch(b.BitmapOffset, fill));
                return $"bitmap of '{b.Name}' all ones ({b.PageCount} pages, {b.BitmapBytes * 8} bits)";
            case 1:
                var bits = new List<long>();
                for (var i = 1 + rng.Next(8); i > 0; i--)
                {
                    var bit = rng.Next(2) == 0 ? rng.NextInt64(b.BitmapBytes * 8) : b.PageCount + rng.NextInt64(Math.Max(1, b.BitmapBytes * 8 - b.PageCount));
                    var at = b.BitmapOffset + bit / 8;
                    patches.Add(new Patch(at, [(byte)(bytes[at] | (1 << (int)(bit % 8)))]));
                    bits.Add(bit);
                }
                return $"bits {string.Join(",", bits)} of '{b.Name}' set ({b.PageCount} pages)";
            default:
                var more = rng.Next(4) switch { 0 => 1L, 1 => 64L, 2 => 65L, _ => 1L + rng.Next(1 << 14) };
                var used = ReadField(bytes, b.UsedLength) + (ulong)(more * b.PageSize);
                patches.Add(new Patch(b.UsedLength.Offset, Encode(used, 8)));
                var withMemSize = rng.Next(4) != 0;
                if (withMemSize) patches.Add(new Patch(marks.MemSize.Offset, Encode(ReadField(bytes, marks.MemSize) + (ulong)(more * b.PageSize), 8)));
                return $"'{b.Name}' {more} page(s) longer, its bitmap {(more + 63) / 64 * 8} bytes more{(withMemSize ? ", MEM_SIZE to match" : "")}";
        }
    }

    private static string CopyRecord(Random rng, byte[] bytes, VectorLandmarks marks, List<Patch> patches)
    {
        var from = marks.Blocks[rng.Next(marks.Blocks.Count)];
        var to = marks.Blocks[rng.Next(marks.Blocks.Count)];
        patches.Add(new Patch(to.RecordOffset, bytes.AsSpan((int)from.RecordOffset, (int)(from.HeaderEnd - from.RecordOffset)).ToArray()));
        return $"record of '{from.Name}' copied over the record of '{to.Name}'";
    }

    private static ulong ReadField(byte[] bytes, Field f) => f.Width switch
    {
        1 => bytes[f.Offset],
        2 => BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan((int)f.Offset)),
        4 => BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)f.Offset)),
        _ => BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan((int)f.Offset)),
    };

    private static byte[] Encode(ulong value, int width)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        return b[(8 - width)..];
    }
}
