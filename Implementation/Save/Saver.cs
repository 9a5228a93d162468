using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Send;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Save;

/// <summary>
/// The source's migration thread for a mapped-ram + multifd save (reference §1.4, §2.6): setup writes the
/// block list, live iterations scan the dirty bitmap while the guest keeps writing, complete scans what is
/// left and writes the file bitmaps. At each sync site it asks the policy what QEMU does there, and does it.
/// </summary>
public sealed class Saver
{
    /// <summary>The machine type written into the configuration section.</summary>
    public const string MachineType = "syncmodel";
    private const uint RamSectionId = 0;

    private readonly MigrationConfig _config;
    private readonly SyncPolicy _policy;
    private readonly GuestRam _ram;
    private readonly IMigrationFile _file;
    private readonly ITraceObserver? _observer;
    private readonly MigrationStreamWriter _writer;
    private readonly RamScanner _scanner;
    private readonly GuestVcpu _guest;
    private MultifdSend? _send;
    private long _pagesQueued;

    private readonly IMigrationFile _channelFile;

    private Saver(IMigrationFile file, SaveOptions options)
    {
        var (config, policy, ram, workload) = options;
        var observer = options.Observer;
        _config = config.Validate();
        if (policy.Transport != Transport.File)
            throw new NotSupportedException($"policy '{policy.Name}' needs the socket (packet) transport, which the file saver does not implement yet");
        if (ram.PageSize != config.PageSize || ram.Blocks.Count != config.Blocks.Count)
            throw new ArgumentException("the guest RAM does not have the configuration's blocks and page size");
        _policy = policy;
        _ram = ram;
        _file = file;
        _channelFile = options.ChannelFile ?? file;
        _observer = observer;
        _writer = new MigrationStreamWriter(file);
        _scanner = new RamScanner(ram);
        _guest = new GuestVcpu(ram, workload, observer);
    }

    /// <summary>
    /// Writes the workload's initial contents into the options' RAM, then saves it to <paramref name="file"/>
    /// while the guest performs the workload's live rounds. Throws
    /// <see cref="MigrationFailedException"/> (inner: the first error of any thread) when the save fails;
    /// every thread it started has been joined by then.
    /// </summary>
    public static SaveResult Save(IMigrationFile file, SaveOptions options) => new Saver(file, options).Run();

    private bool F => _config.FlushAfterEachSection.Source;

    private SaveResult Run()
    {
        _guest.WriteInitial();
        try
        {
            var placements = Setup();
            for (var round = 1; round <= _config.LiveRounds; round++) Iterate(round);
            Complete();
            _send!.Shutdown();
            // A channel that failed after the last check (the sync does not check after its last wait, §2.4) fails the save here.
            if (_send.Error is { } error) throw new MigrationFailedException("multifd send failed", error);
            _file.Flush();
            return new SaveResult(placements, _pagesQueued, _file.Length);
        }
        catch (Exception e)
        {
            _guest.Stop();
            _send?.Shutdown();
            var cause = e is MigrationFailedException { InnerException: { } inner } ? inner : e;
            throw new MigrationFailedException($"save failed: {cause.Message}", cause);
        }
    }

    /// <summary><c>ram_save_setup</c>: header, configuration, SECTION_START with MEM_SIZE and the block list.</summary>
    private IReadOnlyList<MappedRamPlacement> Setup()
    {
        _writer.WriteFileHeader();
        _writer.WriteConfiguration(MachineType, [MigrationConfiguration.MappedRamCapability], _config.PageSize);
        _writer.WriteSectionHeader(QemuFormat.SectionStart, RamSectionId);
        _writer.WriteMemSize(_config.TotalBytes);
        var placements = _ram.Blocks.Select(b => _writer.WriteMappedRamBlock(b.Name, b.UsedLength, b.PageSize)).ToArray();
        _send = new MultifdSend(_config, _ram, _channelFile, placements, _observer);
        _send.Start();
        var dirty = _scanner.MarkAllDirty();
        _observer?.On(new TraceEvent(EventKind.BitmapSync, Actor.Migration, Count: (int)Math.Min(dirty, int.MaxValue)));
        Site(SenderSite.Setup);
        EndSection();
        _guest.Start();
        return placements;
    }

    /// <summary>One <c>ram_save_iterate</c> call while the guest runs its round.</summary>
    private void Iterate(int round)
    {
        if (round > 1)
        {
            _guest.EndRound();
            BitmapSync(round);
        }
        _writer.WriteSectionHeader(QemuFormat.SectionPart, RamSectionId);
        _observer?.On(new TraceEvent(EventKind.RoundStart, Actor.Migration, Round: round));
        _guest.BeginRound();
        ScanAndQueue(_config.PagesPerIteration);
        Site(SenderSite.IterateEnd);
        EndSection();
    }

    /// <summary><c>ram_save_complete</c>: the guest is stopped; final bitmap sync and scan, sync, file bitmaps, EOS.</summary>
    private void Complete()
    {
        if (_config.LiveRounds > 0) _guest.EndRound();
        _guest.Stop();
        var round = _config.LiveRounds + 1;
        _writer.WriteSectionHeader(QemuFormat.SectionEnd, RamSectionId);
        _observer?.On(new TraceEvent(EventKind.RoundStart, Actor.Migration, Round: round));
        BitmapSync(round);
        ScanAndQueue(limit: 0);
        var decision = _policy.AtSender(SenderSite.Complete, F);
        if ((_config.Mutations & Mutation.NoCompleteSync) == 0) _send!.SyncMain(decision.Sync);
        WriteFileBitmaps();
        if (decision.EmitFlush) StreamFlag(QemuFormat.FlagMultifdFlush, RamFlag.Flush);
        EndSection();
        _writer.WriteEof();
        _writer.Flush();
    }

    private void BitmapSync(int round)
    {
        var dirty = _scanner.SyncDirtyLog();
        _observer?.On(new TraceEvent(EventKind.BitmapSync, Actor.Migration, Round: round, Count: (int)Math.Min(dirty, int.MaxValue)));
    }

    /// <summary>Queues dirty pages until the scan goes once around clean, or <paramref name="limit"/> pages (0 = no limit).</summary>
    private void ScanAndQueue(int limit)
    {
        for (long queued = 0; limit == 0 || queued < limit; queued++)
        {
            var found = _scanner.FindDirty(() => Site(SenderSite.RoundWrap));
            if (found is not { } p) return;
            _send!.QueuePage(p.Block, p.Page);
            _pagesQueued++;
        }
    }

    /// <summary>Does what the policy says QEMU does at <paramref name="site"/>: sync the channels, put FLUSH in the stream.</summary>
    private void Site(SenderSite site)
    {
        var decision = _policy.AtSender(site, F);
        var skipSync = (_config.Mutations & Mutation.NoRoundSync) != 0 && site is SenderSite.RoundWrap or SenderSite.IterateEnd;
        if (!skipSync) _send!.SyncMain(decision.Sync);
        if (decision.EmitFlush) StreamFlag(QemuFormat.FlagMultifdFlush, RamFlag.Flush);
    }

    /// <summary><c>ram_save_file_bmap</c>: one positional write of each block's bitmap, then free them all.</summary>
    private void WriteFileBitmaps()
    {
        _writer.Flush();
        for (var b = 0; b < _ram.Blocks.Count; b++)
        {
            _observer?.On(new TraceEvent(EventKind.FileBitmapWrite, Actor.Migration, Block: b));
            var bytes = MappedRamBitmap.Encode(_send!.FileBitmap.BlockWords(b));
            _file.Write(bytes, _send.Placements[b].BitmapOffset);
        }
        _send!.FileBitmap.Free();
        _observer?.On(new TraceEvent(EventKind.FileBitmapFree, Actor.Migration));
    }

    private void StreamFlag(ulong flag, RamFlag kind)
    {
        _writer.WriteRamFlag(flag);
        _observer?.On(new TraceEvent(EventKind.StreamFlag, Actor.Migration, Flag: kind));
    }

    private void EndSection()
    {
        StreamFlag(QemuFormat.FlagEos, RamFlag.Eos);
        _writer.WriteSectionFooter(RamSectionId);
    }
}
