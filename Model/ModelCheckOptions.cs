using System.Globalization;
using System.Text;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model;

/// <summary>
/// What one exhaustive check covers: the policy, F per side, and the size of the abstract migration. Every
/// setting bounds the state space, so every "proved" is "proved for all interleavings of this configuration".
/// </summary>
public sealed record ModelCheckOptions
{
    /// <summary>The sync policy; the model consults it at every site, on both sides.</summary>
    public required SyncPolicy Policy { get; init; }

    /// <summary>F (<c>multifd_flush_after_each_section</c>) on the source and on the destination.</summary>
    public FlushSetting FlushSetting { get; init; } = FlushSetting.Off;

    /// <summary>multifd channels per side, 1..8.</summary>
    public int Channels { get; init; } = 2;

    /// <summary>Guest pages, one RAM block, 1..16.</summary>
    public int Pages { get; init; } = 4;

    /// <summary>Live iterate calls (SECTION_PART) before complete, 0..4; the guest may write between them.</summary>
    public int Rounds { get; init; } = 2;

    /// <summary>Which side's IO may fail.</summary>
    public ErrorSides Errors { get; init; }

    /// <summary>Give up (verdict incomplete) after this many distinct states; the default is no limit but memory
    /// (<see cref="MaxMemoryBytes"/>).</summary>
    public int MaxStates { get; init; } = int.MaxValue;

    /// <summary>Stop after this many steps (verdict incomplete unless a violation is found sooner).</summary>
    public int MaxDepth { get; init; } = int.MaxValue;

    /// <summary>Keep channel states sorted so that states differing only by channel numbering are one state.</summary>
    public bool Symmetry { get; init; } = true;

    /// <summary>Partial-order reduction: in each state explore a stubborn subset of the enabled steps (the guest's writes
    /// wait until a step that reads the page is explored).</summary>
    public bool PartialOrder { get; init; } = true;

    /// <summary>Merge states that differ only in values no later step and no property reads (dead values); settled
    /// pages forget their content (an over-approximation whose counterexamples are replayed on the model before they
    /// are reported); the load keeps only its file's chunk count.</summary>
    public bool Abstraction { get; init; } = true;

    /// <summary>A sync waits for its channels in state order rather than in any order, where the order cannot matter (no
    /// IO errors on that side; see <c>ModelMachine.FixedWaitOrder</c>).</summary>
    public bool FixedWaitOrder { get; init; } = true;

    /// <summary>The same check with every reduction off (<see cref="Symmetry"/>, <see cref="PartialOrder"/>,
    /// <see cref="Abstraction"/>, <see cref="FixedWaitOrder"/>): the machine the reductions must agree with.</summary>
    public ModelCheckOptions WithoutReductions() => this with { Symmetry = false, PartialOrder = false, Abstraction = false, FixedWaitOrder = false };

    /// <summary>Stop (verdict incomplete) before the visited set needs more than this many bytes; 0 = three quarters of
    /// the memory available to the process. A run whose <see cref="MaxStates"/> cannot fit is refused before it starts
    /// (<see cref="ModelChecker.Estimate"/>).</summary>
    public long MaxMemoryBytes { get; init; }

    /// <summary>Worker threads for the search; 0 = one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Count, per state component, the distinct values the search met and, per action, the new states it made.</summary>
    public bool Profile { get; init; }

    /// <summary>Check every stubborn set against the machine one step deep as the search goes (tests; slow).</summary>
    internal bool AuditPartialOrder { get; init; }

    /// <summary>The search engine: the model checker's own (default) or CsCheck's <c>Check.Exhaustive</c>, the
    /// reference for small sizes (no partial-order reduction, no memory limit, no progress).</summary>
    public ModelEngine Engine { get; init; }

    /// <summary>Mutation switches the model applies from the start (docs/protocol.md §5).</summary>
    public Mutation Mutations { get; init; }

    /// <summary>Pages per send batch (MULTIFD_PACKET_SIZE in pages), 1..16.</summary>
    public int BatchPages { get; init; } = 1;

    /// <summary>A socket migration with its destination: packets each connection holds, 1..2. With one, a SYNC packet is in
    /// the connection only once every packet before it was read, so the source's sync alone orders the rounds; with two or
    /// more a channel can run ahead of another and only the destination's recv sync keeps an older copy of a page from
    /// landing after a newer one (docs/protocol.md §4(a) Q3).</summary>
    public int SocketBuffer { get; init; } = 2;

    /// <summary>Pages per recv chunk (MAPPED_RAM_LOAD_BUF_SIZE in pages), 1..16.</summary>
    public int ChunkPages { get; init; } = 1;

    /// <summary>Guest writes allowed between two bitmap syncs, 0..15.</summary>
    public int GuestWrites { get; init; } = 2;

    /// <summary>Guest writes allowed in the whole save, 1..15; 0 = no total budget (only <see cref="GuestWrites"/> per interval).</summary>
    public int GuestBudget { get; init; }

    /// <summary>Live guest: it writes at any time before complete, concurrently with the channels; otherwise only between iterate calls.</summary>
    public bool Live { get; init; }

    /// <summary>Pages one iterate call may queue before it returns mid-round (its rate limit), 0..15; 0 = until the scan finds nothing.</summary>
    public int PagesPerIteration { get; init; }

    /// <summary>Check the save only: the run ends when the send threads are joined and the file is closed (answers
    /// docs/protocol.md §4's Q3 for a policy whose load fails first, such as fixed-ram-v4 with F=on).</summary>
    public bool SaveOnly { get; init; }

    /// <summary>The mutation switches the model knows how to apply (each has a state bit, <c>State.Switches</c>).</summary>
    public const Mutation ModelledMutations = Mutation.NoRoundSync | Mutation.ZeroPageBitNotCleared | Mutation.NoCompleteSync
        | Mutation.SyncSkipsChannelsReady | Mutation.NoRecvSync | Mutation.RecvExitAfterSync | Mutation.ExtraSyncKick | Mutation.ErrorWithoutKick
        | Mutation.NoChannelsCreatedWait | Mutation.FinalSyncWithoutFlush | Mutation.RecvSetsReceivedMap | Mutation.SyncCarriesPages
        | Mutation.RecvSkipsSyncPayload;

    /// <summary>Whether the model covers this configuration (see <see cref="WhyNotModelled"/>).</summary>
    public bool IsModelled => WhyNotModelled is null;

    /// <summary>
    /// Why the model cannot check this configuration, or null. It covers the file (mapped-ram) transport, with the error
    /// paths of 9.0's file migration and the proposed fixes of them (docs/fixes/); and the socket transport (9.0+ and 8.2,
    /// each with its own error paths): its source alone
    /// (<see cref="SaveOnly"/>) with channel creation failing (<c>--errors connect</c>), a send channel's writes failing
    /// (<c>--errors source</c>: its initial packet, a page packet or a SYNC packet), or nothing failing; and source and
    /// destination together (<see cref="SocketDestination"/>) with the main stream breaking (<c>--errors main</c>), a recv channel's
    /// read failing (<c>--errors destination</c>), a send channel's page or SYNC packet write failing (<c>--errors source</c>; the
    /// destination reads what of the packet went out) or nothing failing, up to 8 pages.
    /// </summary>
    public string? WhyNotModelled
    {
        get
        {
            if (Policy.Transport == Transport.File)
                return (Errors & ErrorSides.Main) != 0 ? $"{Policy.Name}: the file transport has no main connection to break (--errors main is a socket's)" : null;
            if (SaveOnly)
            {
                if ((Errors & ~(ErrorSides.Connect | ErrorSides.Source)) != 0)
                    return $"{Policy.Name}: the model's socket source injects channel creation failures (--errors connect) and send channel write errors (--errors source), not {ErrorSidesText.Format(Errors & ~(ErrorSides.Connect | ErrorSides.Source))} errors (explore them)";
                return null;
            }
            if ((Errors & ErrorSides.Connect) != 0)
                return $"{Policy.Name}: the model runs a socket migration's source and destination together with the main stream breaking (--errors main), a recv channel's read failing (--errors destination), a send channel's write failing (--errors source) or nothing failing; a failed channel creation (--errors connect) is modelled on the source alone (--save-only): the destination's channel setup is not in the model";
            if (Pages > SocketRecvPages)
                return $"{Policy.Name}: a socket migration with its destination codes a packet's page in the channel's word: at most {SocketRecvPages} pages, got {Pages}";
            if (BatchPages != 1)
                return $"{Policy.Name}: a socket migration with its destination has one page per packet in the model, got {BatchPages}-page batches";
            return null;
        }
    }

    /// <summary>The most pages a socket migration with its destination can have (<c>SocketRecvBits</c>).</summary>
    public const int SocketRecvPages = 8;

    /// <summary>A socket migration checked with its destination: the recv threads read the send threads' packets while the
    /// source saves (<c>ModelMachine.SocketDestination.cs</c>).</summary>
    public bool SocketDestination => IsSocket && !SaveOnly;

    /// <summary>The socket transport (the model has its source, <see cref="WhyNotModelled"/>).</summary>
    public bool IsSocket => Policy.Transport == Transport.Socket;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of the model's range.</summary>
    public ModelCheckOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Policy);
        Require(Channels is >= 1 and <= ModelState.MaxChannels, $"channels must be 1..{ModelState.MaxChannels} in the model, got {Channels}");
        Require(Pages is >= 1 and <= ModelState.MaxPages, $"pages must be 1..{ModelState.MaxPages} in the model, got {Pages}");
        Require(Rounds is >= 0 and <= 4, $"rounds must be 0..4 in the model, got {Rounds}");
        Require(BatchPages is >= 1 and <= ModelState.MaxPages, $"batch pages must be 1..{ModelState.MaxPages}, got {BatchPages}");
        Require(ChunkPages is >= 1 and <= ModelState.MaxPages, $"chunk pages must be 1..{ModelState.MaxPages}, got {ChunkPages}");
        Require(SocketBuffer is >= 1 and <= SocketRecvBits.MaxPackets, $"socket buffer must be 1..{SocketRecvBits.MaxPackets} packets, got {SocketBuffer}");
        Require(GuestWrites is >= 0 and <= 15, $"guest writes must be 0..15, got {GuestWrites}");
        Require(GuestBudget is >= 0 and <= 15, $"guest budget must be 0..15 (0 = none), got {GuestBudget}");
        Require(PagesPerIteration is >= 0 and <= 15, $"pages per iteration must be 0..15, got {PagesPerIteration}");
        Require(MaxStates >= 1, $"max states must be positive, got {MaxStates}");
        Require(MaxDepth >= 1, $"max depth must be positive, got {MaxDepth}");
        Require(MaxMemoryBytes >= 0, $"max memory must not be negative, got {MaxMemoryBytes}");
        Require(Threads is >= 0 and <= 64, $"threads must be 0..64 (0 = one per core), got {Threads}");
        Require((Mutations & ~ModelledMutations) == 0, $"the model cannot apply mutation(s) {Mutations & ~ModelledMutations}");
        Require((Errors & ~ErrorSidesText.Modelled) == 0, $"the model cannot inject {ErrorSidesText.Format(Errors & ~ErrorSidesText.Modelled)} errors (explore them)");
        return this;
    }

    /// <summary>The model's view of a shared <see cref="MigrationConfig"/>: channels, pages (all blocks, in pages), live
    /// rounds, F, batch and chunk size in pages, the rate limit and the mutations.</summary>
    public static ModelCheckOptions FromConfig(MigrationConfig config, SyncPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return new ModelCheckOptions
        {
            Policy = policy,
            FlushSetting = config.FlushAfterEachSection,
            Channels = config.Channels,
            Pages = (int)Math.Min(int.MaxValue, config.TotalBytes / config.PageSize),
            Rounds = config.LiveRounds,
            BatchPages = config.PagesPerBatch,
            ChunkPages = config.LoadChunkBytes / config.PageSize,
            PagesPerIteration = config.PagesPerIteration,
            Mutations = config.Mutations,
        }.Validate();
    }

    /// <summary>The <c>syncmodel check</c> command line that reruns this check.</summary>
    public string ToCommandLine()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("syncmodel check --policy ").Append(Policy.Name);
        var f = FlushSetting;
        sb.Append(" --flush-after-each-section=").Append(f.Source == f.Destination ? (f.Source ? "on" : "off") : $"{OnOff(f.Source)},{OnOff(f.Destination)}");
        sb.Append(" --channels ").Append(Channels.ToString(inv)).Append(" --pages ").Append(Pages.ToString(inv))
          .Append(" --rounds ").Append(Rounds.ToString(inv));
        if (Errors != ErrorSides.None) sb.Append(" --errors=").Append(ErrorsText(Errors));
        if (BatchPages != 1) sb.Append(" --batch-pages ").Append(BatchPages.ToString(inv));
        if (ChunkPages != 1) sb.Append(" --chunk-pages ").Append(ChunkPages.ToString(inv));
        if (SocketBuffer != 2 && SocketDestination) sb.Append(" --socket-buffer ").Append(SocketBuffer.ToString(inv));
        if (GuestWrites != 2) sb.Append(" --guest-writes ").Append(GuestWrites.ToString(inv));
        if (GuestBudget != 0) sb.Append(" --guest-budget ").Append(GuestBudget.ToString(inv));
        if (Live) sb.Append(" --live");
        if (PagesPerIteration != 0) sb.Append(" --pages-per-iteration ").Append(PagesPerIteration.ToString(inv));
        if (Mutations != Mutation.None) sb.Append(" --mutations ").Append(Mutations.ToString().Replace(" ", "", StringComparison.Ordinal));
        if (SaveOnly) sb.Append(" --save-only");
        if (!Symmetry) sb.Append(" --no-symmetry");
        if (!Abstraction) sb.Append(" --no-abstraction");
        if (!FixedWaitOrder) sb.Append(" --no-wait-order");
        if (!PartialOrder) sb.Append(" --no-por");
        if (Engine == ModelEngine.CsCheck) sb.Append(" --engine cscheck");
        if (MaxStates != int.MaxValue) sb.Append(" --max-states ").Append(MaxStates.ToString(inv));
        return sb.ToString();
    }

    /// <summary>"off", "source", "destination" or "both", then ",connect" (or just "connect") when a channel's creation may fail,
    /// then ",main" (or just "main") when the destination's main stream may break.</summary>
    public static string ErrorsText(ErrorSides e)
    {
        if ((e & ErrorSides.Main) != 0)
        {
            var rest = ErrorsText(e & ~ErrorSides.Main);
            return rest == "off" ? "main" : rest + ",main";
        }
        var io = (e & ErrorSides.Both) switch
        {
            ErrorSides.None => null,
            ErrorSides.Source => "source",
            ErrorSides.Destination => "destination",
            _ => "both",
        };
        var connect = (e & ErrorSides.Connect) != 0;
        return io is null ? connect ? "connect" : "off" : connect ? io + ",connect" : io;
    }

    private static string OnOff(bool b) => b ? "on" : "off";

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }
}
