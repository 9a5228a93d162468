using SyncModel.Protocol.Vocabulary;
using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>Keeping channel states sorted merges states that differ only by channel numbering; it must never change
/// a verdict, the property, or the length of the shortest counterexample.</summary>
public sealed class SymmetryReductionTests
{
    public static TheoryData<string, bool, ErrorSides, int> Configurations()
    {
        var data = new TheoryData<string, bool, ErrorSides, int>();
        foreach (var policy in ModelConfigs.FilePolicies)
        {
            foreach (var f in new[] { false, true })
            {
                foreach (var errors in new[] { ErrorSides.None, ErrorSides.Source, ErrorSides.Destination })
                {
                    foreach (var channels in new[] { 2, 3 })
                        data.Add(policy.Name, f, errors, channels);
                }
            }
        }
        return data;
    }

    [Theory]
    [InlineData("qemu-9.0-mapped-ram", Mutation.NoRoundSync)]
    [InlineData("qemu-9.0-mapped-ram", Mutation.ZeroPageBitNotCleared)]
    [InlineData("qemu-10.0-mapped-ram", Mutation.NoRoundSync)]
    [InlineData("peterxu-reentrant", Mutation.RecvExitAfterSync)]
    [InlineData("qemu-9.0-mapped-ram", Mutation.SyncSkipsChannelsReady)]
    public void Reduction_never_changes_a_mutant_verdict(string policy, Mutation mutation)
    {
        var options = ModelConfigs.Small(SyncPolicies.Parse(policy), channels: 3, pages: 2, rounds: 2) with { Mutations = mutation };

        var reduced = ModelChecker.Check(options with { Symmetry = true });
        var full = ModelChecker.Check(options with { Symmetry = false });

        Assert.Equal(VerdictKind.Violated, full.Verdict);
        Assert.Equal((full.Verdict, full.Property, full.Depth), (reduced.Verdict, reduced.Property, reduced.Depth));
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Reduction_never_changes_a_verdict(string policy, bool f, ErrorSides errors, int channels)
    {
        var options = ModelConfigs.Small(SyncPolicies.Parse(policy), f, errors, channels, pages: 2, rounds: 1);

        var reduced = ModelChecker.Check(options with { Symmetry = true });
        var full = ModelChecker.Check(options with { Symmetry = false });

        Assert.Equal(full.Verdict, reduced.Verdict);
        Assert.Equal(full.Property, reduced.Property);
        Assert.NotEqual(VerdictKind.Incomplete, full.Verdict);
        if (full.Verdict == VerdictKind.Violated) Assert.Equal(full.Depth, reduced.Depth);
        else Assert.True(reduced.States < full.States, $"{reduced.States} reduced states vs {full.States}");
    }
}
