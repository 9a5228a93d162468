using SyncModel.Coyote.Scenarios;

namespace SyncModel.Coyote.Exploration;

/// <summary>One scenario with its budget and strategy; <see cref="Expected"/> is what the reference says (§4).</summary>
public sealed record ExploreRequest(Scenario Scenario, string Strategy, uint Seed, uint Iterations, TimeSpan? TimeLimit)
{
    /// <summary>The property the reference expects to be broken ("holds" = none, "?" = the reference does not say).</summary>
    public string Expected => Scenario.Config.Mutations != Protocol.Config.Mutation.None
        ? "?"
        : Protocol.Policies.ReferenceVerdicts.Describe(Protocol.Policies.ReferenceVerdicts.Expected(Scenario.Policy, Scenario.Flush, Scenario.Errors));

    /// <summary>The review's scenario matrix: every file-mode preset with F off and on, and 9.0 with a recv channel failing.</summary>
    public static IReadOnlyList<ExploreRequest> ReviewMatrix(string strategy, uint seed, uint iterations, TimeSpan? timeLimit, int channels = 2)
    {
        var list = new List<ExploreRequest>();
        foreach (var p in Protocol.Policies.SyncPolicies.FileMode)
        {
            foreach (var f in new[] { Protocol.Config.FlushSetting.Off, Protocol.Config.FlushSetting.On })
                list.Add(new ExploreRequest(Scenario.Small(p, f, channels), strategy, seed, iterations, timeLimit));
        }
        list.Add(new ExploreRequest(
            Scenario.Small(Protocol.Policies.Qemu90MappedRam.Instance, Protocol.Config.FlushSetting.Off, channels, errors: Protocol.Config.ErrorSides.Destination),
            strategy, seed, iterations, timeLimit));
        return list;
    }
}
