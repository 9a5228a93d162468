namespace SyncModel.Implementation.Send;

/// <summary>
/// Where one send channel's pages go: positional writes into the migration file (mapped-ram) or packets on
/// the channel's socket. The channel thread owns its sink; the migration thread only shuts it down.
/// </summary>
internal interface IPageSink
{
    /// <summary>True when pages travel in packets: a sync request of kind ALL then puts a SYNC packet on the wire.</summary>
    bool UsesPackets { get; }

    /// <summary>Runs once when the channel thread starts (the initial packet on a socket).</summary>
    void Open();

    /// <summary>
    /// <c>send_prepare</c> for one batch, before its IO: mapped-ram detects zero pages and sets or clears their file-bitmap
    /// bits. Returns which pages were zero (bit i = the batch's i-th page); 0 where nothing is detected (8.2 packets).
    /// </summary>
    ulong Prepare(PageBatch batch);

    /// <summary>
    /// Writes one prepared batch. <paramref name="sync"/>: the packet also carries MULTIFD_FLAG_SYNC (a SYNC packet when the
    /// batch is empty; pages and SYNC together only for an 8.2-style sender, docs/protocol.md §2.7, §5.10).
    /// </summary>
    void Write(PageBatch batch, bool sync);

    /// <summary><c>qio_channel_shutdown</c> at termination: wakes a write blocked on the channel.</summary>
    void Shutdown();
}
