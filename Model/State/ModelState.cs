namespace SyncModel.Model.State;

/// <summary>
/// One state of the model: a whole save-then-load of one migration, packed into four words so that
/// CsCheck's engine, which passes the state by value to every guard and requirement, copies 32 bytes.
/// <list type="bullet">
/// <item><see cref="Main"/>: the migration thread (source phase) or the destination main thread (load phase),
/// laid out by <see cref="MainBits"/>.</item>
/// <item><see cref="Mem"/>: the guest pages, the dirty log, the migration bitmap, the file bitmap, the file slots
/// and the batch being filled (<see cref="MemBits"/>); in the load phase only the file bitmap remains.</item>
/// <item><see cref="C01"/>, <see cref="C23"/>: 32 bits per multifd channel (channel 0 in the low half of C01): a send
/// thread in the source phase (<see cref="SendBits"/>), a recv thread in the load phase (<see cref="RecvBits"/>).
/// Unused channels stay 0.</item>
/// </list>
/// With the symmetry reduction on, the channel words are kept sorted, so states that differ only by which
/// channel is which are one state.
/// </summary>
public readonly record struct ModelState(ulong Main, ulong Mem, ulong C01, ulong C23)
{
    /// <summary>The most channels a state can hold.</summary>
    public const int MaxChannels = 4;

    /// <summary>Channel <paramref name="i"/>'s word.</summary>
    public ulong Ch(int i) => i switch
    {
        0 => C01 & 0xffffffffUL,
        1 => C01 >> 32,
        2 => C23 & 0xffffffffUL,
        _ => C23 >> 32,
    };

    /// <summary>The state with channel <paramref name="i"/>'s word replaced (the word must fit 32 bits).</summary>
    public ModelState WithCh(int i, ulong word) => i switch
    {
        0 => this with { C01 = (C01 & ~0xffffffffUL) | (word & 0xffffffffUL) },
        1 => this with { C01 = (C01 & 0xffffffffUL) | (word << 32) },
        2 => this with { C23 = (C23 & ~0xffffffffUL) | (word & 0xffffffffUL) },
        _ => this with { C23 = (C23 & 0xffffffffUL) | (word << 32) },
    };

    /// <summary>A state from its main words and four channel words.</summary>
    public static ModelState Of(ulong main, ulong mem, ulong c0, ulong c1, ulong c2, ulong c3) =>
        new(main, mem, (c0 & 0xffffffffUL) | (c1 << 32), (c2 & 0xffffffffUL) | (c3 << 32));

    public override string ToString() => $"{Main:x16} {Mem:x16} {C01:x16} {C23:x16}";
}
