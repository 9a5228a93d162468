using SyncModel.Model;
using SyncModel.Model.Checking;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Reports;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Properties.Model;

/// <summary>
/// The file channels' creation in the model (<c>--errors connect</c>, docs/protocol.md §2.9's creation table): 9.0 returns
/// from <c>multifd_send_setup</c> at the first failed creation and its cleanup posts semaphores it never initialised
/// (zoo entry 0bd5b928); 9.1+ creates every channel and fails setup cleanly.
/// </summary>
public sealed class ChannelCreationTests
{
    private static ModelCheckOptions Connect(SyncPolicy policy, int channels, bool saveOnly = true) =>
        ModelConfigs.Small(policy, errors: ErrorSides.Connect, channels: channels) with { SaveOnly = saveOnly };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void A_failed_creation_before_the_last_channel_crashes_9_0s_cleanup(int channels)
    {
        var r = ModelChecker.Check(Connect(Qemu90MappedRam.Instance, channels));

        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal(nameof(PropertyId.NoUnexpectedFailure), r.Property);
        // The shortest run: a creation fails, then the cleanup's terminate.
        Assert.Equal(2, r.Depth);
        Assert.Equal(ModelMachine.Names.ChannelCreate, r.Run[0].Action);
        Assert.True(r.Run[0].Arg < channels - 1, $"channel {r.Run[0].Arg} failed: no channel after it was left uninitialised");
        Assert.Equal(ModelMachine.Names.Terminate, r.Run[1].Action);
        var failure = Assert.Single(r.Counterexample, e => e.Kind == EventKind.CreateFail);
        Assert.Equal(Actor.Migration, failure.Actor);
        Assert.Contains("creating channel", failure.Error, StringComparison.Ordinal);
        Assert.Contains("never initialised", r.Sentence, StringComparison.Ordinal);
        var report = ModelReports.ToReport(r)!;
        Assert.Contains(report.Notes, n => n.Contains("multifd_send_setup", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void When_the_last_channel_fails_9_0_had_initialised_every_one_and_fails_cleanly(int channels)
    {
        // One channel: the only failure is the last channel's, so the whole check is proved.
        if (channels == 1)
        {
            Assert.Equal(VerdictKind.Proved, ModelChecker.Check(Connect(Qemu90MappedRam.Instance, 1)).Verdict);
            return;
        }
        // Three: the last channel's failure, walked on the unreduced machine, ends in a failed save with every thread joined.
        var m = new ModelMachine(Connect(Qemu90MappedRam.Instance, channels).WithoutReductions());
        var s = m.Initial;
        Assert.Equal(Pc.Create, (Pc)MainBits.Pc.Get(s.Main));
        s = Take(m, s, ModelMachine.Names.ChannelCreate, channels - 1);
        Assert.Equal(Pc.SetupFailed, (Pc)MainBits.Pc.Get(s.Main));
        Assert.Equal(-1, new ModelSearch(m).ViolatedStep(s, Group(m, ModelMachine.Names.Terminate, 0)));
        s = Take(m, s, ModelMachine.Names.Terminate, 0);
        for (var ch = 0; ch < channels - 1; ch++) s = Take(m, s, ModelMachine.Names.SendExit, ch);
        s = Take(m, s, ModelMachine.Names.SourceJoin, 0);
        Assert.True(ModelMachine.IsTerminal(s));
        Assert.True(MainBits.Failed.On(s.Main));
    }

    [Theory]
    [InlineData("qemu-10.0-mapped-ram", 2)]
    [InlineData("qemu-10.0-mapped-ram", 3)]
    [InlineData("qemu-10.0-mapped-ram+fixes", 3)]
    public void Releases_that_create_every_channel_fail_setup_cleanly(string policy, int channels)
    {
        var p = SyncPolicies.Parse(policy);
        var o = Connect(p, channels, saveOnly: false);

        var r = ModelChecker.Check(o);
        var without = ModelChecker.Check(o with { Errors = ErrorSides.None });

        Assert.Equal(VerdictKind.Proved, r.Verdict);
        // Every failing channel's branch is explored beside the run whose creations all succeed.
        Assert.True(r.States > without.States, $"{r.States} states with creation failures, {without.States} without");
        // A failed creation leaves the channels after it running: they must be woken and joined.
        var m = new ModelMachine(o.WithoutReductions());
        var s = Take(m, m.Initial, ModelMachine.Names.ChannelCreate, 0);
        Assert.Equal(Pc.SetupFailed, (Pc)MainBits.Pc.Get(s.Main));
        Assert.Equal((int)ChannelPhase.Idle, SendBits.Phase.Get(s.Ch(channels - 1)));
        Assert.False(m.Actions.Single(a => a.Name == ModelMachine.Names.SourceJoin).Guard(Take(m, s, ModelMachine.Names.Terminate, 0), 0));
    }

    [Fact]
    public void Without_creation_errors_the_run_starts_with_every_channel_running()
    {
        var m = new ModelMachine(ModelConfigs.Small(Qemu90MappedRam.Instance, errors: ErrorSides.Both));

        Assert.DoesNotContain(m.Actions, a => a.Name == ModelMachine.Names.ChannelCreate);
        Assert.NotEqual(Pc.Create, (Pc)MainBits.Pc.Get(m.Initial.Main));
    }

    [Theory]
    [InlineData("qemu-9.0-mapped-ram", 2, "NoUnexpectedFailure")]
    [InlineData("qemu-9.0-mapped-ram", 1, "no bug")]
    [InlineData("qemu-10.0-mapped-ram", 2, "no bug")]
    [InlineData("fixed-ram-v4", 2, "NoUnexpectedFailure")]
    public void The_reference_verdicts_know_the_creation_table(string policy, int channels, string expected)
    {
        var p = SyncPolicies.Parse(policy);

        Assert.Equal(expected, ReferenceVerdicts.Describe(ReferenceVerdicts.Expected(p, FlushSetting.Off, ErrorSides.Connect, channels)));
        var found = ModelChecker.Check(Connect(p, channels, saveOnly: false));
        Assert.True(ReferenceVerdicts.Allows(expected, found.Property ?? ReferenceVerdicts.NoBug), $"{policy}: {found.VerdictText} {found.Property}");
    }

    private static int Group(ModelMachine m, string action, int arg) =>
        new ModelSearch(m).GroupOf(m.Actions.ToList().FindIndex(a => a.Name == action), arg);

    private static ModelState Take(ModelMachine m, ModelState s, string action, int arg)
    {
        var a = m.Actions.Single(x => x.Name == action);
        Assert.True(a.Guard(s, arg), $"{action} {arg} is not enabled");
        return a.Apply(s, arg, null);
    }

    [Fact]
    public void A_save_only_report_and_a_save_then_load_report_of_the_same_trace_are_two_files()
    {
        // The creation failure ends the run before the load either way, so both checks find the same two steps: the
        // report says which scope ran, and its file name (which hashes the configuration) differs.
        var saveOnly = ModelReports.ToReport(ModelChecker.Check(Connect(Qemu90MappedRam.Instance, 2)))!;
        var whole = ModelReports.ToReport(ModelChecker.Check(Connect(Qemu90MappedRam.Instance, 2, saveOnly: false)))!;

        Assert.Equal(saveOnly.Steps.Select(x => x.Event), whole.Steps.Select(x => x.Event));
        Assert.Contains(saveOnly.Configuration, c => c.Id == "scope" && c.Value.StartsWith("the save only", StringComparison.Ordinal));
        Assert.NotEqual(ReportRenderer.ShortId(saveOnly), ReportRenderer.ShortId(whole));
    }
}
