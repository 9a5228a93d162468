using SyncModel.Protocol.Config;

namespace SyncModel.Model.State;

/// <summary>
/// The run's mutation switches, one bit per switch the model knows, in <see cref="ModelState.Ext"/> bits 48..63 (above
/// the guest abstraction's three page masks) in the order of <see cref="Known"/>. They are read from the state, so a
/// CsCheck <c>Fault</c> can turn one on mid-run; the packed form leaves them out (they are the run's constants).
/// </summary>
internal static class Switches
{
    public static readonly Bits Field = new(48, 16);

    /// <summary>The mutation switches the model knows, bit i of <see cref="Field"/> standing for entry i.</summary>
    public static readonly Mutation[] Known =
    [
        Mutation.NoRoundSync, Mutation.ZeroPageBitNotCleared, Mutation.NoCompleteSync, Mutation.SyncSkipsChannelsReady, Mutation.NoRecvSync,
        Mutation.RecvExitAfterSync, Mutation.ExtraSyncKick, Mutation.ErrorWithoutKick, Mutation.NoChannelsCreatedWait,
        Mutation.FinalSyncWithoutFlush, Mutation.RecvSetsReceivedMap, Mutation.SyncCarriesPages, Mutation.RecvSkipsSyncPayload,
    ];

    private static readonly Mutation All = Known.Aggregate(Mutation.None, (a, m) => a | m);

    /// <summary>The bits of <see cref="ModelState.Ext"/> the switches use.</summary>
    public const ulong Mask = 0xffffUL << 48;

    /// <summary><paramref name="mutations"/> as <see cref="Field"/> bits; a switch the model does not know throws.</summary>
    public static int Compact(Mutation mutations)
    {
        var bits = 0;
        for (var i = 0; i < Known.Length; i++)
        {
            if ((mutations & Known[i]) != 0) bits |= 1 << i;
        }
        var unknown = mutations & ~All;
        return unknown == Mutation.None ? bits : throw new ArgumentException($"the model has no state bit for mutation {unknown}");
    }

    /// <summary>The switches set in the <see cref="ModelState.Ext"/> word <paramref name="ext"/>.</summary>
    public static Mutation Of(ulong ext)
    {
        var bits = Field.Get(ext);
        var m = Mutation.None;
        for (var i = 0; i < Known.Length; i++)
        {
            if ((bits >> i & 1) != 0) m |= Known[i];
        }
        return m;
    }

    public static ulong With(ulong ext, Mutation mutations) => Field.Set(ext, Compact(mutations));

    private static readonly int[] SwitchBit = [.. Enumerable.Range(0, 32).Select(b => Compact((Mutation)(1 << b) & All))];

    /// <summary>Whether the <see cref="ModelState.Ext"/> word's switches include the single switch <paramref name="mutation"/>
    /// (false for one the model does not know).</summary>
    public static bool Has(ulong ext, Mutation mutation) =>
        (Field.Get(ext) & SwitchBit[System.Numerics.BitOperations.TrailingZeroCount((uint)mutation) & 31]) != 0;
}
