namespace SyncModel.Model.Checking.Engine;

/// <summary>Appends bit fields to a span of words, low bits first, crossing word boundaries.</summary>
internal ref struct BitWriter(Span<ulong> words)
{
    private readonly Span<ulong> _words = words;
    private int _bit;

    public void Put(ulong value, int bits)
    {
        if (bits == 0) return;
        var mask = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        value &= mask;
        var word = _bit >> 6;
        var shift = _bit & 63;
        _words[word] |= value << shift;
        if (shift + bits > 64) _words[word + 1] |= value >> (64 - shift);
        _bit += bits;
    }
}
