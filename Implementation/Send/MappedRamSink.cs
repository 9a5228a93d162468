using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Implementation.Send;

/// <summary>
/// One mapped-ram send channel's writes (docs/protocol.md §2.5): <c>send_prepare</c> (zero detection, file-bitmap
/// bits) then one positional vectored write per contiguous run of normal pages.
/// </summary>
internal sealed class MappedRamSink(MappedRamPages shared) : IPageSink
{
    private readonly List<ReadOnlyMemory<byte>> _iov = [];

    public bool UsesPackets => false;

    public void Open()
    {
    }

    private readonly List<long> _normal = [];

    /// <summary>Zero detection and file-bitmap bits; remembers the normal pages for <see cref="Write"/>.</summary>
    public ulong Prepare(PageBatch batch)
    {
        var block = shared.Ram.Blocks[batch.Block];
        _normal.Clear();
        ulong zeros = 0;
        var first = batch.Pages[0];
        foreach (var page in batch.Pages)
        {
            if (block.IsZeroPage(page))
            {
                if (page - first < 64) zeros |= 1UL << (int)(page - first);
                if ((shared.Mutations & Mutation.ZeroPageBitNotCleared) == 0) shared.FileBitmap.Clear(batch.Block, page);
            }
            else
            {
                shared.FileBitmap.Set(batch.Block, page);
                _normal.Add(page);
            }
        }
        return zeros;
    }

    /// <summary>One positional vectored write per run of the normal pages <see cref="Prepare"/> found.</summary>
    public void Write(PageBatch batch, bool sync) => WriteRuns(shared.Ram.Blocks[batch.Block], System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_normal));

    public void Shutdown()
    {
    }

    private void WriteRuns(Guest.RamBlock block, ReadOnlySpan<long> pages)
    {
        var pagesOffset = shared.Placements[block.Index].PagesOffset;
        for (var start = 0; start < pages.Length;)
        {
            var end = start + 1;
            while (end < pages.Length && pages[end] == pages[end - 1] + 1) end++;
            var first = pages[start];
            if (first < 0 || pages[end - 1] >= block.Pages)
                throw new ProtocolViolationException(PropertyId.NoStalePage, $"run of block '{block.Name}' at page {first} leaves the block's {block.Pages} pages");
            // The run's pages are contiguous in the block's memory too: one iovec covers the run.
            _iov.Clear();
            _iov.Add(block.Memory.AsMemory(checked((int)(first * block.PageSize)), (end - start) * block.PageSize));
            shared.File.Write(_iov, pagesOffset + first * block.PageSize);
            start = end;
        }
    }
}
