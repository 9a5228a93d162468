using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Conformance;

/// <summary>Which part of a migration a trace covers.</summary>
public enum ConformanceScope
{
    /// <summary>A save, then the load of the file it wrote (Runs.SaveThenLoad, Coyote's SaveThenLoad scenarios).</summary>
    SaveThenLoad,
    /// <summary>A save only: the run ends when the send threads are joined (Coyote's Save scenarios).</summary>
    SaveOnly,
}

/// <summary>
/// Conformance (issue 5): replays an Implementation <see cref="TraceEvent"/> stream step by step through the model's own
/// step function (<c>ModelMachine</c>, the same transitions the exhaustive checker explores) and names the first event
/// no run of the model can take. The validator is the model: it adds no protocol rule of its own; what it adds is the
/// mapping below from a model step to the Implementation events it stands for, and the bookkeeping of ids a state
/// does not carry (batch and chunk numbers, which channel holds which).
/// </summary>
/// <remarks>
/// <para><b>Mapping</b> (a model step → the Implementation events of one thread, in order; the step is taken at the
/// event in <i>italics</i>, the others are owed by that thread, and other threads' events may come between them):</para>
/// <list type="table">
/// <item><term>main.BitmapSync (iterate r)</term><description><i>RoundStart r</i> (r = 1: the bulk stage has no sync
/// of its own); <i>BitmapSync r</i>, RoundStart r (1 &lt; r ≤ R); <i>RoundStart</i>, BitmapSync (complete). The Implementation's
/// setup BitmapSync (round 0, <c>ram_init_bitmaps</c>) is owed by the initial state. Folded, then any EOS/FLUSH the
/// scan reaches without another visible step.</description></item>
/// <item><term>main.ChannelCreate (errors connect)</term><description><i>CreateFail k</i> when channel k's creation
/// failed; when every channel was created, <i>BitmapSync</i> (setup's, which the initial state owes otherwise).</description></item>
/// <item><term>main.Dispatch, SyncRequest, SyncWait, SyncDone, Terminate</term><description>1:1 (<i>Dispatch ch</i>,
/// pages must agree); SyncRequest is one model step for all channels → <i>SyncRequest 0</i>, SyncRequest 1..N-1; a
/// step that ends a site owes the site's FLUSH/EOS.</description></item>
/// <item><term>socket: send.Connect, send.ConnectFail, send.Open, send.OpenFail, main.ChannelsCreated</term><description>The
/// creation is silent; a failed connect is <i>CreateFail</i> (the creation thread's, taken silently before it: the error is
/// set first); the new thread's first write is <i>ThreadStart</i> (then Exit(error) when it fails); the end of setup's
/// <c>channels_created</c> wait is setup's <i>BitmapSync</i>. A socket migration runs both sides at once: with
/// <see cref="ConformanceScope.SaveOnly"/> only the source's events (migration thread, send threads, guest) are checked; with
/// <see cref="ConformanceScope.SaveThenLoad"/> both sides' (the destination's rows: Model/README.md, "Conformance").</description></item>
/// <item><term>main.FileBitmapWrite</term><description><i>FileBitmapWrite b0</i>, … b(B-1), FileBitmapFree, [FLUSH], EOS.</description></item>
/// <item><term>main.Join (source)</term><description>nothing on the source (the join is inside <c>multifd_send_shutdown</c>);
/// it owes the destination's <i>SectionStart</i> and what the load reads before its first visible step.</description></item>
/// <item><term>send.WriteBegin / send.SyncAck</term><description>Wake, <i>WriteBegin</i> / Wake, <i>SyncAck</i>: the step is
/// chosen at Wake (the <c>exiting</c> check happened before it) and taken at the next event.</description></item>
/// <item><term>send.WriteEnd, send.Exit, send.WriteFail</term><description>1:1 (<i>WriteEnd</i>, <i>Exit</i>, <i>Exit(error)</i>).</description></item>
/// <item><term>guest.GuestWrite</term><description>1:1, the content (data or zero) is not in the event: both are tried.
/// Guest writes after the save has failed are not modelled and are skipped.</description></item>
/// <item><term>dest.RecvQueue, RecvSyncBegin, RecvSyncEnd, LoadCleanup, VmStart, Join</term><description>1:1, then
/// what the load reads on its own (SectionPart/End, SeeFlag FLUSH/EOS) until its next visible step.</description></item>
/// <item><term>dest.Shutdown</term><description>1:1 after a successful load; silent after a failed one (the join terminates the threads).</description></item>
/// <item><term>dest.SyncRequest / dest.SyncDone (v4 one-shot kick / wait)</term><description>silent; the last wait owes <i>RecvSyncEnd</i>.</description></item>
/// <item><term>dest.QueueFail, the model's SeeFlag(error)</term><description>silent (the Implementation throws); so is a
/// dest.RecvSyncEnd that fails the load under the recv-side fix.</description></item>
/// <item><term>recv.ReadBegin / recv.SyncPost</term><description>Wake, <i>ReadBegin</i> / Wake, <i>SyncPost</i> (re-entrant);
/// v4 one-shot: Wake, <i>Exit</i>, SyncPost (its thread posts its own sem_sync on the way out).</description></item>
/// <item><term>recv.ReadEnd, recv.Exit, recv.ReadFail</term><description>1:1; one-shot exits owe a SyncPost.</description></item>
/// </list>
/// <para>Left open by the model, so every choice is tried: page contents (also before the save), the channel a dispatch
/// or a queue picks, the order a sync waits for channels. The configuration must be one the model can hold
/// (<see cref="WhyNotRepresentable"/>); the validator says so rather than check something else.</para>
/// <para><b>Where an event and what it stands for are not atomic</b> (all about <c>exiting</c>, set by one thread and
/// checked by the others; QEMU's checks are as far from what they guard as the Implementation's):</para>
/// <list type="bullet">
/// <item>A channel failure (send.WriteFail, recv.ReadFail) may be taken silently before its <i>Exit(error)</i>, which its
/// thread then owes: the failing thread sets <c>exiting</c> (and kicks the others) before it announces its exit.</item>
/// <item>A step of a main thread that begins with an <c>exiting</c> check (Dispatch, SyncRequest, SyncWait, BitmapSync,
/// RecvQueue) may be announced after a channel failure set the flag: it is taken from the state before the failure, and
/// the channels it posts may also wake as if the flag were clear.</item>
/// <item>When a step sets <c>exiting</c>, a channel that already held a post may still announce one wake-up for it
/// (its check came first); the step's own posts cannot be taken that way.</item>
/// <item>The model posts all of a sync's requests in one step; QEMU stops posting at <c>exiting</c>, so the requests
/// still owed are dropped when the migration thread terminates instead. Guest writes after the save failed are skipped.</item>
/// </list>
/// </remarks>
public static class TraceValidator
{
    /// <summary>Checks an Implementation trace of <paramref name="policy"/> on <paramref name="config"/>, run with the faults
    /// <paramref name="errors"/> allowed (the run's own setting: a trace with a failure nobody injected is no run of the
    /// model); <paramref name="contents"/> tells what the guest's pages held, if known (see <see cref="PageContents"/>).</summary>
    public static ConformanceResult Validate(MigrationConfig config, SyncPolicy policy, IReadOnlyList<TraceEvent> trace, ErrorSides errors,
        ConformanceScope scope = ConformanceScope.SaveThenLoad, PageContents? contents = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(trace);
        if ((WhyNotRepresentable(config, policy, scope) ?? WhyNotRepresentable(policy, errors, scope)) is { } why)
            return new ConformanceResult { Verdict = ConformanceVerdict.NotRepresentable, Reason = why, Events = trace.Count };
        var shape = new TraceShape([.. config.Blocks.Select(b => b.UsedLength / config.PageSize)], config.Channels);
        var options = ModelOptions(config, policy, errors, scope);
        if (options.WhyNotModelled is { } notModelled)
            return new ConformanceResult { Verdict = ConformanceVerdict.NotRepresentable, Reason = notModelled, Events = trace.Count };
        return Checked(options, trace, t => new ConformanceReplay(options, shape, contents).Run(t));
    }

    /// <summary>Checks a trace against the model configured by <paramref name="options"/> (one RAM block of
    /// <see cref="ModelCheckOptions.Pages"/> pages). The symmetry reduction is off (the trace names real channels) and the
    /// bound on guest writes between bitmap syncs is lifted (it bounds the search, not the protocol).</summary>
    public static ConformanceResult Validate(ModelCheckOptions options, IReadOnlyList<TraceEvent> trace, PageContents? contents = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trace);
        options.Validate();
        if (options.WhyNotModelled is { } why)
            return new ConformanceResult { Verdict = ConformanceVerdict.NotRepresentable, Reason = why, Events = trace.Count };
        return Checked(options, trace, t => new ConformanceReplay(options, new TraceShape([options.Pages], options.Channels), contents).Run(t));
    }

    /// <summary>Runs <paramref name="replay"/> over the events the model stands for: all of them, except on a socket migration
    /// checked on its source alone (<see cref="ConformanceScope.SaveOnly"/>), which runs both sides at once: then the
    /// destination's events (its main thread's and the recv threads') are left out. The result's positions are the trace's own.</summary>
    private static ConformanceResult Checked(ModelCheckOptions options, IReadOnlyList<TraceEvent> trace, Func<IReadOnlyList<TraceEvent>, ConformanceResult> replay)
    {
        if (options.SocketDestination && SocketTraceOutsideModel(options, trace) is { } why)
            return new ConformanceResult { Verdict = ConformanceVerdict.NotRepresentable, Reason = why, Events = trace.Count };
        if (!options.IsSocket || options.SocketDestination) return replay(trace);
        var kept = new List<int>(trace.Count);
        for (var i = 0; i < trace.Count; i++)
        {
            if (trace[i].Actor.Kind is ActorKind.Migration or ActorKind.Sender or ActorKind.Guest) kept.Add(i);
        }
        var r = replay([.. kept.Select(i => trace[i])]);
        if (r.RejectedIndex < 0) return r with { Events = trace.Count };
        return r with { RejectedIndex = kept[r.RejectedIndex], Events = kept[r.RejectedIndex] };
    }

    /// <summary>
    /// Why a socket trace is outside what the model's connections can hold, or null. (1) More packets in one connection than the
    /// model's holds (<see cref="ModelCheckOptions.SocketBuffer"/>): a packet counts from the end of its write (<c>WriteEnd</c>, or
    /// a SYNC's <c>SyncAck</c> after the sender's wake-up) to the end of its read (<c>ReadEnd</c>, <c>SyncPost</c>). The
    /// Implementation's connections buffer bytes; with the default (one full packet) SYNC packets can pile up behind a parked
    /// receiver. With <see cref="Mutation.SyncCarriesPages"/> a packet's read ends twice (pages, then the SYNC), so that count is
    /// left to the replay. (2) A write that failed with its connection holding the most packets the model's can
    /// (<c>SocketRecvBits.MaxPackets</c>) unfinished: the model has no room for what of the packet went out (a cut packet). (3) A
    /// receiver that read the header of a packet its sender was still writing, where the write then failed after another
    /// failure (the peer went, or the source shut down): the model puts a packet in the connection whole at the write's end,
    /// or cut at its failure, and a failure that follows another is caused by it, so it comes after the header's read. The
    /// run's first failure is the one the model can take early, before the read (<c>send.WriteFail</c> cutting the packet).
    /// (4) The destination failing to accept a connection (its initial packet): the model's recv channels exist from the start.
    /// </summary>
    private static string? SocketTraceOutsideModel(ModelCheckOptions options, IReadOnlyList<TraceEvent> trace)
    {
        var count = (options.Mutations & Mutation.SyncCarriesPages) == 0;
        var inFlight = new int[State.ModelState.MaxChannels];
        var woke = new bool[State.ModelState.MaxChannels];
        var writing = new bool[State.ModelState.MaxChannels];
        var headerRead = new bool[State.ModelState.MaxChannels];
        var failed = false;
        for (var i = 0; i < trace.Count; i++)
        {
            var e = trace[i];
            var ch = e.Actor.Index;
            if (ch < 0 || ch >= inFlight.Length)
            {
                failed |= e.Error is not null;
                continue;
            }
            switch (e.Actor.Kind, e.Kind)
            {
                case (ActorKind.Sender, EventKind.Wake):
                    woke[ch] = true;
                    continue;
                case (ActorKind.Destination, EventKind.CreateFail):
                    return $"event {i} ({e}): the destination could not accept connection {ch}; the model's recv channels are there from the start "
                        + "(a destination's channel setup is not modelled)";
                case (ActorKind.Sender, EventKind.WriteBegin):
                    writing[ch] = true;
                    break;
                case (ActorKind.Receiver, EventKind.ReadBegin):
                    headerRead[ch] = writing[ch];
                    break;
                case (ActorKind.Sender, EventKind.Exit) when e.Error is not null && writing[ch] && headerRead[ch] && failed:
                    return $"event {i} ({e}): recv{ch} read the header of a packet whose write then failed after another failure; the model's "
                        + "packets are whole until their write ends or fails, and only a run's first failure can cut one before its header is read";
                case (ActorKind.Sender, EventKind.Exit) when e.Error is not null && (writing[ch] || woke[ch]) && count && inFlight[ch] >= State.SocketRecvBits.MaxPackets:
                    return $"event {i} ({e}): a write failed while connection {ch} held {inFlight[ch]} packets its receiver had not finished; the model's "
                        + $"holds at most {State.SocketRecvBits.MaxPackets}, with no room for what of the failed packet went out";
                case (ActorKind.Sender, EventKind.WriteEnd):
                case (ActorKind.Sender, EventKind.SyncAck) when woke[ch]:
                    writing[ch] = headerRead[ch] = false;
                    if (count && ++inFlight[ch] > options.SocketBuffer)
                        return $"event {i} ({e}): connection {ch} holds {inFlight[ch]} packets its receiver has not finished; the model's holds at most "
                            + $"{options.SocketBuffer} (the Implementation's buffers bytes: run it with SocketOptions.HeaderBytes to stay within two)";
                    break;
                case (ActorKind.Receiver, EventKind.ReadEnd or EventKind.SyncPost):
                    inFlight[ch]--;
                    break;
            }
            if (e.Actor.Kind == ActorKind.Sender) woke[ch] = false;
            failed |= e.Error is not null;
        }
        return null;
    }

    /// <summary>Why the model cannot stand for <paramref name="config"/> over <paramref name="scope"/>, or null when it can: the
    /// transport and scope are the model's own question (<see cref="ModelCheckOptions.WhyNotModelled"/>: a socket as its source
    /// alone, <see cref="ConformanceScope.SaveOnly"/>, or with its destination, up to 8 pages and one page per packet), then
    /// the sizes.</summary>
    public static string? WhyNotRepresentable(MigrationConfig config, SyncPolicy policy, ConformanceScope scope = ConformanceScope.SaveThenLoad)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(policy);
        config.Validate();
        var pages = config.TotalBytes / config.PageSize;
        var modelled = new ModelCheckOptions
        {
            Policy = policy,
            SaveOnly = scope == ConformanceScope.SaveOnly,
            Pages = (int)Math.Min(pages, int.MaxValue),
            BatchPages = config.PagesPerBatch,
        };
        if (modelled.WhyNotModelled is { } why) return why;
        var chunk = config.LoadChunkBytes / config.PageSize;
        if (config.Channels > State.ModelState.MaxChannels) return $"{config.Channels} channels: the model holds at most {State.ModelState.MaxChannels}";
        if (pages > State.ModelState.MaxPages) return $"{pages} pages: the model holds at most {State.ModelState.MaxPages} (16 bits per page fact)";
        if (config.LiveRounds > 4) return $"{config.LiveRounds} live rounds: the model counts at most 4";
        if (config.Blocks.Count > 1 && (config.PagesPerBatch > 1 || chunk > 1))
            return $"{config.Blocks.Count} RAM blocks with {config.PagesPerBatch}-page batches and {chunk}-page chunks: the model has one block, "
                + "and the Implementation cuts batches and chunks at block boundaries (only 1-page batches and chunks cannot tell)";
        if (config.PagesPerIteration > 15 && config.PagesPerIteration <= pages)
            return $"a rate limit of {config.PagesPerIteration} pages per iterate call: the model counts at most 15";
        if ((config.Mutations & ~ModelCheckOptions.ModelledMutations) != 0)
            return $"mutation(s) {config.Mutations & ~ModelCheckOptions.ModelledMutations} are not in the model";
        return null;
    }

    /// <summary>Why the model cannot stand for a socket run with the faults <paramref name="errors"/>, or null when it can.</summary>
    private static string? WhyNotRepresentable(SyncPolicy policy, ErrorSides errors, ConformanceScope scope)
    {
        if (policy.Transport != Transport.Socket) return WhyNotRepresentable(errors);
        if (scope == ConformanceScope.SaveOnly)
        {
            return (errors & ErrorSides.Main) != 0
                ? "errors main with scope save-only: the main stream's break is the destination's; validate the whole run (scope save-then-load)"
                : WhyNotRepresentable(errors);
        }
        // Source and destination together: the model injects the main stream's break, a recv channel's read error and a send
        // channel's write error there, not a failed channel creation (ModelCheckOptions.WhyNotModelled).
        return (errors & ErrorSides.Connect) != 0
            ? "errors connect on a socket migration with its destination: the model injects a failed channel creation on the source alone (scope save-only)"
            : null;
    }

    /// <summary>Why the model cannot stand for a run with the faults <paramref name="errors"/>, or null when it can (a main-stream
    /// break is a socket's: file mode has no main connection).</summary>
    public static string? WhyNotRepresentable(ErrorSides errors) =>
        (errors & ~(ErrorSidesText.Modelled & ~ErrorSides.Main)) is var extra and not ErrorSides.None
            ? $"errors {ErrorSidesText.Format(extra)}: the validator maps no such failure (a main-stream break is a socket migration's; file mode has no main connection)"
            : null;

    /// <summary>
    /// The model configuration that stands for <paramref name="config"/> run with the faults <paramref name="errors"/>: its
    /// blocks as one block of all their pages, F per side, the live guest (it writes while iterate calls run). A batch or
    /// chunk larger than 16 pages is 16 (no run of the model can fill more), a rate limit above the page count is none.
    /// </summary>
    public static ModelCheckOptions ModelOptions(MigrationConfig config, SyncPolicy policy, ErrorSides errors, ConformanceScope scope = ConformanceScope.SaveThenLoad)
    {
        ArgumentNullException.ThrowIfNull(config);
        if ((WhyNotRepresentable(config, policy, scope) ?? WhyNotRepresentable(policy, errors, scope)) is { } why) throw new ArgumentException(why);
        var pages = (int)(config.TotalBytes / config.PageSize);
        return new ModelCheckOptions
        {
            Policy = policy,
            FlushSetting = config.FlushAfterEachSection,
            Channels = config.Channels,
            Pages = pages,
            Rounds = config.LiveRounds,
            BatchPages = Math.Min(config.PagesPerBatch, State.ModelState.MaxPages),
            ChunkPages = Math.Min(config.LoadChunkBytes / config.PageSize, State.ModelState.MaxPages),
            PagesPerIteration = config.PagesPerIteration > pages ? 0 : config.PagesPerIteration,
            Mutations = config.Mutations,
            Errors = errors,
            Live = true,
            SaveOnly = scope == ConformanceScope.SaveOnly,
            Symmetry = false,
            Abstraction = false,
            PartialOrder = false,
            FixedWaitOrder = false,
        }.Validate();
    }
}
