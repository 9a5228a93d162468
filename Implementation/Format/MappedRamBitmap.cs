using System.Buffers.Binary;
using System.Numerics;

namespace SyncModel.Implementation.Format;

/// <summary>
/// The mapped-ram file bitmap (docs/protocol.md §1.4): an array of little-endian 64-bit words; bit i of the block
/// is bit <c>i % 64</c> of word <c>i / 64</c>. Bit 1 means "the page's data is in the file".
/// </summary>
public static class MappedRamBitmap
{
    /// <summary>Words needed for <paramref name="bits"/> bits.</summary>
    public static long WordsFor(long bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        return bits / 64 + (bits % 64 == 0 ? 0 : 1);
    }

    /// <summary>The on-disk bytes of <paramref name="words"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<ulong> words)
    {
        var bytes = new byte[words.Length * 8L];
        for (var i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), words[i]);
        return bytes;
    }

    /// <summary>The words of on-disk bitmap bytes; the length must be a whole number of words.</summary>
    public static ulong[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 8 != 0)
            throw new ArgumentException($"a bitmap is whole 64-bit words, got {bytes.Length} bytes", nameof(bytes));
        var words = new ulong[bytes.Length / 8];
        for (var i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i * 8, 8));
        return words;
    }

    /// <summary>Converts words just read raw from disk (little-endian) to host order; a no-op on little-endian hosts.</summary>
    public static void FromLittleEndianInPlace(Span<ulong> words)
    {
        if (BitConverter.IsLittleEndian) return;
        for (var i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReverseEndianness(words[i]);
    }

    public static bool IsSet(ReadOnlySpan<ulong> words, long bit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bit, words.Length * 64L);
        return (words[(int)(bit >> 6)] & (1UL << (int)(bit & 63))) != 0;
    }

    public static void Set(Span<ulong> words, long bit, bool value = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bit, words.Length * 64L);
        var mask = 1UL << (int)(bit & 63);
        if (value) words[(int)(bit >> 6)] |= mask;
        else words[(int)(bit >> 6)] &= ~mask;
    }

    /// <summary>Set bits among all of <paramref name="words"/>.</summary>
    public static long CountSet(ReadOnlySpan<ulong> words) => CountSet(words, words.Length * 64L);

    /// <summary>Set bits among the first <paramref name="bitCount"/> bits (bits past a block's last page are ignored, as QEMU does).</summary>
    public static long CountSet(ReadOnlySpan<ulong> words, long bitCount)
    {
        CheckBitCount(words.Length, bitCount);
        var full = (int)(bitCount >> 6);
        long count = 0;
        for (var i = 0; i < full; i++) count += BitOperations.PopCount(words[i]);
        var tail = (int)(bitCount & 63);
        if (tail != 0) count += BitOperations.PopCount(words[full] & ((1UL << tail) - 1));
        return count;
    }

    /// <summary>The maximal runs of set bits among the first <paramref name="bitCount"/> bits, in order.</summary>
    public static IEnumerable<(long Start, long Count)> Runs(ulong[] words, long bitCount)
    {
        ArgumentNullException.ThrowIfNull(words);
        CheckBitCount(words.Length, bitCount);
        return RunsIterator(words, bitCount);
    }

    private static IEnumerable<(long Start, long Count)> RunsIterator(ulong[] words, long bitCount)
    {
        // Each pass starts strictly after the previous run, so there are at most bitCount/2 + 1 passes.
        var start = NextBit(words, 0, bitCount, set: true);
        while (start < bitCount)
        {
            var end = NextBit(words, start, bitCount, set: false);
            yield return (start, end - start);
            start = NextBit(words, end, bitCount, set: true);
        }
    }

    /// <summary>The first bit at or after <paramref name="from"/> whose value is <paramref name="set"/>, or <paramref name="limit"/>.</summary>
    private static long NextBit(ulong[] words, long from, long limit, bool set)
    {
        if (from >= limit) return limit;
        var first = (int)(from >> 6);
        var last = (int)((limit - 1) >> 6);
        for (var w = first; w <= last; w++)
        {
            var word = set ? words[w] : ~words[w];
            if (w == first) word &= ~0UL << (int)(from & 63);
            if (word != 0) return Math.Min(limit, ((long)w << 6) + BitOperations.TrailingZeroCount(word));
        }
        return limit;
    }

    private static void CheckBitCount(int wordCount, long bitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitCount, wordCount * 64L);
    }
}
