using SyncModel.Protocol.Vocabulary;
using System.Diagnostics;
using SyncModel.Model.Checking.Engine;
using SyncModel.Model.Machine;
using SyncModel.Model.State;

namespace SyncModel.Model.Checking;

/// <summary>Runs the own engine (<see cref="BfsEngine{TState, TModel, TOracle}"/>) on a model machine and turns its outcome
/// into a <see cref="ModelCheckResult"/>.</summary>
internal static class EngineRun
{
    public static ModelCheckResult Check(ModelCheckOptions options, CancellationToken cancel, Action<SearchProgress>? progress)
    {
        var machine = new ModelMachine(options, pruneEqualChannels: options.Symmetry && !options.PartialOrder);
        var search = new ModelSearch(machine);
        var limits = new SearchLimits
        {
            MaxStates = options.MaxStates,
            MaxDepth = options.MaxDepth,
            MaxMemoryBytes = MemoryEstimate.Resolve(options.MaxMemoryBytes),
            Threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount,
            PartialOrder = options.PartialOrder,
            AuditPartialOrder = options.AuditPartialOrder,
            Profile = options.Profile,
        };
        using var sampler = new PeakSampler();
        var clock = Stopwatch.StartNew();
        var outcome = options.PartialOrder
            ? Run(new BfsEngine<ModelState, ModelSearch, ModelPartialOrder>(search, new ModelPartialOrder(search), limits), cancel, progress)
            : Run(new BfsEngine<ModelState, ModelSearch, NoOracle<ModelState>>(search, default, limits), cancel, progress);
        clock.Stop();
        var figures = new ModelCheckResult
        {
            Options = options,
            Verdict = VerdictKind.Proved,
            Sentence = "",
            Closed = outcome.Reason == StopReason.Closed,
            States = outcome.States,
            Transitions = outcome.Transitions,
            Depth = outcome.Depth,
            Elapsed = clock.Elapsed,
            StatesPerSecond = outcome.States / Math.Max(clock.Elapsed.TotalSeconds, 1e-6),
            PeakMemoryBytes = sampler.Peak,
            StoreBytes = outcome.PeakStoreBytes,
            Stop = outcome.Reason,
            Profile = outcome.Profile,
        };
        if (outcome.Reason == StopReason.Violation)
        {
            var property = ModelSearch.PropertyNames[outcome.Property];
            var steps = outcome.Path.Select(p => new TraceReplay.Step(search.ActionOf(p.Group), search.ArgOf(p.Group), p.After)).ToList();
            var replay = TraceReplay.TryReplay(machine, outcome.Initial, steps, property, outcome.EndsWithViolatingStep, out var failure);
            if (replay is null) return figures with { Verdict = VerdictKind.Incomplete, ReplayFailure = $"{property} at depth {steps.Count}: {failure}" };
            return ModelVerdicts.Violated(machine, figures, property, ModelVerdicts.Quote(property), replay, steps.Count);
        }
        return outcome.Reason == StopReason.Closed ? ModelVerdicts.Proved(figures) : ModelVerdicts.Incomplete(figures);
    }

    private static SearchOutcome<ModelState> Run<TOracle>(BfsEngine<ModelState, ModelSearch, TOracle> engine, CancellationToken cancel,
        Action<SearchProgress>? progress) where TOracle : IStubbornOracle<ModelState>
    {
        using (engine) return engine.Run(cancel, progress);
    }
}
