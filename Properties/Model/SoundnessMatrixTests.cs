using SyncModel.Protocol.Vocabulary;
using SyncModel.Model;
using SyncModel.Model.Checking;
using SyncModel.Model.Machine;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>
/// Issue 11's soundness matrix: every file preset × F × errors (none, source, destination, connect) × every modelled mutation, at
/// sizes up to 3 channels, 4 pages and 2 rounds. For each configuration the verdict, the property and (for a violation)
/// the shortest depth are the same with every reduction on, with each one off in turn, and with all of them off; the
/// partial-order audit checks every stubborn set as the search uses it; and the counterexample found with every
/// reduction on is replayed independently on the unreduced machine (guards checked, the property re-evaluated on the
/// states it reaches) and fed, as an event stream, through the Implementation's stream checkers.
/// </summary>
public sealed class SoundnessMatrixTests
{
    private static readonly Mutation[] Mutations =
    [
        Mutation.None, Mutation.NoRoundSync, Mutation.ZeroPageBitNotCleared, Mutation.NoCompleteSync,
        Mutation.SyncSkipsChannelsReady, Mutation.NoRecvSync, Mutation.RecvExitAfterSync, Mutation.ExtraSyncKick, Mutation.ErrorWithoutKick,
    ];

    /// <summary>Shapes: (channels, pages, rounds, live, guest writes per interval, batch pages, pages per iterate call).</summary>
    private static readonly (int N, int P, int R, bool Live, int Writes, int Batch, int PerIteration)[] Shapes =
    [
        (2, 3, 2, true, 1, 1, 0),
        (3, 2, 1, false, 2, 1, 0),
        (2, 4, 1, true, 1, 2, 0),
    ];

    /// <summary>A socket migration's shapes: one page per packet; the last has iterate calls return after one page, so a
    /// rewritten page is sent one wrap's sync after its old copy and channels can run a round apart.</summary>
    private static readonly (int N, int P, int R, bool Live, int Writes, int Batch, int PerIteration)[] SocketShapes =
    [
        (2, 2, 2, true, 1, 1, 0),
        (3, 1, 1, false, 2, 1, 0),
        (2, 2, 1, true, 1, 1, 1),
    ];

    public static TheoryData<string, bool, ErrorSides> Rows()
    {
        var data = new TheoryData<string, bool, ErrorSides>();
        foreach (var p in SyncPolicies.FileMode)
        {
            foreach (var f in new[] { false, true })
            {
                foreach (var e in new[] { ErrorSides.None, ErrorSides.Source, ErrorSides.Destination, ErrorSides.Connect })
                {
                    // Every file preset is modelled, the fix presets with their error paths too (WhyNotModelled).
                    if (new ModelCheckOptions { Policy = p, Errors = e }.IsModelled) data.Add(p.Name, f, e);
                }
            }
        }
        return data;
    }

    /// <summary>The socket source (save only): qemu-9.0-socket × F × errors (none, connect, source, both), qemu-8.2-socket × F
    /// with source errors; its mutations are those that act on the send side.</summary>
    public static TheoryData<string, bool, ErrorSides> SocketRows()
    {
        var data = new TheoryData<string, bool, ErrorSides>();
        foreach (var f in new[] { false, true })
        {
            foreach (var e in new[] { ErrorSides.None, ErrorSides.Connect, ErrorSides.Source, ErrorSides.Source | ErrorSides.Connect })
            {
                Assert.True(new ModelCheckOptions { Policy = Qemu90Socket.Instance, Errors = e, SaveOnly = true }.IsModelled);
                data.Add(Qemu90Socket.Instance.Name, f, e);
            }
            // 8.2's send failure: the failing thread's own terminate, a sync whose second loop checks nothing; its failed
            // connect: the channel quits, a dispatch or the sync's first loop that meets it fails (symmetry off: order matters).
            data.Add(Qemu82Socket.Instance.Name, f, ErrorSides.Source);
            data.Add(Qemu82Socket.Instance.Name, f, ErrorSides.Connect);
        }
        return data;
    }

    private static readonly Mutation[] SocketMutations =
    [
        Mutation.None, Mutation.NoRoundSync, Mutation.NoCompleteSync, Mutation.SyncSkipsChannelsReady, Mutation.ExtraSyncKick, Mutation.ErrorWithoutKick,
        Mutation.NoChannelsCreatedWait,
    ];

    /// <summary>A socket migration with its destination: qemu-9.0-socket × F on each side (§4(a)'s mismatches too) × room for
    /// one or two packets per connection (one: without mutations and with 5.7's), no errors; and with F matching the main
    /// stream breaking, a recv read failing, a send write failing, or either side's IO failing (without mutations and with
    /// 5.9's); qemu-8.2-socket with the source's F either way.</summary>
    public static TheoryData<string, bool, bool, int, ErrorSides> SocketDestinationRows()
    {
        var data = new TheoryData<string, bool, bool, int, ErrorSides>();
        foreach (var src in new[] { false, true })
        {
            foreach (var dst in new[] { false, true })
            {
                foreach (var buffer in new[] { 1, 2 }) data.Add(Qemu90Socket.Instance.Name, src, dst, buffer, ErrorSides.None);
            }
            // The main stream breaking (5.9), F matching.
            data.Add(Qemu90Socket.Instance.Name, src, src, 2, ErrorSides.Main);
            // A recv channel's read failing: the destination's main thread, not told, waits in its recv sync (§3.7).
            data.Add(Qemu90Socket.Instance.Name, src, src, 2, ErrorSides.Destination);
            // A send channel's write failing (the destination reads what of the packet went out), and either side's error.
            data.Add(Qemu90Socket.Instance.Name, src, src, 2, ErrorSides.Source);
            data.Add(Qemu90Socket.Instance.Name, src, src, 1, ErrorSides.Both);
            // 8.2: setup does not wait for the creations, the destination's join releases parked threads; its error paths.
            data.Add(Qemu82Socket.Instance.Name, src, false, 2, ErrorSides.None);
            data.Add(Qemu82Socket.Instance.Name, src, src, 2, ErrorSides.Source);
            data.Add(Qemu82Socket.Instance.Name, src, src, 1, ErrorSides.Destination | ErrorSides.Main);
        }
        return data;
    }

    private static readonly Mutation[] SocketDestinationMutations =
    [
        Mutation.None, Mutation.NoRoundSync, Mutation.NoCompleteSync, Mutation.SyncSkipsChannelsReady, Mutation.ExtraSyncKick, Mutation.NoRecvSync,
        Mutation.FinalSyncWithoutFlush,
    ];

    [Theory]
    [MemberData(nameof(SocketDestinationRows))]
    public void Every_reduction_keeps_the_socket_migrations_verdict_and_its_counterexample_replays(string policy, bool source, bool destination, int buffer,
        ErrorSides errors)
    {
        // Every mutation where F matches (each one's verdict is its own); F mismatched deadlocks whatever the mutation.
        Mutation[] mutations = errors != ErrorSides.None ? [Mutation.None, Mutation.RecvSetsReceivedMap]
            : buffer > 1 && policy == Qemu90Socket.Instance.Name && source == destination ? SocketDestinationMutations
            : [Mutation.None, Mutation.FinalSyncWithoutFlush];
        foreach (var mutation in mutations)
            EveryShape(policy, new FlushSetting(source, destination), errors, mutation, saveOnly: false, buffer);
    }

    /// <summary>5.10's halves on qemu-8.2-socket (a SYNC riding on a job's packet, a receiver that skips a SYNC's payload),
    /// alone and together, on the two smaller socket shapes (the carried SYNC's owed wake-ups make the unreduced space large).</summary>
    [Theory]
    [InlineData(Mutation.SyncCarriesPages)]
    [InlineData(Mutation.RecvSkipsSyncPayload)]
    [InlineData(Mutation.SyncCarriesPages | Mutation.RecvSkipsSyncPayload)]
    public void Every_reduction_keeps_the_verdict_of_a_SYNC_carrying_pages(Mutation mutation) =>
        EveryShape(Qemu82Socket.Instance.Name, FlushSetting.On, ErrorSides.None, mutation, saveOnly: false, shapes: SocketShapes[1..]);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_reduction_keeps_the_verdict_and_its_counterexample_replays(string policy, bool f, ErrorSides errors)
    {
        foreach (var mutation in Mutations) EveryShape(policy, f ? FlushSetting.On : FlushSetting.Off, errors, mutation, saveOnly: false);
    }

    [Theory]
    [MemberData(nameof(SocketRows))]
    public void Every_reduction_keeps_the_socket_sources_verdict_and_its_counterexample_replays(string policy, bool f, ErrorSides errors)
    {
        foreach (var mutation in SocketMutations) EveryShape(policy, f ? FlushSetting.On : FlushSetting.Off, errors, mutation, saveOnly: true);
    }

    private static void EveryShape(string policy, FlushSetting f, ErrorSides errors, Mutation mutation, bool saveOnly, int socketBuffer = 2,
        (int N, int P, int R, bool Live, int Writes, int Batch, int PerIteration)[]? shapes = null)
    {
        var socketDestination = SyncPolicies.Parse(policy).Transport == Transport.Socket && !saveOnly;
        foreach (var (n, p, r, live, writes, batch, perIteration) in shapes ?? (socketDestination ? SocketShapes : Shapes))
        {
            var o = new ModelCheckOptions
            {
                Policy = SyncPolicies.Parse(policy), FlushSetting = f, Errors = errors,
                Mutations = mutation, Channels = n, Pages = p, Rounds = r, Live = live, GuestWrites = writes, BatchPages = batch,
                SaveOnly = saveOnly, Threads = 1, SocketBuffer = socketBuffer, PagesPerIteration = perIteration,
            };
            var what = $"{policy} F={f.Source},{f.Destination}{(o.SocketDestination ? $" buffer={socketBuffer}" : "")} errors={errors} {mutation} {n}ch {p}p {r}r live={live} writes={writes} batch={batch} per-iteration={perIteration}";
            var reduced = ModelChecker.Check(o with { AuditPartialOrder = true });
            var unreduced = ModelChecker.Check(o.WithoutReductions());
            Assert.True(unreduced.Verdict is VerdictKind.Proved or VerdictKind.Violated, $"{what}: the unreduced search did not finish");
            Same(what + " (every reduction on)", unreduced, reduced);
            Same(what + " (no symmetry)", unreduced, ModelChecker.Check(o with { Symmetry = false }));
            Same(what + " (no partial order)", unreduced, ModelChecker.Check(o with { PartialOrder = false }));
            Same(what + " (no abstraction)", unreduced, ModelChecker.Check(o with { Abstraction = false }));
            Same(what + " (no wait order)", unreduced, ModelChecker.Check(o with { FixedWaitOrder = false }));
            if (reduced.Verdict == VerdictKind.Violated)
            {
                ReplaysOnTheUnreducedMachine(what, o, reduced);
                TheStreamCheckersAgree(what, reduced);
            }
        }
    }

    private static void Same(string what, ModelCheckResult expected, ModelCheckResult actual)
    {
        Assert.True(expected.Verdict == actual.Verdict && expected.Property == actual.Property,
            $"{what}: {actual.VerdictText} {actual.Property}, without reductions {expected.VerdictText} {expected.Property}");
        if (expected.Verdict == VerdictKind.Violated)
            Assert.True(expected.Depth == actual.Depth, $"{what}: counterexample of {actual.Depth} steps, without reductions {expected.Depth}");
    }

    /// <summary>Takes the reported run step by step on a machine with every reduction off: each step's guard holds where
    /// it is taken, and the property is violated where the run ends.</summary>
    private static void ReplaysOnTheUnreducedMachine(string what, ModelCheckOptions o, ModelCheckResult r)
    {
        var m = new ModelMachine(o.WithoutReductions());
        var search = new ModelSearch(m);
        var s = m.Initial;
        Assert.Equal(r.Depth, r.Run.Count);
        for (var i = 0; i < r.Run.Count; i++)
        {
            var (name, arg) = r.Run[i];
            var action = m.Actions.Single(a => a.Name == name);
            Assert.True(action.Guard(s, arg), $"{what}: step {i + 1} ({name} {arg}) is not enabled in the unreduced model");
            var index = m.Actions.ToList().IndexOf(action);
            var group = search.GroupOf(index, arg);
            if (i == r.Run.Count - 1 && search.ViolatedStep(s, group) is var step && step >= 0)
            {
                Assert.Equal(r.Property, ModelSearch.PropertyNames[step]);
                return;
            }
            s = action.Apply(s, arg, null);
        }
        var invariant = search.ViolatedInvariant(s);
        Assert.True(invariant >= 0 && ModelSearch.PropertyNames[invariant] == r.Property,
            $"{what}: the run ends where {(invariant < 0 ? "nothing" : ModelSearch.PropertyNames[invariant])} is violated, not {r.Property}");
    }

    /// <summary>The counterexample as an Implementation event stream: where a stream checker exists for the property it
    /// flags it on the last step; elsewhere no checker raises a false alarm.</summary>
    private static void TheStreamCheckersAgree(string what, ModelCheckResult r)
    {
        var monitor = TraceMonitor.WithAllCheckers();
        foreach (var e in r.Counterexample) monitor.On(e);
        var found = monitor.Violation;
        if (r.Property is nameof(PropertyId.DrainBeforeCleanup) or nameof(PropertyId.SendDrainBeforeBitmap))
        {
            Assert.NotNull(found);
            Assert.True(found.Property.ToString() == r.Property, $"{what}: the stream checkers found {found.Property}");
            Assert.Equal(r.Steps[^1].Index, r.Steps[found.EventIndex].Index);
        }
        else if (found is not null)
        {
            Assert.True(found.Property.ToString() == r.Property, $"{what}: false alarm {found.Property} on the model's {r.Property} counterexample");
        }
    }
}
