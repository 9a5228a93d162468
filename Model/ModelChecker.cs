using System.Diagnostics;
using CsCheck;
using SyncModel.Model.Checking;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model;

/// <summary>
/// The exhaustive checker: builds the model of one save-then-load for a policy and configuration, explores every
/// interleaving with CsCheck's <c>Check.Exhaustive</c> (breadth-first, so a counterexample is a shortest one), and
/// reports the verdict. A search that stops before the space closes says "incomplete", never "holds".
/// </summary>
public static class ModelChecker
{
    /// <summary>Checks one configuration.</summary>
    public static ModelCheckResult Check(ModelCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.IsModelled) return NotModelled(options);
        var machine = new ModelMachine(options);
        var spec = ModelSpec.Build(machine);
        using var sampler = new PeakSampler();
        var clock = Stopwatch.StartNew();
        var report = spec.Exhaustive(out var violation, null, options.MaxStates, options.MaxDepth, 1);
        clock.Stop();
        var figures = new ModelCheckResult
        {
            Options = options,
            Verdict = Verdict.Holds,
            Sentence = "",
            Closed = report.Closed,
            States = report.States,
            Transitions = report.Transitions,
            Depth = report.Depth,
            Elapsed = clock.Elapsed,
            StatesPerSecond = report.States / Math.Max(clock.Elapsed.TotalSeconds, 1e-6),
            PeakMemoryBytes = sampler.Peak,
            Coverage = report.ToString(),
        };
        if (violation is not null) return Violated(machine, figures, violation.Id, violation.Quote, violation.Trace);
        if (report.DeadlockStates > 0 && report.Deadlock is { } stuck)
            return Violated(machine, figures, ModelSpec.NoDeadlock, Requirements.NoDeadlockQuote, stuck);
        if (!report.Closed)
        {
            return figures with
            {
                Verdict = Verdict.Incomplete,
                Sentence = $"{Describe(options)}: incomplete: the search stopped at {report.States:N0} states, depth {report.Depth} "
                    + (report.Depth >= options.MaxDepth ? $"(max-depth {options.MaxDepth})" : $"(max-states {options.MaxStates:N0})")
                    + " before the state space closed; nothing is proved.",
            };
        }
        return figures with
        {
            Sentence = $"{Describe(options)} holds: all {report.States:N0} reachable states were explored (depth {report.Depth}) "
                + "with no property violated and no deadlock.",
        };
    }

    /// <summary>Every preset × F off/on × each error setting (default: none, destination), in that order.</summary>
    public static IReadOnlyList<ModelCheckResult> Matrix(ModelCheckOptions template, IReadOnlyList<ErrorSides>? errors = null,
        Action<ModelCheckResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        var results = new List<ModelCheckResult>();
        foreach (var policy in SyncPolicies.All)
        {
            foreach (var f in new[] { FlushSetting.Off, FlushSetting.On })
            {
                foreach (var e in errors ?? [ErrorSides.None, ErrorSides.Destination])
                {
                    var r = Check(template with { Policy = policy, FlushSetting = f, Errors = e });
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
        Verdict = Verdict.NotModelled,
        Sentence = $"{Describe(o)}: not modelled: {o.WhyNotModelled}; no verdict.",
    };

    private static ModelCheckResult Violated(ModelMachine m, ModelCheckResult figures, string property, string quote, Trace<ModelState> trace)
    {
        var replay = TraceReplay.Replay(m, trace);
        var notes = new List<string>();
        if (property == ModelSpec.NoDeadlock) notes.AddRange(StateText.Blocked(m, replay.Final));
        var stepCount = trace.Steps.Length;
        var last = replay.Steps.Count > 0 ? replay.Steps[^1].Event : default;
        var what = property switch
        {
            ModelSpec.NoDeadlock => $"after step {stepCount} no thread can move: {notes.FirstOrDefault()}",
            "DrainBeforeCleanup" => $"at step {stepCount} the destination runs {last.Kind} while a recv chunk is still queued, being read, or was dropped unread",
            "SendDrainBeforeBitmap" => $"at step {stepCount} the file bitmap is written while a send batch is still pending or being written",
            "NoStalePage" => $"the save that ends at step {stepCount} leaves a page whose file slot or bitmap bit is not the guest's newest content",
            "SemaphoreAccounting" => $"after step {stepCount} channels_ready or a channel's sem no longer matches the jobs and syncs outstanding",
            "NoUseAfterFree" => $"at step {stepCount} a send thread prepares a batch after the file bitmap was freed",
            "ErrorSurfaces" => $"at step {stepCount} the VM starts although a recv channel's read failed",
            _ => $"at step {stepCount}",
        };
        return figures with
        {
            Verdict = Verdict.Violated,
            Property = property,
            Quote = quote,
            Sentence = $"{Describe(m.Options)} violates {property}: {what}.",
            Depth = stepCount,
            Steps = replay.Steps,
            Counterexample = replay.Events,
            Notes = notes,
        };
    }
}
