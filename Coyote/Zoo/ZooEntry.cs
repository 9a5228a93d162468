using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Coyote.Zoo;

/// <summary>
/// One historical QEMU multifd bug (docs/protocol.md §5) or review finding, re-created: the commit that fixed it (or
/// the patch that had it), its story, the property it breaks, the scenario on the production code that exposes
/// it (a mutation switch or a policy), and how the abstract model expresses it, if it does.
/// </summary>
public sealed record ZooEntry(
    string Name,
    string QemuCommit,
    string CommitTitle,
    string Story,
    PropertyId Property,
    Scenario Scenario,
    ZooModel? Model,
    Scenario? FixedTwin = null)
{
    /// <summary>
    /// The scenario with the bug fixed, which must stay clean: <see cref="FixedTwin"/> when the entry names one (the release
    /// that has the fix), else the same scenario without its mutation; null when the bug is the policy itself.
    /// </summary>
    public Scenario? CleanTwin => FixedTwin ?? (Scenario.Config.Mutations == Mutation.None
        ? null
        : Scenario with { Config = Scenario.Config with { Mutations = Mutation.None } });
}

/// <summary>The model run that corresponds to a zoo entry (sizes are the model's); <paramref name="FixedPolicy"/> names the
/// release with the fix when the bug is a policy's, not a mutation's.</summary>
public sealed record ZooModel(SyncPolicy Policy, FlushSetting Flush, ErrorSides Errors, Mutation Mutations, int Channels = 2, int Pages = 3, int Rounds = 2,
    bool SaveOnly = false, SyncPolicy? FixedPolicy = null)
{
    /// <summary>The same run with the bug fixed, which the model must prove: without the mutation, or on
    /// <see cref="FixedPolicy"/>; null when the bug is the policy itself and no release fixed it.</summary>
    public ZooModel? Twin => Mutations != Mutation.None ? this with { Mutations = Mutation.None }
        : FixedPolicy is { } fixedPolicy ? this with { Policy = fixedPolicy, FixedPolicy = null }
        : null;

    /// <summary>Whether the model's violated property <paramref name="found"/> is the entry's <paramref name="expected"/>: the
    /// model states RoundTrip as NoStalePage (the VM runs on a page that is not the newest) and DrainBeforeCleanup together.</summary>
    public static bool Finds(PropertyId expected, string? found) =>
        found == expected.ToString()
        || (expected == PropertyId.RoundTrip && found is nameof(PropertyId.NoStalePage) or nameof(PropertyId.DrainBeforeCleanup));
}
