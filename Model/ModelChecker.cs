using SyncModel.Protocol.Vocabulary;
using System.Diagnostics;
using CsCheck;
using SyncModel.Model.Checking;
using SyncModel.Model.Checking.Engine;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model;

/// <summary>
/// The exhaustive checker: builds the model of one save-then-load for a policy and configuration, explores every
/// interleaving breadth-first (so a counterexample is a shortest one) with the own engine (<c>Checking/Engine</c>) or,
/// as the reference for small sizes, with CsCheck's <c>Check.Exhaustive</c>, and reports the verdict. A search that stops before the space closes says "incomplete", never "proved".
/// </summary>
public static class ModelChecker
{
    /// <summary>Checks one configuration with the engine <see cref="ModelCheckOptions.Engine"/> names. The own engine
    /// reports to <paramref name="progress"/> about once a second and stops, incomplete, when <paramref name="cancel"/> fires.</summary>
    public static ModelCheckResult Check(ModelCheckOptions options, CancellationToken cancel = default, Action<SearchProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.IsModelled) return NotModelled(options);
        var result = Run(options, cancel, progress);
        if (result.Verdict == VerdictKind.Violated && options.SocketDestination && options.FixedWaitOrder)
        {
            // The wait-order reduction keeps a socket migration's verdict but not always its shortest violation (a sync
            // may meet the channel that never answers sooner in another order): the violation is searched again without it.
            var anyOrder = Check(options with { FixedWaitOrder = false }, cancel, progress);
            return anyOrder with
            {
                Options = options,
                Elapsed = result.Elapsed + anyOrder.Elapsed,
                Notes = [.. anyOrder.Notes, $"Found with the sync waiting in channel order (depth {result.Depth}); searched again with any order for the shortest run."],
            };
        }
        if (result.ReplayFailure is not { } why) return result;
        // The guest abstraction over-approximates; a counterexample that is not a run of the model is searched for again
        // without it, where every path is one.
        var exact = Run(options with { Abstraction = false }, cancel, progress);
        return exact with
        {
            Options = options,
            Elapsed = result.Elapsed + exact.Elapsed,
            Notes = [.. exact.Notes, $"The guest abstraction's shortest violation ({why}) is not a run of the model; checked again without the abstraction."],
        };
    }

    private static ModelCheckResult Run(ModelCheckOptions options, CancellationToken cancel, Action<SearchProgress>? progress) =>
        options.Engine == ModelEngine.CsCheck ? CheckWithCsCheck(options) : EngineRun.Check(options, cancel, progress);

    /// <summary>What the check will store per state and how many states fit (own engine).</summary>
    public static MemoryEstimate Estimate(ModelCheckOptions options) => MemoryEstimate.For(options);

    /// <summary>The reference: CsCheck's <c>Check.Exhaustive</c> over the same machine and requirements (no
    /// partial-order reduction; the abstraction and symmetry reductions as the options say).</summary>
    private static ModelCheckResult CheckWithCsCheck(ModelCheckOptions options)
    {
        var machine = new ModelMachine(options);
        var spec = ModelSpec.Build(machine);
        using var sampler = new PeakSampler();
        var clock = Stopwatch.StartNew();
        var report = spec.Exhaustive(out var violation, null, options.MaxStates, options.MaxDepth, 1);
        clock.Stop();
        var figures = new ModelCheckResult
        {
            Options = options,
            Verdict = VerdictKind.Proved,
            Sentence = "",
            Closed = report.Closed,
            States = report.States,
            Transitions = report.Transitions,
            Depth = report.Depth,
            Elapsed = clock.Elapsed,
            StatesPerSecond = report.States / Math.Max(clock.Elapsed.TotalSeconds, 1e-6),
            PeakMemoryBytes = sampler.Peak,
            Coverage = report.ToString(),
            Stop = report.Closed ? StopReason.Closed : report.Depth >= options.MaxDepth ? StopReason.MaxDepth : StopReason.MaxStates,
        };
        if (violation is not null) return Violated(machine, figures, violation.Id, violation.Quote, violation.Trace);
        if (report.DeadlockStates > 0 && report.Deadlock is { } stuck)
            return Violated(machine, figures, ModelSpec.NoDeadlock, Requirements.NoDeadlockQuote, stuck);
        return report.Closed ? ModelVerdicts.Proved(figures) : ModelVerdicts.Incomplete(figures);
    }

    /// <summary>The F settings the matrix checks for <paramref name="policy"/>: off and on; on a socket also the two mismatches,
    /// which docs/protocol.md §4(a) says deadlock (each side reads F from its own machine type).</summary>
    public static IReadOnlyList<FlushSetting> MatrixFlushSettings(SyncPolicy policy) =>
        policy.Transport == Transport.Socket
            ? [FlushSetting.Off, FlushSetting.On, new FlushSetting(true, false), new FlushSetting(false, true)]
            : [FlushSetting.Off, FlushSetting.On];

    /// <summary>Every preset × its F settings (<see cref="MatrixFlushSettings"/>) × each error setting (default: none,
    /// destination), in that order.</summary>
    public static IReadOnlyList<ModelCheckResult> Matrix(ModelCheckOptions template, IReadOnlyList<ErrorSides>? errors = null,
        Action<ModelCheckResult>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        var results = new List<ModelCheckResult>();
        foreach (var policy in SyncPolicies.All)
        {
            foreach (var f in MatrixFlushSettings(policy))
            {
                foreach (var e in errors ?? [ErrorSides.None, ErrorSides.Destination])
                {
                    if (cancel.IsCancellationRequested) return results;
                    var r = Check(template with { Policy = policy, FlushSetting = f, Errors = e }, cancel);
                    progress?.Invoke(r);
                    results.Add(r);
                }
            }
        }
        return results;
    }

    /// <summary>
    /// Mutation testing of the requirements (CsCheck <c>Check.Faults</c>): each mutation switch the model knows and
    /// <paramref name="options"/> does not already apply is injected in turn and the space re-explored. The
    /// unmutated configuration must hold, or there is nothing to compare against.
    /// </summary>
    public static ModelFaultsResult Faults(ModelCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.IsModelled) throw new ArgumentException($"{options.Policy.Name} is not modelled");
        var spec = ModelSpec.Build(new ModelMachine(options));
        var clock = Stopwatch.StartNew();
        SpecFaultsReport report;
        try
        {
            report = spec.Faults(null, options.MaxStates, options.MaxDepth, 1, throwOnUncaught: false);
        }
        catch (CsCheckException e)
        {
            throw new InvalidOperationException($"{Describe(options)}: the unmutated model already fails, so there is nothing to compare faults against", e);
        }
        clock.Stop();
        var rows = report.Results.Select(r => new FaultRow(r.Fault, r.Outcome switch
        {
            FaultOutcome.Caught => "caught",
            FaultOutcome.NotDetected => "not detected",
            FaultOutcome.Inconclusive => "inconclusive",
            _ => "not found",
        }, r.CaughtBy, r.Steps)).ToList();
        return new ModelFaultsResult { Options = options, Rows = rows, Unexercised = [.. report.Unexercised], Text = report.ToString(), Elapsed = clock.Elapsed };
    }

    /// <summary>"qemu-9.0-mapped-ram (F=off, errors off, 2 ch × 4 pages × 2 rounds)".</summary>
    public static string Describe(ModelCheckOptions o) =>
        $"{o.Policy.Name} (F={o.FlushSetting}, errors {ModelCheckOptions.ErrorsText(o.Errors)}, {o.Channels} ch × {o.Pages} pages × {o.Rounds} rounds"
        + (o.Mutations != Mutation.None ? $", mutations {o.Mutations}" : "") + (o.SaveOnly ? ", save only" : "") + ")";

    private static ModelCheckResult NotModelled(ModelCheckOptions o) => new()
    {
        Options = o,
        Verdict = VerdictKind.NotModelled,
        Sentence = $"{Describe(o)}: not modelled: {o.WhyNotModelled}; no verdict.",
    };

    private static ModelCheckResult Violated(ModelMachine m, ModelCheckResult figures, string property, string quote, Trace<ModelState> trace)
    {
        var steps = trace.Steps.Select(s => new TraceReplay.Step(s.ActionIndex, m.Actions[s.ActionIndex].Domain[s.ArgIndex], s.After)).ToList();
        var stepProperty = property is not (ModelSpec.NoDeadlock or nameof(Protocol.Events.PropertyId.SemaphoreAccounting));
        var replay = TraceReplay.TryReplay(m, trace.Initial, steps, property, stepProperty, out var failure);
        return replay is null
            ? figures with { Verdict = VerdictKind.Incomplete, ReplayFailure = $"{property} at depth {steps.Count}: {failure}" }
            : ModelVerdicts.Violated(m, figures, property, quote, replay, trace.Steps.Length);
    }
}
