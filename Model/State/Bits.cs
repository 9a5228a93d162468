namespace SyncModel.Model.State;

/// <summary>A bit field inside a packed <see cref="ulong"/>: where it starts and how wide it is.</summary>
internal readonly struct Bits
{
    private readonly int _shift;
    private readonly ulong _mask;

    public Bits(int shift, int width)
    {
        Width = width;
        _shift = shift;
        _mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
    }

    public int Max => (int)_mask;

    public int Width { get; }

    public int Get(ulong word) => (int)((word >> _shift) & _mask);

    public bool On(ulong word) => ((word >> _shift) & 1) != 0;

    public ulong Set(ulong word, int value) => (word & ~(_mask << _shift)) | (((ulong)value & _mask) << _shift);

    public ulong Set(ulong word, bool value) => Set(word, value ? 1 : 0);

    /// <summary>Adds one, stopping at the field's maximum (a saturating counter keeps the state space finite).</summary>
    public ulong Inc(ulong word) => Get(word) >= Max ? word : Set(word, Get(word) + 1);

    public ulong Dec(ulong word) => Set(word, Get(word) - 1);
}
