using SyncModel.Model;
using SyncModel.Model.Checking;
using SyncModel.Model.Checking.Engine;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using Xunit.Abstractions;

namespace SyncModel.Properties.Model;

/// <summary>
/// Each reduction, deliberately broken, changes a verdict the unreduced model gives on one of the small configurations
/// of <see cref="EngineHarness.Configurations"/> (and the partial-order audit catches a broken oracle before that); the
/// same reductions done right change none (<see cref="SoundnessMatrixTests"/>). A reduction test that cannot fail would
/// prove nothing. The wait-order reduction has no test here: fixing the order also with IO errors on (or with
/// SyncSkipsChannelsReady) changed no verdict and no shortest depth on these configurations, nor at 3 channels, so no
/// configuration shows its conditions necessary yet.
/// </summary>
public sealed class BrokenReductionTests(ITestOutputHelper output)
{
    private string FirstDifference(Func<ModelCheckOptions, string> broken, Func<string, bool>? expectedIs = null)
    {
        foreach (var o in EngineHarness.Configurations())
        {
            var expected = EngineHarness.Unreduced(o);
            if (expectedIs is not null && !expectedIs(expected)) continue;
            var actual = broken(o);
            if (actual != expected)
            {
                var text = $"{ModelChecker.Describe(o)}: {actual}, unreduced {expected}";
                output.WriteLine(text);
                return text;
            }
        }
        return "";
    }

    [Fact]
    public void Partial_order_with_the_main_thread_left_out_changes_a_verdict_and_the_audit_says_why()
    {
        string Run(ModelCheckOptions o, bool audit) => EngineHarness.Verdict(new ModelMachine(o with { Symmetry = false }, pruneEqualChannels: false),
            s => new BrokenOracle(s, BrokenOracle.Fault.MainNotStubborn), audit: audit);

        Assert.NotEqual("", FirstDifference(o => Run(o, audit: false)));
        var e = Assert.Throws<InvalidOperationException>(() => EngineHarness.Configurations().Select(o => Run(o, audit: true)).ToList());
        Assert.StartsWith("partial-order audit:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_order_blind_to_a_guest_write_racing_the_snapshot_changes_a_verdict_and_the_audit_says_why()
    {
        string Run(ModelCheckOptions o, bool audit) => EngineHarness.Verdict(new ModelMachine(o with { Symmetry = false }, pruneEqualChannels: false),
            s => new BrokenOracle(s, BrokenOracle.Fault.SnapshotIgnoresGuest), audit: audit);

        Assert.NotEqual("", FirstDifference(o => Run(o, audit: false)));
        var e = Assert.Throws<InvalidOperationException>(() => EngineHarness.Configurations().Select(o => Run(o, audit: true)).ToList());
        Assert.Contains("guest.GuestWrite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Abstraction_that_forgets_stale_pages_too_misses_a_stale_page()
    {
        // Where the unreduced model saves a stale page, the broken abstraction proves the save correct.
        var difference = FirstDifference(o =>
        {
            var m = new ModelMachine(o with { Symmetry = false });
            return EngineHarness.Verdict<NoOracle<ModelState>>(m, canonical: s => ForgetUnsettled(m, m.Canonical(s)));
        }, expected => expected.StartsWith("NoStalePage", StringComparison.Ordinal));

        Assert.Contains(": proved, unreduced NoStalePage", difference, StringComparison.Ordinal);
    }

    [Fact]
    public void Symmetry_that_also_swaps_pages_changes_a_verdict()
    {
        Assert.NotEqual("", FirstDifference(o =>
        {
            var m = new ModelMachine(o with { Abstraction = false });
            return EngineHarness.Verdict<NoOracle<ModelState>>(m, canonical: s => SwapFirstPages(m.Canonical(s)));
        }));
    }

    /// <summary>The guest abstraction's settled pages without the check that the file holds their newest content: a page
    /// the file got wrong is forgotten as if it were right.</summary>
    private static ModelState ForgetUnsettled(ModelMachine m, ModelState s)
    {
        if (MainBits.Pc.Get(s.Main) >= (int)Pc.RecvQueue) return s;
        var held = Pages.Get(s, PageFact.ToSend) | Pages.Get(s, PageFact.Batch) | Pages.Get(s, PageFact.Dirty)
            | Pages.Get(s, PageFact.DataUnknown) | Pages.Get(s, PageFact.FileUnknown);
        for (var i = 0; i < m.N; i++) held |= SendBits.Job(s.Ch(i));
        var forget = ~held & m.AllPages & ~Pages.Get(s, PageFact.Free);
        s = Pages.Set(s, PageFact.Free, Pages.Get(s, PageFact.Free) | forget);
        s = Pages.Set(s, PageFact.Data, Pages.Get(s, PageFact.Data) & ~forget);
        s = Pages.Set(s, PageFact.FileBit, Pages.Get(s, PageFact.FileBit) & ~forget);
        return Pages.Set(s, PageFact.SlotCurrent, Pages.Get(s, PageFact.SlotCurrent) & ~forget);
    }

    /// <summary>A "symmetry" of pages 0 and 1 in the guest's contents: the state with the two pages' data, file bitmap and
    /// slot bits exchanged when that orders them. Pages are not interchangeable (the scan visits them in order).</summary>
    private static ModelState SwapFirstPages(ModelState s)
    {
        var swapped = s;
        foreach (var f in new[] { PageFact.Data, PageFact.FileBit, PageFact.SlotCurrent })
        {
            var mask = Pages.Get(s, f);
            swapped = Pages.Set(swapped, f, (mask & ~3) | ((mask & 1) << 1) | ((mask >> 1) & 1));
        }
        return swapped.Mem < s.Mem ? swapped : s;
    }
}
