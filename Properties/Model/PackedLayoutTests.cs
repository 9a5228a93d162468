using SyncModel.Model;
using SyncModel.Model.Checking;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>
/// The exhaustive engine stores states packed to the bits a configuration uses (<see cref="ModelLayout"/>): every state
/// the machine can reach must come back from its packed form unchanged, or the engine merges states that differ and
/// its counts (and, past a merged state, its verdicts) are wrong. Reached by a plain breadth-first walk over the machine's
/// actions, with no reduction, on configurations that end in every way a run can: a load, a failed save, a failed load,
/// the save alone, a socket migration with its destination.
/// </summary>
public sealed class PackedLayoutTests
{
    public static TheoryData<string, ErrorSides, bool, int> Configs() => new()
    {
        { "qemu-10.0-mapped-ram", ErrorSides.None, false, 2 },
        { "qemu-10.0-mapped-ram+fixes", ErrorSides.Both, false, 2 },
        { "qemu-10.0-mapped-ram+send-fix", ErrorSides.Source, false, 2 },
        { "qemu-9.0-mapped-ram", ErrorSides.Destination, false, 2 },
        { "fixed-ram-v4", ErrorSides.Source, true, 2 },
        { "peterxu-oneshot", ErrorSides.Destination, false, 2 },
        { "qemu-9.0-socket", ErrorSides.Connect, true, 2 },
        { "qemu-9.0-socket", ErrorSides.Source, true, 2 },
        { "qemu-9.0-socket", ErrorSides.None, false, 2 },
        { "qemu-9.0-socket", ErrorSides.Main, false, 1 },
        { "qemu-8.2-socket", ErrorSides.None, false, 2 },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Every_reachable_state_survives_packing(string policy, ErrorSides errors, bool saveOnly, int channels)
    {
        var o = Unreduced(policy, errors) with { SaveOnly = saveOnly, Channels = channels };
        var machine = new ModelMachine(o);
        var (states, _) = Walk(machine, 200_000);
        var layout = new ModelLayout(o);
        var packed = new ulong[layout.Words];
        var broken = 0;
        string? first = null;
        foreach (var s in states)
        {
            layout.Pack(s, packed);
            if (layout.Unpack(packed) == s) continue;
            broken++;
            first ??= StateText.Compact(machine, s);
        }

        Assert.True(states.Count > 100, $"only {states.Count} states reached");
        Assert.True(broken == 0, $"{broken} of {states.Count} states do not survive packing, e.g. {first}");
    }

    [Fact]
    public void The_engine_counts_what_a_plain_walk_reaches_on_a_proved_save_with_errors()
    {
        var o = Unreduced("qemu-10.0-mapped-ram+send-fix", ErrorSides.Source);
        var (states, transitions) = Walk(new ModelMachine(o), 200_000);

        var result = ModelChecker.Check(o);

        Assert.Equal(SyncModel.Protocol.Vocabulary.VerdictKind.Proved, result.Verdict);
        Assert.Equal((long)states.Count, result.States);
        Assert.Equal(transitions, result.Transitions);
    }

    /// <summary>2 channels, 2 pages, 2 rounds, no reduction: the machine exactly as its steps define it.</summary>
    private static ModelCheckOptions Unreduced(string policy, ErrorSides errors) => new ModelCheckOptions
    {
        Policy = SyncPolicies.Parse(policy), Errors = errors, Channels = 2, Pages = 2, Rounds = 2, GuestWrites = 1, Threads = 1,
    }.WithoutReductions();

    /// <summary>Every state reachable from the machine's initial state (at most <paramref name="limit"/>), and the transitions.</summary>
    private static (HashSet<ModelState> States, long Transitions) Walk(ModelMachine m, int limit)
    {
        var seen = new HashSet<ModelState> { m.Initial };
        var queue = new Queue<ModelState>();
        queue.Enqueue(m.Initial);
        long transitions = 0;
        while (queue.Count > 0)
        {
            Assert.True(seen.Count <= limit, $"more than {limit} states");
            var s = queue.Dequeue();
            foreach (var a in m.Actions)
            {
                int[] domain = a.Arg == ArgKind.None ? [0] : a.Domain;
                foreach (var x in domain)
                {
                    if (!a.Guard(s, x)) continue;
                    transitions++;
                    var t = m.Canonical(a.Apply(s, x, null));
                    if (seen.Add(t)) queue.Enqueue(t);
                }
            }
        }
        return (seen, transitions);
    }
}
