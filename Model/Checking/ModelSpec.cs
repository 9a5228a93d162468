using CsCheck;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Model.Checking;

/// <summary>Builds the CsCheck <see cref="Spec{S}"/> of a <see cref="ModelMachine"/>: one action per thread step, the
/// properties as requirements, the run's intended ends as <c>Terminal</c>, and the model's mutation switches as
/// <c>Fault</c>s.</summary>
internal static class ModelSpec
{
    public const string NoDeadlock = "NoDeadlock";

    public static Spec<ModelState> Build(ModelMachine m)
    {
        var r = new Requirements(m);
        var spec = Spec.From(m.Initial)
            .Print(s => StateText.Compact(m, s))
            .Terminal(ModelMachine.IsTerminal);
        foreach (var action in m.Actions)
        {
            var a = action;
            var apply = a.Apply;
            if (a.Arg == ArgKind.None)
            {
                var guard = a.Guard;
                spec.Action(a.Name, s => guard(s, 0), s => m.Canonical(apply(s, 0, null)));
            }
            else
            {
                spec.Action(a.Name, a.Domain, a.Guard, (s, x) => m.Canonical(apply(s, x, null)));
            }
        }

        spec.Invariant(NoDeadlock, Requirements.NoDeadlockQuote, r.NotStuck)
            .Never(nameof(PropertyId.DrainBeforeCleanup), Requirements.DrainQuote, r.CleanupWithChunkOutstanding);
        // A socket migration with its destination has no file bitmap to write (nor the step).
        if (!m.SocketDestination)
            spec.Never(nameof(PropertyId.SendDrainBeforeBitmap), Requirements.SendDrainQuote, ModelMachine.Names.FileBitmapWrite, r.BitmapWithBatchOutstanding);
        spec.Never(nameof(PropertyId.NoStalePage), Requirements.StaleQuote, m.SocketDestination ? ModelMachine.Names.VmStart : ModelMachine.Names.SourceJoin,
                m.SocketDestination ? r.DestinationStale : r.SavedFileStale)
            .Invariant(nameof(PropertyId.SemaphoreAccounting), Requirements.AccountingQuote, r.Accounted);
        // The socket source frees no file bitmap; what it can use after free is a channel: any step taken once the shutdown
        // freed them is a creation completing (nothing else can step there). CsCheck takes one requirement per id.
        // With the destination what a socket migration can use after free is the receivedmap, at a recv thread's read (§5.9).
        if (m.SocketDestination)
            spec.Never(nameof(PropertyId.NoUseAfterFree), Requirements.UseAfterFreeQuote, ModelMachine.Names.ReadBegin, (b, _) => ModelMachine.MarksFreedMap(b));
        else if (m.Socket) spec.Never(nameof(PropertyId.NoUseAfterFree), Requirements.UseAfterFreeQuote, Requirements.UsesFreedState);
        else spec.Never(nameof(PropertyId.NoUseAfterFree), Requirements.UseAfterFreeQuote, ModelMachine.Names.WriteBegin, Requirements.UsesFreedState);
        if ((m.Options.Errors & ErrorSides.Destination) != 0)
            spec.Never(nameof(PropertyId.ErrorSurfaces), Requirements.ErrorQuote, ModelMachine.Names.VmStart, Requirements.VmStartAfterError);
        if ((m.Options.Errors & ErrorSides.Connect) != 0)
            spec.Never(nameof(PropertyId.NoUnexpectedFailure), Requirements.UnexpectedFailureQuote, ModelMachine.Names.Terminate, Requirements.TerminateOnUninitialisedChannels);

        // Each mutation switch the model knows, as a fault: it is switched on by the first step, and from then on
        // every transition reads it from the state (the first step, the setup sync, is the same either way).
        var initial = m.Initial;
        foreach (var mutation in Enum.GetValues<Mutation>())
        {
            if (mutation == Mutation.None || (ModelCheckOptions.ModelledMutations & mutation) == 0 || (m.Options.Mutations & mutation) != 0) continue;
            var switched = mutation;
            spec.Fault(mutation.ToString(), (b, _) => b == initial,
                (_, a) => a with { Ext = Switches.With(a.Ext, Switches.Of(a.Ext) | switched) });
        }
        return spec;
    }
}
