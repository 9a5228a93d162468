using SyncModel.Coyote.Scenarios;

namespace SyncModel.Properties.Generated;

/// <summary>FsCheck's shrinking of a <see cref="GeneratedCase"/>: <see cref="ScenarioShrinker"/>'s candidates.</summary>
public static class WorkloadShrinker
{
    public static IEnumerable<GeneratedCase> Shrink(GeneratedCase c)
        => ScenarioShrinker.Shrink(new ScenarioShrinker.Shape(c.Config, c.Workload)).Select(x => new GeneratedCase(x.Config, x.Workload));
}
