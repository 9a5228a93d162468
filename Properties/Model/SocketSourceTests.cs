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
/// The socket transport's source in the model (save only): each channel's asynchronous creation is a step of its own,
/// setup waits <c>channels_created</c> (9.0+, <c>93fa9dc2</c>), a failed connect sets the error without a kick, and the
/// shutdown frees channels whose creation is still connecting (zoo entry 5.4).
/// </summary>
public sealed class SocketSourceTests
{
    private static ModelCheckOptions Socket(ErrorSides errors = ErrorSides.Connect, Mutation mutations = Mutation.None, int channels = 2) =>
        ModelConfigs.Small(Qemu90Socket.Instance, errors: errors, channels: channels) with { SaveOnly = true, Mutations = mutations };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Without_the_channels_created_wait_a_creation_completes_on_freed_channels(int channels)
    {
        var r = ModelChecker.Check(Socket(mutations: Mutation.NoChannelsCreatedWait, channels: channels));

        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal(nameof(PropertyId.NoUseAfterFree), r.Property);
        // The shortest run: setup goes on, a connect fails, the sync sees exiting and the cleanup frees every channel while
        // another creation still connects; it completes.
        Assert.Equal(
            [ModelMachine.Names.ChannelsCreated, ModelMachine.Names.ConnectFail, ModelMachine.Names.Terminate, ModelMachine.Names.SourceJoin, ModelMachine.Names.Connect],
            r.Run.Select(x => x.Action));
        Assert.Equal(EventKind.ThreadStart, r.Counterexample[^1].Kind);
        Assert.Contains("freed MultiFDSendParams", r.Sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public void With_the_wait_no_creation_outlives_the_cleanup(int channels, bool f)
    {
        var r = ModelChecker.Check(Socket(channels: channels) with { FlushSetting = f ? FlushSetting.On : FlushSetting.Off });

        Assert.True(r.Verdict == VerdictKind.Proved, $"{r.VerdictText} {r.Property}: {r.Sentence}");
    }

    [Fact]
    public void Without_a_failure_the_missing_wait_is_harmless()
    {
        // A save that does not fail syncs at setup, which waits for every channel's thread: none can still be connecting
        // at the shutdown.
        var r = ModelChecker.Check(Socket(ErrorSides.None, Mutation.NoChannelsCreatedWait, channels: 3));

        Assert.Equal(VerdictKind.Proved, r.Verdict);
    }

    [Fact]
    public void Without_the_wait_a_connect_failing_under_the_sync_hangs_it()
    {
        // The other bug of the 5.4 scenario (Coyote's "also met NoDeadlock"): the sync committed to send0 before its connect
        // failed; 9.0+ sets the error without a kick, send1 leaves on exiting without one, and nobody posts send0's sem_sync.
        var m = new ModelMachine(Socket(mutations: Mutation.NoChannelsCreatedWait).WithoutReductions());
        var s = Take(m, m.Initial, ModelMachine.Names.ChannelsCreated, 0);
        s = Take(m, s, ModelMachine.Names.SyncRequest, 0);
        s = Take(m, s, ModelMachine.Names.SyncWait, 0);
        s = Take(m, s, ModelMachine.Names.ConnectFail, 0);
        s = Take(m, s, ModelMachine.Names.Connect, 1);
        s = Take(m, s, ModelMachine.Names.Open, 1);
        s = Take(m, s, ModelMachine.Names.SendExit, 1);

        Assert.False(ModelMachine.IsTerminal(s));
        Assert.False(m.AnyEnabled(s));
        Assert.Equal(0, new ModelSearch(m).ViolatedInvariant(s));
        Assert.Contains(StateText.Blocked(m, s), line => line.Contains("multifd_send_sync_main on send0", StringComparison.Ordinal));
    }

    [Fact]
    public void After_the_shutdown_a_new_threads_first_write_may_fail()
    {
        // The shutdown's terminate shuts every socket down (qio_channel_shutdown): a thread created before the join may
        // write its initial packet into a closed channel and leave by the error path, injected error or not.
        var m = new ModelMachine(Socket(mutations: Mutation.NoChannelsCreatedWait).WithoutReductions());
        var s = Take(m, m.Initial, ModelMachine.Names.ChannelsCreated, 0);
        s = Take(m, s, ModelMachine.Names.ConnectFail, 0);
        s = Take(m, s, ModelMachine.Names.Terminate, 0);
        s = Take(m, s, ModelMachine.Names.Connect, 1);

        Assert.True(Enabled(m, s, ModelMachine.Names.Open, 1)); // its write got through before its channel was shut
        Assert.False(Enabled(m, s, ModelMachine.Names.SourceJoin, 0)); // the thread exists: the join waits for it
        s = Take(m, s, ModelMachine.Names.OpenFail, 1);
        s = Take(m, s, ModelMachine.Names.SourceJoin, 0);
        Assert.True(ModelMachine.IsTerminal(s));
    }

    [Fact]
    public void Setup_waits_for_every_creation_and_a_connecting_channel_has_no_thread()
    {
        var m = new ModelMachine(Socket().WithoutReductions());
        var s = m.Initial;

        Assert.Equal(Pc.Create, (Pc)MainBits.Pc.Get(s.Main));
        Assert.Equal(0, MainBits.Tokens.Get(s.Main));
        Assert.False(Enabled(m, s, ModelMachine.Names.ChannelsCreated, 0));
        s = Take(m, s, ModelMachine.Names.Connect, 0);
        Assert.Equal(0, MainBits.Tokens.Get(s.Main)); // created: its thread writes its initial packet first
        s = Take(m, s, ModelMachine.Names.Open, 0);
        Assert.Equal(1, MainBits.Tokens.Get(s.Main)); // the new thread's first channels_ready post
        Assert.False(Enabled(m, s, ModelMachine.Names.ChannelsCreated, 0));
        // A failed connect also counts as a finished creation; it sets exiting and FAILED, posts nothing.
        s = Take(m, s, ModelMachine.Names.ConnectFail, 1);
        Assert.True(MainBits.Exiting.On(s.Main) && MainBits.Failed.On(s.Main));
        Assert.Equal(1, MainBits.Tokens.Get(s.Main));
        Assert.Equal(0, SendBits.SemSync.Get(s.Ch(1)));
        s = Take(m, s, ModelMachine.Names.ChannelsCreated, 0);
        s = Take(m, s, ModelMachine.Names.Terminate, 0);
        // The channel that connected must leave before the join; the one that failed has no thread.
        Assert.False(Enabled(m, s, ModelMachine.Names.SourceJoin, 0));
        s = Take(m, s, ModelMachine.Names.SendExit, 0);
        s = Take(m, s, ModelMachine.Names.SourceJoin, 0);
        Assert.True(ModelMachine.IsTerminal(s));
    }

    [Fact]
    public void A_sync_request_to_a_channel_still_connecting_waits_for_its_thread()
    {
        var m = new ModelMachine(Socket(ErrorSides.None, Mutation.NoChannelsCreatedWait).WithoutReductions());
        var s = Take(m, m.Initial, ModelMachine.Names.ChannelsCreated, 0);
        s = Take(m, s, ModelMachine.Names.SyncRequest, 0);

        Assert.Equal(1, SendBits.Sem.Get(s.Ch(0)));
        Assert.False(Enabled(m, s, ModelMachine.Names.SyncAck, 0));
        s = Take(m, s, ModelMachine.Names.Connect, 0);
        Assert.False(Enabled(m, s, ModelMachine.Names.SyncAck, 0));
        s = Take(m, s, ModelMachine.Names.Open, 0);
        Assert.True(Enabled(m, s, ModelMachine.Names.SyncAck, 0));
    }

    [Theory]
    [InlineData(false, ErrorSides.None, 2, "no bug")]
    [InlineData(true, ErrorSides.None, 3, "no bug")]
    [InlineData(false, ErrorSides.Connect, 3, "no bug")]
    [InlineData(true, ErrorSides.Source, 2, "NoDeadlock")]
    [InlineData(false, ErrorSides.Source | ErrorSides.Connect, 2, "NoDeadlock")]
    public void The_socket_sources_verdicts_are_the_documents(bool f, ErrorSides errors, int channels, string expected)
    {
        var flush = f ? FlushSetting.On : FlushSetting.Off;
        var r = ModelChecker.Check(Socket(errors, channels: channels) with { FlushSetting = flush });

        Assert.Equal(expected, ReferenceVerdicts.Describe(ReferenceVerdicts.Expected(Qemu90Socket.Instance, flush, errors, channels)));
        Assert.Equal(expected, r.Verdict == VerdictKind.Violated ? r.Property : ReferenceVerdicts.NoBug);
    }

    [Fact]
    public void Destination_errors_on_a_socket_are_refused_with_the_reason()
    {
        var o = Socket(ErrorSides.Destination);

        Assert.False(o.IsModelled);
        Assert.Contains("--errors source", o.WhyNotModelled, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.NotModelled, ModelChecker.Check(o).Verdict);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void A_failing_socket_write_hangs_the_sync_on_another_channel(int channels, bool hangs)
    {
        // docs/protocol.md §2.9 on the socket transport: the sync committed to a channel that then leaves on exiting without
        // posting its sem_sync. One channel has no other channel to wait on.
        var r = ModelChecker.Check(Socket(ErrorSides.Source, channels: channels));

        if (!hangs)
        {
            Assert.Equal(VerdictKind.Proved, r.Verdict);
            return;
        }
        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal(nameof(PropertyId.NoDeadlock), r.Property);
        Assert.Contains(r.Notes, n => n.Contains("multifd_send_sync_main", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failing_SYNC_packet_and_a_failing_initial_packet_take_the_error_exit_with_its_kick()
    {
        var m = new ModelMachine(Socket(ErrorSides.Source).WithoutReductions());
        // send0's thread starts and its initial packet fails: exiting, and the kick (its sem_sync, one token).
        var s = Take(m, m.Initial, ModelMachine.Names.Connect, 0);
        s = Take(m, s, ModelMachine.Names.OpenFail, 0);
        Assert.Equal((int)ChannelPhase.Failed, SendBits.Phase.Get(s.Ch(0)));
        Assert.False(SendBits.Creating.On(s.Ch(0)));
        Assert.Equal((1, 1), (SendBits.SemSync.Get(s.Ch(0)), MainBits.Tokens.Get(s.Main)));
        Assert.True(MainBits.Exiting.On(s.Main) && MainBits.ErrorUsed.On(s.Main));
        // The one error is used; the destination may then be gone, so send1's first write may fail too (no second injection).
        s = Take(m, s, ModelMachine.Names.Connect, 1);
        Assert.True(Enabled(m, s, ModelMachine.Names.Open, 1) && Enabled(m, s, ModelMachine.Names.OpenFail, 1));
        s = Take(m, s, ModelMachine.Names.Open, 1);
        Assert.False(Enabled(m, s, ModelMachine.Names.SyncFail, 1));

        var t = Take(m, m.Initial, ModelMachine.Names.Connect, 0);
        t = Take(m, t, ModelMachine.Names.Connect, 1);
        t = Take(m, t, ModelMachine.Names.Open, 0);
        t = Take(m, t, ModelMachine.Names.Open, 1);
        t = Take(m, t, ModelMachine.Names.ChannelsCreated, 0);
        t = Take(m, t, ModelMachine.Names.SyncRequest, 0);
        Assert.True(Enabled(m, t, ModelMachine.Names.SyncAck, 1) && Enabled(m, t, ModelMachine.Names.SyncFail, 1));
        t = Take(m, t, ModelMachine.Names.SyncFail, 1);
        Assert.Equal((0, 1), (SendBits.Sem.Get(t.Ch(1)), SendBits.SemSync.Get(t.Ch(1))));
        Assert.Equal(3, MainBits.Tokens.Get(t.Main)); // two threads' first posts and the kick
        Assert.True(MainBits.Exiting.On(t.Main));
    }

    [Fact]
    public void A_failed_connect_is_modelled_on_the_source_alone()
    {
        var whole = Socket() with { SaveOnly = false };
        var old = ModelConfigs.Small(Qemu82Socket.Instance, errors: ErrorSides.Connect) with { SaveOnly = true };

        Assert.Contains("modelled on the source alone (--save-only): the destination's channel setup is not in the model", whole.WhyNotModelled, StringComparison.Ordinal);
        Assert.Contains("the destination's channel setup", (old with { SaveOnly = false }).WhyNotModelled, StringComparison.Ordinal);
        Assert.True((whole with { Errors = ErrorSides.Both | ErrorSides.Main }).IsModelled);
        Assert.True(old.IsModelled);
        Assert.Throws<ArgumentException>(() => new ModelMachine(whole));
        Assert.True((whole with { Errors = ErrorSides.None }).IsModelled);
    }

    [Fact]
    public void On_8_2_a_failed_connect_quits_its_channel_and_the_sync_stops_there()
    {
        // multifd_new_send_channel_cleanup (multifd.c:861-876 @8.2): no exiting, one channels_ready token, the channel's
        // sem_sync, quit. The sync's first loop (618-633) posts the channels before the quit one and fails; channel
        // numbers matter, so the symmetry reduction is off.
        var o = ModelConfigs.Small(Qemu82Socket.Instance, errors: ErrorSides.Connect, channels: 3) with { SaveOnly = true };
        var m = new ModelMachine(o.WithoutReductions());
        Assert.False(new ModelMachine(o).Symmetric);
        bool Quit(ModelState s, int ch) => SendBits.Phase.Get(s.Ch(ch)) == (int)ChannelPhase.Failed;
        var s = ModelWalk.Find(m, s => (Pc)MainBits.Pc.Get(s.Main) == Pc.SyncRequest && Quit(s, 1) && !Quit(s, 0) && !Quit(s, 2));

        Assert.False(MainBits.Exiting.On(s.Main));
        var t = Take(m, s, ModelMachine.Names.SyncRequest, 0);

        Assert.Equal((int)SyncTurn.Requested, SendBits.Turn.Get(t.Ch(0)));
        Assert.NotEqual((int)SyncTurn.Requested, SendBits.Turn.Get(t.Ch(2)));
        Assert.Equal(Pc.Terminate, (Pc)MainBits.Pc.Get(t.Main));
        Assert.True(MainBits.Failed.On(t.Main));
        // With one channel the token the failed connect posted is the only one: a dispatch after a sync that took it waits for ever.
        var one = ModelChecker.Check(ModelConfigs.Small(Qemu82Socket.Instance, errors: ErrorSides.Connect, channels: 1) with { SaveOnly = true });
        Assert.Equal(nameof(PropertyId.NoDeadlock), one.Property);
        Assert.Contains(one.Notes, n => n.StartsWith("main is blocked dispatching a batch", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_mutation_the_model_knows_has_its_own_state_bit()
    {
        var known = Enum.GetValues<Mutation>().Where(x => x != Mutation.None && (ModelCheckOptions.ModelledMutations & x) != 0).ToList();
        foreach (var mutation in known)
        {
            var main = Switches.With(0, mutation);
            Assert.Equal(mutation, Switches.Of(main));
            foreach (var other in known) Assert.Equal(other == mutation, Switches.Has(main, other));
        }
        Assert.Equal(ModelCheckOptions.ModelledMutations, Switches.Of(Switches.With(0, ModelCheckOptions.ModelledMutations)));
        Assert.Throws<ArgumentException>(() => Switches.With(0, Mutation.FreeBeforeJoin));
    }

    private static bool Enabled(ModelMachine m, ModelState s, string action, int arg) => m.Actions.Single(a => a.Name == action).Guard(s, arg);

    private static ModelState Take(ModelMachine m, ModelState s, string action, int arg)
    {
        Assert.True(Enabled(m, s, action, arg), $"{action} {arg} is not enabled");
        return m.Actions.Single(a => a.Name == action).Apply(s, arg, null);
    }
}
