using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Generated;

/// <summary>A generated case under one policy and F, with the seed of its Coyote exploration.</summary>
public sealed record ScheduleCase(GeneratedCase Case, SyncPolicy Policy, FlushSetting Flush, uint CoyoteSeed)
{
    /// <summary>The exploration target: a live save then a load of what it wrote, no IO errors.</summary>
    public Scenario Scenario => new(Policy, Case.Config with { FlushAfterEachSection = Flush }, ScenarioKind.SaveThenLoad, ErrorSides.None, Case.Workload);

    public override string ToString() => $"{Policy.Name} F={Flush}, Coyote seed {CoyoteSeed}: {Case}";
}
