using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Send;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Save;

/// <summary>
/// The source's migration thread for a multifd save (docs/protocol.md §2.6): setup writes the block list, live
/// iterations scan the dirty bitmap while the guest keeps writing, complete scans what is left. At each sync
/// site it asks the policy what QEMU does there, and does it. Where the pages go is the transport's business:
/// a mapped-ram file (<see cref="Save"/>: block records with their headers, file bitmaps at complete) or
/// sockets (<see cref="SaveOverSockets"/>: plain block records, packets, SYNC packets).
/// </summary>
public sealed class Saver
{
    /// <summary>The machine type written into the configuration section.</summary>
    public const string MachineType = "syncmodel";
    private const uint RamSectionId = 0;

    private readonly MigrationConfig _config;
    private readonly SyncPolicy _policy;
    private readonly GuestRam _ram;
    private readonly ISaveTransport _transport;
    private readonly ITraceObserver? _observer;
    private readonly IFaultPlan? _connectFaults;
    private readonly MigrationStreamWriter _writer;
    private readonly RamScanner _scanner;
    private readonly GuestVcpu _guest;
    private MultifdSend? _send;
    private long _pagesQueued;

    private Saver(SaveOptions options, Func<MigrationConfig, ISaveTransport> transport)
    {
        var (config, policy, ram, workload) = options;
        _config = config.Validate();
        if (ram.PageSize != config.PageSize || ram.Blocks.Count != config.Blocks.Count)
            throw new ArgumentException("the guest RAM does not have the configuration's blocks and page size");
        _policy = policy;
        _ram = ram;
        _observer = options.Observer;
        _connectFaults = options.ConnectFaults;
        _transport = transport(_config);
        _writer = new MigrationStreamWriter(_transport.MainChannel);
        _scanner = new RamScanner(ram);
        _guest = new GuestVcpu(ram, workload, _observer);
    }

    /// <summary>
    /// Writes the workload's initial contents into the options' RAM, then saves it to <paramref name="file"/>
    /// (mapped-ram) while the guest performs the workload's live rounds. Throws
    /// <see cref="MigrationFailedException"/> (inner: the first error of any thread) when the save fails;
    /// every thread it started has been joined by then.
    /// </summary>
    public static SaveResult Save(IMigrationFile file, SaveOptions options)
    {
        if (options.Policy.Transport != Transport.File)
            throw new NotSupportedException($"policy '{options.Policy.Name}' needs the socket (packet) transport: a file cannot carry packets (use SocketMigration)");
        return new Saver(options, c => new MappedRamSaveTransport(file, options.ChannelFile ?? file, options.Ram, c.Mutations, options.Observer)).Run();
    }

    /// <summary>
    /// Like <see cref="Save"/>, over sockets: the savevm stream on <paramref name="main"/>, the pages in packets on
    /// <paramref name="channels"/> (one per multifd channel), each channel's first packet naming
    /// <paramref name="uuid"/>. Every connection is shut down when the save ends. The policy must be a socket one.
    /// </summary>
    public static SaveResult SaveOverSockets(SocketEndpoint main, IReadOnlyList<SocketEndpoint> channels, Guid uuid, SaveOptions options)
    {
        if (options.Policy.Transport != Transport.Socket)
            throw new NotSupportedException($"policy '{options.Policy.Name}' is a mapped-ram (file) policy; the socket transport runs socket policies only");
        if (options.ChannelFile is not null) throw new ArgumentException("a socket save has no channel file");
        if (channels.Count != options.Config.Channels)
            throw new ArgumentException($"{channels.Count} channel connections for {options.Config.Channels} multifd channels");
        return new Saver(options, c => new SocketSaveTransport(main, channels, options.Ram, uuid, c.PagesPerBatch)).Run();
    }

    private bool F => _config.FlushAfterEachSection.Source;

    private SaveResult Run()
    {
        _guest.WriteInitial();
        try
        {
            Setup();
            for (var round = 1; round <= _config.LiveRounds; round++) Iterate(round);
            Complete();
            _send!.Shutdown();
            // A channel that failed after the last check (the sync does not check after its last wait, §2.4) fails the save here.
            if (_send.Error is { } error) throw new MigrationFailedException("multifd send failed", error);
            _transport.Finish();
            return _transport.Result(_pagesQueued) with { Syncs = _send.Syncs };
        }
        catch (Exception e)
        {
            Failures.Announce(_observer, Actor.Migration, e);
            var cause = Failures.Cause(e);
            _observer?.On(new TraceEvent(EventKind.Exit, Actor.Migration, Error: cause.Message));
            _guest.Stop();
            var message = $"save failed: {cause.Message}";
            try
            {
                _send?.Shutdown();
            }
            catch (Exception cleanup)
            {
                // The cleanup of a failed save can fail on its own (9.0's uninitialised channels, a late creation): QEMU
                // would abort or touch freed memory there, so it is announced as a failure of its own.
                Failures.Announce(_observer, Actor.Migration, cleanup);
                message += $"; then its cleanup failed: {Failures.Cause(cleanup).Message}";
            }
            _transport.Abandon();
            throw new MigrationFailedException(message, cause);
        }
    }

    /// <summary><c>ram_save_setup</c>: header, configuration, SECTION_START with MEM_SIZE and the block list.</summary>
    private void Setup()
    {
        _writer.WriteFileHeader();
        _writer.WriteConfiguration(MachineType, _transport.Capabilities, _config.PageSize);
        _writer.WriteSectionHeader(QemuFormat.SectionStart, RamSectionId);
        _writer.WriteMemSize(_config.TotalBytes);
        _transport.WriteBlockList(_writer);
        _send = new MultifdSend(_config, _policy.Errors, _transport.Channel, _observer);
        _send.Start(_connectFaults);
        var dirty = _scanner.MarkAllDirty();
        _observer?.On(new TraceEvent(EventKind.BitmapSync, Actor.Migration, Count: (int)Math.Min(dirty, int.MaxValue)));
        Site(SenderSite.Setup);
        EndSection();
        _guest.Start();
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
        _transport.AfterCompleteSync(_writer);
        if (decision.EmitFlush && (_config.Mutations & Mutation.FinalSyncWithoutFlush) == 0) Flush();
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
        if (decision.EmitFlush) Flush();
    }

    /// <summary>A MULTIFD_FLUSH record, and the QEMUFile flush that follows it.</summary>
    private void Flush()
    {
        StreamFlag(QemuFormat.FlagMultifdFlush, RamFlag.Flush);
        _transport.FlushPoint(_writer);
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
        _transport.FlushPoint(_writer);
    }
}
