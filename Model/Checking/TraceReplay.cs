using CsCheck;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Reports;

namespace SyncModel.Model.Checking;

/// <summary>
/// Turns a path a search found (over canonical states, where channel numbers shuffle as the states are sorted and dead
/// values are cleared) back into a run of the unreduced machine with stable channel identities: each step is re-applied
/// to the real state with the real channel, and the sorting permutation is carried from step to step. Each step must
/// land on the state the search recorded, or the replay throws: a counterexample that does not replay is a bug.
/// </summary>
internal static class TraceReplay
{
    public sealed record Result(IReadOnlyList<ReportStep> Steps, IReadOnlyList<TraceEvent> Events, ModelState Final, IReadOnlyList<ModelState> States);

    /// <summary>One recorded step: the action's index, its argument (a channel position in the canonical state before
    /// the step, a guest-write code, or 0), and the canonical state after it.</summary>
    public readonly record struct Step(int Action, int Arg, ModelState After);

    public static Result Replay(ModelMachine m, Trace<ModelState> trace) =>
        Replay(m, trace.Initial, [.. trace.Steps.Select(s => new Step(s.ActionIndex, m.Actions[s.ActionIndex].Domain[s.ArgIndex], s.After))]);

    public static Result Replay(ModelMachine m, ModelState initial, IReadOnlyList<Step> recorded)
    {
        var sink = new EventSink(m.P);
        var real = initial;
        var perm = new int[ModelState.MaxChannels];
        var next = new int[ModelState.MaxChannels];
        for (var i = 0; i < perm.Length; i++) perm[i] = i;
        var steps = new List<ReportStep>();
        var events = new List<TraceEvent>();
        var states = new List<ModelState> { real };
        for (var i = 0; i < recorded.Count; i++)
        {
            var step = recorded[i];
            var action = m.Actions[step.Action];
            var arg = action.Arg == ArgKind.Channel ? perm[step.Arg] : step.Arg;
            if (!m.Unreduced.Actions[step.Action].Guard(real, arg))
                throw new InvalidOperationException($"replay of step {i + 1} ({action.Name} {arg}): the unreduced model cannot take it there");
            var after = action.Apply(real, arg, sink);
            // A fault injected by Check.Faults shows only as a mutation bit turned on.
            after = after with { Main = MainBits.Mutations.Set(after.Main, MainBits.Mutations.Get(step.After.Main)) };
            var canonical = m.Canonical(after, next);
            if (canonical != step.After)
                throw new InvalidOperationException($"replay of step {i + 1} ({action.Name} {arg}) does not reach the state the search recorded");
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
        return new Result(steps, events, real, states);
    }
}
