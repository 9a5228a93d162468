using CsCheck;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Reports;

namespace SyncModel.Model.Checking;

/// <summary>
/// Turns a path a search found (over canonical states: channels sorted, dead values cleared, settled pages' contents
/// forgotten) back into a run of the unreduced machine (<see cref="ModelMachine.Unreduced"/>) with stable channel
/// identities: each step is taken on the real state with the real channel, its guard checked there, and the sorting
/// permutation carried from step to step. Each step must land on a state whose canonical form is the one the search
/// recorded; if one does not, the path is not a run of the model (the guest abstraction over-approximates), and
/// <see cref="TryReplay"/> says which step.
/// </summary>
internal static class TraceReplay
{
    /// <summary>The replayed run: its report rows and events, its last state, every state, and each step as the
    /// unreduced machine's action name and argument (real channel numbers).</summary>
    public sealed record Result(IReadOnlyList<ReportStep> Steps, IReadOnlyList<TraceEvent> Events, ModelState Final, IReadOnlyList<ModelState> States,
        IReadOnlyList<(string Action, int Arg)> Run);

    /// <summary>One recorded step: the action's index, its argument (a channel position in the canonical state before
    /// the step, a guest-write code, or 0), and the canonical state after it.</summary>
    public readonly record struct Step(int Action, int Arg, ModelState After);

    public static Result Replay(ModelMachine m, Trace<ModelState> trace) =>
        Replay(m, trace.Initial, [.. trace.Steps.Select(s => new Step(s.ActionIndex, m.Actions[s.ActionIndex].Domain[s.ArgIndex], s.After))]);

    /// <summary>The replay, or an exception naming the first step that is not a step of the model.</summary>
    public static Result Replay(ModelMachine m, ModelState initial, IReadOnlyList<Step> recorded) =>
        TryReplay(m, initial, recorded, false, out var failure) ?? throw new InvalidOperationException(failure);

    /// <summary>The replay, or null and why. When <paramref name="endsWithViolatingStep"/>, the last step is the one a step
    /// property forbids: it must be possible, but what it leads to is not compared (the property is about its start).</summary>
    public static Result? TryReplay(ModelMachine m, ModelState initial, IReadOnlyList<Step> recorded, bool endsWithViolatingStep, out string failure)
    {
        var model = m.Unreduced;
        var sink = new EventSink(m.P);
        var real = model.InitialState(m.AllPages, null);
        var perm = new int[ModelState.MaxChannels];
        var next = new int[ModelState.MaxChannels];
        failure = "";
        if (m.Canonical(real, perm) != initial)
        {
            failure = "the initial state is not the model's";
            return null;
        }
        for (var i = 0; i < perm.Length; i++) perm[i] = i;
        var steps = new List<ReportStep>();
        var events = new List<TraceEvent>();
        var states = new List<ModelState> { real };
        var run = new List<(string, int)>();
        for (var i = 0; i < recorded.Count; i++)
        {
            var step = recorded[i];
            var action = model.Actions[step.Action];
            var arg = action.Arg == ArgKind.Channel ? perm[step.Arg] : m.UnreducedArg(step.Action, step.Arg);
            if (!action.Guard(real, arg))
            {
                failure = $"step {i + 1} ({action.Name} {arg}): the model cannot take it there";
                return null;
            }
            var after = action.Apply(real, arg, sink);
            run.Add((action.Name, arg));
            // A fault injected by Check.Faults shows only as a mutation bit turned on.
            after = after with { Main = MainBits.Mutations.Set(after.Main, MainBits.Mutations.Get(step.After.Main)) };
            var last = i == recorded.Count - 1 && endsWithViolatingStep;
            if (m.Canonical(after, next) != step.After && !last)
            {
                failure = $"step {i + 1} ({action.Name} {arg}) does not reach the state the search recorded";
                return null;
            }
            var stepEvents = sink.Take();
            var changed = StateText.Diff(m, real, after);
            for (var e = 0; e < stepEvents.Count; e++)
            {
                steps.Add(new ReportStep(i + 1, stepEvents[e], e == stepEvents.Count - 1 ? changed : ""));
                events.Add(stepEvents[e]);
            }
            Array.Copy(next, perm, perm.Length);
            real = after;
            states.Add(real);
        }
        return new Result(steps, events, real, states, run);
    }
}
