using SyncModel.Implementation.IO;

namespace SyncModel.Implementation.Socket;

/// <summary>The connections of a socket migration.</summary>
public sealed record SocketOptions
{
    /// <summary>
    /// Bytes each direction of a connection buffers (the kernel's send plus receive buffer). 0 = one full packet
    /// with its pages: far less than guest RAM, as real socket buffers are, so a channel whose receiver stops
    /// reading soon blocks its sender (the back-pressure of docs/protocol.md §4(a)).
    /// </summary>
    public int BufferBytes { get; init; }

    /// <summary>The VM's uuid both sides were started with; each channel's initial packet carries it.</summary>
    public Guid Uuid { get; init; }

    /// <summary>Fails IO of the source's channel connections (the main channel fails only by <see cref="MainFaults"/>).</summary>
    public IFaultPlan? SourceFaults { get; init; }

    /// <summary>Fails IO of the destination's channel connections.</summary>
    public IFaultPlan? DestinationFaults { get; init; }

    /// <summary>Fails the destination's reads of the main stream: the migration stream breaks (a cancelled migration).</summary>
    public IFaultPlan? MainFaults { get; init; }

    /// <summary>
    /// The bytes of one packet header for packets of <paramref name="pagesPerPacket"/> pages (a SYNC packet's size): as a
    /// <see cref="BufferBytes"/>, a connection then holds at most two packets its receiver has not finished, counted from
    /// the end of their write to the end of their read (the model's connection, <c>--socket-buffer 2</c>): a third
    /// packet's header fits only once the second's bytes are all read, by then the first is done.
    /// </summary>
    public static int HeaderBytes(int pagesPerPacket) => Format.MultifdPacket.Size(pagesPerPacket);

    /// <summary>The buffer size for packets of <paramref name="pagesPerPacket"/> pages of <paramref name="pageSize"/> bytes.</summary>
    public int BufferFor(int pagesPerPacket, int pageSize)
        => BufferBytes > 0 ? BufferBytes : Format.MultifdPacket.Size(pagesPerPacket) + pagesPerPacket * pageSize;
}
