using SyncModel.Model;
using SyncModel.Model.Checking;
using SyncModel.Model.Checking.Engine;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>Runs the engine directly on a model machine with a given canonical form and stubborn-set oracle, so that a
/// test can hand it a deliberately broken reduction.</summary>
internal static class EngineHarness
{
    /// <summary>The verdict of a search: "proved", "incomplete" or the violated property with its depth.</summary>
    public static string Verdict<TOracle>(ModelMachine m, Func<ModelSearch, TOracle>? oracle = null, Func<ModelState, ModelState>? canonical = null,
        bool audit = false)
        where TOracle : IStubbornOracle<ModelState>
    {
        var search = new ModelSearch(m, canonical);
        var limits = new SearchLimits { PartialOrder = oracle is not null, AuditPartialOrder = audit, MaxStates = 2_000_000 };
        using var engine = new BfsEngine<ModelState, ModelSearch, TOracle>(search, oracle is null ? default! : oracle(search), limits);
        var outcome = engine.Run();
        return outcome.Reason switch
        {
            StopReason.Closed => "proved",
            StopReason.Violation => $"{ModelSearch.PropertyNames[outcome.Property]} at depth {outcome.Depth}",
            _ => "incomplete",
        };
    }

    /// <summary>The verdict with every reduction off.</summary>
    public static string Unreduced(ModelCheckOptions o) =>
        Verdict<NoOracle<ModelState>>(new ModelMachine(o.WithoutReductions()));

    /// <summary>Small configurations where every preset's bugs show: each policy with F off and on, errors off and on each
    /// side, the mutations the model knows, 2 channels, 2 or 3 pages, a live guest writing once per interval.</summary>
    public static IEnumerable<ModelCheckOptions> Configurations()
    {
        foreach (var policy in SyncPolicies.FileMode)
        {
            foreach (var mutation in new[] { Mutation.None, Mutation.NoRoundSync, Mutation.ZeroPageBitNotCleared, Mutation.NoRecvSync, Mutation.SyncSkipsChannelsReady })
            {
                foreach (var errors in new[] { ErrorSides.None, ErrorSides.Source, ErrorSides.Destination })
                {
                    foreach (var (n, p) in new[] { (2, 2), (2, 3) })
                    {
                        var o = new ModelCheckOptions
                        {
                            Policy = policy, Mutations = mutation, Errors = errors, Channels = n, Pages = p, Rounds = 2, Live = true, GuestWrites = 1,
                        };
                        if (o.IsModelled) yield return o;
                    }
                }
            }
        }
    }
}
