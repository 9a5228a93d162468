using SyncModel.Model;
using SyncModel.Model.Checking;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Properties.Model;

/// <summary>
/// A socket migration with its destination (<see cref="ModelCheckOptions.SocketDestination"/>): the recv threads read the
/// send threads' packets while the source saves, the destination's main thread reads the main stream as far as the source
/// wrote it, and its recv sync collects one SYNC per channel. §4(a)'s verdicts, 5.7, and the steps the verdicts rest on.
/// </summary>
public sealed class SocketDestinationTests
{
    private static ModelCheckOptions Whole(FlushSetting f, Mutation mutations = Mutation.None, int channels = 2, int pages = 3, bool live = false,
        int buffer = 2, int pagesPerIteration = 0) =>
        new()
        {
            Policy = Qemu90Socket.Instance, FlushSetting = f, Mutations = mutations, Channels = channels, Pages = pages, Rounds = 2, Live = live,
            SocketBuffer = buffer, PagesPerIteration = pagesPerIteration,
        };

    [Theory]
    [InlineData(false, false, 2)]
    [InlineData(true, true, 2)]
    [InlineData(false, false, 3)]
    [InlineData(true, false, 2)]
    [InlineData(false, true, 2)]
    [InlineData(true, false, 1)]
    [InlineData(false, true, 3)]
    public void The_migrations_verdicts_are_section_4a_s(bool source, bool destination, int channels)
    {
        var f = new FlushSetting(source, destination);
        var r = ModelChecker.Check(Whole(f, channels: channels));

        var found = r.Verdict == VerdictKind.Violated ? r.Property! : ReferenceVerdicts.NoBug;
        Assert.True(r.Verdict is VerdictKind.Proved or VerdictKind.Violated, r.Sentence);
        Assert.Equal(ReferenceVerdicts.Describe(ReferenceVerdicts.Expected(Qemu90Socket.Instance, f, ErrorSides.None, channels)), found);
    }

    [Fact]
    public void With_the_source_on_and_the_destination_off_the_channels_park_at_the_first_SYNC_for_good()
    {
        var r = ModelChecker.Check(Whole(new FlushSetting(true, false)));

        Assert.Equal(nameof(PropertyId.NoDeadlock), r.Property);
        Assert.Contains(r.Notes, n => n.Contains("parked at a SYNC", StringComparison.Ordinal));
        Assert.Contains(r.Notes, n => n.StartsWith("dest main is blocked reading the main stream", StringComparison.Ordinal));
        // Nothing on the destination ever ran a recv sync: only a FLUSH would have started one.
        Assert.DoesNotContain(r.Counterexample, e => e.Kind == EventKind.RecvSyncBegin);
    }

    [Fact]
    public void The_final_SYNC_without_its_FLUSH_leaves_recv_threads_parked_at_the_shutdown()
    {
        // Zoo 5.7 (637280ae): complete still syncs (SYNC packets on every channel) but writes no FLUSH, so no recv sync
        // collects them; the destination's shutdown finds its channels parked.
        var r = ModelChecker.Check(Whole(FlushSetting.Off, Mutation.FinalSyncWithoutFlush));

        Assert.Equal(nameof(PropertyId.SemaphoreAccounting), r.Property);
        Assert.Contains("parked at a SYNC packet that no recv sync collected", r.Sentence, StringComparison.Ordinal);
        Assert.Equal(EventKind.SyncPost, r.Counterexample.Last(e => e.Actor.Kind != ActorKind.Destination).Kind);
        // The report's slice starts from the SYNC post nobody collected.
        var report = ModelReports.ToReport(r)!;
        Assert.Contains(report.Steps, x => x.InSlice && x.Event.Kind == EventKind.SyncPost);
        // F=on never depended on complete's FLUSH: the sync at EOS collects the SYNC packets.
        Assert.Equal(VerdictKind.Proved, ModelChecker.Check(Whole(FlushSetting.On, Mutation.FinalSyncWithoutFlush)).Verdict);
    }

    [Fact]
    public void A_live_guest_socket_migration_is_proved_with_its_destination()
    {
        var r = ModelChecker.Check(Whole(FlushSetting.Off, channels: 2, pages: 4, live: true));

        Assert.Equal(VerdictKind.Proved, r.Verdict);
        Assert.True(r.States > 1_000, $"{r.States} states: the destination's interleavings are explored");
    }

    /// <summary>A state of the unreduced machine with two packets carrying page 0 in the two connections, the first an old
    /// copy (the guest wrote the page after its snapshot), the second the newest.</summary>
    private static (ModelMachine M, ModelState S) TwoCopiesOfPage0()
    {
        var m = new ModelMachine(Whole(FlushSetting.Off).WithoutReductions());
        var s = m.Initial;
        s = s.WithCh(0, SocketRecvBits.Push(s.Ch(0), SocketRecvBits.PageCode(0, current: false)));
        s = s.WithCh(1, SocketRecvBits.Push(s.Ch(1), SocketRecvBits.PageCode(0, current: true)));
        return (m, s);
    }

    private static ModelState Step(ModelMachine m, ModelState s, string action, int arg)
    {
        Assert.True(Enabled(m, s, action, arg), $"{action} {arg} is not enabled");
        return m.Actions.Single(x => x.Name == action).Apply(s, arg, null);
    }

    private static bool Enabled(ModelMachine m, ModelState s, string action, int arg) => m.Actions.Single(x => x.Name == action).Guard(s, arg);

    private static ModelState Land(ModelMachine m, ModelState s, int ch) =>
        Step(m, Step(m, s, ModelMachine.Names.ReadBegin, ch), ModelMachine.Names.ReadEnd, ch);

    [Theory]
    [InlineData(0, 1, true)]
    [InlineData(1, 0, false)]
    public void The_copy_that_lands_last_is_the_one_the_destination_keeps(int first, int second, bool current)
    {
        var (m, s) = TwoCopiesOfPage0();

        s = Land(m, Land(m, s, first), second);

        Assert.Equal(current, (Pages.Get(s, PageFact.SlotCurrent) & 1) != 0);
    }

    [Fact]
    public void A_guest_write_makes_every_copy_on_its_way_old()
    {
        var (m, s) = TwoCopiesOfPage0();
        s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Gap), };
        s = s with { Main = MainBits.Iter.Set(s.Main, 2) };

        s = Step(m, s, ModelMachine.Names.GuestWrite, m.GuestWriteArg(0, true));
        s = Land(m, s, 1);

        Assert.False(SocketRecvBits.IsCurrent(SocketRecvBits.Head(s.Ch(0))));
        Assert.Equal(0, Pages.Get(s, PageFact.SlotCurrent) & 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_packet_waits_for_room_in_its_connection(int buffer)
    {
        var m = new ModelMachine(Whole(FlushSetting.Off, buffer: buffer).WithoutReductions());
        var s = m.Initial;
        // send0 has written page 1's packet; its connection is full of older packets (a SYNC last).
        var w = SendBits.Phase.Set(SendBits.WithSnapshot(SendBits.WithJob(SendBits.Created(s.Ch(0), ChannelPhase.Idle), 2), 2), (int)ChannelPhase.Busy);
        for (var i = 0; i < buffer - 1; i++) w = SocketRecvBits.Push(w, SocketRecvBits.PageCode(2, current: true));
        s = s.WithCh(0, SocketRecvBits.Push(w, SocketRecvBits.Sync));
        var writeEnd = m.Actions.Single(a => a.Name == ModelMachine.Names.WriteEnd);

        Assert.False(writeEnd.Guard(s, 0));
        s = buffer > 1 ? Land(m, s, 0) : Step(m, s, ModelMachine.Names.SyncPost, 0);
        Assert.True(writeEnd.Guard(s, 0));
        s = writeEnd.Apply(s, 0, null);
        // The new packet is the last in the connection, behind what was there: first in, first read.
        var last = SocketRecvBits.At(s.Ch(0), SocketRecvBits.Count(s.Ch(0)) - 1);
        Assert.Equal(SocketRecvBits.PageCode(1, current: true), last);
        Assert.Equal(buffer, SocketRecvBits.Count(s.Ch(0)));
    }

    [Fact]
    public void With_room_for_two_packets_an_old_copy_waits_in_one_connection_while_the_newest_waits_in_another()
    {
        // docs/protocol.md §4(a) Q3: a channel's SYNC can be written before its earlier packets are read, so the source's
        // round sync alone does not order the rounds on the destination; the recv sync does (the newest copy waits behind
        // its channel's SYNC). With room for one packet the source's sync would have ordered them already. The iterate
        // call returns after one page, so the next call sends the rewritten page after one wrap's sync, not two.
        var two = Reaches(Whole(FlushSetting.Off, pages: 2, live: true, buffer: 2, pagesPerIteration: 1));
        var one = Reaches(Whole(FlushSetting.Off, pages: 2, live: true, buffer: 1, pagesPerIteration: 1));

        Assert.True(two, "no state with an old copy in one connection and the newest in another");
        Assert.False(one, "with room for one packet the source's sync leaves no old copy behind");

        static bool Reaches(ModelCheckOptions o) => ModelWalk.FirstReachable(new ModelMachine(o.WithoutReductions()), OldAndNewInFlight) is not null;

        static bool OldAndNewInFlight(ModelState s)
        {
            for (var page = 0; page < 2; page++)
            {
                bool old = false, newest = false;
                for (var ch = 0; ch < 2; ch++)
                {
                    for (var i = 0; i < SocketRecvBits.Count(s.Ch(ch)); i++)
                    {
                        var code = SocketRecvBits.At(s.Ch(ch), i);
                        if (!SocketRecvBits.IsPage(code) || SocketRecvBits.PageOf(code) != page) continue;
                        if (SocketRecvBits.IsCurrent(code)) newest = true;
                        else old = true;
                    }
                }
                if (old && newest) return true;
            }
            return false;
        }
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(5, true)]
    public void The_VM_must_start_on_the_newest_copy_of_every_page(int current, bool stale)
    {
        var m = new ModelMachine(Whole(FlushSetting.Off).WithoutReductions());
        var search = new ModelSearch(m);
        var s = m.Initial;
        // Every thread done and the destination at VmStart (LoadCleanup and Shutdown ran).
        for (var i = 0; i < m.N; i++) s = s.WithCh(i, SocketRecvBits.Phase.Set(0UL, (int)SocketRecvPhase.Exited));
        s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.SourceDone), Aux = DestBits.Site.Set(DestBits.Pc.Set(s.Aux, (int)DestPc.Cleanup), 2) };
        s = Pages.Set(s, PageFact.SlotCurrent, current);
        var vmStart = m.Actions.ToList().FindIndex(a => a.Name == ModelMachine.Names.VmStart);

        Assert.Equal(CleanupStep.VmStart, m.CurrentCleanup(s));
        var violated = search.ViolatedStep(s, search.GroupOf(vmStart, 0));
        Assert.Equal(stale ? nameof(PropertyId.NoStalePage) : null, violated >= 0 ? ModelSearch.PropertyNames[violated] : null);
    }

    [Fact]
    public void Recv_threads_that_set_receivedmap_bits_use_it_after_the_load_cleanup_freed_it()
    {
        // Zoo 5.9 (5ef7e26b, fixed by 4ce56229): the main stream breaks, the failed load's qemu_loadvm_state_cleanup frees
        // the receivedmap while the recv threads still read; one that marks a packet's pages then uses freed memory.
        var o = Whole(FlushSetting.Off, Mutation.RecvSetsReceivedMap, channels: 1) with { Errors = ErrorSides.Main };
        var r = ModelChecker.Check(o);

        Assert.Equal(nameof(PropertyId.NoUseAfterFree), r.Property);
        Assert.Contains("qemu_loadvm_state_cleanup freed the receivedmap", r.Sentence, StringComparison.Ordinal);
        var cleanup = r.Counterexample.ToList().FindIndex(e => e.Kind == EventKind.LoadCleanup);
        Assert.True(cleanup >= 0 && r.Counterexample[^1].Kind == EventKind.ReadBegin, "the read begins after the load cleanup");
        Assert.Contains(r.Counterexample, e => e.Kind == EventKind.Exit && e.Actor.Kind == ActorKind.Destination && e.Error is not null);
        // 9.0's recv threads do not touch the receivedmap: the same run is clean.
        Assert.Equal(VerdictKind.Proved, ModelChecker.Check(o with { Mutations = Mutation.None }).Verdict);
    }

    [Fact]
    public void A_broken_main_stream_with_two_channels_reaches_the_source_side_sync_hang()
    {
        // The destination gives up, the source's next write fails (the peer is gone), and the other channel leaves on
        // exiting without a kick while the sync waits for it: docs/protocol.md §2.9, reached from the destination's side.
        var r = ModelChecker.Check(Whole(FlushSetting.Off) with { Errors = ErrorSides.Main });

        Assert.Equal(nameof(PropertyId.NoDeadlock), r.Property);
        Assert.Contains(r.Notes, n => n.StartsWith("main is blocked in multifd_send_sync_main", StringComparison.Ordinal));
    }

    [Fact]
    public void A_SYNC_carrying_pages_and_a_receiver_that_skips_its_payload_lose_the_page()
    {
        // Zoo 5.10 (GitLab #2720): an 8.2 source puts the last page on complete's SYNC packet; a 9.2 destination does not
        // unfill a SYNC packet, so the page never lands and the VM starts without it. Each half alone is harmless.
        ModelCheckOptions Old(Mutation m) => Whole(FlushSetting.On, m) with { Policy = Qemu82Socket.Instance, Rounds = 0 };
        var both = ModelChecker.Check(Old(Mutation.SyncCarriesPages | Mutation.RecvSkipsSyncPayload));

        Assert.Equal(nameof(PropertyId.NoStalePage), both.Property);
        Assert.Equal(EventKind.VmStart, both.Counterexample.Last(e => e.Actor.Kind == ActorKind.Destination).Kind);
        Assert.Equal(VerdictKind.Proved, ModelChecker.Check(Old(Mutation.SyncCarriesPages)).Verdict);
        Assert.Equal(VerdictKind.Proved, ModelChecker.Check(Old(Mutation.RecvSkipsSyncPayload)).Verdict);
    }

    [Fact]
    public void A_carried_SYNC_is_answered_by_its_write_and_its_own_wakeup_finds_nothing_to_do()
    {
        var m = new ModelMachine((Whole(FlushSetting.Off, Mutation.SyncCarriesPages) with { Policy = Qemu82Socket.Instance }).WithoutReductions());
        var s = m.Initial with { Main = MainBits.Pc.Set(m.Initial.Main, (int)Pc.SyncCommit) };
        // send0 was handed page 1 and then a sync request before it woke: two posts on its sem.
        var w = SendBits.Sem.Set(SendBits.WithJob(SendBits.Created(s.Ch(0), ChannelPhase.Idle), 2), 2);
        s = s.WithCh(0, SendBits.Turn.Set(SendBits.PendingSync.Set(w, true), (int)SyncTurn.Requested));

        s = Step(m, s, ModelMachine.Names.WriteBegin, 0);
        s = Step(m, s, ModelMachine.Names.WriteEnd, 0);

        Assert.Equal(SocketRecvBits.SyncPageCode(1, current: true), SocketRecvBits.Head(s.Ch(0)));
        Assert.Equal(1, SendBits.SemSync.Get(s.Ch(0)));
        Assert.False(m.Actions.Single(a => a.Name == ModelMachine.Names.SyncAck).Guard(s, 0));
        s = Step(m, s, ModelMachine.Names.SendWake, 0);
        Assert.Equal((0, 0), (SendBits.Sem.Get(s.Ch(0)), SocketRecvBits.OwesWake.Get(s.Ch(0))));
        // The receiver lands the page and parks at the SYNC in one step.
        s = Land(m, s, 0);
        Assert.Equal(SocketRecvPhase.Parked, (SocketRecvPhase)SocketRecvBits.Phase.Get(s.Ch(0)));
        Assert.Equal(1, DestBits.Tokens.Get(s.Aux));
    }

    [Fact]
    public void After_a_skipped_payload_the_next_read_fails_and_terminates_the_recv_threads()
    {
        var m = new ModelMachine((Whole(FlushSetting.Off, Mutation.RecvSkipsSyncPayload) with { Policy = Qemu90Socket.Instance }).WithoutReductions());
        var s = m.Initial.WithCh(0, SocketRecvBits.Push(m.Initial.Ch(0), SocketRecvBits.SyncPageCode(0, current: true)));

        Assert.False(m.Actions.Single(a => a.Name == ModelMachine.Names.ReadBegin).Guard(s, 0));
        s = Step(m, s, ModelMachine.Names.SyncPost, 0);
        s = s.WithCh(0, SocketRecvBits.Phase.Set(s.Ch(0), (int)SocketRecvPhase.Loop));
        s = Step(m, s, ModelMachine.Names.ReadFail, 0);

        Assert.Equal(0, Pages.Get(s, PageFact.SlotCurrent) & 1);
        Assert.True(DestBits.Exiting.On(s.Aux));
        Assert.Equal(SocketRecvPhase.Exited, (SocketRecvPhase)SocketRecvBits.Phase.Get(s.Ch(0)));
    }

    [Fact]
    public void A_failed_source_resets_the_main_stream_and_the_destination_s_read_fails()
    {
        var m = new ModelMachine((Whole(FlushSetting.Off, Mutation.RecvSkipsSyncPayload)).WithoutReductions());
        var mainFail = m.Actions.Single(a => a.Name == ModelMachine.Names.MainFail);
        var s = m.Initial;
        Assert.Equal(DestPc.Stream, (DestPc)DestBits.Pc.Get(s.Aux));
        Assert.False(mainFail.Guard(s, 0));

        // The source failed (a write after the destination was gone) and its shutdown closed every connection.
        s = s with { Main = MainBits.Pc.Set(MainBits.Failed.Set(s.Main, true), (int)Pc.SourceJoin) };
        Assert.True(mainFail.Guard(s, 0));
        s = mainFail.Apply(s, 0, null);

        Assert.True(DestBits.Failed.On(s.Aux));
        Assert.Equal(CleanupStep.LoadCleanup, m.CurrentCleanup(s));
        Assert.False(MainBits.ErrorUsed.On(s.Main)); // not the run's injected error
    }

    [Fact]
    public void A_recv_read_error_leaves_the_destination_waiting_in_its_recv_sync()
    {
        // §3.7 on sockets: the failing thread terminates the others (exiting, their own sem_sync, the connections) but never
        // posts the shared sem_sync, and nobody tells the main thread. The source's sync still returns (the failing send
        // thread's kick releases its last wait) and writes the FLUSH that takes the destination into its recv sync.
        // One channel: the source-side hang (§2.9) needs a second one, so the destination's is the only one.
        var r = ModelChecker.Check(Whole(FlushSetting.Off, channels: 1) with { Errors = ErrorSides.Destination });

        Assert.Equal(nameof(PropertyId.NoDeadlock), r.Property);
        Assert.Contains(r.Notes, n => n.StartsWith("dest main is blocked in multifd_recv_sync_main on the shared sem_sync", StringComparison.Ordinal));
        Assert.Contains(r.Counterexample, e => e.Kind == EventKind.Exit && e.Actor.Kind == ActorKind.Receiver && e.Error == "read failed");
        Assert.Equal(EventKind.RecvSyncBegin, r.Counterexample.Last(e => e.Actor.Kind == ActorKind.Destination).Kind);
        Assert.Equal(VerdictKind.Proved, ModelChecker.Check(Whole(FlushSetting.Off, channels: 1)).Verdict);
        // With two channels the shortest hang is the source's sync (the destination shut the connections down, a send
        // thread fails, the other leaves on exiting without a kick).
        Assert.Equal(nameof(PropertyId.NoDeadlock), ModelChecker.Check(Whole(FlushSetting.Off) with { Errors = ErrorSides.Destination }).Property);
    }

    [Fact]
    public void A_failed_source_leaves_the_destination_waiting_in_its_recv_sync()
    {
        // docs/findings.md, finding 7: the failing send thread's kick lets the source's sync return, the FLUSH is written, the
        // source fails and closes its connections; the recv thread meets the end of its stream before its SYNC packet, and
        // the destination's main thread, in the recv sync that FLUSH started, waits for ever.
        var r = ModelChecker.Check(Whole(FlushSetting.Off, channels: 1) with { Errors = ErrorSides.Source });

        Assert.Equal(nameof(PropertyId.NoDeadlock), r.Property);
        Assert.Contains(r.Notes, n => n.StartsWith("the source is done", StringComparison.Ordinal));
        Assert.Contains(r.Notes, n => n.StartsWith("dest main is blocked in multifd_recv_sync_main on the shared sem_sync", StringComparison.Ordinal));
        Assert.Contains(r.Counterexample, e => e.Kind == EventKind.Exit && e.Actor.Kind == ActorKind.Sender && e.Error is not null);
        Assert.Equal(EventKind.RecvSyncBegin, r.Counterexample.Last(e => e.Actor.Kind == ActorKind.Destination).Kind);
        // With two channels the source's own sync hang (§2.9, finding 3) is the shorter run.
        var two = ModelChecker.Check(Whole(FlushSetting.Off) with { Errors = ErrorSides.Source });
        Assert.Equal(nameof(PropertyId.NoDeadlock), two.Property);
        Assert.Contains(two.Notes, n => n.StartsWith("main is blocked in multifd_send_sync_main", StringComparison.Ordinal));
    }

    [Fact]
    public void A_write_that_fails_part_way_leaves_a_cut_packet_its_receiver_reads_to_the_streams_end()
    {
        var m = new ModelMachine((Whole(FlushSetting.Off, channels: 1) with { Errors = ErrorSides.Source }).WithoutReductions());
        var busy = ModelWalk.Find(m, s => Enabled(m, s, ModelMachine.Names.WriteFail, 0) && SocketRecvBits.Count(s.Ch(0)) == 0
            && RecvPhase(s) == SocketRecvPhase.Loop && !MainBits.ErrorUsed.On(s.Main));
        var page = System.Numerics.BitOperations.TrailingZeroCount(SendBits.Job(busy.Ch(0)));

        // The write fails: what of the packet went out is in the connection, cut.
        var cut = Step(m, busy, ModelMachine.Names.WriteFail, 0);
        Assert.Equal(SocketRecvBits.CutPageCode(page), SocketRecvBits.Head(cut.Ch(0)));
        // Until the source closes its side the receiver may read the header, and waits for the rest.
        Assert.False(Enabled(m, cut, ModelMachine.Names.ReadFail, 0) || Enabled(m, cut, ModelMachine.Names.RecvExit, 0));
        var reading = Step(m, cut, ModelMachine.Names.ReadBegin, 0);
        Assert.False(Enabled(m, reading, ModelMachine.Names.ReadEnd, 0) || Enabled(m, reading, ModelMachine.Names.ReadFail, 0) || Enabled(m, reading, ModelMachine.Names.RecvExit, 0));

        // Closed: in the header, nothing arrived (the end of the stream between packets, a quiet exit) or part of it (a read
        // error); in the pages, a read error that leaves the page holding no whole copy. None is the injected error.
        ModelState Closed(ModelState s) => s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.SourceJoin) };
        Assert.True(Enabled(m, Closed(cut), ModelMachine.Names.RecvExit, 0) && Enabled(m, Closed(cut), ModelMachine.Names.ReadFail, 0));
        Assert.False(Enabled(m, Closed(reading), ModelMachine.Names.RecvExit, 0) || Enabled(m, Closed(reading), ModelMachine.Names.ReadEnd, 0));
        var landed = Closed(reading) with { Main = MainBits.ErrorUsed.Set(Closed(reading).Main, false) };
        landed = Pages.Set(landed, PageFact.SlotCurrent, 1 << page);
        var failed = Step(m, landed, ModelMachine.Names.ReadFail, 0);
        Assert.Equal(SocketRecvPhase.Exited, RecvPhase(failed));
        Assert.True(DestBits.Exiting.On(failed.Aux));
        Assert.Equal(0, Pages.Get(failed, PageFact.SlotCurrent) & (1 << page));
        Assert.False(MainBits.ErrorUsed.On(failed.Main));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_failing_send_thread_on_8_2_terminates_every_channel_itself_and_the_sync_does_not_look(bool old)
    {
        // 8.2 (multifd.c:749-756, 493-503 @8.2): the failing thread's own terminate posts every channel's sem (an idle one
        // wakes and leaves on exiting, without a post) before its kick; its sync's second loop checks nothing (634-645).
        // 9.0 sets the error and kicks; the others learn of it at their next wake-up, and its second loop checks exiting.
        var o = Whole(FlushSetting.Off) with { Errors = ErrorSides.Source, Policy = old ? Qemu82Socket.Instance : Qemu90Socket.Instance };
        var m = new ModelMachine(o.WithoutReductions());
        var s = ModelWalk.Find(m, s => Enabled(m, s, ModelMachine.Names.WriteFail, 0) && !MainBits.Exiting.On(s.Main)
            && SendBits.Phase.Get(s.Ch(1)) == (int)ChannelPhase.Idle && SendBits.Sem.Get(s.Ch(1)) == 0 && !SendBits.Creating.On(s.Ch(1)));

        var failed = Step(m, s, ModelMachine.Names.WriteFail, 0);

        Assert.Equal(old ? 1 : 0, SendBits.Sem.Get(failed.Ch(1)));
        Assert.Equal(1, SendBits.SemSync.Get(failed.Ch(0)));
        Assert.Equal(MainBits.Tokens.Get(s.Main) + 1, MainBits.Tokens.Get(failed.Main));
        Assert.Equal(old, Enabled(m, failed, ModelMachine.Names.SendExit, 1));
        // At the top of the second sync loop with exiting set: 8.2 commits to the wait, 9.0 fails the sync.
        var atCommit = failed with { Main = MainBits.Pc.Set(failed.Main, (int)Pc.SyncCommit) };
        atCommit = atCommit.WithCh(1, SendBits.Turn.Set(atCommit.Ch(1), (int)SyncTurn.Requested));
        Assert.Equal(old, Enabled(m, atCommit, ModelMachine.Names.SyncWait, 1));
        Assert.Equal(!old, Enabled(m, atCommit, ModelMachine.Names.Terminate, 0));
    }

    [Fact]
    public void On_8_2_a_failure_meets_a_late_creation_or_the_sync_hang()
    {
        // §5.4 (8.2's setup does not wait for its creations) or §2.9, as ReferenceVerdicts says; with one channel the
        // destination's recv sync waits for ever, as on 9.0 (finding 7).
        foreach (var errors in new[] { ErrorSides.Source, ErrorSides.Destination, ErrorSides.Main })
        {
            var r = ModelChecker.Check(Whole(FlushSetting.Off) with { Errors = errors, Policy = Qemu82Socket.Instance });
            Assert.True(ReferenceVerdicts.Allows(ReferenceVerdicts.Describe(ReferenceVerdicts.Expected(Qemu82Socket.Instance, FlushSetting.Off, errors)), r.Property!),
                $"{errors}: {r.Sentence}");
        }
        var one = ModelChecker.Check(Whole(FlushSetting.Off, channels: 1) with { Errors = ErrorSides.Source, Policy = Qemu82Socket.Instance });
        Assert.Equal(nameof(PropertyId.NoDeadlock), one.Property);
        Assert.Contains(one.Notes, n => n.StartsWith("dest main is blocked in multifd_recv_sync_main", StringComparison.Ordinal));
    }

    private static SocketRecvPhase RecvPhase(in ModelState s) => (SocketRecvPhase)SocketRecvBits.Phase.Get(s.Ch(0));

    [Fact]
    public void Where_the_main_stream_may_break_each_read_is_a_step_and_the_load_can_fail_before_its_first_record()
    {
        var broken = new ModelMachine((Whole(FlushSetting.Off) with { Errors = ErrorSides.Main }).WithoutReductions());
        var clean = new ModelMachine(Whole(FlushSetting.Off).WithoutReductions());

        // Without the error the START section's header is read with the initial state; with it the read is a step of its own.
        Assert.Equal(DestItem.Flush, (DestItem)DestBits.Item.Get(clean.Initial.Aux));
        Assert.Equal(DestItem.Queue, (DestItem)DestBits.Item.Get(broken.Initial.Aux));
        var read = Step(broken, broken.Initial, ModelMachine.Names.SeeFlag, 0);
        Assert.Equal((DestItem.Flush, DestPc.Stream), ((DestItem)DestBits.Item.Get(read.Aux), (DestPc)DestBits.Pc.Get(read.Aux)));

        // The stream breaks at its first byte: the load fails before any ram_load ran, its recv threads still running.
        var failed = Step(broken, broken.Initial, ModelMachine.Names.MainFail, 0);
        Assert.True(DestBits.Failed.On(failed.Aux));
        Assert.Equal(CleanupStep.LoadCleanup, broken.CurrentCleanup(failed));
        Assert.Equal(SocketRecvPhase.Loop, (SocketRecvPhase)SocketRecvBits.Phase.Get(failed.Ch(0)));
    }

    [Fact]
    public void Once_the_destination_is_gone_the_source_fails_on_its_main_stream_between_iterate_calls()
    {
        var m = new ModelMachine(Whole(FlushSetting.Off).WithoutReductions());
        var terminate = m.Actions.Single(a => a.Name == ModelMachine.Names.Terminate);
        var s = m.Initial with { Main = MainBits.Pc.Set(MainBits.Iter.Set(m.Initial.Main, 1), (int)Pc.Gap) };

        Assert.False(terminate.Guard(s, 0));
        var gone = s with { Aux = DestBits.Exiting.Set(s.Aux, true) };
        Assert.True(terminate.Guard(gone, 0));
        var after = terminate.Apply(gone, 0, null);
        Assert.True(MainBits.Failed.On(after.Main));
        Assert.Equal(Pc.SourceJoin, (Pc)MainBits.Pc.Get(after.Main));
    }

    [Fact]
    public void Errors_and_more_than_eight_pages_are_refused_with_the_reason()
    {
        Assert.Null((Whole(FlushSetting.Off) with { Errors = ErrorSides.Destination | ErrorSides.Main }).WhyNotModelled);
        Assert.Null((Whole(FlushSetting.Off) with { Errors = ErrorSides.Source }).WhyNotModelled);
        Assert.Contains("(--errors connect) is modelled on the source alone", (Whole(FlushSetting.Off) with { Errors = ErrorSides.Connect }).WhyNotModelled, StringComparison.Ordinal);
        Assert.Contains("at most 8 pages", (Whole(FlushSetting.Off) with { Pages = 9 }).WhyNotModelled, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.NotModelled, ModelChecker.Check(Whole(FlushSetting.Off) with { Pages = 9 }).Verdict);
        Assert.Contains("no main connection", new ModelCheckOptions { Policy = Qemu90MappedRam.Instance, Errors = ErrorSides.Main }.WhyNotModelled, StringComparison.Ordinal);
    }
}
