using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>
/// The own engine against the reference, CsCheck's <c>Check.Exhaustive</c>, over the same machine on every small
/// configuration: the same verdict and property, the same shortest depth for a violation, and for a closed search the
/// same number of states, transitions and depth. Partial-order reduction is off (CsCheck has none); symmetry and the
/// abstraction are on for both, then off for both.
/// </summary>
public sealed class EngineReferenceTests
{
    private static readonly Mutation[] Mutations = [Mutation.None, Mutation.ZeroPageBitNotCleared];

    public static TheoryData<string, bool, ErrorSides, bool> Rows()
    {
        var data = new TheoryData<string, bool, ErrorSides, bool>();
        foreach (var p in SyncPolicies.FileMode)
        {
            foreach (var f in new[] { false, true })
            {
                foreach (var e in new[] { ErrorSides.None, ErrorSides.Source, ErrorSides.Destination })
                {
                    if (!new ModelCheckOptions { Policy = p, Errors = e }.IsModelled) continue;
                    foreach (var reductions in new[] { true, false }) data.Add(p.Name, f, e, reductions);
                }
            }
        }
        return data;
    }

    /// <summary>The socket source (save only): errors none, connect or source, with and without setup's <c>channels_created</c> wait.</summary>
    public static TheoryData<string, bool, ErrorSides, bool> SocketRows()
    {
        var data = new TheoryData<string, bool, ErrorSides, bool>();
        foreach (var f in new[] { false, true })
        {
            foreach (var e in new[] { ErrorSides.None, ErrorSides.Connect, ErrorSides.Source })
            {
                foreach (var reductions in new[] { true, false }) data.Add(Qemu90Socket.Instance.Name, f, e, reductions);
            }
        }
        return data;
    }

    /// <summary>A socket migration with its destination: F on each side (§4(a)'s mismatches too), no errors.</summary>
    public static TheoryData<bool, bool, bool, ErrorSides> SocketDestinationRows()
    {
        var data = new TheoryData<bool, bool, bool, ErrorSides>();
        foreach (var src in new[] { false, true })
        {
            foreach (var dst in new[] { false, true })
            {
                foreach (var reductions in new[] { true, false }) data.Add(src, dst, reductions, ErrorSides.None);
            }
            foreach (var reductions in new[] { true, false }) data.Add(src, src, reductions, ErrorSides.Main);
        }
        return data;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void Both_engines_agree_on_8_2_s_socket_migration(bool source, bool destination) =>
        Compare(Qemu82Socket.Instance.Name, new FlushSetting(source, destination), ErrorSides.None, reductions: true,
            [Mutation.None, Mutation.FinalSyncWithoutFlush], saveOnly: false, shapes: [(2, 2, false), (2, 2, true)]);

    [Theory]
    [MemberData(nameof(SocketDestinationRows))]
    public void Both_engines_agree_on_the_socket_migration(bool source, bool destination, bool reductions, ErrorSides errors) =>
        Compare(Qemu90Socket.Instance.Name, new FlushSetting(source, destination), errors, reductions,
            errors == ErrorSides.None ? [Mutation.None, Mutation.FinalSyncWithoutFlush] : [Mutation.None, Mutation.RecvSetsReceivedMap],
            saveOnly: false, shapes: [(2, 2, false), (2, 2, true)]);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Both_engines_give_the_same_verdict_counts_and_shortest_depth(string policy, bool f, ErrorSides errors, bool reductions) =>
        Compare(policy, f ? FlushSetting.On : FlushSetting.Off, errors, reductions, Mutations, saveOnly: false);

    [Theory]
    [MemberData(nameof(SocketRows))]
    public void Both_engines_agree_on_the_socket_source(string policy, bool f, ErrorSides errors, bool reductions) =>
        Compare(policy, f ? FlushSetting.On : FlushSetting.Off, errors, reductions, [Mutation.None, Mutation.NoChannelsCreatedWait], saveOnly: true);

    private static void Compare(string policy, FlushSetting f, ErrorSides errors, bool reductions, Mutation[] mutations, bool saveOnly,
        (int N, int P, bool Live)[]? shapes = null)
    {
        foreach (var mutation in mutations)
        {
            foreach (var (n, p, live) in shapes ?? [(2, 2, false), (3, 2, true)])
            {
                var o = new ModelCheckOptions
                {
                    Policy = SyncPolicies.Parse(policy), FlushSetting = f, Errors = errors, Mutations = mutation,
                    Channels = n, Pages = p, Rounds = 2, Live = live, GuestWrites = 1, PartialOrder = false, Threads = 1,
                    Symmetry = reductions, Abstraction = reductions, FixedWaitOrder = reductions, SaveOnly = saveOnly,
                };
                var what = $"{policy} F={f.Source},{f.Destination} errors={errors} {mutation} {n}ch {p}p live={live} reductions={reductions}";
                var own = ModelChecker.Check(o);
                var reference = ModelChecker.Check(o with { Engine = ModelEngine.CsCheck });

                Assert.True(own.Verdict == reference.Verdict && own.Property == reference.Property,
                    $"{what}: own {own.VerdictText} {own.Property}, CsCheck {reference.VerdictText} {reference.Property}");
                Assert.Equal(reference.Depth, own.Depth);
                if (reference.Closed)
                {
                    Assert.True(own.Closed, what);
                    Assert.True((own.States, own.Transitions) == (reference.States, reference.Transitions),
                        $"{what}: own {own.States} states {own.Transitions} transitions, CsCheck {reference.States} {reference.Transitions}");
                }
            }
        }
    }
}
