using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// The destination's main thread for a multifd load (docs/protocol.md §3.3–§3.6): it walks the stream section by
/// section; in the MEM_SIZE record of the START section it parses the block list; it syncs the channels
/// wherever the policy says QEMU does; then it cleans up, starts the VM, shuts the channels down and joins them
/// in the policy's order. The RAM section is all it reads: device state after it is skipped. How pages arrive
/// is the transport's business: chunks of a mapped-ram file handed to the recv channels (<see cref="Load"/>,
/// docs/protocol.md §1.6), or packets the recv threads read from their sockets (<see cref="LoadOverSockets"/>, §3.2).
/// </summary>
public sealed class Loader
{
    /// <summary>Where the configuration section starts: right after the 8-byte file header.</summary>
    private const long ConfigurationOffset = 8;

    private readonly SyncPolicy _policy;
    private readonly bool _f;
    private readonly ITraceObserver? _observer;
    private readonly Mutation _mutations;
    private readonly MigrationStreamReader _reader;
    private readonly GuestRam _ram;
    private readonly ILoadTransport _transport;
    private int _sections;
    private bool _ended;

    private Loader(ILoadTransport transport, LoadOptions options, GuestRam ram)
    {
        _transport = transport;
        _policy = options.Policy;
        _f = options.FlushAfterEachSection;
        _observer = options.Observer;
        _mutations = options.Mutations;
        _reader = new MigrationStreamReader(transport.MainChannel);
        _ram = ram;
    }

    /// <summary>
    /// Loads <paramref name="file"/> into <paramref name="options"/>' destination RAM, or into fresh zeroed
    /// RAM laid out like the file's block list. Throws <see cref="MigrationFormatException"/> for a malformed
    /// file and <see cref="MigrationFailedException"/> when a channel fails; every thread is joined by then.
    /// </summary>
    public static LoadResult Load(IMigrationFile file, LoadOptions options)
    {
        if (options.Policy.Transport != Transport.File)
            throw new NotSupportedException($"policy '{options.Policy.Name}' needs the socket (packet) transport: a file cannot carry packets (use SocketMigration)");
        if (options.Channels is < 1 or > 64) throw new ArgumentException($"channels must be 1..64, got {options.Channels}");
        var ram = options.Destination ?? FreshRamFor(file);
        var recv = new MultifdRecv(options.Channels, ram, options.ChannelFile ?? file, options.Policy.RecvSync, options.Policy.Errors, options.Observer)
        {
            ExitAfterSync = (options.Mutations & Mutation.RecvExitAfterSync) != 0,
            JobDoneBeforeReset = (options.Mutations & Mutation.JobDoneBeforeReset) != 0,
            FreeBeforeJoin = (options.Mutations & Mutation.FreeBeforeJoin) != 0,
        };
        return new Loader(new MappedRamLoadTransport(file, recv, options.ChunkBytes), options, ram).Run();
    }

    /// <summary>
    /// Like <see cref="Load"/>, from sockets: the savevm stream from <paramref name="main"/>, the pages in packets
    /// of at most <paramref name="pagesPerPacket"/> pages from <paramref name="channels"/>, whose initial packets
    /// must name <paramref name="uuid"/>. The destination RAM is required (socket migration does not describe
    /// it up front). The policy must be a socket one.
    /// </summary>
    public static SocketLoadResult LoadOverSockets(SocketEndpoint main, IReadOnlyList<SocketEndpoint> channels, Guid uuid, int pagesPerPacket, LoadOptions options)
    {
        if (options.Policy.Transport != Transport.Socket)
            throw new NotSupportedException($"policy '{options.Policy.Name}' is a mapped-ram (file) policy; the socket transport runs socket policies only");
        if (channels.Count != options.Channels || options.Channels is < 1 or > 64)
            throw new ArgumentException($"{channels.Count} channel connections for {options.Channels} multifd channels (1..64)");
        if (options.ChannelFile is not null) throw new ArgumentException("a socket load has no channel file");
        var ram = options.Destination ?? throw new ArgumentException("a socket load needs the destination RAM");
        var recv = new MultifdSocketRecv(channels, ram, uuid, pagesPerPacket, (options.Mutations & Mutation.RecvSkipsSyncPayload) != 0, options.Policy.Errors, options.Observer)
        {
            SetsReceivedMap = (options.Mutations & Mutation.RecvSetsReceivedMap) != 0,
        };
        var loaded = new Loader(new SocketLoadTransport(main, recv), options, ram).Run();
        return new SocketLoadResult(loaded.Ram, recv.Packets, loaded.BytesLoaded, recv.Syncs, recv.ParkedAtShutdown);
    }

    private static GuestRam FreshRamFor(IMigrationFile file)
    {
        var layout = MappedRamInspector.Inspect(file);
        var pageSize = layout.Blocks.Select(b => b.PageSize).Distinct().ToArray();
        if (pageSize.Length != 1) throw new MigrationFormatException(layout.RamSectionOffset, "blocks use different page sizes");
        return new GuestRam(layout.Blocks.Select(b => new Protocol.Config.RamBlockSpec(b.Name, b.UsedLength)).ToArray(), checked((int)pageSize[0]));
    }

    /// <summary>The destination's block named by a block record, checked: it exists and is at least as long.</summary>
    internal static RamBlock LocalBlock(GuestRam ram, string name, long usedLength, long at)
    {
        var local = ram.Find(name)
            ?? throw new MigrationFormatException(at, $"unknown RAM block '{name}' (destination has {string.Join(", ", ram.Blocks.Select(b => b.Name))})");
        if (usedLength > local.UsedLength)
            throw new MigrationFormatException(at, $"block '{name}': {usedLength} bytes in the file, the destination block has {local.UsedLength}");
        return local;
    }

    /// <remarks>
    /// Cleanup after a failure runs in catch blocks, not in a finally: a thread torn down by an exploration
    /// engine after it found a bug passes through finally blocks (Coyote's rewriter keeps catch blocks from
    /// swallowing its teardown), and the trace must end where the bug was found.
    /// </remarks>
    private LoadResult Run()
    {
        try
        {
            _transport.Accept();
            _reader.ReadFileHeader();
            var configuration = _reader.ReadConfiguration();
            _transport.CheckConfiguration(configuration, ConfigurationOffset);
            _transport.Start();
            ReadRamSections();
            _transport.AfterRamSection(_reader);
            // No check of the recv channels' errors here: QEMU's incoming side fails only when qemu_loadvm_state does
            // (migration.c process_incoming_migration_co); a recv thread's error goes to the outgoing MigrationState
            // (docs/protocol.md §3.7), so a load whose syncs all returned succeeds.
            EndOfLoad();
            return new LoadResult(_ram, _transport.ChunksQueued, _transport.BytesLoaded);
        }
        catch (MigrationFormatException e)
        {
            Failures.Announce(_observer, Actor.Destination, e);
            _observer?.On(new TraceEvent(EventKind.Exit, Actor.Destination, Error: e.Message));
            FailedLoadCleanup();
            throw;
        }
        catch (Exception e)
        {
            Failures.Announce(_observer, Actor.Destination, e);
            var cause = Failures.Cause(e);
            _observer?.On(new TraceEvent(EventKind.Exit, Actor.Destination, Error: cause.Message));
            if (!_ended) FailedLoadCleanup();
            throw new MigrationFailedException($"load failed: {cause.Message}", cause);
        }
    }

    /// <summary><c>qemu_loadvm_state_main</c> over the RAM section: START, PARTs, END; commands are skipped.</summary>
    private void ReadRamSections()
    {
        uint? ramId = null;
        // Every item consumes at least one byte, so the file length bounds the loop.
        for (long guard = 0; guard <= _reader.Length; guard++)
        {
            var item = _reader.ReadTopLevel();
            switch (item)
            {
                case VmCommand:
                    continue;
                case VmEof eof:
                    throw new MigrationFormatException(eof.Offset, "the stream ends before the ram section's END");
                case SectionHeader { Type: SectionType.Start, Idstr: QemuFormat.RamIdstr } start when ramId is null:
                    if (start.VersionId != QemuFormat.RamSectionVersion)
                        throw new MigrationFormatException(start.Offset, $"ram section version {start.VersionId}, expected {QemuFormat.RamSectionVersion}");
                    if (start.InstanceId != 0)
                        throw new MigrationFormatException(start.Offset, $"ram section instance id {start.InstanceId}, expected 0: QEMU has no such section to load it into");
                    ramId = start.SectionId;
                    RamLoad(start);
                    break;
                case SectionHeader { Type: SectionType.Part or SectionType.End } s when s.SectionId == ramId:
                    RamLoad(s);
                    if (s.Type == SectionType.End) return;
                    break;
                case SectionHeader other:
                    throw new MigrationFormatException(other.Offset, $"section {other.Type} id {other.SectionId} '{other.Idstr}' before the ram section ended: only the ram section can be loaded here");
            }
        }
        throw new MigrationFormatException(_reader.Position, "too many records before the ram section's END");
    }

    /// <summary>
    /// <c>ram_load</c> for one section: records until EOS (<c>ram_load_precopy</c>) with the policy's sync at every
    /// site, then the end-of-<c>ram_load</c> site, which Peter Xu's proposal runs whatever the records' outcome
    /// (docs/protocol.md §4(c), the diff in the review mail), then the section footer.
    /// </summary>
    private void RamLoad(SectionHeader section)
    {
        _sections++;
        var kind = section.Type switch
        {
            SectionType.Start => EventKind.SectionStart,
            SectionType.Part => EventKind.SectionPart,
            _ => EventKind.SectionEnd,
        };
        _observer?.On(new TraceEvent(kind, Actor.Destination, Round: _sections));
        try
        {
            RamLoadPrecopy();
        }
        catch
        {
            SiteAfterFailure(ReceiverSite.RamLoadEnd);
            throw;
        }
        Site(ReceiverSite.RamLoadEnd);
        _reader.ReadSectionFooter(section.SectionId);
    }

    /// <summary><c>ram_load_precopy</c>: the section's records up to and including its EOS.</summary>
    private void RamLoadPrecopy()
    {
        for (long guard = 0; guard <= _reader.Length / 8; guard++)
        {
            var word = _reader.ReadRamWord();
            if (word.IsMemSize)
            {
                MemSize(word);
            }
            else if (word.IsMultifdFlush)
            {
                _observer?.On(new TraceEvent(EventKind.SeeFlag, Actor.Destination, Flag: RamFlag.Flush));
                if (_policy.AtReceiver(ReceiverSite.FlushFlag, _f) == ReceiverDecision.Reject)
                    throw new MigrationFormatException(word.Offset, "Unexpected RAM flags 0x200: MULTIFD_FLUSH is invalid for mapped-ram");
                Site(ReceiverSite.FlushFlag);
            }
            else if (word.IsEos)
            {
                _observer?.On(new TraceEvent(EventKind.SeeFlag, Actor.Destination, Flag: RamFlag.Eos));
                Site(ReceiverSite.Eos);
                return;
            }
        }
        throw new MigrationFormatException(_reader.Position, "no EOS in the ram section");
    }

    /// <summary>The MEM_SIZE record: <c>parse_ramblocks</c>, then the MemSizeParsed site — which QEMU runs even when parsing failed.</summary>
    private void MemSize(RamWord word)
    {
        try
        {
            ParseRamBlocks(word);
        }
        catch
        {
            SiteAfterFailure(ReceiverSite.MemSizeParsed);
            throw;
        }
        Site(ReceiverSite.MemSizeParsed);
    }

    /// <summary>A site QEMU runs although the record before it failed: the record's error is the load's, not a sync's
    /// that reports the same failure (with the proposed recv-side fix the sync fails once the channels are exiting).</summary>
    private void SiteAfterFailure(ReceiverSite site)
    {
        try
        {
            Site(site);
        }
        catch (MigrationFailedException)
        {
            // The load already fails with the record's error.
        }
    }

    private void ParseRamBlocks(RamWord word)
    {
        var remaining = (long)Math.Min(word.Address, long.MaxValue);
        for (var guard = 0; remaining > 0; guard++)
        {
            if (guard > _ram.Blocks.Count)
                throw new MigrationFormatException(_reader.Position, $"the block list does not add up to MEM_SIZE 0x{word.Address:x}");
            remaining -= _transport.ParseBlock(_reader, _ram);
        }
        if (remaining != 0)
            throw new MigrationFormatException(_reader.Position, $"the block lengths overrun MEM_SIZE 0x{word.Address:x}");
    }

    private void Site(ReceiverSite site)
    {
        if (_policy.AtReceiver(site, _f) == ReceiverDecision.Sync && (_mutations & Mutation.NoRecvSync) == 0) _transport.SyncMain();
    }

    /// <summary>The end of a successful load, in the policy's order (docs/protocol.md §3.6).</summary>
    private void EndOfLoad()
    {
        _ended = true;
        if (_policy.Cleanup == CleanupOrder.LoadCleanupBeforeJoin) LoadCleanup();
        _transport.Shutdown();
        _observer?.On(new TraceEvent(EventKind.VmStart, Actor.Destination));
        _transport.Join();
        if (_policy.Cleanup == CleanupOrder.JoinBeforeLoadCleanup) LoadCleanup();
    }

    /// <summary>A failed load: <c>migration_incoming_state_destroy</c> joins the channels; load cleanup per the policy's order.</summary>
    private void FailedLoadCleanup()
    {
        if (_policy.Cleanup == CleanupOrder.LoadCleanupBeforeJoin) LoadCleanup();
        _transport.Join();
        if (_policy.Cleanup == CleanupOrder.JoinBeforeLoadCleanup) LoadCleanup();
    }

    private void LoadCleanup()
    {
        _observer?.On(new TraceEvent(EventKind.LoadCleanup, Actor.Destination));
        _transport.LoadCleanup();
    }

}
