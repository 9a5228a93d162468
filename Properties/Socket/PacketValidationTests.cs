using System.Buffers.Binary;
using SyncModel.Implementation;
using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Socket;

/// <summary>
/// Bad packets on a multifd channel end its recv thread with a <see cref="MigrationFormatException"/> that names the
/// field and its offset in the channel's stream (<c>multifd_recv_unfill_packet</c>'s checks, docs/protocol.md §3.2).
/// As in QEMU, the destination's main thread does not look at that error: when no recv sync is left to wait for the dead
/// thread (§3.7), the load ends as a success, which ErrorSurfaces reports.
/// </summary>
public sealed class PacketValidationTests
{
    private const int PageSize = 4096;
    private const int PagesPerPacket = 4;
    private static readonly Guid Uuid = new("5f6b1a52-3c2e-4b8e-9a61-0d2c7e1f4a93");

    /// <summary>A data packet of two pages of pc.ram (pages 3 and 4), followed by their bytes.</summary>
    private static byte[] DataPacket()
    {
        var packet = new byte[MultifdPacket.Size(PagesPerPacket) + 2 * PageSize];
        // Built element by element: a constant array passed as a span becomes static data, which the Coyote
        // rewriter's copy of this assembly cannot initialize spans from.
        var offsets = new long[2];
        offsets[0] = 3 * PageSize;
        offsets[1] = 4 * PageSize;
        MultifdPacket.Encode(packet.AsSpan(0, MultifdPacket.Size(PagesPerPacket)), 0, PagesPerPacket, 7, "pc.ram", offsets, PageSize);
        packet.AsSpan(MultifdPacket.Size(PagesPerPacket)).Fill(0xab);
        return packet;
    }

    [Fact]
    public void A_packet_decodes_to_what_was_encoded()
    {
        var packet = DataPacket();
        var header = MultifdPacket.DecodeHeader(packet, PagesPerPacket, PageSize, 0, 0);
        Assert.Equal(new MultifdPacketHeader(0, PagesPerPacket, 2, 2 * PageSize, 7, "pc.ram"), header);
        var pages = new long[PagesPerPacket];
        MultifdPacket.DecodePages(packet, header, 16 * PageSize, PageSize, pages, 0, 0);
        Assert.Equal((3L, 4L), (pages[0], pages[1]));
    }

    public static TheoryData<int, uint, string> Corruptions() => new()
    {
        { 0, 0xdeadbeef, "at offset 0x40: multifd channel 0: received packet magic 0xdeadbeef, expected 0x11223344" },
        { 4, 2, "at offset 0x44: multifd channel 0: received packet version 2, expected 1" },
        { 8, 4, "at offset 0x48: multifd channel 0: received packet flags 0x4" },
        { 12, 8, "at offset 0x4c: multifd channel 0: received packet with size 8 and expected a size of 4" },
        { 16, 5, "at offset 0x50: multifd channel 0: received packet with 5 pages and expected maximum pages are 4" },
        { 20, 3, "at offset 0x54: multifd channel 0: next_packet_size 3 does not match 2 pages of 4096 bytes" },
        { 64, 0x6e6f7375, "at offset 0x80: multifd channel 0: unknown ram block 'nosuam'" },
        { 320 + 4, 16 * PageSize, "at offset 0x180: multifd channel 0: offset too long 0x10000 (max 0xf000) in block 'pc.ram'" },
        { 328 + 4, 4 * PageSize + 1, "at offset 0x188: multifd channel 0: offset 0x4001 in block 'pc.ram' is not a multiple of the page size 4096" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_bad_packet_fails_the_load_naming_the_field(int at, uint value, string expected)
    {
        var packet = DataPacket();
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(at), value);
        var monitor = new TraceMonitor(new ErrorSurfacesChecker());

        LoadOneChannel(packet, Uuid, monitor);

        var failure = Assert.Single(monitor.Failures);
        Assert.Equal((Actor.Receiver(0), FailureKind.Transport), (failure.Actor, failure.Kind));
        Assert.Equal(typeof(MigrationFormatException).FullName, failure.ExceptionType);
        Assert.StartsWith(expected, failure.Message);
        var surfaced = monitor.Finish(failed: false);
        Assert.Equal(PropertyId.ErrorSurfaces, surfaced?.Property);
        Assert.Contains("recv0 failed", surfaced!.Message);
    }

    [Fact]
    public void A_good_packet_loads_its_pages()
    {
        var loaded = LoadOneChannel(DataPacket(), Uuid);
        Assert.True(loaded.Ram.Blocks[0].PageSpan(3).SequenceEqual(Enumerable.Repeat((byte)0xab, PageSize).ToArray()));
        Assert.True(loaded.Ram.Blocks[0].IsZeroPage(2));
        Assert.Equal(2 * PageSize, loaded.BytesLoaded);
    }

    [Fact]
    public void An_initial_packet_with_another_uuid_is_refused()
    {
        var e = Assert.Throws<MigrationFormatException>(() => LoadOneChannel(DataPacket(), Guid.Empty));
        Assert.Contains($"received uuid '{Guid.Empty}' and expected uuid '{Uuid}'", e.Message);
    }

    /// <summary>
    /// A hand-written source: the main stream's START section (block list of pc.ram, EOS), one channel with its
    /// initial packet (carrying <paramref name="initialUuid"/>) and <paramref name="packet"/>; once the recv thread
    /// has ended, the END section and EOF. The destination loads with qemu-8.2-socket, F=off.
    /// </summary>
    private static SocketLoadResult LoadOneChannel(byte[] packet, Guid initialUuid, TraceMonitor? observer = null)
    {
        var (sourceMain, destinationMain) = SocketEndpoint.Pair(1 << 16);
        var (sourceChannel, destinationChannel) = SocketEndpoint.Pair(1 << 16);
        var monitor = observer ?? new TraceMonitor();
        var options = new LoadOptions(Qemu82Socket.Instance, 1) { Destination = new GuestRam([new RamBlockSpec("pc.ram", 16 * PageSize)], PageSize), Observer = monitor };
        SocketLoadResult? result = null;
        Exception? error = null;
        var loader = new Thread(() =>
        {
            try { result = Loader.LoadOverSockets(destinationMain, [destinationChannel], Uuid, PagesPerPacket, options); }
            catch (Exception e) { error = e; }
        });
        loader.Start();
        var main = new MigrationStreamWriter(new OutgoingStreamFile(sourceMain));
        main.WriteFileHeader();
        main.WriteConfiguration("syncmodel", []);
        main.WriteSectionHeader(QemuFormat.SectionStart, 0);
        main.WriteMemSize(16 * PageSize);
        main.WriteRamBlock("pc.ram", 16 * PageSize);
        main.WriteRamFlag(QemuFormat.FlagEos);
        main.WriteSectionFooter(0);
        main.Flush();
        var init = new byte[MultifdHandshake.Size];
        MultifdHandshake.Encode(init, initialUuid, 0);
        try
        {
            sourceChannel.Write(init);
            sourceChannel.Write(packet);
        }
        catch (IOException)
        {
            // The destination refused the initial packet and hung up first.
        }
        sourceChannel.Shutdown();
        // Let the recv thread finish with the packet before the main stream ends (otherwise the end of the
        // load could shut the channel down first).
        for (var i = 0; i < 500 && loader.IsAlive && !monitor.Events.Any(e => e.Kind == EventKind.Exit); i++) Thread.Sleep(10);
        main.WriteSectionHeader(QemuFormat.SectionEnd, 0);
        main.WriteRamFlag(QemuFormat.FlagEos);
        main.WriteSectionFooter(0);
        main.WriteEof();
        main.Flush();
        sourceMain.Shutdown();
        Assert.True(loader.Join(TimeSpan.FromSeconds(10)), "the load should end");
        if (error is not null) throw error;
        return result!;
    }
}
