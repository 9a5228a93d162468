using System.Runtime.InteropServices;

namespace SyncModel.Implementation.Guest;

/// <summary>What a guest write puts into a page: zeros, or a pattern derived from a seed.</summary>
public readonly record struct PageFill(bool Zero, uint Seed)
{
    public static readonly PageFill Zeros = new(true, 0);
    public static PageFill Data(uint seed) => new(false, seed);

    /// <summary>Fills <paramref name="page"/>; data pages are never all zero and differ per block, page, version and seed.</summary>
    public void Apply(Span<byte> page, int block, long pageIndex, int version)
    {
        if (Zero)
        {
            page.Clear();
            return;
        }
        var pattern = Mix(((ulong)Seed << 32) ^ ((ulong)block << 48) ^ (ulong)pageIndex ^ ((ulong)version << 24)) | 1UL;
        var words = MemoryMarshal.Cast<byte, ulong>(page);
        words.Fill(pattern);
        words[0] = ((ulong)(uint)version << 32) | (uint)pageIndex | 0x8000_0000UL;
    }

    /// <summary>A 64-bit finalizer (murmur3's fmix64): spreads every input bit over the output.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        return x ^ (x >> 33);
    }

    public override string ToString() => Zero ? "zero" : $"data#{Seed:x}";
}
