using FsCheck.Xunit;

namespace SyncModel.Properties.Generated;

/// <summary>
/// FsCheck.Xunit's <c>[Property]</c>, replaying <c>SYNCMODEL_SEED</c> when it is set. An explicit
/// <c>Replay = "(seed,gamma)"</c> on the attribute still works as FsCheck documents it (the attribute's value wins
/// over the variable). On failure FsCheck prints the replay string of the run and the shrunk case.
/// </summary>
public sealed class SeededPropertyAttribute : PropertyAttribute
{
    public SeededPropertyAttribute()
    {
        if (PropertySeed.Fixed is { } seed) Replay = PropertySeed.FsCheckReplay(PropertySeed.FsCheckRnd(seed));
    }
}
