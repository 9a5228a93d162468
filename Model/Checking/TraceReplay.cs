using CsCheck;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Reports;

namespace SyncModel.Model.Checking;

/// <summary>
/// Turns a path CsCheck found (over canonical states, where channel numbers shuffle as the states are sorted) back
/// into a run with stable channel identities: each step is re-applied to the un-sorted state with the real channel,
/// and the sorting permutation is carried from step to step. Each step must land on the state CsCheck recorded.
/// </summary>
internal static class TraceReplay
{
    public sealed record Result(IReadOnlyList<ReportStep> Steps, IReadOnlyList<TraceEvent> Events, ModelState Final);

    public static Result Replay(ModelMachine m, Trace<ModelState> trace)
    {
        var sink = new EventSink(m.P);
        var real = trace.Initial;
        var perm = new int[ModelState.MaxChannels];
        var next = new int[ModelState.MaxChannels];
        for (var i = 0; i < perm.Length; i++) perm[i] = i;
        var steps = new List<ReportStep>();
        var events = new List<TraceEvent>();
        for (var i = 0; i < trace.Steps.Length; i++)
        {
            var step = trace.Steps[i];
            var action = m.Actions[step.ActionIndex];
            var arg = action.Arg == ArgKind.Channel ? perm[step.ArgIndex] : action.Domain[step.ArgIndex];
            var after = action.Apply(real, arg, sink);
            // A fault injected by Check.Faults shows only as a mutation bit turned on.
            after = after with { Main = MainBits.Mutations.Set(after.Main, MainBits.Mutations.Get(step.After.Main)) };
            var canonical = m.Canonical(after, next);
            if (canonical != step.After)
                throw new InvalidOperationException($"replay of step {i + 1} ({step}) does not reach the state the search recorded");
            var stepEvents = sink.Take();
            var changed = StateText.Diff(m, real, after);
            for (var e = 0; e < stepEvents.Count; e++)
            {
                steps.Add(new ReportStep(i + 1, stepEvents[e], e == stepEvents.Count - 1 ? changed : ""));
                events.Add(stepEvents[e]);
            }
            Array.Copy(next, perm, perm.Length);
            real = after;
        }
        return new Result(steps, events, real);
    }
}
