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
/// permutation carried from step to step. Each step must land on a state the recorded one stands for: the same canonical
/// form once what the guest abstraction did not know there (a content not chosen yet, a bitmap bit) is not known here
/// either. A guest write the abstraction left open writes the content the page's next send chose (data if none did). If
/// a step does not land there, the path is not a run of the model (the abstraction over-approximates), and
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
        TryReplay(m, initial, recorded, null, false, out var failure) ?? throw new InvalidOperationException(failure);

    /// <summary>The replay, or null and why. When <paramref name="endsWithViolatingStep"/>, the last step is the one a step
    /// property forbids: it must be possible, but what it leads to is not compared (the property is about its start).
    /// With <paramref name="property"/> the unreduced model must violate it where the run ends (the state a state
    /// property is about, the step a step property is about).</summary>
    public static Result? TryReplay(ModelMachine m, ModelState initial, IReadOnlyList<Step> recorded, string? property, bool endsWithViolatingStep,
        out string failure)
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
        var contents = GuestContents(m, recorded);
        var steps = new List<ReportStep>();
        var events = new List<TraceEvent>();
        var states = new List<ModelState> { real };
        var run = new List<(string, int)>();
        for (var i = 0; i < recorded.Count; i++)
        {
            var step = recorded[i];
            var action = model.Actions[step.Action];
            var arg = m.Actions[step.Action].Arg switch
            {
                ArgKind.Channel => perm[step.Arg],
                ArgKind.ChannelContent => perm[m.WriteBeginArg(step.Arg).Channel],
                _ => m.UnreducedArg(step.Action, step.Arg, contents[i]),
            };
            if (!action.Guard(real, arg))
            {
                failure = $"step {i + 1} ({action.Name} {arg}): the model cannot take it there";
                return null;
            }
            var after = action.Apply(real, arg, sink);
            run.Add((action.Name, arg));
            // A fault injected by Check.Faults shows only as a mutation bit turned on.
            after = after with { Ext = Switches.Field.Set(after.Ext, Switches.Field.Get(step.After.Ext)) };
            var last = i == recorded.Count - 1 && endsWithViolatingStep;
            if (m.Canonical(AsUnknown(after, step.After), next) != step.After && !last)
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
        var result = new Result(steps, events, real, states, run);
        if (property is not null && !Violates(model, result, property, endsWithViolatingStep))
        {
            failure = $"the run it stands for does not violate {property} where it ends";
            return null;
        }
        return result;
    }

    /// <summary>Whether the unreduced model violates <paramref name="property"/> at the end of the replayed run.</summary>
    private static bool Violates(ModelMachine model, Result r, string property, bool endsWithViolatingStep)
    {
        var search = new ModelSearch(model);
        if (!endsWithViolatingStep || r.Run.Count == 0)
            return search.ViolatedInvariant(r.Final) is var k && k >= 0 && ModelSearch.PropertyNames[k] == property;
        var (name, arg) = r.Run[^1];
        var action = model.Actions.Select((a, i) => (a, i)).Single(x => x.a.Name == name).i;
        var step = search.ViolatedStep(r.States[^2], search.GroupOf(action, arg));
        return step >= 0 && ModelSearch.PropertyNames[step] == property;
    }

    /// <summary>The real state with the page facts the recorded state does not know cleared and marked unknown.</summary>
    private static ModelState AsUnknown(ModelState real, in ModelState recorded)
    {
        var data = Pages.Get(recorded, PageFact.DataUnknown);
        var file = Pages.Get(recorded, PageFact.FileUnknown);
        if ((data | file) == 0) return real;
        real = Pages.Set(real, PageFact.Data, Pages.Get(real, PageFact.Data) & ~data);
        real = Pages.Set(real, PageFact.DataUnknown, data);
        real = Pages.Set(real, PageFact.FileBit, Pages.Get(real, PageFact.FileBit) & ~file);
        return Pages.Set(real, PageFact.FileUnknown, file);
    }

    /// <summary>For each guest write whose content the search left open: the content the page's next send chose; a
    /// write overwritten before any send, or never sent, writes data.</summary>
    private static bool[] GuestContents(ModelMachine m, IReadOnlyList<Step> recorded)
    {
        var contents = new bool[recorded.Count];
        if (!m.DeferContents) return contents;
        for (var i = 0; i < recorded.Count; i++)
        {
            if (m.Actions[recorded[i].Action].Arg != ArgKind.GuestWrite) continue;
            var bit = 1 << m.GuestArg(recorded[i].Arg).Page;
            contents[i] = true;
            for (var j = i + 1; j < recorded.Count; j++)
            {
                var kind = m.Actions[recorded[j].Action].Arg;
                if (kind == ArgKind.GuestWrite && (1 << m.GuestArg(recorded[j].Arg).Page) == bit) break;
                if (kind == ArgKind.ChannelContent && (Pages.Get(recorded[j].After, PageFact.DataUnknown) & bit) == 0)
                {
                    contents[i] = (Pages.Get(recorded[j].After, PageFact.Data) & bit) != 0;
                    break;
                }
            }
        }
        return contents;
    }
}
