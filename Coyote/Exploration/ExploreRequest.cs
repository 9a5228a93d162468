using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Coyote.Exploration;

/// <summary>One scenario with its budget and strategy; <see cref="Expected"/> is what docs/protocol.md §4 says.</summary>
public sealed record ExploreRequest(Scenario Scenario, string Strategy, uint Seed, uint Iterations, TimeSpan? TimeLimit)
{
    /// <summary>The property docs/protocol.md §4 expects to be broken ("no bug" = none, "?" = it does not say).</summary>
    public string Expected => Scenario.Config.Mutations != Protocol.Config.Mutation.None
        ? "?"
        : Protocol.Policies.ReferenceVerdicts.Describe(Protocol.Policies.ReferenceVerdicts.Expected(Scenario.Policy, Scenario.Flush, Scenario.Errors, Scenario.Config.Channels));

    /// <summary>
    /// The review's scenario matrix: every file-mode release or proposal with F off and on; the two error-path hangs (a recv
    /// error in 9.0, docs/protocol.md §3.7; a send error in 10.0, §2.9); and each proposed fix with the errors it is for
    /// (docs/fixes/): the send fix with send errors, the recv fix with recv errors, both fixes with errors on both sides.
    /// </summary>
    public static IReadOnlyList<ExploreRequest> ReviewMatrix(string strategy, uint seed, uint iterations, TimeSpan? timeLimit, int channels = 2)
    {
        var list = new List<ExploreRequest>();
        ExploreRequest Row(SyncPolicy policy, FlushSetting flush, ErrorSides errors = ErrorSides.None)
            => new(Scenario.Small(policy, flush, channels, errors: errors), strategy, seed, iterations, timeLimit);
        foreach (var p in SyncPolicies.FileMode.Where(p => p.Errors.Fixes == ErrorFixes.None))
        {
            list.Add(Row(p, FlushSetting.Off));
            list.Add(Row(p, FlushSetting.On));
        }
        list.Add(Row(Qemu90MappedRam.Instance, FlushSetting.Off, ErrorSides.Destination));
        list.Add(Row(Qemu100MappedRam.Instance, FlushSetting.Off, ErrorSides.Source));
        list.Add(Row(Qemu100ErrorFixes.SendFix, FlushSetting.Off, ErrorSides.Source));
        list.Add(Row(Qemu100ErrorFixes.RecvFix, FlushSetting.Off, ErrorSides.Destination));
        list.Add(Row(Qemu100ErrorFixes.BothFixes, FlushSetting.Off, ErrorSides.Both));
        return list;
    }
}
