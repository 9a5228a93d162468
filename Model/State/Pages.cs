namespace SyncModel.Model.State;

/// <summary>Where the page masks sit: Data, Dirty, ToSend, FileBit in <see cref="ModelState.Mem"/>; SlotCurrent, Batch and
/// the scan cursor in <see cref="ModelState.Aux"/>; Free, DataUnknown, FileUnknown in <see cref="ModelState.Ext"/>.</summary>
internal static class Pages
{
    /// <summary>The scan cursor (<c>last_page</c>), 0..P.</summary>
    public static readonly Bits Cursor = new(32, 5);

    public static int Get(in ModelState s, PageFact f) => f switch
    {
        PageFact.SlotCurrent => (int)(s.Aux & 0xffff),
        PageFact.Batch => (int)((s.Aux >> 16) & 0xffff),
        PageFact.Free => (int)(s.Ext & 0xffff),
        PageFact.DataUnknown => (int)((s.Ext >> 16) & 0xffff),
        PageFact.FileUnknown => (int)((s.Ext >> 32) & 0xffff),
        _ => (int)((s.Mem >> (16 * (int)f)) & 0xffff),
    };

    public static ModelState Set(in ModelState s, PageFact f, int mask)
    {
        var v = (ulong)(uint)(mask & 0xffff);
        return f switch
        {
            PageFact.SlotCurrent => s with { Aux = (s.Aux & ~0xffffUL) | v },
            PageFact.Batch => s with { Aux = (s.Aux & ~(0xffffUL << 16)) | (v << 16) },
            PageFact.Free => s with { Ext = (s.Ext & ~0xffffUL) | v },
            PageFact.DataUnknown => s with { Ext = (s.Ext & ~(0xffffUL << 16)) | (v << 16) },
            PageFact.FileUnknown => s with { Ext = (s.Ext & ~(0xffffUL << 32)) | (v << 32) },
            _ => s with { Mem = (s.Mem & ~(0xffffUL << (16 * (int)f))) | (v << (16 * (int)f)) },
        };
    }

    public static int GetCursor(in ModelState s) => Cursor.Get(s.Aux);

    public static ModelState SetCursor(in ModelState s, int cursor) => s with { Aux = Cursor.Set(s.Aux, cursor) };
}
