using SyncModel.Protocol.Events;
using SyncModel.Protocol.Vocabulary;
using SyncModel.Model.Machine;
using SyncModel.Model.Checking.Engine;

namespace SyncModel.Model.Checking;

/// <summary>The verdict sentences of a check, whichever engine ran it.</summary>
internal static class ModelVerdicts
{
    public static string Quote(string property) => property switch
    {
        ModelSpec.NoDeadlock => Requirements.NoDeadlockQuote,
        "DrainBeforeCleanup" => Requirements.DrainQuote,
        "SendDrainBeforeBitmap" => Requirements.SendDrainQuote,
        "NoStalePage" => Requirements.StaleQuote,
        "SemaphoreAccounting" => Requirements.AccountingQuote,
        "NoUseAfterFree" => Requirements.UseAfterFreeQuote,
        "ErrorSurfaces" => Requirements.ErrorQuote,
        "NoUnexpectedFailure" => Requirements.UnexpectedFailureQuote,
        _ => throw new ArgumentException($"the model states no property {property}"),
    };

    public static ModelCheckResult Proved(ModelCheckResult figures) => figures with
    {
        Verdict = VerdictKind.Proved,
        Sentence = $"{ModelChecker.Describe(figures.Options)} is proved: the state space closed at {figures.States:N0} states "
            + $"(depth {figures.Depth}) with no property violated and no deadlock.",
    };

    public static ModelCheckResult Incomplete(ModelCheckResult figures)
    {
        var o = figures.Options;
        var why = figures.Stop switch
        {
            StopReason.MaxDepth => $"max-depth {o.MaxDepth}",
            StopReason.Memory => $"the memory limit, {MemoryEstimate.Resolve(o.MaxMemoryBytes) / (1024.0 * 1024 * 1024):F1} GiB",
            StopReason.Cancelled => "interrupted",
            _ => $"max-states {o.MaxStates:N0}",
        };
        return figures with
        {
            Verdict = VerdictKind.Incomplete,
            Sentence = $"{ModelChecker.Describe(o)}: incomplete: the search stopped at {figures.States:N0} states, depth {figures.Depth} "
                + $"({why}) before the state space closed; nothing is proved.",
        };
    }

    public static ModelCheckResult Violated(ModelMachine m, ModelCheckResult figures, string property, string quote, TraceReplay.Result replay, int stepCount)
    {
        var notes = new List<string>();
        if (property == ModelSpec.NoDeadlock) notes.AddRange(StateText.Blocked(m, replay.Final));
        var last = replay.Steps.Count > 0 ? replay.Steps[^1].Event : default;
        var what = property switch
        {
            ModelSpec.NoDeadlock => $"after step {stepCount} no thread can move: {notes.FirstOrDefault()}",
            "DrainBeforeCleanup" => $"at step {stepCount} the destination runs {last.Kind} while a recv chunk is still queued, being read, or was dropped unread",
            "SendDrainBeforeBitmap" => $"at step {stepCount} the file bitmap is written while a send batch is still pending or being written",
            "NoStalePage" when m.SocketDestination =>
                $"at step {stepCount} the destination starts the VM with a page that does not hold the guest's newest content (never sent, lost, or an older copy landed after the newest)",
            "NoStalePage" => $"the save that ends at step {stepCount} leaves a page whose file slot or bitmap bit is not the guest's newest content",
            "SemaphoreAccounting" when new Requirements(m).ParkedAtShutdown(replay.Final) =>
                $"after step {stepCount} the destination shuts its channels down while a recv thread is parked at a SYNC packet that no recv sync collected: its post on the shared sem_sync is never consumed",
            "SemaphoreAccounting" => $"after step {stepCount} channels_ready or a channel's sem no longer matches the jobs and syncs outstanding",
            "NoUseAfterFree" when m.SocketDestination && last.Actor.Kind == ActorKind.Receiver =>
                $"at step {stepCount} recv{last.Channel} sets rb->receivedmap bits for a packet after qemu_loadvm_state_cleanup freed the receivedmap (the recv threads are joined after the load cleanup)",
            "NoUseAfterFree" when m.Socket =>
                $"at step {stepCount} send{last.Channel}'s creation completes after multifd_send_shutdown joined the threads and freed the channels: it uses freed MultiFDSendParams",
            "NoUseAfterFree" => $"at step {stepCount} a send thread prepares a batch after the file bitmap was freed",
            "ErrorSurfaces" => $"at step {stepCount} the VM starts although a recv channel's read failed",
            "NoUnexpectedFailure" => $"at step {stepCount} the cleanup's terminate posts the sem of a channel multifd_send_setup never initialised (qemu_sem_post asserts): a crash, not the injected creation failure",
            _ => throw new InvalidOperationException($"the model has no violation sentence for {property}"),
        };
        return figures with
        {
            Verdict = VerdictKind.Violated,
            Property = property,
            Quote = quote,
            Sentence = $"{ModelChecker.Describe(m.Options)} violates {property}: {what}.",
            Depth = stepCount,
            Steps = replay.Steps,
            Counterexample = replay.Events,
            Run = replay.Run,
            Notes = notes,
        };
    }
}
