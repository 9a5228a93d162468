using FsCheck;
using FsCheck.Fluent;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Generated;

/// <summary>
/// FsCheck arbitraries over the CsCheck generators of <see cref="WorkloadGen"/>, with the structural
/// <see cref="WorkloadShrinker"/>. Why FsCheck here: the workload × schedule property runs one Coyote exploration
/// per case, one engine at a time, so CsCheck's strength (many cheap samples on every core, shrinking by sampling
/// more) does not apply; what does is FsCheck's xunit integration (<c>[Property]</c>, <c>Replay</c>, MaxTest) and
/// an explicit shrinker that walks a few deliberate steps, each costing one exploration.
/// </summary>
public static class FsArbitraries
{
    /// <summary>
    /// An FsCheck generator running <paramref name="gen"/> on a CsCheck PCG state drawn from FsCheck's random source:
    /// FsCheck's seed (and so its <c>Replay</c>) determines the value.
    /// </summary>
    public static Gen<T> FromCsCheck<T>(CsCheck.Gen<T> gen) =>
        from stream in Gen.Choose(0, int.MaxValue)
        from high in Gen.Choose(0, int.MaxValue)
        from low in Gen.Choose(0, int.MaxValue)
        select gen.Generate(new CsCheck.PCG((uint)stream, ((ulong)high << 32) ^ (uint)low), null!, out _);

    /// <summary>Small cases (<see cref="CaseShape.Exploration"/>) under one of <paramref name="policies"/>, with a Coyote seed; the shrinker keeps policy and seed.</summary>
    public static Arbitrary<ScheduleCase> ScheduleCases(IReadOnlyList<(SyncPolicy Policy, FlushSetting F)> policies, Mutation mutations = Mutation.None)
    {
        var gen =
            from c in FromCsCheck(WorkloadGen.Case(CaseShape.Exploration))
            from p in Gen.Elements(policies.ToArray())
            from seed in Gen.Choose(1, 1_000_000)
            select new ScheduleCase(c.With(c.Config with { Mutations = mutations }), p.Policy, p.F, (uint)seed);
        return Arb.From(gen, s => WorkloadShrinker.Shrink(s.Case).Select(c => s with { Case = c }));
    }
}
