using SyncModel.Protocol.Vocabulary;
using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>A counterexample is a shortest one: searching every path one step shorter finds nothing.</summary>
public sealed class ShortestCounterexampleTests
{
    public static TheoryData<string, bool, ErrorSides, Mutation> Violations => new()
    {
        { "fixed-ram-v4", true, ErrorSides.None, Mutation.None },
        { "peterxu-oneshot", false, ErrorSides.None, Mutation.None },
        { "qemu-9.0-mapped-ram", false, ErrorSides.Destination, Mutation.None },
        { "qemu-9.0-mapped-ram", false, ErrorSides.None, Mutation.NoRoundSync },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void No_shorter_path_reaches_a_violation(string policy, bool f, ErrorSides errors, Mutation mutations)
    {
        var options = ModelConfigs.Small(SyncPolicies.Parse(policy), f, errors) with { Mutations = mutations };
        var found = ModelChecker.Check(options);
        Assert.Equal(VerdictKind.Violated, found.Verdict);
        Assert.Equal(found.Depth, found.Steps[^1].Index);

        var shorter = ModelChecker.Check(options with { MaxDepth = found.Depth - 1 });

        // Every path of at most Depth-1 steps was explored (the search stopped only at the depth bound) and none fails.
        Assert.Equal(VerdictKind.Incomplete, shorter.Verdict);
        Assert.Null(shorter.Property);
        Assert.Equal(found.Depth - 1, shorter.Depth);
    }
}
