namespace SyncModel.Model.State;

/// <summary>Where the page masks sit: Data, Dirty, ToSend, FileBit in <see cref="ModelState.Mem"/>; SlotCurrent, Batch,
/// the scan cursor and Free in <see cref="ModelState.Aux"/>.</summary>
internal static class Pages
{
    /// <summary>The scan cursor (<c>last_page</c>), 0..P.</summary>
    public static readonly Bits Cursor = new(32, 5);

    public static int Get(in ModelState s, PageFact f) => f switch
    {
        PageFact.SlotCurrent => (int)(s.Aux & 0xffff),
        PageFact.Batch => (int)((s.Aux >> 16) & 0xffff),
        PageFact.Free => (int)((s.Aux >> FreeShift) & 0xffff),
        _ => (int)((s.Mem >> (16 * (int)f)) & 0xffff),
    };

    private const int FreeShift = 37;

    public static ModelState Set(in ModelState s, PageFact f, int mask)
    {
        var v = (ulong)(uint)(mask & 0xffff);
        return f switch
        {
            PageFact.SlotCurrent => s with { Aux = (s.Aux & ~0xffffUL) | v },
            PageFact.Batch => s with { Aux = (s.Aux & ~(0xffffUL << 16)) | (v << 16) },
            PageFact.Free => s with { Aux = (s.Aux & ~(0xffffUL << FreeShift)) | (v << FreeShift) },
            _ => s with { Mem = (s.Mem & ~(0xffffUL << (16 * (int)f))) | (v << (16 * (int)f)) },
        };
    }

    public static int GetCursor(in ModelState s) => Cursor.Get(s.Aux);

    public static ModelState SetCursor(in ModelState s, int cursor) => s with { Aux = Cursor.Set(s.Aux, cursor) };
}
