using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Recv;

/// <summary>How to load: the destination's channels, policy, F and (optionally) its RAM.</summary>
public sealed record LoadOptions(SyncPolicy Policy, int Channels)
{
    /// <summary><c>multifd_flush_after_each_section</c> on the destination.</summary>
    public bool FlushAfterEachSection { get; init; }

    /// <summary>The largest chunk one recv channel reads (MAPPED_RAM_LOAD_BUF_SIZE).</summary>
    public int ChunkBytes { get; init; } = Format.QemuFormat.LoadBufferSize;

    /// <summary>The destination's RAM; null = fresh zeroed RAM shaped like the file's block list.</summary>
    public GuestRam? Destination { get; init; }

    public ITraceObserver? Observer { get; init; }

    /// <summary>Injected destination bugs (<see cref="Mutation.NoRecvSync"/>, <see cref="Mutation.RecvExitAfterSync"/>).</summary>
    public Mutation Mutations { get; init; }

    /// <summary>The file as the recv channels see it (QEMU dup()s the fd per channel, docs/protocol.md §1.8); null = the main channel's.</summary>
    public IO.IMigrationFile? ChannelFile { get; init; }
}
