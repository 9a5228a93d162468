namespace SyncModel.Model.State;

/// <summary>
/// One state of the model: a whole save-then-load of one migration, packed into six words so that
/// CsCheck's engine, which passes the state by value to every guard and requirement, copies 48 bytes.
/// <list type="bullet">
/// <item><see cref="Main"/>: the migration thread (source phase) or the destination main thread (load phase),
/// laid out by <see cref="MainBits"/>.</item>
/// <item><see cref="Mem"/>: the guest pages, the dirty log, the migration bitmap, the file bitmap, the file slots
/// and the batch being filled (<see cref="MemBits"/>); in the load phase only the file bitmap remains.</item>
/// <item><see cref="C0"/>..<see cref="C3"/>: one word per multifd channel: a send thread in the source phase
/// (<see cref="SendBits"/>), a recv thread in the load phase (<see cref="RecvBits"/>). Unused channels stay 0.</item>
/// </list>
/// With the symmetry reduction on, the channel words are kept sorted, so states that differ only by which
/// channel is which are one state.
/// </summary>
public readonly record struct ModelState(ulong Main, ulong Mem, ulong C0, ulong C1, ulong C2, ulong C3)
{
    /// <summary>The most channels a state can hold.</summary>
    public const int MaxChannels = 4;

    public ulong Ch(int i) => i switch
    {
        0 => C0,
        1 => C1,
        2 => C2,
        _ => C3,
    };

    public ModelState WithCh(int i, ulong word) => i switch
    {
        0 => this with { C0 = word },
        1 => this with { C1 = word },
        2 => this with { C2 = word },
        _ => this with { C3 = word },
    };

    public override string ToString() => $"{Main:x16} {Mem:x16} {C0:x9} {C1:x9} {C2:x9} {C3:x9}";
}
