using SyncModel.Implementation.Format;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Send;

namespace SyncModel.Implementation.Save;

/// <summary>
/// What differs between a mapped-ram file save and a socket save; the migration thread's scan, sites and
/// guest handling (<see cref="Saver"/>) are the same for both.
/// </summary>
internal interface ISaveTransport
{
    /// <summary>The main channel the savevm stream is written to.</summary>
    IMigrationFile MainChannel { get; }

    /// <summary>The validated capabilities the configuration section lists.</summary>
    IReadOnlyList<string> Capabilities { get; }

    /// <summary>The block records after the MEM_SIZE word of SECTION_START.</summary>
    void WriteBlockList(MigrationStreamWriter writer);

    /// <summary>Where send channel <paramref name="id"/> puts its pages (valid once the block list is written).</summary>
    IPageSink Channel(int id);

    /// <summary>A point where QEMU flushes the main QEMUFile: after a FLUSH record and at the end of a section.</summary>
    void FlushPoint(MigrationStreamWriter writer);

    /// <summary>In complete, right after its sync: the file bitmaps of mapped-ram.</summary>
    void AfterCompleteSync(MigrationStreamWriter writer);

    /// <summary>A successful save is over and its channels are shut down.</summary>
    void Finish();

    /// <summary>A failed save is over and its channels are shut down.</summary>
    void Abandon();

    SaveResult Result(long pagesQueued);
}
