namespace SyncModel.Model.Checking.Engine;

/// <summary>Reads the bit fields a <see cref="BitWriter"/> wrote, in the same order.</summary>
internal ref struct BitReader(ReadOnlySpan<ulong> words)
{
    private readonly ReadOnlySpan<ulong> _words = words;
    private int _bit;

    public ulong Get(int bits)
    {
        if (bits == 0) return 0;
        var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        var word = _bit >> 6;
        var shift = _bit & 63;
        var value = _words[word] >> shift;
        if (shift + bits > 64) value |= _words[word + 1] << (64 - shift);
        _bit += bits;
        return value & mask;
    }
}
