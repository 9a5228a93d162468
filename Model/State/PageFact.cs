namespace SyncModel.Model.State;

/// <summary>One fact per page, as a mask (page i = bit i).</summary>
internal enum PageFact
{
    /// <summary>The guest's newest content is data (1) or all zero (0).</summary>
    Data,
    /// <summary>The dirty log: written since the last <c>migration_bitmap_sync</c>.</summary>
    Dirty,
    /// <summary>The migration bitmap: still to be sent in this round.</summary>
    ToSend,
    /// <summary>The file bitmap (<c>file_bmap</c>); after the bitmap write, what the file says.</summary>
    FileBit,
    /// <summary>The page's file slot holds the guest's newest content.</summary>
    SlotCurrent,
    /// <summary>The batch the migration thread is filling (<c>multifd_send_state->pages</c>).</summary>
    Batch,
    /// <summary>The guest abstraction's settled pages: the newest content is in the file and nothing is on its way, and
    /// which content it is (data or zero) has been forgotten; Data, FileBit and SlotCurrent read 0 for such a page. Only
    /// the canonical form sets it (<c>ModelCheckOptions.Abstraction</c>); a guest write or the load gives the page a
    /// value again.</summary>
    Free,
    /// <summary>The guest abstraction: the guest wrote the page and which content it wrote is chosen where it is first
    /// read, by the snapshot of the next send (Data reads 0 meanwhile).</summary>
    DataUnknown,
    /// <summary>The guest abstraction: the file bitmap bit of a page written since its last send is not known (the next
    /// send overwrites it before anything reads it; FileBit reads 0 meanwhile).</summary>
    FileUnknown,
}
